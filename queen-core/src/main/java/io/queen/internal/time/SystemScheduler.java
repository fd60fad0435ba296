package io.queen.internal.time;

import io.queen.internal.concurrent.NamedThreadFactory;
import io.queen.time.Scheduler;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real {@link Scheduler}: {@link System#nanoTime()} and one timer thread ({@code queen-timer})
 * that only starts work elsewhere and never runs SQL itself. Any thread may schedule; {@link #close}
 * stops the thread and drops what was scheduled.
 */
public final class SystemScheduler implements Scheduler, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SystemScheduler.class);

  private final ScheduledThreadPoolExecutor timer;

  public SystemScheduler() {
    timer = new ScheduledThreadPoolExecutor(1, new NamedThreadFactory("queen-timer"));
    timer.setRemoveOnCancelPolicy(true);
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  /** @throws java.util.concurrent.RejectedExecutionException after {@link #close()} */
  @Override
  public Cancellable schedule(Runnable task, long delayNanos) {
    var f = timer.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
    return () -> f.cancel(false);
  }

  @Override
  public Cancellable scheduleEvery(String name, Duration interval,
      Supplier<? extends CompletionStage<?>> task) {
    long nanos = interval.toNanos();
    // fixed delay, and a task that throws must not end the schedule (a ScheduledExecutor would)
    var f = timer.scheduleWithFixedDelay(() -> {
      try {
        task.get();
      } catch (RuntimeException e) {
        LOG.warn("{}: scheduling a run failed", name, e);
      }
    }, nanos, nanos, TimeUnit.NANOSECONDS);
    return () -> f.cancel(false);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
