package io.queen.error;

/** The message, queue or lease an operation names does not exist. */
public final class NotFoundException extends QueenException {
  public NotFoundException(String message) {
    super(message);
  }
}
