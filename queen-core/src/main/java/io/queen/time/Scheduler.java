package io.queen.time;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * When things run: the engine's monotonic time and its timers (long-poll rechecks and deadlines,
 * background jobs). By default the engine makes its own, on one thread named {@code queen-timer};
 * tests pass a scheduler whose time they move by hand
 * ({@link io.queen.QueenConfig.Builder#scheduler}), so long polls, lease reaping and jobs run
 * exactly when the test says, without waiting in real time.
 *
 * <p>Timestamps Queen writes to the database come from {@link io.queen.QueenConfig#clock()}, not
 * from here: this interface decides when, the clock decides what time it is.
 *
 * <p>Contract for implementations: every method may be called from any thread; tasks must not be
 * run on the calling thread of {@link #schedule} or {@link #scheduleEvery} (they may be called
 * with locks held), and a task that throws does not stop the scheduler.
 */
public interface Scheduler {

  /**
   * Monotonic time in nanoseconds, as {@link System#nanoTime()}: only differences mean anything.
   * Called from any thread: callers' threads (a long poll's deadline), {@code queen-db-N} threads
   * (long-poll rechecks, job durations), the scheduler's own thread and {@code queen-listen}.
   *
   * @return the current monotonic time, in nanoseconds
   */
  long nanoTime();

  /**
   * Runs {@code task} once, {@code delayNanos} from now. The task must not block: it runs on the
   * scheduler's thread, which serves every timer. The engine calls it for long-poll rechecks and
   * deadlines, from the thread that completed a long poll's empty pop (usually
   * {@code queen-db-N}).
   *
   * @param task what to run; must not block
   * @param delayNanos how long from now, in nanoseconds (0 or more)
   * @return a handle that calls the task off
   * @throws java.util.concurrent.RejectedExecutionException when the scheduler is shut down (the
   *     engine then answers that long poll as timed out)
   */
  Cancellable schedule(Runnable task, long delayNanos);

  /**
   * Runs {@code task} every {@code interval}, first one interval from now. The task starts work
   * elsewhere and returns a stage that completes when that work is done; a scheduler driven by
   * hand may wait for it, so a test knows the job's run is over.
   *
   * <p>The engine calls it for each background job while it starts, on the thread creating it;
   * the task runs on the scheduler's thread and hands the job to a {@code queen-db-N} thread.
   *
   * @param name the job's name, for logs and for tests that run one job by name
   * @param interval the time between runs, positive (the engine's own scheduler uses a fixed delay)
   * @param task starts one run and returns the stage of its completion
   * @return a handle that ends the schedule
   */
  Cancellable scheduleEvery(String name, Duration interval,
      Supplier<? extends CompletionStage<?>> task);

  /** A scheduled task that can be called off. */
  @FunctionalInterface
  interface Cancellable {
    /** Calls the task off; a run already started finishes. Idempotent. */
    void cancel();
  }
}
