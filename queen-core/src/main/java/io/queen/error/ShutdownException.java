package io.queen.error;

/** The {@code QueueManager} is closing or closed; the operation was not started. */
public final class ShutdownException extends QueenException {
  public ShutdownException(String message) {
    super(message);
  }
}
