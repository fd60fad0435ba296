package io.queen.internal.engine;

import com.zaxxer.hikari.HikariDataSource;
import io.queen.QueenConfig;
import io.queen.QueueManager;
import io.queen.admin.QueenAdmin;
import io.queen.internal.admin.AdminRooms;
import io.queen.internal.admin.MinuteRecorder;
import io.queen.internal.admin.OperationCounting;
import io.queen.internal.batch.GroupCommitter;
import io.queen.internal.concurrent.NamedThreadFactory;
import io.queen.internal.db.Database;
import io.queen.internal.db.SchemaMigrator;
import io.queen.internal.db.SqlStatements;
import io.queen.internal.jobs.JobRunner;
import io.queen.internal.jobs.LeaseReaper;
import io.queen.internal.jobs.LifecycleJob;
import io.queen.internal.jobs.MetricsHistoryJob;
import io.queen.internal.jobs.StatisticsKeeper;
import io.queen.internal.ops.AckOperation;
import io.queen.internal.maintenance.MaintenanceModes;
import io.queen.internal.ops.DatabasePushSink;
import io.queen.internal.ops.FailoverPushSink;
import io.queen.internal.ops.PreparedPush;
import io.queen.internal.ops.DeadLetters;
import io.queen.internal.ops.HealthCheck;
import io.queen.internal.ops.LeaseOperation;
import io.queen.internal.ops.PopOperation;
import io.queen.internal.ops.OutboxOperation;
import io.queen.internal.ops.PushOperation;
import io.queen.internal.ops.QueueCatalog;
import io.queen.internal.ops.ReturnUndelivered;
import io.queen.internal.ops.Traces;
import io.queen.internal.ops.TransactionOperation;
import io.queen.internal.runtime.EngineContext;
import io.queen.internal.time.SystemScheduler;
import io.queen.internal.wakeup.ListenerCensus;
import io.queen.internal.wakeup.LongPolls;
import io.queen.internal.wakeup.PushListener;
import io.queen.internal.wakeup.QueueActivity;
import io.queen.metrics.CountingMetrics;
import io.queen.error.DatabaseUnavailableException;
import io.queen.error.InvalidRequestException;
import io.queen.internal.jobs.Job;
import io.queen.error.OverloadedException;
import io.queen.model.AckItem;
import io.queen.model.BufferStatus;
import io.queen.model.MaintenanceStatus;
import io.queen.model.AckResult;
import io.queen.model.DlqPage;
import io.queen.model.DlqQuery;
import io.queen.model.DlqRequeue;
import io.queen.model.EngineStats;
import io.queen.model.LeaseExtension;
import io.queen.model.PopRequest;
import io.queen.model.PopResult;
import io.queen.model.PushItem;
import io.queen.model.PushResult;
import io.queen.model.QueueInfo;
import io.queen.model.QueueOptions;
import io.queen.model.TraceEvent;
import io.queen.model.TraceNamePage;
import io.queen.model.TracePage;
import io.queen.model.TraceRecord;
import io.queen.model.TransactionRequest;
import io.queen.model.TransactionResult;
import io.queen.tracing.QueenTracing;
import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine behind {@link QueueManager}: a facade that hands each call to the room that owns it
 * (under {@code io.queen.internal.ops}; each validates on the caller's thread, then runs on a
 * {@code queen-db} thread and completes the caller's future there), and that builds, schedules
 * and stops the rest: the background jobs ({@code internal.jobs}), the long polls and their
 * wake-ups ({@code internal.wakeup}). It holds no SQL. See docs/architecture.md for the map.
 *
 * <p>Threads: callers (any thread) validate and enqueue; {@code queen-db-N} ({@code dbThreads})
 * run every statement; {@code queen-timer} (or the configured scheduler) fires long-poll rechecks
 * and job schedules and never runs SQL itself; {@code queen-listen} LISTENs for other instances'
 * pushes.
 */
public final class QueenEngine implements QueueManager {
  private static final Logger LOG = LoggerFactory.getLogger(QueenEngine.class);

  private final EngineContext context;
  private final CountingMetrics counts = new CountingMetrics();
  private final MinuteRecorder minutes = new MinuteRecorder();
  private final OperationCounting counting;
  private final QueenTracing tracing;
  private final SystemScheduler ownScheduler;
  private final LongPolls longPolls;
  private final PushListener listener;
  private final QueueActivity activity;
  private final Thread listenerThread;
  private final JobRunner jobs;
  private final DatabasePushSink pushSink;
  private final PushOperation pushes;
  private final PopOperation pops;
  private final AckOperation acks;
  private final LeaseOperation leases;
  private final ReturnUndelivered returns;
  private final TransactionOperation transactions;
  private final OutboxOperation outbox;
  private final QueueCatalog catalog;
  private final DeadLetters deadLetters;
  private final Traces traces;
  private final HealthCheck health;
  private final MaintenanceModes modes;
  /** Whether the schema is known to be up to date (false after a start without the database). */
  private final java.util.concurrent.atomic.AtomicBoolean ready;
  private final FailoverPushSink failover;
  private final AdminRooms admin;
  private final AutoCloseable ownedResource;
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * Migrates the schema and starts the engine.
   *
   * @param listenConnections opens the dedicated LISTEN connection (not pooled)
   * @param ownedResource closed last by {@link #close()} (a pool Queen created), or null
   */
  public static QueenEngine start(DataSource dataSource, QueenConfig config,
      Callable<Connection> listenConnections, AutoCloseable ownedResource) {
    var db = new Database(dataSource);
    var migrator = new SchemaMigrator(config.schema());
    try {
      migrator.migrate(db);
      return started(new QueenEngine(db, config, listenConnections, ownedResource, null));
    } catch (DatabaseUnavailableException e) {
      if (config.fileBuffer() == null) {
        throw e;
      }
      LOG.warn("database unreachable at start ({}): pushes go to the file buffer; the schema is "
          + "brought up to date when the database answers", e.getMessage());
      return started(new QueenEngine(db, config, listenConnections, ownedResource, migrator));
    }
  }

  private static QueenEngine started(QueenEngine engine) {
    engine.context.config().metrics().started(engine);
    return engine;
  }

  /** @param pendingMigration the migration still to run (the database was away), or null */
  private QueenEngine(Database db, QueenConfig config, Callable<Connection> listenConnections,
      AutoCloseable ownedResource, SchemaMigrator pendingMigration) {
    this.ready = new java.util.concurrent.atomic.AtomicBoolean(pendingMigration == null);
    this.ownedResource = ownedResource;
    this.ownScheduler = config.scheduler() == null ? new SystemScheduler() : null;
    var scheduler = ownScheduler != null ? ownScheduler : config.scheduler();
    this.context = new EngineContext(config, db, SqlStatements.load(config.schema()), scheduler,
        MetricsTee.of(counts, MetricsTee.of(minutes, config.metrics())));
    this.counting = new OperationCounting(context.metrics(), config.clock());
    this.tracing = config.tracing();
    this.jobs = new JobRunner(context); // before the listener, whose thread may run a job
    this.longPolls = new LongPolls(this::popOnce, this::giveBack, scheduler,
        config.longPollRecheckInterval(), config.maxWaitingPops(), config.retryAfter(),
        context.metrics());
    ListenerCensus census = null;
    String channel = null;
    if (config.listenNotify()) {
      channel = config.schema() + "_push";
      this.listener = new PushListener(listenConnections, channel, context.sql("listen"),
          context.sql("backend_pid"), context.instanceId(), this::notified,
          scheduler::nanoTime);
      this.listenerThread = new NamedThreadFactory("queen-listen").newThread(listener);
      listenerThread.start();
      census = new ListenerCensus(context, channel, listener);
    } else {
      this.listener = null;
      this.listenerThread = null;
    }
    Supplier<String> notifyChannel = census == null ? () -> null : census::notifyChannel;
    this.activity = new QueueActivity(listener == null ? QueueActivity.DEAF
        : listener::settledSession);
    this.leases = new LeaseOperation(context, longPolls);
    this.returns = new ReturnUndelivered(context, leases, longPolls);
    this.pops = new PopOperation(context, longPolls, returns, this::popPaused);
    this.pushSink = new DatabasePushSink(context, longPolls, activity, notifyChannel);
    this.health = new HealthCheck(context);
    this.modes = new MaintenanceModes(context, notifyChannel, this::maintenanceChanged);
    this.failover = config.fileBuffer() == null ? null
        : new FailoverPushSink(context, pushSink, modes, health, config.fileBuffer(), ready::get);
    this.pushes = new PushOperation(context, failover != null ? failover : this::pushWithoutBuffer);
    this.acks = new AckOperation(context, longPolls);
    this.transactions = new TransactionOperation(context, pushes, longPolls, activity,
        notifyChannel);
    this.outbox = new OutboxOperation(context, pushes, activity, channel, ready::get);
    this.catalog = new QueueCatalog(context);
    if (ready.get()) {
      loadState();
    }
    this.deadLetters = new DeadLetters(context, longPolls);
    this.traces = new Traces(context);
    this.admin = new AdminRooms(context, longPolls, activity, jobs);
    if (census != null) {
      jobs.schedule(census);
    }
    if (!ready.get()) {
      jobs.schedule(new StartupMigration(pendingMigration));
    }
    jobs.schedule(modes);
    jobs.schedule(new LeaseReaper(context, longPolls::wakeAll));
    jobs.schedule(new StatisticsKeeper(context));
    jobs.schedule(LifecycleJob.retention(context));
    jobs.schedule(LifecycleJob.eviction(context));
    jobs.schedule(new MetricsHistoryJob(context, minutes, longPolls::waitingByQueue,
        context::busyDatabaseThreads, config.httpPort()));
    LOG.info("Queen engine {} started: {}", context.instanceId(), config);
  }

  /** What the engine reads at start: encrypted queues and maintenance flags. */
  private void loadState() {
    catalog.loadEncryptedQueues();
    modes.load();
  }

  /** Brings the schema up to date once the database answers, after a start without it. */
  private final class StartupMigration implements Job<Boolean> {
    private final SchemaMigrator migrator;

    StartupMigration(SchemaMigrator migrator) {
      this.migrator = migrator;
    }

    @Override
    public String name() {
      return "startup-migration";
    }

    @Override
    public java.time.Duration interval() {
      return java.time.Duration.ofSeconds(1);
    }

    @Override
    public boolean due() {
      return !ready.get();
    }

    @Override
    public Boolean skipped() {
      return ready.get();
    }

    @Override
    public Boolean run(Connection c) throws java.sql.SQLException {
      migrator.migrate(c);
      return true;
    }

    @Override
    public void succeeded(Boolean migrated) {
      loadState();
      ready.set(true);
      LOG.info("the database answers: schema up to date; pushes go to it and the file buffer "
          + "replays");
      if (failover != null) {
        failover.signal();
      }
    }
  }

  /** The listener's thread: another instance pushed to a queue, or changed the system state. */
  private void notified(String queue) {
    if (MaintenanceModes.SYSTEM_CHANGE.equals(queue)) {
      if (modes != null) { // null only while the engine is being built
        jobs.run(modes);
      }
    } else {
      activity.touched(queue);
      longPolls.wake(queue);
    }
  }

  private boolean popPaused() {
    return modes.popPaused();
  }

  private void maintenanceChanged(MaintenanceStatus now) {
    LOG.info("maintenance modes now: push {}, pop {}", now.pushMaintenance() ? "ON" : "off",
        now.popMaintenance() ? "ON" : "off");
    if (failover != null) {
      failover.signal();
    }
  }

  /** Without a file buffer, push maintenance refuses pushes instead of buffering them. */
  private CompletableFuture<List<PushResult>> pushWithoutBuffer(PreparedPush push) {
    if (modes.pushPaused()) {
      return CompletableFuture.failedFuture(new OverloadedException("push maintenance is on and "
          + "this instance has no file buffer (FILE_BUFFER_DIR): push not accepted, retry later",
          context.config().retryAfter()));
    }
    return pushSink.push(push);
  }

  // The long polls run pops through the pop room; these are their entry points.
  private CompletableFuture<PopResult> popOnce(PopRequest request) {
    return pops.popOnce(request);
  }

  private void giveBack(PopResult result) {
    pops.giveBack(result);
  }

  @Override
  public CompletableFuture<QueueInfo> configureQueue(String queue, String namespace, String task,
      QueueOptions options) {
    return catalog.configure(queue, namespace, task, options)
        .whenComplete((r, e) -> admin.queuesChanged());
  }

  @Override
  public CompletableFuture<Boolean> deleteQueue(String queue) {
    return catalog.delete(queue).whenComplete((r, e) -> admin.queuesChanged());
  }

  @Override
  public CompletableFuture<List<PushResult>> push(List<PushItem> items) {
    if (tracing == QueenTracing.NOOP) {
      return counted(pushes.push(items), counting::pushed);
    }
    var span = tracing.startPush(items);
    CompletableFuture<List<PushResult>> f;
    try {
      f = pushes.push(span.items());
    } catch (RuntimeException e) {
      span.end(null, e);
      throw e;
    }
    return counted(f, span::end, counting::pushed);
  }

  @Override
  public List<PushResult> push(Connection connection, List<PushItem> items) {
    List<PushResult> results;
    if (tracing == QueenTracing.NOOP) {
      results = outbox.push(connection, items);
    } else {
      var span = tracing.startPush(items);
      try {
        results = outbox.push(connection, span.items());
      } catch (RuntimeException e) {
        span.end(null, e);
        throw e;
      }
      span.end(results, null);
    }
    count(results, counting::pushed);
    return results;
  }

  @Override
  public List<AckResult> ack(Connection connection, List<AckItem> items) {
    var results = outbox.ack(connection, items);
    count(results, counting::acked);
    return results;
  }

  private static <T> void count(T results, Consumer<T> count) {
    try {
      count.accept(results);
    } catch (RuntimeException x) {
      LOG.warn("metrics failed to count a result; the result is delivered", x);
    }
  }

  @Override
  public CompletableFuture<PopResult> pop(PopRequest request) {
    if (tracing == QueenTracing.NOOP) {
      return counted(pops.pop(request), r -> counting.popped(request.queue(), r));
    }
    var span = tracing.startPop(request);
    return counted(pops.pop(request), span::end, r -> counting.popped(request.queue(), r));
  }

  @Override
  public QueenTracing tracing() {
    return tracing;
  }

  /**
   * {@code f}, completed for the caller only once its result is counted (so a history flush right
   * after the caller sees the result includes it); cancelling the caller's future cancels {@code f}
   * (a parked pop's waiter is released). A throwing metrics implementation is logged, not the
   * caller's failure.
   */
  private static <T> CompletableFuture<T> counted(CompletableFuture<T> f, Consumer<T> count) {
    return counted(f, null, count);
  }

  /**
   * The same, ending {@code span} first: a caller that sees the result finds its span ended (ended
   * by a separate callback on {@code f}, it could still be open when the caller looked).
   */
  private static <T> CompletableFuture<T> counted(CompletableFuture<T> f,
      BiConsumer<T, Throwable> span, Consumer<T> count) {
    var counted = new CompletableFuture<T>();
    f.whenComplete((r, e) -> {
      if (span != null) {
        try {
          span.accept(r, e);
        } catch (RuntimeException x) {
          LOG.warn("tracing failed to end a span; the result is delivered", x);
        }
      }
      if (e != null) {
        counted.completeExceptionally(e);
        return;
      }
      try {
        count.accept(r);
      } catch (RuntimeException x) {
        LOG.warn("metrics failed to count a result; the result is delivered", x);
      }
      counted.complete(r);
    });
    counted.whenComplete((r, e) -> {
      if (counted.isCancelled()) {
        f.cancel(false);
      }
    });
    return counted;
  }

  @Override
  public CompletableFuture<Integer> returnUndelivered(PopResult result) {
    return returns.returnUndelivered(result);
  }

  @Override
  public CompletableFuture<List<AckResult>> ack(List<AckItem> items) {
    return counted(acks.ack(items), counting::acked);
  }

  @Override
  public CompletableFuture<LeaseExtension> extendLease(String leaseId, int seconds) {
    return leases.extend(leaseId, seconds);
  }

  @Override
  public CompletableFuture<Integer> releaseLease(String leaseId) {
    return leases.release(leaseId);
  }

  @Override
  public CompletableFuture<TransactionResult> transaction(TransactionRequest request) {
    if (tracing == QueenTracing.NOOP || request == null || request.pushes().isEmpty()) {
      return counted(transactions.run(request), counting::transaction);
    }
    var span = tracing.startPush(request.pushes());
    CompletableFuture<TransactionResult> f;
    try {
      f = transactions.run(
          new TransactionRequest(request.acks(), span.items(), request.requiredLeases()));
    } catch (RuntimeException e) {
      span.end(null, e);
      throw e;
    }
    f.whenComplete((r, e) -> span.end(r == null ? null : r.pushResults(),
        e != null ? e : r.success() ? null : new IllegalStateException(r.error())));
    return counted(f, counting::transaction);
  }

  @Override
  public CompletableFuture<DlqPage> listDlq(DlqQuery query) {
    return deadLetters.list(query);
  }

  @Override
  public CompletableFuture<Integer> requeueDlq(DlqRequeue request) {
    return deadLetters.requeue(request);
  }

  @Override
  public CompletableFuture<UUID> recordTrace(TraceEvent event) {
    return traces.record(event);
  }

  @Override
  public CompletableFuture<List<TraceRecord>> traces(String partitionId, String transactionId) {
    return traces.ofMessage(partitionId, transactionId);
  }

  @Override
  public CompletableFuture<TracePage> tracesByName(String traceName, int limit, int offset) {
    return traces.byName(traceName, limit, offset);
  }

  @Override
  public CompletableFuture<TraceNamePage> traceNames(int limit, int offset) {
    return traces.names(limit, offset);
  }

  @Override
  public CompletableFuture<Boolean> checkDatabase() {
    return health.check();
  }

  @Override
  public boolean isReady() {
    return ready.get() && !closed.get();
  }

  @Override
  public CompletableFuture<MaintenanceStatus> setPushMaintenance(boolean enabled) {
    if (enabled && failover == null) {
      throw new InvalidRequestException("enabled", "push maintenance needs a file buffer to "
          + "keep the pushes in, and this instance has none (FILE_BUFFER_DIR; embedded: "
          + "QueenConfig.Builder.fileBuffer)");
    }
    return modes.set(true, enabled);
  }

  @Override
  public CompletableFuture<MaintenanceStatus> setPopMaintenance(boolean enabled) {
    return modes.set(false, enabled);
  }

  @Override
  public MaintenanceStatus maintenance() {
    return modes.status();
  }

  @Override
  public BufferStatus bufferStatus() {
    return failover != null ? failover.status()
        : new BufferStatus(false, null, 0, 0, 0, 0, 0, 0, 0, true, false);
  }

  @Override
  public QueenAdmin admin() {
    return admin;
  }

  @Override
  public EngineStats stats() {
    var ops = new LinkedHashMap<String, EngineStats.OperationStats>();
    ops.put("push", operationStats("push", pushSink.committer()));
    ops.put("pop", operationStats("pop", pops.committer()));
    ops.put("ack", operationStats("ack", acks.committer()));
    ops.put("other", operationStats("other", context.singles()));
    int active = 0;
    int idle = 0;
    int waiting = 0;
    if (context.db().dataSource() instanceof HikariDataSource hikari) {
      var mx = hikari.getHikariPoolMXBean();
      if (mx != null) {
        active = mx.getActiveConnections();
        idle = mx.getIdleConnections();
        waiting = mx.getThreadsAwaitingConnection();
      }
    }
    return new EngineStats(ops, longPolls.waitingCount(), active, idle, waiting, counts.jobs(),
        listener != null && listener.isListening());
  }

  private EngineStats.OperationStats operationStats(String name, GroupCommitter<?, ?> committer) {
    var c = counts.operation(name);
    return new EngineStats.OperationStats(c.requests(), c.items(), c.batches(), c.failures(),
        c.rejected(), committer.queued(), committer.inFlight(), c.totalLatencyMicros(),
        c.maxLatencyMicros());
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    LOG.info("Queen engine {} closing", context.instanceId());
    jobs.close(); // first: a run scheduled now would only meet refusing committers
    context.refuseNewWork();
    longPolls.close();
    if (failover != null) {
      failover.close(); // after the refusal: what is buffered now stays for the next start
    }
    if (listener != null) {
      listener.stop();
    }
    if (ownScheduler != null) {
      ownScheduler.close();
    }
    context.stopDatabaseThreads();
    if (listenerThread != null) {
      try {
        listenerThread.join(1_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (ownedResource != null) {
      try {
        ownedResource.close();
      } catch (Exception e) {
        LOG.warn("closing the connection pool failed", e);
      }
    }
    LOG.info("Queen engine {} closed", context.instanceId());
  }
}
