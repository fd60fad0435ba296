package io.queen.error;

/**
 * PostgreSQL rejected an operation for a non-transient reason. This indicates a bug or a schema
 * mismatch; {@link #sqlState()} carries PostgreSQL's error code. On an application's own
 * connection ({@link io.queen.QueueManager#push(java.sql.Connection, java.util.List)} and
 * {@code ack}) it is also how any non-transient failure of the statement arrives, for example a
 * deadlock with another transaction or a transaction already aborted.
 */
public final class QueenDatabaseException extends QueenException {
  /** PostgreSQL's SQLSTATE, or null. */
  private final String sqlState;

  /**
   * A rejected operation.
   *
   * @param message what failed, with PostgreSQL's message
   * @param sqlState PostgreSQL's SQLSTATE, or null when the driver gave none
   * @param cause the driver's exception
   */
  public QueenDatabaseException(String message, String sqlState, Throwable cause) {
    super(message, cause);
    this.sqlState = sqlState;
  }

  /**
   * PostgreSQL's error code.
   *
   * @return the five-character SQLSTATE (for example {@code 23505}), or null when none was given
   */
  public String sqlState() {
    return sqlState;
  }
}
