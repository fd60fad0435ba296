package io.queen.internal.ops;

import io.queen.error.DatabaseUnavailableException;
import io.queen.error.InvalidRequestException;
import io.queen.internal.db.Database;
import io.queen.internal.db.Jdbc;
import io.queen.internal.runtime.EngineContext;
import io.queen.internal.wakeup.QueueActivity;
import io.queen.model.AckItem;
import io.queen.model.AckResult;
import io.queen.model.PushItem;
import io.queen.model.PushResult;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Pushes and acks on a connection the application owns, inside the application's transaction
 * (the outbox pattern): the same {@code push_v1} and {@code ack_v1} as the group commit, run on
 * the caller's thread, committed or rolled back by the caller. Nothing here commits, rolls back or
 * closes the connection.
 *
 * <p>A push NOTIFYs whenever this engine LISTENs, with an origin no instance takes for its own,
 * so that at the application's commit (when PostgreSQL delivers notifications, and only then)
 * every instance's listener, this one's included, wakes the long polls of those queues; after a
 * rollback nobody is told. Without LISTEN/NOTIFY, waiters find the messages at their recheck.
 * Thread-safe; each call runs on the thread that owns its connection.
 */
public final class OutboxOperation {
  /** The NOTIFY origin of pushes in an application's transaction: never an instance's id. */
  static final String ORIGIN = "application";
  private static final String UNDEFINED_FUNCTION = "42883";
  private static final String UNDEFINED_SCHEMA = "3F000";

  private final EngineContext context;
  private final PushOperation pushes;
  private final QueueActivity activity;
  private final PushStatement statement;
  private final String ackStatement;
  private final String channel;
  private final BooleanSupplier ready;

  /**
   * @param channel the channel this engine LISTENs on, or null when it does not
   * @param ready whether the schema is migrated (false while a startup migration waits)
   */
  public OutboxOperation(EngineContext context, PushOperation pushes, QueueActivity activity,
      String channel, BooleanSupplier ready) {
    this.context = context;
    this.pushes = pushes;
    this.activity = activity;
    this.statement = new PushStatement(context);
    this.ackStatement = context.sql("ack");
    this.channel = channel;
    this.ready = ready;
  }

  /** The caller's thread, which owns {@code connection}: pushes inside its transaction. */
  public List<PushResult> push(Connection connection, List<PushItem> items) {
    check(connection);
    if (items == null) {
      throw new InvalidRequestException("items", "items is required");
    }
    var push = pushes.prepare(items, "items");
    if (items.isEmpty()) {
      return List.of();
    }
    try {
      return statement.results(List.of(push), p -> {
        try {
          return statement.rows(connection, p, channel, ORIGIN);
        } catch (SQLException e) {
          throw translate("push", e);
        }
      }).get(0);
    } finally {
      PushOperation.touch(activity, List.of(push));
    }
  }

  /** The caller's thread, which owns {@code connection}: acks inside its transaction. */
  public List<AckResult> ack(Connection connection, List<AckItem> items) {
    check(connection);
    if (items == null) {
      throw new InvalidRequestException("acknowledgments", "acknowledgments is required");
    }
    AckOperation.validate(items, "acknowledgments");
    if (items.isEmpty()) {
      return List.of();
    }
    var copy = List.copyOf(items);
    var results = new AckResult[copy.size()];
    try {
      Jdbc.query(connection, ackStatement, rs -> {
        int idx = rs.getInt(1);
        results[idx] = new AckResult(copy.get(idx).transactionId(), rs.getBoolean(2),
            rs.getString(3), rs.getString(4), rs.getString(5), rs.getBoolean(6), rs.getBoolean(7));
      }, AckOperation.acksJson(copy), context.now());
    } catch (SQLException e) {
      throw translate("ack", e);
    }
    return List.of(results);
  }

  private void check(Connection connection) {
    if (connection == null) {
      throw new InvalidRequestException("connection", "connection is required");
    }
    try {
      if (connection.isClosed()) {
        throw new InvalidRequestException("connection", "connection is closed");
      }
    } catch (SQLException e) {
      throw translate("connection check", e);
    }
    if (!ready.getAsBoolean()) {
      throw new DatabaseUnavailableException("the schema migration has not run yet (the database "
          + "was unreachable at start); nothing was written", null);
    }
  }

  /** A statement that failed on the application's connection: its transaction is aborted now. */
  private RuntimeException translate(String what, SQLException e) {
    var state = e.getSQLState();
    if (UNDEFINED_FUNCTION.equals(state) || UNDEFINED_SCHEMA.equals(state)) {
      return new InvalidRequestException("connection", "the connection's database has no Queen "
          + "schema '" + context.config().schema() + "': it must be a connection to the database "
          + "this QueueManager was created on (" + e.getMessage() + ")");
    }
    return Database.translate(what + " in the application's transaction", e);
  }
}
