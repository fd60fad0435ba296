package io.queen.error;

/**
 * Root of every exception Queen throws on purpose. Unchecked: callers of the asynchronous API receive
 * it as the cause of a failed future.
 */
public abstract class QueenException extends RuntimeException {
  protected QueenException(String message) {
    super(message);
  }

  protected QueenException(String message, Throwable cause) {
    super(message, cause);
  }
}
