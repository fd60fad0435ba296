package io.queen.error;

/**
 * PostgreSQL rejected an operation for a non-transient reason. This indicates a bug or a schema
 * mismatch; {@link #sqlState()} carries PostgreSQL's error code.
 */
public final class QueenDatabaseException extends QueenException {
  private final String sqlState;

  public QueenDatabaseException(String message, String sqlState, Throwable cause) {
    super(message, cause);
    this.sqlState = sqlState;
  }

  public String sqlState() {
    return sqlState;
  }
}
