package io.queen.internal.admin;

import static io.queen.internal.admin.Checks.instant;
import static io.queen.internal.admin.Checks.name;
import static io.queen.internal.admin.Checks.timestamp;

import io.queen.admin.ConsumerGroupSummary;
import io.queen.admin.GroupDeletion;
import io.queen.admin.PartitionLag;
import io.queen.admin.SeekResult;
import io.queen.error.InvalidRequestException;
import io.queen.error.NotFoundException;
import io.queen.internal.db.Jdbc;
import io.queen.internal.runtime.EngineContext;
import io.queen.internal.wakeup.LongPolls;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Consumer groups: their cursors and lag, deletion, subscription changes and seeks. Thread-safe;
 * callers validate on their own thread, SQL runs on a {@code queen-db} thread.
 */
public final class ConsumerGroups {
  private final EngineContext context;
  private final BoundedReads reads;
  private final LongPolls longPolls;
  private final String cursors;
  private final String everyCursor;
  private final String oldestAfterCursors;
  /** What {@link #everyCursor} found last time, by (partition, group). */
  private volatile Map<CursorKey, Oldest> oldestKnown = Map.of();
  private final String subscriptions;
  private final String groupExists;
  private final String queueExists;
  private final String delete;
  private final String updateSubscription;
  private final String seekQueue;
  private final String seekPartition;
  private final String partitionExists;

  public ConsumerGroups(EngineContext context, LongPolls longPolls) {
    this.context = context;
    this.reads = new BoundedReads(context);
    this.longPolls = longPolls;
    this.cursors = context.sql("group_cursors");
    this.everyCursor = context.sql("every_cursor");
    this.oldestAfterCursors = context.sql("oldest_after_cursors");
    this.subscriptions = context.sql("group_subscriptions");
    this.groupExists = context.sql("group_exists");
    this.queueExists = context.sql("queue_exists");
    this.delete = context.sql("delete_consumer_group");
    this.updateSubscription = context.sql("update_subscription");
    this.seekQueue = context.sql("seek_queue");
    this.seekPartition = context.sql("seek_partition");
    this.partitionExists = context.sql("partition_exists");
  }

  /**
   * One entry per (group, queue) from the group's cursors on the queue ({@code cursors}: every
   * cursor, by group) and its subscription record, by group then queue.
   */
  List<ConsumerGroupSummary> summaries(Connection c, List<PartitionLag> cursors)
      throws SQLException {
    record Key(String group, String queue) {}
    record Subscription(String mode, Instant timestamp, Instant createdAt) {}
    Map<Key, Subscription> subs = new LinkedHashMap<>();
    Jdbc.query(c, subscriptions, rs -> subs.put(new Key(rs.getString(1), rs.getString(2)),
        new Subscription(rs.getString(3), instant(rs.getObject(4, OffsetDateTime.class)),
            instant(rs.getObject(5, OffsetDateTime.class)))), null, null);
    Map<Key, List<PartitionLag>> byKey = new LinkedHashMap<>();
    for (var r : cursors) {
      byKey.computeIfAbsent(new Key(r.group(), r.queue()), k -> new ArrayList<>()).add(r);
    }
    for (var k : subs.keySet()) {
      byKey.computeIfAbsent(k, x -> new ArrayList<>()); // subscribed, no cursor yet
    }
    var out = new ArrayList<ConsumerGroupSummary>(byKey.size());
    byKey.forEach((k, parts) -> {
      var s = subs.get(k);
      out.add(summary(k.group(), k.queue(), parts, s == null ? null : s.mode(),
          s == null ? null : s.timestamp(), s == null ? null : s.createdAt()));
    });
    out.sort((a, b) -> a.group().equals(b.group()) ? a.queue().compareTo(b.queue())
        : a.group().compareTo(b.group()));
    return out;
  }

  static ConsumerGroupSummary summary(String group, String queue, List<PartitionLag> parts,
      String mode, Instant subscriptionTimestamp, Instant subscriptionCreatedAt) {
    int withLag = 0;
    long lag = 0;
    long maxTime = 0;
    boolean consumed = false;
    for (var p : parts) {
      if (p.offsetLag() > 0) {
        withLag++;
      }
      lag += p.offsetLag();
      maxTime = Math.max(maxTime, p.timeLagSeconds());
      consumed |= p.lastConsumedAt() != null;
    }
    String state = maxTime > ConsumerGroupSummary.LAGGING_SECONDS ? "Lagging"
        : consumed ? "Stable" : "Dead";
    return new ConsumerGroupSummary(group, queue, parts.size(), withLag, lag, maxTime, state,
        mode, subscriptionTimestamp, subscriptionCreatedAt);
  }

  /** Any thread: fails with {@link NotFoundException} for a group Queen has never seen. */
  public CompletableFuture<List<PartitionLag>> group(String group) {
    name("group", group);
    return reads.read("consumer group", c -> {
      var rows = cursors(c, group, null);
      if (rows.isEmpty() && !Jdbc.scalarBoolean(c, groupExists, group, group)) {
        throw new NotFoundException("Consumer group '" + group + "' not found");
      }
      return rows;
    });
  }

  /** Any thread. */
  public CompletableFuture<List<PartitionLag>> lagging(long minLagSeconds) {
    if (minLagSeconds < 0) {
      throw new InvalidRequestException("minLagSeconds",
          "minLagSeconds must be zero or positive, was " + minLagSeconds);
    }
    return reads.read("lagging consumers", c -> cursors(c, null, minLagSeconds));
  }

  private record CursorKey(UUID partition, String group) {}

  /**
   * The push time of a cursor's oldest unconsumed message, found when the cursor was at
   * {@code cursorSeq} and its partition had lost {@code removed} messages. While both stay, so
   * does the answer: messages never change, a new one comes after every stored one (seq is commit
   * order), and every deletion counts in {@code partition_removals}.
   */
  private record Oldest(long cursorSeq, long removed, Instant at) {}

  /**
   * A database thread: every cursor of every group, as {@link #cursors} with no filter, for the
   * summaries. The age of each lagging cursor's oldest message costs an index probe into the
   * messages, which was most of an aggregation at 10,000 partitions (docs/benchmarks.md), so it
   * is kept from the last aggregation for the cursors that did not move over partitions that lost
   * nothing, and only the others are probed, in one statement.
   */
  List<PartitionLag> everyCursor(Connection c) throws SQLException {
    var now = context.now();
    record Row(String group, String queue, String partition, UUID partitionId, String leaseId,
        long lag, Instant lastConsumedAt, long totalConsumed, boolean leaseActive, long cursorSeq,
        long removed) {}
    var rows = Jdbc.list(c, everyCursor, rs -> new Row(rs.getString(1), rs.getString(2),
        rs.getString(3), rs.getObject(4, UUID.class), rs.getString(5), rs.getLong(6),
        instant(rs.getObject(7, OffsetDateTime.class)), rs.getLong(8), rs.getBoolean(9),
        rs.getLong(10), rs.getLong(11)), now, now);
    var known = oldestKnown;
    var found = new Instant[rows.size()];
    var probe = new ArrayList<Integer>();
    for (int i = 0; i < rows.size(); i++) {
      var r = rows.get(i);
      if (r.lag() > 0) {
        var o = known.get(new CursorKey(r.partitionId(), r.group()));
        if (o != null && o.cursorSeq() == r.cursorSeq() && o.removed() == r.removed()) {
          found[i] = o.at();
        } else {
          probe.add(i);
        }
      }
    }
    if (!probe.isEmpty()) {
      var pids = new UUID[probe.size()];
      var seqs = new long[probe.size()];
      for (int k = 0; k < pids.length; k++) {
        pids[k] = rows.get(probe.get(k)).partitionId();
        seqs[k] = rows.get(probe.get(k)).cursorSeq();
      }
      Jdbc.query(c, oldestAfterCursors, rs -> found[probe.get(rs.getInt(1) - 1)] =
          instant(rs.getObject(2, OffsetDateTime.class)), Jdbc.uuids(pids), Jdbc.longs(seqs));
    }
    var at = now.toInstant();
    var out = new ArrayList<PartitionLag>(rows.size());
    var next = new HashMap<CursorKey, Oldest>();
    for (int i = 0; i < rows.size(); i++) {
      var r = rows.get(i);
      var oldest = found[i];
      if (oldest != null) {
        next.put(new CursorKey(r.partitionId(), r.group()),
            new Oldest(r.cursorSeq(), r.removed(), oldest));
      }
      long ageSeconds = oldest == null ? 0
          : Math.max(0, Math.floorDiv(ChronoUnit.MICROS.between(oldest, at), 1_000_000L));
      out.add(new PartitionLag(r.group(), r.queue(), r.partition(), r.partitionId(), r.leaseId(),
          r.lag(), ageSeconds, oldest, r.lastConsumedAt(), r.totalConsumed(), r.leaseActive()));
    }
    oldestKnown = next;
    return out;
  }

  /** The cursors of {@code group} (null: every group) lagging at least {@code minLagSeconds} (null: all). */
  List<PartitionLag> cursors(Connection c, String group, Long minLagSeconds)
      throws SQLException {
    var now = context.now();
    return Jdbc.list(c, cursors, rs -> new PartitionLag(rs.getString(1), rs.getString(2),
        rs.getString(3), rs.getObject(4, UUID.class), rs.getString(5), rs.getLong(6),
        rs.getLong(7), instant(rs.getObject(8, OffsetDateTime.class)),
        instant(rs.getObject(9, OffsetDateTime.class)), rs.getLong(10), rs.getBoolean(11)),
        now, now, now, group, group, minLagSeconds, now, minLagSeconds);
  }

  /** Any thread: deleting what does not exist succeeds with nothing deleted. */
  public CompletableFuture<GroupDeletion> delete(String group, String queue,
      boolean deleteMetadata) {
    name("group", group);
    if (queue != null) {
      name("queue", queue);
    }
    return context.single(() -> {
      var result = context.db().inTransaction("delete consumer group", true, c -> {
        if (queue != null && !Jdbc.scalarBoolean(c, queueExists, queue)) {
          throw new NotFoundException("Queue '" + queue + "' not found");
        }
        return Jdbc.one(c, delete, rs -> new GroupDeletion(group, queue, rs.getInt(1),
            rs.getInt(2)), group, queue, deleteMetadata);
      });
      wake(queue);
      return result;
    });
  }

  /** Any thread: completes with the subscription records changed. */
  public CompletableFuture<Integer> updateSubscription(String group, Instant timestamp) {
    name("group", group);
    Checks.required("subscriptionTimestamp", timestamp);
    return context.single(() -> context.db().inTransaction("update subscription", true,
        c -> Jdbc.update(c, updateSubscription, timestamp(timestamp), group)));
  }

  /** Any thread: {@code timestamp} null seeks to the end. */
  public CompletableFuture<SeekResult> seek(String group, String queue, Instant timestamp) {
    name("group", group);
    name("queue", queue);
    return context.single(() -> {
      int moved = context.db().inTransaction("seek consumer group", true, c -> {
        if (!Jdbc.scalarBoolean(c, queueExists, queue)) {
          throw new NotFoundException("Queue '" + queue + "' not found");
        }
        var rows = Jdbc.list(c, seekQueue, rs -> rs.getString(1), group, queue, timestamp == null,
            timestamp(timestamp));
        if (rows.isEmpty() && !Jdbc.scalarBoolean(c, groupExists, group, group)) {
          throw new NotFoundException("Consumer group '" + group + "' not found");
        }
        return rows.size();
      });
      wake(queue);
      return new SeekResult(group, queue, null, timestamp == null, timestamp, moved, null);
    });
  }

  /** Any thread. */
  public CompletableFuture<SeekResult> seekPartitionToEnd(String group, String queue,
      String partition) {
    name("group", group);
    name("queue", queue);
    name("partition", partition);
    return context.single(() -> context.db().inTransaction("seek partition", true, c -> {
      if (!Jdbc.scalarBoolean(c, queueExists, queue)) {
        throw new NotFoundException("Queue '" + queue + "' not found");
      }
      if (!Jdbc.scalarBoolean(c, partitionExists, queue, partition)) {
        throw new NotFoundException("Partition '" + partition + "' not found in queue '"
            + queue + "'");
      }
      var movedTo = Jdbc.one(c, seekPartition, rs -> instant(rs.getObject(1, OffsetDateTime.class)),
          group, queue, partition, context.now());
      return new SeekResult(group, queue, partition, true, null, 1, movedTo);
    }));
  }

  private void wake(String queue) {
    if (queue != null) {
      longPolls.wake(queue);
    }
  }
}
