package io.queen.internal.admin;

import static io.queen.internal.admin.Checks.instant;
import static io.queen.internal.admin.Checks.name;
import static io.queen.internal.admin.Checks.optionalName;

import io.queen.admin.MessageCounts;
import io.queen.admin.PartitionSummary;
import io.queen.admin.QueueDetail;
import io.queen.admin.QueueSummary;
import io.queen.admin.Spread;
import io.queen.admin.StatusSnapshot;
import io.queen.internal.db.Jdbc;
import io.queen.internal.runtime.EngineContext;
import io.queen.model.QueueOptions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * What queues hold: counts per partition from counters (one statement, no scan of messages),
 * summed per queue for the {@link Summaries}; one queue's detail, live; leases and dead letters
 * now; the counters' repair. Thread-safe.
 */
public final class Resources {
  private final EngineContext context;
  private final BoundedReads reads;
  private final String snapshotTransaction;
  private final String partitionCounts;
  private final String emptyQueues;
  private final String oldest;
  private final String options;
  private final String jobLock;
  private final String recount;
  private final String leaseSummary;
  private final String deadLetterSummary;
  private final String topErrors;
  private final String postgresStats;

  public Resources(EngineContext context) {
    this.context = context;
    this.reads = new BoundedReads(context);
    this.partitionCounts = context.sql("partition_counts");
    this.emptyQueues = context.sql("empty_queues");
    this.oldest = context.sql("oldest_messages");
    this.options = context.sql("queue_options");
    this.jobLock = context.sql("job_lock");
    this.recount = context.sql("recount_messages");
    this.snapshotTransaction = context.sql("snapshot_transaction");
    this.leaseSummary = context.sql("lease_summary");
    this.deadLetterSummary = context.sql("dead_letter_summary");
    this.topErrors = context.sql("dead_letter_top_errors");
    this.postgresStats = context.sql("postgres_stats");
  }

  /** A partition's row of {@code partition_counts}, with the queue it belongs to. */
  private record Row(QueueSummary queue, PartitionSummary partition) {}

  private List<Row> rows(Connection c, String queue, String namespace, String task)
      throws SQLException {
    var now = context.now();
    var out = new ArrayList<Row>();
    Jdbc.query(c, partitionCounts, rs -> out.add(row(rs)), now, now, queue, queue, namespace,
        namespace, task, task);
    Jdbc.query(c, emptyQueues, rs -> out.add(new Row(queue(rs, 0, MessageCounts.ZERO, null), null)),
        queue, queue, namespace, namespace, task, task);
    return out;
  }

  private static QueueSummary queue(ResultSet rs, int partitions, MessageCounts counts,
      Instant lastActivity) throws SQLException {
    return new QueueSummary(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
        rs.getString(4), rs.getInt(5), instant(rs.getObject(6, OffsetDateTime.class)), partitions,
        counts, lastActivity);
  }

  private static Row row(ResultSet rs) throws SQLException {
    long total = rs.getLong(12);
    long unconsumed = rs.getLong(13);
    long processing = Math.min(unconsumed, rs.getLong(14));
    long failed = rs.getLong(15);
    long dead = rs.getLong(16);
    var counts = new MessageCounts(total, unconsumed - processing, processing,
        Math.max(0, total - unconsumed - dead), failed, dead);
    var partition = new PartitionSummary(rs.getObject(7, UUID.class), rs.getString(8),
        instant(rs.getObject(9, OffsetDateTime.class)),
        instant(rs.getObject(10, OffsetDateTime.class)), counts, null,
        instant(rs.getObject(11, OffsetDateTime.class)), rs.getLong(17), rs.getLong(18));
    return new Row(queue(rs, 1, counts, partition.lastActivity()), partition);
  }

  /** The rows summed per queue, in the statement's order (newest queue first). */
  private static List<QueueSummary> perQueue(List<Row> rows) {
    Map<UUID, QueueSummary> byId = new LinkedHashMap<>();
    for (var r : rows) {
      byId.merge(r.queue().id(), r.queue(), (a, b) -> new QueueSummary(a.id(), a.name(),
          a.namespace(), a.task(), a.priority(), a.createdAt(), a.partitions() + b.partitions(),
          a.messages().plus(b.messages()), later(a.lastActivity(), b.lastActivity())));
    }
    return new ArrayList<>(byId.values());
  }

  private static Instant later(Instant a, Instant b) {
    return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
  }

  /** Every queue's counts, newest first: one aggregation over every partition and cursor. */
  List<QueueSummary> queueSummaries(Connection c) throws SQLException {
    return perQueue(rows(c, null, null, null));
  }

  /** Any thread: empty when the queue does not exist. */
  public CompletableFuture<Optional<QueueDetail>> queue(String queue) {
    name("queue", queue);
    return reads.read("queue detail", c -> {
      // one snapshot for the counts, the oldest messages and the options
      Jdbc.execute(c, snapshotTransaction);
      var rows = rows(c, queue, null, null);
      if (rows.isEmpty()) {
        return Optional.<QueueDetail>empty();
      }
      Map<UUID, Instant> oldestAt = new HashMap<>();
      Jdbc.query(c, oldest, rs -> oldestAt.put(rs.getObject(1, UUID.class),
          instant(rs.getObject(2, OffsetDateTime.class))), queue);
      var partitions = new ArrayList<PartitionSummary>();
      for (var r : rows) {
        var p = r.partition();
        if (p != null) {
          partitions.add(new PartitionSummary(p.id(), p.name(), p.createdAt(), p.lastActivity(),
              p.messages(), oldestAt.get(p.id()), p.newestMessage(), p.totalConsumed(),
              p.batchesConsumed()));
        }
      }
      var opts = Jdbc.one(c, options, Resources::options, queue);
      return Optional.of(new QueueDetail(perQueue(rows).get(0), opts, partitions));
    });
  }

  /** Maps a row of {@code queue_options}. */
  static QueueOptions options(ResultSet rs) throws SQLException {
    return new QueueOptions(rs.getInt(1), rs.getInt(2), rs.getInt(3), rs.getDouble(4),
        rs.getInt(5), rs.getInt(6), rs.getInt(7), rs.getInt(8), rs.getInt(9), rs.getInt(10),
        rs.getBoolean(11), rs.getBoolean(12), rs.getInt(13), rs.getInt(14), rs.getBoolean(15),
        rs.getBoolean(16), rs.getInt(17));
  }

  static Spread spread(List<Double> values) {
    if (values.isEmpty()) {
      return Spread.NONE;
    }
    double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    double sum = Arrays.stream(v).sum();
    int n = v.length;
    double median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    return new Spread(sum / n, median, v[0], v[n - 1]);
  }

  /** Any thread. */
  public CompletableFuture<StatusSnapshot> snapshot(String queue, String namespace, String task) {
    optionalName("queue", queue);
    optionalName("namespace", namespace);
    optionalName("task", task);
    return reads.read("status snapshot", c -> {
      long[] leases = Jdbc.one(c, leaseSummary, rs -> new long[] {rs.getInt(1), rs.getInt(2),
          rs.getLong(3), rs.getLong(4)}, context.now(), queue, queue, namespace, namespace, task,
          task);
      var errors = Jdbc.list(c, topErrors, rs -> new StatusSnapshot.ErrorCount(rs.getString(1),
          rs.getLong(2)), queue, queue, namespace, namespace, task, task);
      return Jdbc.one(c, deadLetterSummary, rs -> new StatusSnapshot((int) leases[0],
          (int) leases[1], leases[2], leases[3], rs.getLong(1), rs.getInt(2), errors),
          queue, queue, namespace, namespace, task, task);
    });
  }

  /** Any thread. */
  public CompletableFuture<String> postgresStats() {
    var schema = context.statements().schema();
    return context.single(() -> context.db().withConnection("postgres stats",
        c -> Jdbc.one(c, postgresStats, rs -> rs.getString(1), schema, schema, schema, schema,
            schema, schema)));
  }

  /** Any thread: -1 when another instance is recounting. */
  public CompletableFuture<Integer> recount() {
    return context.single(() -> context.db().inTransaction("recount messages", true, c -> {
      if (!Jdbc.scalarBoolean(c, jobLock, "queen.recount." + context.statements().schema())) {
        return -1;
      }
      return Jdbc.scalarInt(c, recount);
    }));
  }
}
