package io.queen.testing;

import io.queen.time.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A {@link Scheduler} whose time moves only when the test says: {@link #advance} runs every timer
 * and job that falls due, in order, on the test's thread, and waits for each job's run to finish,
 * so when it returns the effects are there (a run that failed reports its exception as its result).
 * {@link #runJob} runs one job now. Thread-safe: the
 * engine schedules from its own threads while a test advances.
 */
public final class ManualScheduler implements Scheduler {
  private static final Duration JOB_BOUND = Duration.ofSeconds(30);

  private final Object lock = new Object();
  private final List<Task> tasks = new ArrayList<>();
  private long now = 1_000_000_000L;
  private long sequence;

  private final class Task implements Cancellable {
    final String name; // null for a one-shot timer
    final Duration interval;
    final Runnable once;
    final Supplier<? extends CompletionStage<?>> job;
    final long order = sequence++;
    long due;
    boolean cancelled;

    Task(String name, Duration interval, Runnable once, Supplier<? extends CompletionStage<?>> job,
        long due) {
      this.name = name;
      this.interval = interval;
      this.once = once;
      this.job = job;
      this.due = due;
    }

    @Override
    public void cancel() {
      synchronized (lock) {
        cancelled = true;
        tasks.remove(this);
      }
    }

    Object run() {
      if (once != null) {
        once.run();
        return null;
      }
      try {
        // a run that failed reports its failure as its result: the schedule goes on
        return job.get().toCompletableFuture().handle((r, e) -> e == null ? r : (Object) e)
            .get(JOB_BOUND.toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        throw new AssertionError("job " + name + " did not finish within " + JOB_BOUND, e);
      }
    }
  }

  @Override
  public long nanoTime() {
    synchronized (lock) {
      return now;
    }
  }

  @Override
  public Cancellable schedule(Runnable task, long delayNanos) {
    synchronized (lock) {
      var t = new Task(null, null, task, null, now + Math.max(0, delayNanos));
      tasks.add(t);
      return t;
    }
  }

  @Override
  public Cancellable scheduleEvery(String name, Duration interval,
      Supplier<? extends CompletionStage<?>> task) {
    synchronized (lock) {
      var t = new Task(name, interval, null, task, now + interval.toNanos());
      tasks.add(t);
      return t;
    }
  }

  /** Moves time forward by {@code d}, running everything that falls due on the way, in order. */
  public void advance(Duration d) {
    long target;
    synchronized (lock) {
      target = now + d.toNanos();
    }
    while (true) {
      Task next;
      synchronized (lock) {
        next = tasks.stream().filter(t -> t.due <= target)
            .min(Comparator.comparingLong((Task t) -> t.due).thenComparingLong(t -> t.order))
            .orElse(null);
        if (next == null) {
          now = target;
          return;
        }
        now = Math.max(now, next.due);
        if (next.once != null) {
          tasks.remove(next);
        }
      }
      next.run();
      synchronized (lock) {
        if (next.once == null && !next.cancelled) {
          next.due = now + next.interval.toNanos();
        }
      }
    }
  }

  /**
   * Runs every scheduled job called {@code name} now (one per engine that shares this scheduler)
   * and returns their results once they finished; their schedules go on.
   */
  public List<Object> runJob(String name) {
    List<Task> jobs;
    synchronized (lock) {
      jobs = tasks.stream().filter(t -> name.equals(t.name)).toList();
    }
    if (jobs.isEmpty()) {
      throw new AssertionError("no job called " + name + " is scheduled");
    }
    var results = new ArrayList<Object>();
    for (var job : jobs) {
      results.add(job.run());
    }
    return results;
  }

  /** The result of the one job called {@code name} (exactly one engine must run it). */
  @SuppressWarnings("unchecked")
  public <T> T runOnlyJob(String name) {
    var results = runJob(name);
    if (results.size() != 1) {
      throw new AssertionError(results.size() + " jobs called " + name + ", expected one");
    }
    return (T) results.get(0);
  }
}
