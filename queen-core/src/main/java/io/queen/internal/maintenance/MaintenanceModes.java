package io.queen.internal.maintenance;

import io.queen.internal.db.Jdbc;
import io.queen.internal.jobs.Job;
import io.queen.internal.runtime.EngineContext;
import io.queen.model.MaintenanceStatus;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The maintenance switches. They live in the database ({@code system_state}, the original's keys),
 * so they hold for every instance and survive restarts; each instance reads them every second (this
 * job) and at once when another instance NOTIFYs a change. While the database is unreachable the
 * last flags read stay in force. Thread-safe.
 */
public final class MaintenanceModes implements Job<MaintenanceStatus> {
  private static final Logger LOG = LoggerFactory.getLogger(MaintenanceModes.class);
  /** The NOTIFY payload's queue part for "system state changed" (no queue name is empty). */
  public static final String SYSTEM_CHANGE = "";
  static final String PUSH_KEY = "maintenance_mode";
  static final String POP_KEY = "pop_maintenance_mode";

  private final EngineContext context;
  private final Supplier<String> notifyChannel;
  private final Consumer<MaintenanceStatus> changed;
  private final String read;
  private final String write;
  private final String notify;
  private volatile MaintenanceStatus status = new MaintenanceStatus(false, false);

  /**
   * @param notifyChannel the channel other instances LISTEN on, or null when there are none
   * @param changed called (on the thread that learnt it) when the flags change
   */
  public MaintenanceModes(EngineContext context, Supplier<String> notifyChannel,
      Consumer<MaintenanceStatus> changed) {
    this.context = context;
    this.notifyChannel = notifyChannel;
    this.changed = changed;
    this.read = context.sql("maintenance_flags");
    this.write = context.sql("set_maintenance_flag");
    this.notify = context.sql("notify_system_change");
  }

  /** The calling thread, at start: the flags as stored. */
  public void load() {
    context.db().withConnection("read maintenance flags", c -> {
      learn(readFlags(c));
      return null;
    });
  }

  /** Any thread: the flags as this instance knows them. */
  public MaintenanceStatus status() {
    return status;
  }

  public boolean pushPaused() {
    return status.pushMaintenance();
  }

  public boolean popPaused() {
    return status.popMaintenance();
  }

  /** Any thread: stores a switch for every instance; completes with the flags after it. */
  public CompletableFuture<MaintenanceStatus> set(boolean push, boolean enabled) {
    return context.single(() -> context.db().inTransaction("set maintenance mode", true, c -> {
      Jdbc.update(c, write, push ? PUSH_KEY : POP_KEY, enabled, context.now());
      var channel = notifyChannel.get();
      if (channel != null) {
        Jdbc.query(c, notify, rs -> { }, channel, context.instanceId() + ":" + SYSTEM_CHANGE);
      }
      return readFlags(c);
    })).thenApply(s -> {
      LOG.info("{} maintenance mode {} (for every instance on this database)",
          push ? "push" : "pop", enabled ? "ON" : "OFF");
      learn(s);
      return s;
    });
  }

  private MaintenanceStatus readFlags(Connection c) throws SQLException {
    return Jdbc.one(c, read, rs -> new MaintenanceStatus(rs.getBoolean(1), rs.getBoolean(2)));
  }

  private void learn(MaintenanceStatus now) {
    MaintenanceStatus before;
    synchronized (this) {
      before = status;
      status = now;
    }
    if (!before.equals(now)) {
      changed.accept(now);
    }
  }

  @Override
  public String name() {
    return "maintenance-flags";
  }

  @Override
  public Duration interval() {
    return Duration.ofSeconds(1);
  }

  @Override
  public boolean durable() {
    return false;
  }

  @Override
  public MaintenanceStatus skipped() {
    return status;
  }

  @Override
  public MaintenanceStatus run(Connection c) throws SQLException {
    return readFlags(c);
  }

  @Override
  public void succeeded(MaintenanceStatus result) {
    learn(result);
  }
}
