package io.queen.spring;

import io.queen.QueueManager;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * The {@code queen} health component (actuator's {@code /actuator/health/queen}): {@code UP} when
 * the manager is ready (schema migrated, not closing) and its database answers a trivial query
 * within the timeout; {@code DOWN} otherwise, with the reason. Details: {@code ready},
 * {@code database}, and the file buffer's pending count when there is a buffer.
 *
 * <p>Threads: called by the actuator on whichever thread asks for health (a web request's, a
 * JMX one's); it blocks that thread for at most the timeout.
 */
public class QueenHealthIndicator extends AbstractHealthIndicator {
  private final QueueManager queen;
  private final Duration timeout;

  /**
   * A health indicator for {@code queen}; when a check fails with an exception, the actuator
   * reports DOWN with the message {@code Queen health check failed}.
   *
   * @param queen the manager to check
   * @param timeout the longest a check waits for the database ({@code queen.health.timeout},
   *     default 5 seconds)
   */
  public QueenHealthIndicator(QueueManager queen, Duration timeout) {
    super("Queen health check failed");
    this.queen = queen;
    this.timeout = timeout;
  }

  /**
   * Checks the manager on the calling thread: whether it is ready (no database call), then
   * whether the database answers within the timeout, then the file buffer's pending count.
   *
   * @param builder receives the status and the details {@code ready}, {@code database}
   *     ({@code reachable}, {@code unreachable}, or {@code no answer within N ms}) and, with a
   *     file buffer, {@code bufferedMessages}
   * @throws Exception when the wait is interrupted (the actuator then reports DOWN with it)
   */
  @Override
  protected void doHealthCheck(Health.Builder builder) throws Exception {
    boolean ready = queen.isReady();
    builder.withDetail("ready", ready);
    boolean database;
    try {
      database = queen.checkDatabase().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      builder.down().withDetail("ready", ready).withDetail("database",
          "no answer within " + timeout.toMillis() + " ms");
      return;
    }
    builder.withDetail("database", database ? "reachable" : "unreachable");
    var buffer = queen.bufferStatus();
    if (buffer != null && buffer.enabled()) {
      builder.withDetail("bufferedMessages", buffer.pendingMessages());
    }
    if (ready && database) {
      builder.up();
    } else {
      builder.down();
    }
  }
}
