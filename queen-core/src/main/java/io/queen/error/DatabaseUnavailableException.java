package io.queen.error;

/**
 * PostgreSQL could not be reached or refused the work for a transient reason (connection failure,
 * timeout, shutdown). The operation did not commit; it is safe to retry.
 */
public final class DatabaseUnavailableException extends QueenException {
  public DatabaseUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
