package io.queen.error;

/**
 * PostgreSQL could not be reached or refused the work for a transient reason (connection failure,
 * timeout, shutdown). The operation did not commit; it is safe to retry.
 */
public final class DatabaseUnavailableException extends QueenException {
  /**
   * An unreachable or unavailable database.
   *
   * @param message what failed and why, for logs and callers
   * @param cause the driver's or pool's exception, or null
   */
  public DatabaseUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
