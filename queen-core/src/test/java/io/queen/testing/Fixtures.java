package io.queen.testing;

import com.google.gson.JsonParser;
import io.queen.QueueManager;
import io.queen.model.AckItem;
import io.queen.model.AckStatus;
import io.queen.model.Message;
import io.queen.model.PopRequest;
import io.queen.model.PopResult;
import io.queen.model.PushItem;
import io.queen.model.PushResult;
import io.queen.model.PushStatus;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Small helpers shared by the semantics tests. Payloads are {@code {"n": <int>}}. */
public final class Fixtures {
  private Fixtures() {}

  /** A message {@code {"n": n}} for a partition (null = Default) with transaction id {@code tx-n}. */
  public static PushItem item(String queue, String partition, int n) {
    return new PushItem(queue, partition, "{\"n\":" + n + "}", "tx-" + n, null);
  }

  /** Pushes {@code {"n": from}} .. {@code {"n": to}} (inclusive) in one request; asserts all queued. */
  public static List<PushResult> pushRange(QueueManager queen, String queue, String partition,
      int from, int to) {
    var items = new ArrayList<PushItem>();
    for (int n = from; n <= to; n++) {
      items.add(item(queue, partition, n));
    }
    var results = queen.pushSync(items);
    for (var r : results) {
      if (r.status() != PushStatus.QUEUED) {
        throw new AssertionError("push not queued: " + r);
      }
    }
    return results;
  }

  public static PopResult pop(QueueManager queen, String queue, int batch) {
    return queen.popSync(PopRequest.fromQueue(queue).batch(batch).build());
  }

  public static PopResult pop(QueueManager queen, String queue, String group, int batch) {
    return queen.popSync(PopRequest.fromQueue(queue).consumerGroup(group).batch(batch).build());
  }

  public static PopResult popPartition(QueueManager queen, String queue, String partition,
      String group, int batch) {
    return queen.popSync(PopRequest.fromQueue(queue).partition(partition).consumerGroup(group)
        .batch(batch).build());
  }

  /** The {@code n} of a {@code {"n": ...}} payload. */
  public static int n(Message m) {
    return JsonParser.parseString(m.payloadJson()).getAsJsonObject().get("n").getAsInt();
  }

  public static int n(String payloadJson) {
    return JsonParser.parseString(payloadJson).getAsJsonObject().get("n").getAsInt();
  }

  /** The {@code n} of every message, in delivery order. */
  public static List<Integer> ns(PopResult r) {
    var out = new ArrayList<Integer>();
    r.messages().forEach(m -> out.add(n(m)));
    return out;
  }

  public static AckItem ack(Message m, AckStatus status) {
    return AckItem.completed(m).withStatus(status);
  }

  public static AckItem ack(Message m, AckStatus status, String error) {
    return new AckItem(m.transactionId(), m.partitionId().toString(), status, m.consumerGroup(),
        m.leaseId() == null || m.leaseId().isEmpty() ? null : m.leaseId(), error);
  }

  /** The ack without its lease id (accepted without a lease check). */
  public static AckItem ackNoLease(Message m, AckStatus status) {
    return ack(m, status).withLeaseId(null);
  }

  /**
   * Runs the lease reaper of the engines on {@code scheduler} until no lease expired by the
   * clock's now is left (a run settles at most a batch of them).
   */
  public static void reapAll(ManualScheduler scheduler, TestDatabase db, Clock clock) {
    for (int run = 0; run < 100; run++) {
      scheduler.runJob("lease-reaper");
      if (scalarLong(db, "SELECT count(*) FROM queen.partition_consumers"
          + " WHERE worker_id IS NOT NULL AND lease_expires_at <= ?", at(clock.instant())) == 0) {
        return;
      }
    }
    throw new AssertionError("expired leases left after 100 reaper runs");
  }

  /** Spins (no sleeping) until the condition holds; fails after the timeout. */
  public static void awaitCondition(Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + timeout);
      }
      Thread.onSpinWait();
      Thread.yield();
    }
  }

  public static OffsetDateTime at(Instant i) {
    return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
  }

  // ---- direct reads of the database, to check what the engine stored --------------------------

  public static List<Map<String, Object>> rows(TestDatabase db, String sql, Object... args) {
    try (var c = db.connect(); var ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      var out = new ArrayList<Map<String, Object>>();
      try (var rs = ps.executeQuery()) {
        var md = rs.getMetaData();
        while (rs.next()) {
          var row = new LinkedHashMap<String, Object>();
          for (int col = 1; col <= md.getColumnCount(); col++) {
            var v = rs.getObject(col);
            if (v instanceof Timestamp) {
              v = ((Timestamp) v).toInstant();
            }
            row.put(md.getColumnLabel(col), v);
          }
          out.add(row);
        }
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  public static Object scalar(TestDatabase db, String sql, Object... args) {
    var r = rows(db, sql, args);
    if (r.isEmpty()) {
      return null;
    }
    return r.get(0).values().iterator().next();
  }

  public static long scalarLong(TestDatabase db, String sql, Object... args) {
    var v = scalar(db, sql, args);
    return v == null ? 0 : ((Number) v).longValue();
  }

  /** Messages stored in a queue. */
  public static long storedMessages(TestDatabase db, String queue) {
    return scalarLong(db, "SELECT count(*) FROM queen.messages m"
        + " JOIN queen.partitions pa ON pa.id = m.partition_id"
        + " JOIN queen.queues qu ON qu.id = pa.queue_id WHERE qu.name = ?", queue);
  }
}
