package io.queen.internal.admin;

import io.queen.admin.ConsumerGroupSummary;
import io.queen.admin.MessageCounts;
import io.queen.admin.Overview;
import io.queen.admin.QueueSummary;
import io.queen.admin.Spread;
import io.queen.admin.TagSummary;
import io.queen.internal.db.Jdbc;
import io.queen.internal.jobs.Job;
import io.queen.internal.runtime.EngineContext;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The operations API's lists and totals — every queue's counts, every group's lag per queue, the
 * overview's lag spread and rates — as one snapshot of this instance, so that a dashboard polling
 * them costs one aggregation of every partition and cursor per {@code summaryInterval} instead of
 * one per request (measured in docs/benchmarks.md). Nobody reading them costs nothing: the job
 * runs only while they were read in the last {@link #IDLE_AFTER_INTERVALS} intervals, and a read
 * that finds the snapshot older than two intervals aggregates at once. A write of the operations
 * API on this instance (a seek, a deletion, a purge) makes the next read aggregate again, so an
 * operator sees what they just did. Thread-safe.
 */
final class Summaries implements Job<Summaries.Snapshot> {
  /** The job stops this many intervals (and at least a minute) after the last read. */
  static final int IDLE_AFTER_INTERVALS = 12;

  /** One aggregation, on a database thread inside a read-only repeatable-read transaction. */
  interface Aggregation {
    Snapshot aggregate(Connection c, Instant at) throws SQLException;
  }

  /**
   * What the lists are made from.
   *
   * @param queues every queue, newest first
   * @param groups every (group, queue), by group then queue
   * @param computedAt the clock's time when the aggregation started
   * @param generation the count of this instance's writes the aggregation has seen
   */
  record Snapshot(List<QueueSummary> queues, List<ConsumerGroupSummary> groups, Spread timeLag,
      Spread offsetLag, double ingestedPerSecond, double processedPerSecond, Instant computedAt,
      long generation) {

    Snapshot {
      queues = List.copyOf(queues);
      groups = List.copyOf(groups);
    }

    Snapshot withGeneration(long g) {
      return new Snapshot(queues, groups, timeLag, offsetLag, ingestedPerSecond,
          processedPerSecond, computedAt, g);
    }

    /** The queues of a namespace and task (null: any). */
    List<QueueSummary> queues(String namespace, String task) {
      var out = new ArrayList<QueueSummary>();
      for (var q : queues) {
        if ((namespace == null || namespace.equals(q.namespace()))
            && (task == null || task.equals(q.task()))) {
          out.add(q);
        }
      }
      return out;
    }

    /** Queues summed per namespace (task), by name; untagged queues belong to none. */
    List<TagSummary> tags(Function<QueueSummary, String> tag) {
      Map<String, TagSummary> byTag = new TreeMap<>();
      for (var q : queues) {
        var t = tag.apply(q);
        if (t.isEmpty()) {
          continue;
        }
        var add = new TagSummary(t, 1, q.partitions(), q.messages().total(),
            q.messages().pending());
        byTag.merge(t, add, (a, b) -> new TagSummary(t, a.queues() + b.queues(),
            a.partitions() + b.partitions(), a.total() + b.total(), a.pending() + b.pending()));
      }
      return new ArrayList<>(byTag.values());
    }

    Overview overview() {
      var counts = MessageCounts.ZERO;
      int partitions = 0;
      var namespaces = new HashSet<String>();
      var tasks = new HashSet<String>();
      for (var q : queues) {
        counts = counts.plus(q.messages());
        partitions += q.partitions();
        if (!q.namespace().isEmpty()) {
          namespaces.add(q.namespace());
        }
        if (!q.task().isEmpty()) {
          tasks.add(q.task());
        }
      }
      return new Overview(queues.size(), partitions, namespaces.size(), tasks.size(), counts,
          timeLag, offsetLag, ingestedPerSecond, processedPerSecond, computedAt);
    }
  }

  private final EngineContext context;
  private final Aggregation aggregation;
  private final String snapshotTransaction;
  private final String bound;
  private final Duration interval;
  private final Duration idleAfter;
  private final AtomicReference<Snapshot> current = new AtomicReference<>();
  private final AtomicLong writes = new AtomicLong();
  private volatile Instant lastRead;
  /** An aggregation {@link #known()} started is running. */
  private final AtomicBoolean refreshing = new AtomicBoolean();

  Summaries(EngineContext context, Aggregation aggregation) {
    this.context = context;
    this.aggregation = aggregation;
    this.snapshotTransaction = context.sql("snapshot_transaction");
    this.bound = context.sql("bounded_read");
    this.interval = context.config().summaryInterval();
    var idle = interval.multipliedBy(IDLE_AFTER_INTERVALS);
    this.idleAfter = idle.compareTo(Duration.ofMinutes(1)) < 0 ? Duration.ofMinutes(1) : idle;
  }

  /**
   * Any thread: the snapshot, aggregated first when there is none yet, it is older than two
   * intervals, this instance wrote since, or the interval is zero.
   */
  CompletableFuture<Snapshot> read() {
    var now = context.now().toInstant();
    lastRead = now;
    var s = current.get();
    if (s != null && !interval.isZero() && s.generation() == writes.get()
        && !now.isAfter(s.computedAt().plus(interval.multipliedBy(2)))) {
      return CompletableFuture.completedFuture(s);
    }
    return context.single(() -> context.db().inTransaction("summaries", false, this::run))
        .thenApply(this::keep);
  }

  /**
   * Any thread: the snapshot as it is while the job keeps it (a hint not worth waiting for an
   * aggregation); else {@link #read()}. Keeps the job running like a read.
   */
  CompletableFuture<Snapshot> latest() {
    var now = context.now().toInstant();
    var s = current.get();
    if (s == null || interval.isZero() || now.isAfter(s.computedAt().plus(idleAfter))) {
      return read();
    }
    lastRead = now;
    return CompletableFuture.completedFuture(s);
  }

  /**
   * Any thread, never waits: the snapshot as it is (null before the first). Keeps the job running
   * like a read; starts one aggregation, not awaited, when there is none or the job had stopped.
   */
  Snapshot known() {
    var now = context.now().toInstant();
    var s = current.get();
    lastRead = now;
    var keptFor = interval.isZero() ? Duration.ofSeconds(5) : idleAfter;
    if ((s == null || now.isAfter(s.computedAt().plus(keptFor)))
        && refreshing.compareAndSet(false, true)) {
      read().whenComplete((r, e) -> refreshing.set(false));
    }
    return s;
  }

  /** Any thread: a write of the operations API happened; the next read aggregates. */
  void changed() {
    writes.incrementAndGet();
  }

  private Snapshot keep(Snapshot fresh) {
    return current.accumulateAndGet(fresh, (old, neu) -> old == null
        || neu.computedAt().isAfter(old.computedAt())
        || (neu.computedAt().equals(old.computedAt()) && neu.generation() > old.generation())
        ? neu : old);
  }

  @Override
  public String name() {
    return "summaries";
  }

  @Override
  public Duration interval() {
    return interval;
  }

  /** Only while somebody reads the lists. */
  @Override
  public boolean due() {
    var read = lastRead;
    return read != null && !context.now().toInstant().isAfter(read.plus(idleAfter));
  }

  /** Nothing is written. */
  @Override
  public boolean durable() {
    return false;
  }

  @Override
  public Snapshot skipped() {
    return null;
  }

  @Override
  public Snapshot run(Connection c) throws SQLException {
    long generation = writes.get(); // before the snapshot: a write after it makes this one stale
    Jdbc.execute(c, snapshotTransaction);
    Jdbc.execute(c, bound);
    return aggregation.aggregate(c, context.now().toInstant()).withGeneration(generation);
  }

  @Override
  public void succeeded(Snapshot result) {
    if (result != null) {
      keep(result);
    }
  }
}
