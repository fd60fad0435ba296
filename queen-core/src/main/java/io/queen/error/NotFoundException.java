package io.queen.error;

/** The message, queue or lease an operation names does not exist. */
public final class NotFoundException extends QueenException {
  /**
   * Something named does not exist.
   *
   * @param message what was not found, for example {@code Queue 'orders' not found}
   */
  public NotFoundException(String message) {
    super(message);
  }
}
