package io.queen.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@link QueenMetrics} as plain counters in memory, per operation and per job. The engine keeps
 * one for {@link io.queen.QueueManager#stats()}; an embedder may keep another. Thread-safe;
 * recording is a map look-up and an add on a {@link LongAdder}.
 */
public final class CountingMetrics implements QueenMetrics {

  /**
   * The counters of one operation kind so far.
   *
   * @param requests requests submitted: those accepted and those refused (see {@code rejected})
   * @param items items in those requests
   * @param batches transactions that committed them
   * @param failures requests that failed
   * @param rejected requests refused before they were queued
   * @param totalLatencyMicros summed latency of completed requests, for averages
   * @param maxLatencyMicros the largest latency of a completed request
   */
  public record OperationCounts(long requests, long items, long batches, long failures,
      long rejected, long totalLatencyMicros, long maxLatencyMicros) {}

  /**
   * The counters of one background job so far.
   *
   * @param runs runs that finished
   * @param failures runs that failed
   * @param skipped runs skipped (the last one still going, or another instance holds its lock)
   * @param totalMicros summed duration of finished runs
   * @param lastMicros the duration of the last finished run
   */
  public record JobCounts(long runs, long failures, long skipped, long totalMicros,
      long lastMicros) {}

  private static final class Operation {
    final LongAdder requests = new LongAdder();
    final LongAdder items = new LongAdder();
    final LongAdder batches = new LongAdder();
    final LongAdder failures = new LongAdder();
    final LongAdder rejected = new LongAdder();
    final LongAdder totalMicros = new LongAdder();
    final AtomicLong maxMicros = new AtomicLong();

    OperationCounts snapshot() {
      return new OperationCounts(requests.sum(), items.sum(), batches.sum(), failures.sum(),
          rejected.sum(), totalMicros.sum(), maxMicros.get());
    }
  }

  private static final class Job {
    final LongAdder runs = new LongAdder();
    final LongAdder failures = new LongAdder();
    final LongAdder skipped = new LongAdder();
    final LongAdder totalMicros = new LongAdder();
    volatile long lastMicros;

    JobCounts snapshot() {
      return new JobCounts(runs.sum(), failures.sum(), skipped.sum(), totalMicros.sum(), lastMicros);
    }
  }

  private final ConcurrentHashMap<String, Operation> operations = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Job> jobs = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, LongAdder> removedByKind = new ConcurrentHashMap<>();

  private Operation op(String name) {
    var o = operations.get(name);
    return o != null ? o : operations.computeIfAbsent(name, k -> new Operation());
  }

  private Job job(String name) {
    var j = jobs.get(name);
    return j != null ? j : jobs.computeIfAbsent(name, k -> new Job());
  }

  @Override
  public void requestAccepted(String operation, int items) {
    var o = op(operation);
    o.requests.increment();
    o.items.add(items);
  }

  @Override
  public void requestRefused(String operation) {
    var o = op(operation);
    o.requests.increment();
    o.rejected.increment();
  }

  @Override
  public void batchCommitted(String operation, int requests, long nanos) {
    op(operation).batches.increment();
  }

  @Override
  public void requestCompleted(String operation, long nanos) {
    var o = op(operation);
    long micros = nanos / 1_000;
    o.totalMicros.add(micros);
    if (micros > o.maxMicros.get()) {
      o.maxMicros.accumulateAndGet(micros, Math::max);
    }
  }

  @Override
  public void requestFailed(String operation) {
    op(operation).failures.increment();
  }

  @Override
  public void jobRan(String name, long nanos) {
    var j = job(name);
    j.runs.increment();
    j.totalMicros.add(nanos / 1_000);
    j.lastMicros = nanos / 1_000;
  }

  @Override
  public void jobFailed(String name) {
    job(name).failures.increment();
  }

  @Override
  public void jobSkipped(String name) {
    job(name).skipped.increment();
  }

  @Override
  public void removed(String queue, String kind, int count) {
    removedByKind.computeIfAbsent(kind, k -> new LongAdder()).add(count);
  }

  /**
   * What the lifecycle removed so far, by kind ({@code retention}, ...). Any thread.
   *
   * @return a copy: the count of removed messages (or partitions) per kind, by kind name; empty
   *     when nothing was removed
   */
  public Map<String, Long> removed() {
    var out = new TreeMap<String, Long>();
    removedByKind.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  /**
   * The counters of one operation (all zero when it never ran). Any thread.
   *
   * @param name the operation kind: {@code push}, {@code pop}, {@code ack} or {@code other}
   * @return a snapshot of its counters
   */
  public OperationCounts operation(String name) {
    var o = operations.get(name);
    return o == null ? new OperationCounts(0, 0, 0, 0, 0, 0, 0) : o.snapshot();
  }

  /**
   * Every job's counters, by name. Any thread.
   *
   * @return a copy: a snapshot of each job's counters, by job name, for the jobs that have run,
   *     failed or been skipped
   */
  public Map<String, JobCounts> jobs() {
    var out = new TreeMap<String, JobCounts>();
    jobs.forEach((k, v) -> out.put(k, v.snapshot()));
    return out;
  }
}
