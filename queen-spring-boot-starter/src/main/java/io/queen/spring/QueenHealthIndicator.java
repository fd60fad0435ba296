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
   * @param queen the manager to check
   * @param timeout the longest a check waits for the database
   */
  public QueenHealthIndicator(QueueManager queen, Duration timeout) {
    super("Queen health check failed");
    this.queen = queen;
    this.timeout = timeout;
  }

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
