package io.queen.error;

/** The {@code QueueManager} is closing or closed; the operation was not started. */
public final class ShutdownException extends QueenException {
  /**
   * A refusal because Queen is closing.
   *
   * @param message which operation was refused
   */
  public ShutdownException(String message) {
    super(message);
  }
}
