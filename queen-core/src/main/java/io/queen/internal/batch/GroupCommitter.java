package io.queen.internal.batch;

import io.queen.error.DatabaseUnavailableException;
import io.queen.error.OverloadedException;
import io.queen.error.QueenException;
import io.queen.error.ShutdownException;
import io.queen.metrics.QueenMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gathers concurrent requests of one kind into batches, each run as one database transaction, and
 * splits the results back to each caller ("group commit").
 *
 * <p>Concurrency: {@link #submit} may be called from any thread. At most {@code maxConcurrent}
 * batches run at once on the database executor; while they run, new requests queue up and form
 * the next batch. There is no hold timer: a request that arrives when a slot is free runs at once
 * (lowest latency when idle), and batches grow by themselves exactly when the database is the
 * bottleneck (highest throughput under load). The queue is bounded; a full queue refuses at once.
 *
 * <p>Failure: when a batch of several requests fails for a non-transient reason, each request is
 * retried alone, so one bad request cannot fail the others. A transient failure (database
 * unreachable) fails the whole batch: nothing of it committed.
 */
public final class GroupCommitter<R, T> {
  private static final Logger LOG = LoggerFactory.getLogger(GroupCommitter.class);

  /** Runs one batch in one transaction; returns one result per request, in order. */
  @FunctionalInterface
  public interface BatchRunner<R, T> {
    List<T> run(List<R> requests);
  }

  private static final class Pending<R, T> {
    final R request;
    final int items;
    final long startNanos = System.nanoTime();
    final CompletableFuture<T> future = new CompletableFuture<>();

    Pending(R request, int items) {
      this.request = request;
      this.items = items;
    }
  }

  private final String name;
  private final Executor executor;
  private final BatchRunner<R, T> runner;
  private final ToIntFunction<R> itemCount;
  private final int maxBatchItems;
  private final int maxConcurrent;
  private final int maxQueued;
  private final Duration retryAfter;
  /** Whether other tasks wait for a thread of the executor (then a runner hands its thread back). */
  private final BooleanSupplier othersWaiting;
  private final ConcurrentLinkedQueue<Pending<R, T>> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Object collectLock = new Object();
  private final QueenMetrics metrics;
  private volatile boolean closed;

  /**
   * @param name the operation kind, in messages and metrics
   * @param executor runs batches (Queen's database threads)
   * @param itemCount how many items a request carries, for the batch size bound
   * @param maxBatchItems most items one batch carries (a single larger request runs alone)
   * @param maxConcurrent most batches running at once
   * @param maxQueued most requests waiting; beyond it requests are refused
   * @param retryAfter the back-off suggested to refused callers
   */
  public GroupCommitter(String name, Executor executor, BatchRunner<R, T> runner,
      ToIntFunction<R> itemCount, int maxBatchItems, int maxConcurrent, int maxQueued,
      Duration retryAfter, QueenMetrics metrics) {
    this.name = name;
    this.metrics = metrics;
    this.executor = executor;
    this.runner = runner;
    this.itemCount = itemCount;
    this.maxBatchItems = maxBatchItems;
    this.maxConcurrent = maxConcurrent;
    this.maxQueued = maxQueued;
    this.retryAfter = retryAfter;
    this.othersWaiting = executor instanceof ThreadPoolExecutor pool
        ? () -> !pool.getQueue().isEmpty()
        : () -> true;
  }

  /** Any thread: queues the request for the next batch; the future completes on a database thread. */
  public CompletableFuture<T> submit(R request) {
    if (closed) {
      metrics.requestRefused(name);
      return CompletableFuture.failedFuture(new ShutdownException("Queen is shutting down; " + name + " refused"));
    }
    if (queued.incrementAndGet() > maxQueued) {
      queued.decrementAndGet();
      metrics.requestRefused(name);
      return CompletableFuture.failedFuture(new OverloadedException(
          name + " queue is full (" + maxQueued + " requests waiting); retry after "
              + retryAfter.toMillis() + " ms", retryAfter));
    }
    var pending = new Pending<R, T>(request, Math.max(1, itemCount.applyAsInt(request)));
    metrics.requestAccepted(name, pending.items);
    queue.add(pending);
    trySchedule();
    return pending.future;
  }

  private void trySchedule() {
    while (!queue.isEmpty()) {
      int running = inFlight.get();
      if (running >= maxConcurrent) {
        return; // a running batch re-checks the queue when it finishes
      }
      if (inFlight.compareAndSet(running, running + 1)) {
        try {
          executor.execute(this::runBatches);
        } catch (RejectedExecutionException e) {
          inFlight.decrementAndGet();
          failAll(new ShutdownException("Queen is shutting down; " + name + " refused"));
        }
        return;
      }
    }
  }

  /**
   * Runs batches while requests keep coming, keeping the thread and the slot, as long as no other
   * task waits for a thread of a {@link ThreadPoolExecutor} (other executors: one batch per task).
   * Handing each next batch to another pool thread cost a wake-up and a context switch per batch,
   * which on two busy cores is a scheduling delay in every request's latency.
   */
  private void runBatches() {
    try {
      while (true) {
        var batch = collectBatch();
        if (batch.isEmpty()) {
          break;
        }
        execute(batch);
        if (othersWaiting.getAsBoolean()) {
          break;
        }
      }
    } finally {
      inFlight.decrementAndGet();
      trySchedule();
    }
  }

  /**
   * Takes the next batch off the queue. Runners collect one at a time: with two collecting at
   * once, one could peek a request, lose it to the other, and then poll (and drop) the next one.
   */
  private List<Pending<R, T>> collectBatch() {
    var batch = new ArrayList<Pending<R, T>>();
    synchronized (collectLock) {
      int items = 0;
      Pending<R, T> p;
      while ((p = queue.peek()) != null) {
        if (!batch.isEmpty() && items + p.items > maxBatchItems) {
          break;
        }
        queue.poll(); // the head is still p: only a collector holding the lock removes items
        queued.decrementAndGet();
        batch.add(p);
        items += p.items;
      }
    }
    return batch;
  }

  private void execute(List<Pending<R, T>> batch) {
    long start = System.nanoTime();
    metrics.batchStarted(name, batch.size(), start - batch.get(0).startNanos);
    List<T> results;
    try {
      results = runner.run(requestsOf(batch));
    } catch (RuntimeException e) {
      if (batch.size() > 1 && !(e instanceof DatabaseUnavailableException)) {
        LOG.warn("{} batch of {} requests failed ({}); retrying each alone", name, batch.size(),
            e.getMessage());
        for (var one : batch) {
          execute(List.of(one));
        }
        return;
      }
      if (!(e instanceof QueenException)) {
        LOG.error("{} failed", name, e);
      }
      for (var one : batch) {
        fail(one, e);
      }
      return;
    }
    if (results.size() != batch.size()) {
      var e = new IllegalStateException(name + " returned " + results.size() + " results for "
          + batch.size() + " requests");
      LOG.error("bug", e);
      batch.forEach(one -> fail(one, e));
      return;
    }
    long end = System.nanoTime();
    metrics.batchCommitted(name, batch.size(), end - start);
    for (int i = 0; i < batch.size(); i++) {
      var one = batch.get(i);
      metrics.requestCompleted(name, end - one.startNanos);
      one.future.complete(results.get(i));
    }
  }

  private void fail(Pending<R, T> one, Throwable e) {
    metrics.requestFailed(name);
    one.future.completeExceptionally(e);
  }

  private static <R, T> List<R> requestsOf(List<Pending<R, T>> batch) {
    var requests = new ArrayList<R>(batch.size());
    for (var p : batch) {
      requests.add(p.request);
    }
    return requests;
  }

  private void failAll(Throwable e) {
    List<Pending<R, T>> all = new ArrayList<>();
    synchronized (collectLock) {
      Pending<R, T> p;
      while ((p = queue.poll()) != null) {
        queued.decrementAndGet();
        all.add(p);
      }
    }
    all.forEach(p -> fail(p, e));
  }

  /** Refuses new requests; requests already queued still run. Any thread. */
  public void close() {
    closed = true;
  }

  /** Fails whatever is still queued (after the executor stopped). Any thread. */
  public void abandonQueued() {
    failAll(new ShutdownException("Queen shut down before " + name + " ran"));
  }

  /** Requests waiting for a batch now. Any thread. */
  public int queued() {
    return queued.get();
  }

  /** Batches running now. Any thread. */
  public int inFlight() {
    return inFlight.get();
  }
}
