package io.queen.internal.wakeup;

import io.queen.internal.db.Jdbc;
import io.queen.internal.jobs.Job;
import io.queen.internal.runtime.EngineContext;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether pushes NOTIFY: every second it counts the sessions of other instances LISTENing
 * on this engine's channel (their last query, in {@code pg_stat_activity}, is the {@code LISTEN}).
 * A NOTIFY nobody else hears costs this instance's listener a wake-up per push batch and
 * serialises concurrent push commits on PostgreSQL's notification-queue lock (measured: push
 * batch 10 +5 % without it). When in doubt (a failed count, a session it may not see), it
 * notifies. A new instance is heard from within one interval; until then its waiters rely on
 * their recheck. Only built with {@code listenNotify}.
 */
public final class ListenerCensus implements Job<Boolean> {
  private static final Logger LOG = LoggerFactory.getLogger(ListenerCensus.class);
  private static final Duration INTERVAL = Duration.ofSeconds(1);

  private final String channel;
  private final String listenStatement;
  private final String countStatement;
  private final PushListener listener;
  /** Starts true: until the first count, assume someone listens. */
  private volatile boolean othersListening = true;

  public ListenerCensus(EngineContext context, String channel, PushListener listener) {
    this.channel = channel;
    this.listenStatement = context.sql("listen");
    this.countStatement = context.sql("other_listeners");
    this.listener = listener;
  }

  /** The channel pushes NOTIFY now, or null when no other instance would hear it. Any thread. */
  public String notifyChannel() {
    return othersListening ? channel : null;
  }

  @Override
  public String name() {
    return "listener-census";
  }

  @Override
  public Duration interval() {
    return INTERVAL;
  }

  /** A census lost in a crash is simply taken again. */
  @Override
  public boolean durable() {
    return false;
  }

  @Override
  public Boolean skipped() {
    return othersListening;
  }

  /** @return whether another instance may be listening */
  @Override
  public Boolean run(Connection c) throws SQLException {
    return Jdbc.scalarLong(c, countStatement, listenStatement, listener.backendPid()) > 0;
  }

  @Override
  public void succeeded(Boolean others) {
    if (others != othersListening) {
      othersListening = others;
      LOG.info("{} on {}: {}", others ? "pushes NOTIFY" : "pushes skip NOTIFY", channel,
          others ? "another instance is listening" : "no other instance is listening");
    }
  }

  @Override
  public void failed(Throwable error) {
    othersListening = true;
  }
}
