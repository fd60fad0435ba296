package io.queen.error;

/**
 * Root of every exception Queen throws on purpose. Unchecked: callers of the asynchronous API receive
 * it as the cause of a failed future.
 */
public abstract class QueenException extends RuntimeException {
  /**
   * An exception without a cause.
   *
   * @param message what went wrong
   */
  protected QueenException(String message) {
    super(message);
  }

  /**
   * An exception with a cause.
   *
   * @param message what went wrong
   * @param cause the underlying failure, or null
   */
  protected QueenException(String message, Throwable cause) {
    super(message, cause);
  }
}
