package io.queen.internal.concurrent;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Bounded two-phase shutdown. */
public final class Executors2 {
  private static final Logger LOG = LoggerFactory.getLogger(Executors2.class);

  private Executors2() {}

  /**
   * Stops accepting tasks, waits up to {@code timeout} for running ones, then interrupts what is
   * left and waits a little more. Returns whether the executor terminated.
   */
  public static boolean shutdownAndAwait(ExecutorService executor, String name, Duration timeout) {
    executor.shutdown();
    try {
      if (executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        return true;
      }
      LOG.warn("{} did not finish within {} ms; interrupting {} task(s)", name, timeout.toMillis(),
          executor.shutdownNow().size());
      if (executor.awaitTermination(1, TimeUnit.SECONDS)) {
        return true;
      }
      LOG.warn("{} still has running tasks after interrupt", name);
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      executor.shutdownNow();
      return false;
    }
  }
}
