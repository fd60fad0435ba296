package io.queen.internal.wakeup;

import io.queen.internal.db.Jdbc;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LISTENs for pushes committed by other instances on the same database and wakes local long polls.
 * Runs on its own thread ({@code queen-listen}) with its own connection, never a pooled one in use
 * by others: pgjdbc buffers notifications on the connection that listens. Reconnects with back-off
 * after failures and keeps running until {@link #stop()}.
 */
public final class PushListener implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(PushListener.class);
  private static final int POLL_MILLIS = 500;
  private static final long MAX_BACKOFF_MILLIS = 5_000;
  /**
   * How long a LISTEN must have lasted before every other instance's census (once a second) has
   * seen it and announces its pushes: five of their rounds, for a busy database.
   */
  static final long SETTLE_NANOS = 5_000_000_000L;

  private final Callable<Connection> connections;
  private final String channel;
  private final String listenStatement;
  private final String backendPidStatement;
  private final String instanceId;
  private final Consumer<String> onQueue;
  private final LongSupplier nanoTime;
  private final Object sleeper = new Object();
  private volatile boolean running = true;
  private volatile boolean listening;
  private volatile int backendPid = -1;
  private volatile long session;
  private volatile long listeningSince;
  private volatile Connection current;

  /**
   * @param connections opens the listening connection (its own, never a pooled one in use)
   * @param listenStatement {@code LISTEN <channel>}
   * @param onQueue wakes the local waiters of a queue another instance pushed to
   * @param nanoTime the scheduler's clock, for {@link #settledSession()}
   */
  public PushListener(Callable<Connection> connections, String channel, String listenStatement,
      String backendPidStatement, String instanceId, Consumer<String> onQueue,
      LongSupplier nanoTime) {
    this.connections = connections;
    this.channel = channel;
    this.listenStatement = listenStatement;
    this.backendPidStatement = backendPidStatement;
    this.instanceId = instanceId;
    this.onQueue = onQueue;
    this.nanoTime = nanoTime;
  }

  /** Whether the listener is connected and listening now. Any thread. */
  public boolean isListening() {
    return listening;
  }

  /**
   * A number of the current unbroken LISTEN session once it has lasted {@link #SETTLE_NANOS}, so
   * that every other instance announces its pushes here; 0 before that or while not listening.
   * Each new session gets a new number. Any thread.
   */
  public long settledSession() {
    long s = session;
    if (!listening || nanoTime.getAsLong() - listeningSince < SETTLE_NANOS) {
      return 0;
    }
    return s;
  }

  /** The PostgreSQL backend pid of the listening session, or -1 before the first connection. */
  public int backendPid() {
    return backendPid;
  }

  @Override
  public void run() {
    long backoff = 100;
    while (running) {
      try (var c = connections.call()) {
        current = c;
        c.setAutoCommit(true);
        backendPid = Jdbc.scalarInt(c, backendPidStatement);
        // LISTEN last: pg_stat_activity shows it as this session's query, which is how other
        // instances count listeners (ListenerCensus)
        Jdbc.execute(c, listenStatement);
        var pg = c.unwrap(PGConnection.class);
        listeningSince = nanoTime.getAsLong();
        session = session + 1;
        listening = true;
        backoff = 100;
        LOG.debug("listening on {}", channel);
        while (running) {
          var notifications = pg.getNotifications(POLL_MILLIS);
          if (notifications == null) {
            continue;
          }
          for (var n : notifications) {
            dispatch(n.getParameter());
          }
        }
      } catch (Exception e) {
        listening = false;
        if (!running) {
          break;
        }
        LOG.warn("LISTEN {} failed ({}); cross-instance wake-ups fall back to polling; retrying in {} ms",
            channel, e.getMessage(), backoff);
        pause(backoff);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
      }
    }
    listening = false;
  }

  private void dispatch(String payload) {
    int colon = payload.indexOf(':');
    if (colon < 0) {
      return;
    }
    if (payload.regionMatches(0, instanceId, 0, colon) && colon == instanceId.length()) {
      return; // our own push: already woken in-process
    }
    try {
      onQueue.accept(payload.substring(colon + 1));
    } catch (RuntimeException e) {
      LOG.warn("wake-up for {} failed", payload, e);
    }
  }

  private void pause(long millis) {
    synchronized (sleeper) {
      try {
        sleeper.wait(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        running = false;
      }
    }
  }

  /** Stops the loop; aborting the connection ends a wait in getNotifications at once. */
  public void stop() {
    running = false;
    synchronized (sleeper) {
      sleeper.notifyAll();
    }
    var c = current;
    if (c != null) {
      try {
        c.abort(Runnable::run);
      } catch (SQLException | RuntimeException e) {
        LOG.debug("aborting the LISTEN connection failed", e);
      }
    }
  }

}
