package io.queen.internal.db;

import io.queen.error.DatabaseUnavailableException;
import io.queen.error.QueenDatabaseException;
import io.queen.error.QueenException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs JDBC work in transactions and turns SQL failures into Queen's exceptions. Any thread; it
 * blocks the caller, so only Queen's database threads call it.
 */
public final class Database {
  private static final Logger LOG = LoggerFactory.getLogger(Database.class);
  /** Deadlocks and serialization failures are retried this often before giving up. */
  private static final int MAX_ATTEMPTS = 4;
  private static final String SYNCHRONOUS_COMMIT_OFF =
      SqlStatements.unscoped("engine.sql", "synchronous_commit_off");

  private final DataSource dataSource;

  public Database(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  public DataSource dataSource() {
    return dataSource;
  }

  /** Makes the running transaction's commit skip the WAL flush (see {@code inTransaction}). */
  public static void commitWithoutFlush(Connection c) throws SQLException {
    Jdbc.execute(c, SYNCHRONOUS_COMMIT_OFF);
  }

  /**
   * Runs {@code work} in one transaction, committing when it returns. With
   * {@code durable == false} the commit does not wait for the WAL flush (used for work whose loss
   * in a crash is harmless, such as taking a lease). Retried from the start on deadlock.
   */
  public <T> T inTransaction(String what, boolean durable, SqlWork<T> work) {
    return retrying(what, c -> {
      c.setAutoCommit(false);
      try {
        if (!durable) {
          Jdbc.execute(c, SYNCHRONOUS_COMMIT_OFF);
        }
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(c);
        throw e;
      } finally {
        restoreAutoCommit(c);
      }
    });
  }

  /**
   * Runs {@code work}, which must issue exactly one statement, in auto-commit mode: the statement
   * is its own transaction, which PostgreSQL commits (durably) before it answers, so the answer
   * means committed and the separate COMMIT round trip of {@link #inTransaction} is saved. Work of
   * several statements must not come here: each would commit on its own. Retried from the start
   * on deadlock, as there.
   */
  public <T> T inOneStatement(String what, SqlWork<T> work) {
    return retrying(what, c -> {
      // an application's own DataSource may hand out connections that are not auto-committing
      // (a local check in pgjdbc, no round trip)
      if (!c.getAutoCommit()) {
        c.setAutoCommit(true);
      }
      return work.run(c);
    });
  }

  private <T> T retrying(String what, SqlWork<T> work) {
    for (int attempt = 1; ; attempt++) {
      try (var c = dataSource.getConnection()) {
        return work.run(c);
      } catch (SQLException e) {
        if (isRetryable(e) && attempt < MAX_ATTEMPTS) {
          LOG.debug("{}: retrying after {} (attempt {})", what, e.getSQLState(), attempt);
          continue;
        }
        throw translate(what, e);
      }
    }
  }

  /** Runs {@code work} on a connection in auto-commit mode. */
  public <T> T withConnection(String what, SqlWork<T> work) {
    try (var c = dataSource.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw translate(what, e);
    }
  }

  static boolean isRetryable(SQLException e) {
    var state = e.getSQLState();
    return "40P01".equals(state) || "40001".equals(state);
  }

  /** Whether the failure means the database is unreachable or shutting down, not a bad statement. */
  public static boolean isTransient(SQLException e) {
    if (e instanceof SQLTransientConnectionException) {
      return true;
    }
    var state = e.getSQLState();
    if (state == null) {
      return true;
    }
    return state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
        || state.equals("57P03") || state.equals("53300") || state.equals("57014");
  }

  public static QueenException translate(String what, SQLException e) {
    if (isTransient(e)) {
      return new DatabaseUnavailableException(
          what + " failed: database unavailable (" + e.getMessage() + ")", e);
    }
    return new QueenDatabaseException(what + " failed: " + e.getMessage(), e.getSQLState(), e);
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException e) {
      LOG.debug("rollback failed", e);
    }
  }

  private static void restoreAutoCommit(Connection c) {
    try {
      c.setAutoCommit(true);
    } catch (SQLException e) {
      LOG.debug("could not restore auto-commit", e);
    }
  }
}
