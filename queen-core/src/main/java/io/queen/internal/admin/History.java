package io.queen.internal.admin;

import static io.queen.internal.admin.Checks.instant;
import static io.queen.internal.admin.Checks.optionalName;
import static io.queen.internal.admin.Checks.timestamp;

import io.queen.admin.Bucket;
import io.queen.admin.InstanceMinute;
import io.queen.admin.ParkedMinute;
import io.queen.admin.QueueMinute;
import io.queen.admin.RemovalMinute;
import io.queen.error.InvalidRequestException;
import io.queen.internal.db.Jdbc;
import io.queen.internal.runtime.EngineContext;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Reads the per-minute history every instance writes. Thread-safe. */
public final class History {
  /** The longest range one read may ask for. */
  public static final Duration MAX_RANGE = Duration.ofDays(31);

  private final EngineContext context;
  private final String lastMinute;
  private final String instances;
  private final String queues;
  private final String removals;
  private final String parked;
  private final String pushedPerBucket;

  public History(EngineContext context) {
    this.context = context;
    this.lastMinute = context.sql("last_minute_rates");
    this.instances = context.sql("instance_minutes");
    this.queues = context.sql("queue_minutes");
    this.removals = context.sql("removal_minutes");
    this.parked = context.sql("parked_minutes");
    this.pushedPerBucket = context.sql("pushed_per_bucket");
  }

  /** {pushed, popped} per second in the last complete minute, over every instance. */
  double[] lastMinuteRates(Connection c) throws SQLException {
    return Jdbc.one(c, lastMinute, rs -> new double[] {rs.getDouble(1), rs.getDouble(2)},
        context.now());
  }

  /** Any thread. */
  public CompletableFuture<List<InstanceMinute>> instances(Instant from, Instant to,
      String instance) {
    return read("instance history", instances, rs -> new InstanceMinute(
        instant(rs.getObject(1, OffsetDateTime.class)), rs.getString(2), rs.getString(3),
        rs.getInt(4), rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8),
        rs.getLong(9), rs.getLong(10), rs.getLong(11), rs.getLong(12), rs.getLong(13),
        rs.getLong(14), rs.getLong(15), rs.getLong(16), rs.getLong(17), rs.getLong(18),
        rs.getInt(19), rs.getInt(20), rs.getInt(21), rs.getDouble(22), rs.getDouble(23),
        rs.getDouble(24), rs.getDouble(25)), from, to, "instance", instance);
  }

  /** Any thread. */
  public CompletableFuture<List<QueueMinute>> queues(Instant from, Instant to, String queue) {
    return read("queue history", queues, rs -> new QueueMinute(
        instant(rs.getObject(1, OffsetDateTime.class)), rs.getString(2), rs.getLong(3),
        rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8),
        rs.getLong(9), rs.getLong(10), rs.getLong(11), rs.getLong(12), rs.getLong(13),
        rs.getLong(14), rs.getInt(15)), from, to, "queue", queue);
  }

  /** Any thread: {@code unit} is minute, hour or day. */
  public CompletableFuture<List<Bucket>> pushedPerBucket(String unit, Instant from, Instant to,
      String queue) {
    if (!List.of("minute", "hour", "day").contains(unit)) {
      throw new InvalidRequestException("interval",
          "interval must be one of minute, hour, day; was '" + unit + "'");
    }
    return read("pushed per bucket", pushedPerBucket, rs -> new Bucket(
        instant(rs.getObject(1, OffsetDateTime.class)), rs.getLong(2)), from, to, "queue", queue,
        unit);
  }

  /** Any thread. */
  public CompletableFuture<List<ParkedMinute>> parked(Instant from, Instant to, String queue) {
    return read("parked history", parked, rs -> new ParkedMinute(
        instant(rs.getObject(1, OffsetDateTime.class)), rs.getString(2), rs.getString(3),
        rs.getString(4), rs.getInt(5)), from, to, "queue", queue);
  }

  /** Any thread. */
  public CompletableFuture<List<RemovalMinute>> removals(Instant from, Instant to, String queue) {
    return read("removal history", removals, rs -> new RemovalMinute(
        instant(rs.getObject(1, OffsetDateTime.class)), rs.getString(2), rs.getString(3),
        rs.getLong(4)), from, to, "queue", queue);
  }

  /**
   * Checks the range and the filter on the caller's thread, then runs {@code sql} with
   * {@code (leading..., from, to, filter, filter)} on a database thread.
   */
  private <T> CompletableFuture<List<T>> read(String what, String sql, Jdbc.RowMapper<T> row,
      Instant from, Instant to, String filterField, String filter, Object... leading) {
    range(from, to);
    optionalName(filterField, filter);
    var args = new ArrayList<Object>(List.of(leading));
    args.add(timestamp(from));
    args.add(timestamp(to));
    args.add(filter);
    args.add(filter);
    return context.single(() -> context.db().withConnection(what,
        c -> Jdbc.list(c, sql, row, args.toArray())));
  }

  private static void range(Instant from, Instant to) {
    Checks.required("from", from);
    Checks.required("to", to);
    if (!from.isBefore(to)) {
      throw new InvalidRequestException("from", "from (" + from + ") must be before to (" + to + ")");
    }
    if (Duration.between(from, to).compareTo(MAX_RANGE) > 0) {
      throw new InvalidRequestException("from",
          "the range from " + from + " to " + to + " is longer than " + MAX_RANGE.toDays() + " days");
    }
  }
}
