package io.queen.internal.jobs;

import io.queen.internal.db.Jdbc;
import io.queen.internal.runtime.EngineContext;
import io.queen.time.Scheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the engine's {@link Job}s on the {@link Scheduler}: every interval, one run at a time per
 * job (a run due while the last one still goes is skipped), the SQL on a database thread, cluster
 * singletons behind their advisory lock. A job that starts failing is logged once at WARN (then at
 * DEBUG while it keeps failing) and once at INFO when it works again, so a database outage does not
 * flood the log; runs, failures and skips go to the metrics. Thread-safe.
 */
public final class JobRunner {
  private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);

  private final EngineContext context;
  private final String lockStatement;
  private final List<Scheduler.Cancellable> schedules = new ArrayList<>();
  private volatile boolean closed;

  /** One job's run-state. */
  private static final class Slot {
    final AtomicBoolean running = new AtomicBoolean();
    final AtomicBoolean failing = new AtomicBoolean();
  }

  private final ConcurrentHashMap<Job<?>, Slot> slots = new ConcurrentHashMap<>();

  public JobRunner(EngineContext context) {
    this.context = context;
    this.lockStatement = context.sql("job_lock");
  }

  /** Puts {@code job} on the scheduler (not when its interval is zero). Any thread. */
  public synchronized void schedule(Job<?> job) {
    slots.putIfAbsent(job, new Slot());
    if (job.interval().isZero() || closed) {
      return;
    }
    schedules.add(context.scheduler().scheduleEvery(job.name(), job.interval(), 
        () -> job.due() ? run(job) : CompletableFuture.completedFuture(null)));
  }

  /**
   * One run of {@code job} now (its schedule goes on): completes with its result once committed,
   * or at once with {@link Job#skipped()} when a run is already going or the engine is closing.
   * A run whose result asks for {@link Job#again} goes on batch after batch, each its own
   * transaction, and completes with the last batch's result. Any thread.
   */
  public <R> CompletableFuture<R> run(Job<R> job) {
    var slot = slots.computeIfAbsent(job, j -> new Slot());
    if (closed || !slot.running.compareAndSet(false, true)) {
      context.metrics().jobSkipped(job.name());
      return CompletableFuture.completedFuture(job.skipped());
    }
    var done = new CompletableFuture<R>();
    batch(job, slot, done);
    return done;
  }

  /** One batch of a run; completes {@code done} with the last batch or its failure. */
  private <R> void batch(Job<R> job, Slot slot, CompletableFuture<R> done) {
    var metrics = context.metrics();
    long start = context.scheduler().nanoTime();
    var lockedOut = new AtomicBoolean();
    CompletableFuture<R> f;
    try {
      f = context.single(() -> context.db().inTransaction(job.name(), job.durable(), c -> {
        if (job.clusterLock() != null && !Jdbc.scalarBoolean(c, lockStatement,
            "queen." + job.clusterLock() + "." + context.statements().schema())) {
          lockedOut.set(true);
          return job.skipped();
        }
        return job.run(c);
      }));
    } catch (RuntimeException e) {
      slot.running.set(false);
      done.completeExceptionally(e);
      return;
    }
    f.whenComplete((result, error) -> {
      if (error != null) {
        metrics.jobFailed(job.name());
        if (slot.failing.compareAndSet(false, true)) {
          LOG.warn("{} failed: {} (further failures are logged at debug)", job.name(),
              error.getMessage());
        } else {
          LOG.debug("{} failed: {}", job.name(), error.getMessage());
        }
        job.failed(error);
        slot.running.set(false); // before the caller hears of it, so it may run the job again
        done.completeExceptionally(error);
        return;
      }
      if (lockedOut.get()) {
        metrics.jobSkipped(job.name()); // another instance runs it now
      } else {
        metrics.jobRan(job.name(), context.scheduler().nanoTime() - start);
      }
      if (slot.failing.compareAndSet(true, false)) {
        LOG.info("{} works again", job.name());
      }
      try {
        job.succeeded(result);
      } catch (RuntimeException e) {
        LOG.warn("{}: handling its result failed", job.name(), e);
      }
      if (!lockedOut.get() && !closed && job.again(result)) {
        batch(job, slot, done);
      } else {
        slot.running.set(false);
        done.complete(result);
      }
    });
  }

  /** Stops every schedule; runs already started finish. Idempotent. */
  public synchronized void close() {
    closed = true;
    schedules.forEach(Scheduler.Cancellable::cancel);
    schedules.clear();
  }
}
