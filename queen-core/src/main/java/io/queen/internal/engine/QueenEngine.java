package io.queen.internal.engine;

import io.queen.QueenConfig;
import io.queen.QueueManager;
import io.queen.error.InvalidRequestException;
import io.queen.error.NotFoundException;
import io.queen.error.QueenException;
import io.queen.internal.Uuid7;
import io.queen.internal.concurrent.Executors2;
import io.queen.internal.concurrent.NamedThreadFactory;
import io.queen.internal.db.Database;
import io.queen.internal.db.SchemaMigrator;
import io.queen.json.JsonBuilder;
import io.queen.model.AckItem;
import io.queen.model.AckResult;
import io.queen.model.AckStatus;
import io.queen.model.DlqEntry;
import io.queen.model.DlqPage;
import io.queen.model.DlqQuery;
import io.queen.model.DlqRequeue;
import io.queen.model.EngineStats;
import io.queen.model.LeaseExtension;
import io.queen.model.Message;
import io.queen.model.PopOutcome;
import io.queen.model.PopRequest;
import io.queen.model.PopResult;
import io.queen.model.PushItem;
import io.queen.model.PushResult;
import io.queen.model.PushStatus;
import io.queen.model.QueueInfo;
import io.queen.model.QueueOptions;
import io.queen.model.SubscriptionMode;
import io.queen.model.TraceEvent;
import io.queen.model.TraceName;
import io.queen.model.TraceNamePage;
import io.queen.model.TracePage;
import io.queen.model.TraceRecord;
import io.queen.model.TransactionRequest;
import io.queen.model.TransactionResult;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue engine behind {@link QueueManager}.
 *
 * <p>Concurrency: public methods validate on the caller's thread and hand the work to a
 * {@link GroupCommitter} per operation kind. Committers run batches on the {@code queen-db}
 * executor ({@code dbThreads} threads, the only threads that touch JDBC); futures complete there.
 * {@code queen-timer} runs long-poll rechecks and the schedules of the lease reaper and the
 * statistics keeper (never SQL itself);
 * {@code queen-listen} runs the LISTEN loop.
 *
 * <p>Ordering: a partition's messages are numbered by {@code seq} under the partition row's lock,
 * held until commit (see V002__functions.sql), so seq order is commit order and cursors move on
 * seq. Message ids are UUIDv7 from one monotonic generator per engine.
 *
 * <p>Leasing: a pop takes the group's lease on each partition it delivers from, under one lease id
 * per pop. Leases end when every message of the batch has an ack, when released (undeliverable
 * results), or when they expire; expiry counts one failure per unacked message, lazily at the next
 * pop of the partition and eagerly by {@link #reapLeases()}.
 *
 * <p>Failure: SQL failures become {@link QueenException}s in one place ({@link Database}). A batch
 * that fails for a non-transient reason is retried request by request. Deadlocks are retried.
 * Durability: pushes, acks and transactions commit synchronously before their futures complete;
 * pops that take only leases commit asynchronously (a lease lost in a crash only means an earlier
 * redelivery).
 */
public final class QueenEngine implements QueueManager {
  private static final Logger LOG = LoggerFactory.getLogger(QueenEngine.class);
  private static final int REAP_BATCH = 500;
  /** How often the engine counts the other instances LISTENing on its channel. */
  private static final long LISTENER_CENSUS_MILLIS = 1_000;

  private final QueenConfig config;
  private final Database db;
  private final String s;
  private final Uuid7 ids;
  private final String instanceId;
  private final String channel;
  private final ThreadPoolExecutor dbExecutor;
  private final ScheduledThreadPoolExecutor timer;
  private final GroupCommitter<PushCall, List<PushResult>> pushes;
  private final GroupCommitter<PopCall, PopResult> pops;
  private final GroupCommitter<List<AckItem>, List<AckResult>> acks;
  private final GroupCommitter<Callable<?>, Object> singles;
  private final LongPolls longPolls;
  private final PushListener listener;
  private final Thread listenerThread;
  private final AutoCloseable ownedResource;
  private final AtomicBoolean reaping = new AtomicBoolean();
  private final AtomicBoolean analyzing = new AtomicBoolean();
  private final AtomicBoolean statisticsFailing = new AtomicBoolean();
  private final AtomicBoolean countingListeners = new AtomicBoolean();
  /**
   * Whether another instance may be LISTENing, so that pushes must NOTIFY. Starts true and is
   * kept by {@link #countListeners()}: a NOTIFY nobody else hears costs this instance's listener a
   * wake-up per push batch and serialises the commits of concurrent push batches on PostgreSQL's
   * notification queue lock (measured: push batch 10 +5 % without it).
   */
  private volatile boolean othersListening = true;
  private final AtomicBoolean closed = new AtomicBoolean();

  private record PushCall(List<PushItem> items, UUID[] messageIds, String[] transactionIds) {}

  private record PopCall(PopRequest request, UUID leaseId, String mode, Instant from) {}

  /**
   * Migrates the schema and starts the engine.
   *
   * @param listenConnections opens the dedicated LISTEN connection (not pooled)
   * @param ownedResource closed last by {@link #close()} (a pool Queen created), or null
   */
  public static QueenEngine start(DataSource dataSource, QueenConfig config,
      Callable<Connection> listenConnections, AutoCloseable ownedResource) {
    var db = new Database(dataSource);
    new SchemaMigrator(config.schema()).migrate(db);
    return new QueenEngine(db, config, listenConnections, ownedResource);
  }

  private QueenEngine(Database db, QueenConfig config, Callable<Connection> listenConnections,
      AutoCloseable ownedResource) {
    this.config = config;
    this.db = db;
    this.s = config.schema();
    this.ids = new Uuid7(config.clock());
    this.instanceId = UUID.randomUUID().toString().substring(0, 8);
    this.channel = s + "_push";
    this.ownedResource = ownedResource;
    this.dbExecutor = new ThreadPoolExecutor(config.dbThreads(), config.dbThreads(), 60,
        TimeUnit.SECONDS, new LinkedBlockingQueue<>(), new NamedThreadFactory("queen-db"));
    this.timer = new ScheduledThreadPoolExecutor(1, new NamedThreadFactory("queen-timer"));
    timer.setRemoveOnCancelPolicy(true);
    int batchItems = config.maxBatchItems();
    int concurrent = config.maxConcurrentBatches();
    int queued = config.maxQueuedRequests();
    this.pushes = new GroupCommitter<>("push", dbExecutor, this::runPushes,
        c -> c.items().size(), batchItems, concurrent, queued, config.retryAfter());
    this.pops = new GroupCommitter<>("pop", dbExecutor, this::runPops,
        c -> 1, Math.max(1, batchItems / 10), concurrent, queued, config.retryAfter());
    this.acks = new GroupCommitter<>("ack", dbExecutor, this::runAcks,
        List::size, batchItems, concurrent, queued, config.retryAfter());
    this.singles = new GroupCommitter<>("other", dbExecutor, this::runSingle,
        c -> 1, 1, config.dbThreads(), queued, config.retryAfter());
    this.longPolls = new LongPolls(this::popOnce, this::releaseUndeliverable, timer,
        config.longPollRecheckInterval(), config.maxWaitingPops(), config.retryAfter());
    if (config.listenNotify()) {
      this.listener = new PushListener(listenConnections, channel, instanceId, longPolls::wake);
      this.listenerThread = new NamedThreadFactory("queen-listen").newThread(listener);
      listenerThread.start();
    } else {
      this.listener = null;
      this.listenerThread = null;
    }
    if (config.listenNotify()) {
      timer.scheduleWithFixedDelay(this::countListeners, LISTENER_CENSUS_MILLIS,
          LISTENER_CENSUS_MILLIS, TimeUnit.MILLISECONDS);
    }
    long reapMillis = config.leaseReaperInterval().toMillis();
    timer.scheduleWithFixedDelay(this::reapLeases, reapMillis, reapMillis, TimeUnit.MILLISECONDS);
    long statisticsMillis = config.statisticsInterval().toMillis();
    if (statisticsMillis > 0) {
      timer.scheduleWithFixedDelay(this::keepStatistics, statisticsMillis, statisticsMillis,
          TimeUnit.MILLISECONDS);
    }
    LOG.info("Queen engine {} started: {}", instanceId, config);
  }

  // ---- configure / delete -----------------------------------------------------------------

  @Override
  public CompletableFuture<QueueInfo> configureQueue(
      String queue, String namespace, String task, QueueOptions options) {
    Validation.name("queue", queue);
    if (options == null) {
      throw new InvalidRequestException("options", "options is required");
    }
    var ns = namespace == null ? "" : namespace;
    var tk = task == null ? "" : task;
    return single("configure", () -> db.inTransaction("configure " + queue, true, c -> {
      var now = now();
      UUID queueId;
      try (var ps = c.prepareStatement("INSERT INTO " + s + ".queues (id, name, namespace, task,"
          + " priority, lease_time, retry_limit, retry_delay, ttl, dead_letter_queue,"
          + " dlq_after_max_retries, delayed_processing, window_buffer, retention_seconds,"
          + " completed_retention_seconds, retention_enabled, encryption_enabled,"
          + " max_wait_time_seconds, max_queue_size, created_at)"
          + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
          + " ON CONFLICT (name) DO UPDATE SET namespace = EXCLUDED.namespace,"
          + " task = EXCLUDED.task, priority = EXCLUDED.priority,"
          + " lease_time = EXCLUDED.lease_time, retry_limit = EXCLUDED.retry_limit,"
          + " retry_delay = EXCLUDED.retry_delay, ttl = EXCLUDED.ttl,"
          + " dead_letter_queue = EXCLUDED.dead_letter_queue,"
          + " dlq_after_max_retries = EXCLUDED.dlq_after_max_retries,"
          + " delayed_processing = EXCLUDED.delayed_processing,"
          + " window_buffer = EXCLUDED.window_buffer,"
          + " retention_seconds = EXCLUDED.retention_seconds,"
          + " completed_retention_seconds = EXCLUDED.completed_retention_seconds,"
          + " retention_enabled = EXCLUDED.retention_enabled,"
          + " encryption_enabled = EXCLUDED.encryption_enabled,"
          + " max_wait_time_seconds = EXCLUDED.max_wait_time_seconds,"
          + " max_queue_size = EXCLUDED.max_queue_size RETURNING id")) {
        int i = 1;
        ps.setObject(i++, ids.next()); // id
        ps.setString(i++, queue); // name
        ps.setString(i++, ns); // namespace
        ps.setString(i++, tk); // task
        ps.setInt(i++, options.priority());
        ps.setInt(i++, options.leaseTime());
        ps.setInt(i++, options.retryLimit());
        ps.setInt(i++, options.retryDelay());
        ps.setInt(i++, options.ttl());
        ps.setBoolean(i++, options.deadLetterQueue());
        ps.setBoolean(i++, options.dlqAfterMaxRetries());
        ps.setInt(i++, options.delayedProcessing());
        ps.setInt(i++, options.windowBuffer());
        ps.setInt(i++, options.retentionSeconds());
        ps.setInt(i++, options.completedRetentionSeconds());
        ps.setBoolean(i++, options.retentionEnabled());
        ps.setBoolean(i++, options.encryptionEnabled());
        ps.setInt(i++, options.maxWaitTimeSeconds());
        ps.setInt(i++, options.maxSize()); // max_queue_size
        ps.setObject(i, now); // created_at
        try (var rs = ps.executeQuery()) {
          rs.next();
          queueId = rs.getObject(1, UUID.class);
        }
      }
      try (var ps = c.prepareStatement("INSERT INTO " + s + ".partitions (id, queue_id, name,"
          + " created_at, last_activity) VALUES (?, ?, 'Default', ?, ?)"
          + " ON CONFLICT (queue_id, name) DO NOTHING")) {
        ps.setObject(1, ids.next());
        ps.setObject(2, queueId);
        ps.setObject(3, now);
        ps.setObject(4, now);
        ps.executeUpdate();
      }
      UUID partitionId;
      try (var ps = c.prepareStatement(
          "SELECT id FROM " + s + ".partitions WHERE queue_id = ? AND name = 'Default'")) {
        ps.setObject(1, queueId);
        try (var rs = ps.executeQuery()) {
          rs.next();
          partitionId = rs.getObject(1, UUID.class);
        }
      }
      return new QueueInfo(queueId, partitionId, queue, ns, tk, options);
    }));
  }

  @Override
  public CompletableFuture<Boolean> deleteQueue(String queue) {
    Validation.name("queue", queue);
    return single("delete", () -> db.inTransaction("delete queue " + queue, true, c -> {
      boolean existed;
      try (var ps = c.prepareStatement("DELETE FROM " + s + ".queues WHERE name = ?")) {
        ps.setString(1, queue);
        existed = ps.executeUpdate() > 0;
      }
      try (var ps = c.prepareStatement(
          "DELETE FROM " + s + ".consumer_groups_metadata WHERE queue_name = ?")) {
        ps.setString(1, queue);
        ps.executeUpdate();
      }
      return existed;
    }));
  }

  // ---- push ----------------------------------------------------------------------------------

  @Override
  public CompletableFuture<List<PushResult>> push(List<PushItem> items) {
    if (items == null) {
      throw new InvalidRequestException("items", "items is required");
    }
    var call = preparePush(items, "items");
    if (items.isEmpty()) {
      return CompletableFuture.completedFuture(List.of());
    }
    return pushes.submit(call);
  }

  private PushCall preparePush(List<PushItem> items, String field) {
    var messageIds = new UUID[items.size()];
    var transactionIds = new String[items.size()];
    for (int i = 0; i < items.size(); i++) {
      var item = items.get(i);
      var f = field + "[" + i + "]";
      if (item == null) {
        throw new InvalidRequestException(f, f + " is required");
      }
      Validation.name(f + ".queue", item.queue());
      if (item.partition() != null) {
        Validation.name(f + ".partition", item.partition());
      }
      if (item.transactionId() != null) {
        Validation.transactionId(f + ".transactionId", item.transactionId());
      }
      if (item.traceId() != null && !item.traceId().isEmpty()) {
        Validation.uuid(f + ".traceId", item.traceId());
      }
      Validation.json(f + ".payload", item.payloadJson());
      messageIds[i] = ids.next();
      transactionIds[i] =
          item.transactionId() != null ? item.transactionId() : messageIds[i].toString();
    }
    return new PushCall(List.copyOf(items), messageIds, transactionIds);
  }

  private List<List<PushResult>> runPushes(List<PushCall> calls) {
    var json = pushItemsJson(calls);
    var rows = db.inTransaction("push", true, c -> {
      try (var ps = c.prepareStatement("SELECT idx, status, message_id, partition_id, error FROM "
          + s + ".push_v1(?::jsonb, ?, ?, ?, ?)")) {
        ps.setString(1, json);
        ps.setObject(2, now());
        ps.setBoolean(3, config.autoCreateQueues());
        ps.setString(4, notifyChannel());
        ps.setString(5, instanceId);
        return readPushRows(ps);
      }
    });
    var results = splitPushRows(calls, rows);
    wakeQueuesOf(calls.stream().map(PushCall::items).toList(), results);
    return results;
  }

  private static String pushItemsJson(List<PushCall> calls) {
    var w = new JsonBuilder(1024);
    w.beginArray();
    int index = 0;
    for (var call : calls) {
      for (int i = 0; i < call.items().size(); i++) {
        writePushItem(w, index++, call.items().get(i), call.messageIds()[i],
            call.transactionIds()[i]);
      }
    }
    w.endArray();
    return w.toString();
  }

  private static void writePushItem(JsonBuilder w, int index, PushItem item, UUID messageId,
      String transactionId) {
    w.beginObject();
    w.name("i").value(index);
    w.name("q").value(item.queue());
    w.name("p").value(item.partitionOrDefault());
    w.name("mid").value(messageId.toString());
    w.name("tx").value(transactionId);
    if (item.traceId() != null && !item.traceId().isEmpty()) {
      w.name("tr").value(item.traceId());
    }
    w.name("pl").jsonValue(item.payloadJson() == null ? "null" : item.payloadJson());
    w.endObject();
  }

  private record PushRow(PushStatus status, UUID messageId, UUID partitionId, String error) {}

  private static Map<Integer, PushRow> readPushRows(PreparedStatement ps) throws SQLException {
    var rows = new LinkedHashMap<Integer, PushRow>();
    try (var rs = ps.executeQuery()) {
      while (rs.next()) {
        rows.put(rs.getInt(1), new PushRow(PushStatus.valueOf(rs.getString(2).toUpperCase()),
            rs.getObject(3, UUID.class), rs.getObject(4, UUID.class), rs.getString(5)));
      }
    }
    return rows;
  }

  private static List<List<PushResult>> splitPushRows(List<PushCall> calls, Map<Integer, PushRow> rows) {
    var results = new ArrayList<List<PushResult>>(calls.size());
    int index = 0;
    for (var call : calls) {
      var list = new ArrayList<PushResult>(call.items().size());
      for (int i = 0; i < call.items().size(); i++) {
        var item = call.items().get(i);
        var row = rows.get(index++);
        list.add(new PushResult(row.status(), row.messageId(), row.partitionId(),
            call.transactionIds()[i], emptyToNull(item.traceId()), item.queue(), row.error()));
      }
      results.add(list);
    }
    return results;
  }

  /** Wakes the waiters that the queued items of these pushes may satisfy. */
  private void wakeQueuesOf(List<List<PushItem>> items, List<List<PushResult>> results) {
    Map<String, Set<String>> partitionsByQueue = new HashMap<>();
    for (int c = 0; c < results.size(); c++) {
      for (int i = 0; i < results.get(c).size(); i++) {
        if (results.get(c).get(i).status() == PushStatus.QUEUED) {
          var item = items.get(c).get(i);
          partitionsByQueue.computeIfAbsent(item.queue(), q -> new HashSet<>())
              .add(item.partitionOrDefault());
        }
      }
    }
    partitionsByQueue.forEach(longPolls::wake);
  }

  // ---- pop -----------------------------------------------------------------------------------

  @Override
  public CompletableFuture<PopResult> pop(PopRequest request) {
    validatePop(request);
    if (request.waits()) {
      return longPolls.pop(request);
    }
    var caller = new CompletableFuture<PopResult>();
    popOnce(request).whenComplete((r, e) -> {
      if (e != null) {
        caller.completeExceptionally(e);
      } else if (!caller.complete(r)) {
        releaseUndeliverable(r);
      }
    });
    return caller;
  }

  private void validatePop(PopRequest request) {
    if (request == null) {
      throw new InvalidRequestException("request", "pop request is required");
    }
    if (request.queue() != null) {
      Validation.name("queue", request.queue());
    } else if (request.namespace() == null && request.task() == null) {
      throw new InvalidRequestException("queue", "a pop needs a queue, or a namespace and/or task");
    }
    if (request.partition() != null) {
      Validation.name("partition", request.partition());
    }
    if (request.consumerGroup() != null) {
      Validation.name("consumerGroup", request.consumerGroup());
    }
  }

  private CompletableFuture<PopResult> popOnce(PopRequest request) {
    var mode = request.subscriptionMode() != null
        ? request.subscriptionMode() : config.defaultSubscriptionMode();
    var call = new PopCall(request, ids.next(), mode == SubscriptionMode.NEW ? "new" : "all",
        request.subscriptionFrom());
    return pops.submit(call);
  }

  private List<PopResult> runPops(List<PopCall> calls) {
    var w = new JsonBuilder(1024);
    boolean anyAutoAck = false;
    w.beginArray();
    for (int i = 0; i < calls.size(); i++) {
      var call = calls.get(i);
      var r = call.request();
      anyAutoAck |= r.autoAck();
      w.beginObject();
      w.name("i").value(i);
      w.name("q").value(r.queue());
      w.name("p").value(r.partition());
      w.name("ns").value(r.namespace());
      w.name("tk").value(r.task());
      w.name("g").value(r.groupOrQueueMode());
      w.name("b").value(r.batch());
      w.name("n").value(r.partition() == null ? r.partitions() : 1);
      w.name("aa").value(r.autoAck());
      w.name("lid").value(call.leaseId().toString());
      w.name("sm").value(call.mode());
      w.name("sf").value(call.from() == null ? null : call.from().toString());
      w.endObject();
    }
    w.endArray();
    var json = w.toString();
    List<List<Message>> messages = new ArrayList<>();
    var outcomes = new PopOutcome[calls.size()];
    for (int i = 0; i < calls.size(); i++) {
      messages.add(new ArrayList<>());
    }
    boolean autoAckRequested = anyAutoAck;
    db.inTransaction("pop", true, c -> {
      try (var ps = c.prepareStatement("SELECT idx, outcome, lease_id, message_id, transaction_id,"
          + " trace_id, payload, producer_sub, created_at, queue_name, partition_name,"
          + " partition_id, retry_count FROM " + s + ".pop_v1(?::jsonb, ?)")) {
        ps.setString(1, json);
        ps.setObject(2, now());
        try (var rs = ps.executeQuery()) {
          while (rs.next()) {
            int idx = rs.getInt(1);
            var outcome = rs.getString(2);
            if (!"messages".equals(outcome)) {
              outcomes[idx] = PopOutcome.valueOf(outcome.toUpperCase());
              continue;
            }
            outcomes[idx] = PopOutcome.MESSAGES;
            var group = calls.get(idx).request().groupOrQueueMode();
            var trace = rs.getObject(6, UUID.class);
            messages.get(idx).add(new Message(rs.getObject(4, UUID.class), rs.getString(5),
                trace == null ? null : trace.toString(), rs.getString(7), rs.getString(8),
                instant(rs, 9), rs.getString(10), rs.getString(11), rs.getObject(12, UUID.class),
                rs.getString(3), group, rs.getInt(13)));
          }
        }
      }
      // Only settled (auto-acked) deliveries need a durable commit. Leases, and the row locks
      // that even an empty pop writes, may be lost in a crash: that only means an earlier
      // redelivery. Skipping the WAL flush keeps empty and leasing pops off the fsync path.
      boolean settledSomething = false;
      for (int i = 0; autoAckRequested && i < calls.size(); i++) {
        settledSomething |= calls.get(i).request().autoAck() && !messages.get(i).isEmpty();
      }
      if (!settledSomething) {
        try (var st = c.createStatement()) {
          st.execute("SET LOCAL synchronous_commit = off");
        }
      }
      return null;
    });
    // Locks this batch held are gone: waiters that skipped them may find messages now. And a
    // pop that came back full suggests more are waiting: relay to one more waiter of its group.
    var claimedQueues = new HashSet<String>();
    var fullQueues = new HashSet<String>();
    for (int i = 0; i < calls.size(); i++) {
      var list = messages.get(i);
      list.forEach(m -> claimedQueues.add(m.queue()));
      if (!list.isEmpty() && list.size() >= calls.get(i).request().batch()) {
        fullQueues.add(list.get(list.size() - 1).queue());
      }
    }
    claimedQueues.forEach(longPolls::wakeBusy);
    fullQueues.forEach(longPolls::relay);
    var results = new ArrayList<PopResult>(calls.size());
    for (int i = 0; i < calls.size(); i++) {
      var call = calls.get(i);
      var list = messages.get(i);
      var group = call.request().groupOrQueueMode();
      if (list.isEmpty()) {
        var outcome = outcomes[i] == null || outcomes[i] == PopOutcome.MESSAGES
            ? PopOutcome.NO_AVAILABLE_PARTITION : outcomes[i];
        results.add(PopResult.empty(outcome, group));
      } else {
        var partitions = new HashSet<UUID>();
        list.forEach(m -> partitions.add(m.partitionId()));
        var lease = call.request().autoAck() ? "" : call.leaseId().toString();
        results.add(new PopResult(PopOutcome.MESSAGES, lease, group, partitions.size(), list));
      }
    }
    return results;
  }

  /** A pop result nobody will receive: give it back so its messages are redelivered at once. */
  private void releaseUndeliverable(PopResult result) {
    if (result == null || result.isEmpty()) {
      return;
    }
    returnUndelivered(result).whenComplete((n, e) -> {
      if (e != null) {
        LOG.warn("could not return an undelivered pop result ({} messages): {}",
            result.messages().size(), e.getMessage());
      } else {
        LOG.debug("returned an undelivered pop result ({} messages)", result.messages().size());
      }
    });
  }

  @Override
  public CompletableFuture<Integer> returnUndelivered(PopResult result) {
    if (result == null) {
      throw new InvalidRequestException("result", "result is required");
    }
    if (result.isEmpty()) {
      return CompletableFuture.completedFuture(0);
    }
    if (result.leaseId() != null && !result.leaseId().isEmpty()) {
      return releaseLease(result.leaseId());
    }
    var messageIds = result.messages().stream().map(Message::id).toArray(UUID[]::new);
    var group = result.consumerGroup() == null ? PopRequest.QUEUE_MODE : result.consumerGroup();
    var queues = new HashSet<String>();
    result.messages().forEach(m -> queues.add(m.queue()));
    return single("return undelivered", () -> {
      int n = db.inTransaction("return undelivered messages", true, c -> {
        try (var ps = c.prepareStatement("SELECT " + s + ".unsettle_v1(?, ?)")) {
          ps.setString(1, group);
          ps.setArray(2, c.createArrayOf("uuid", messageIds));
          try (var rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
          }
        }
      });
      queues.forEach(longPolls::wake);
      return n;
    });
  }

  // ---- ack -----------------------------------------------------------------------------------

  @Override
  public CompletableFuture<List<AckResult>> ack(List<AckItem> items) {
    if (items == null) {
      throw new InvalidRequestException("acknowledgments", "acknowledgments is required");
    }
    validateAcks(items, "acknowledgments");
    if (items.isEmpty()) {
      return CompletableFuture.completedFuture(List.of());
    }
    return acks.submit(List.copyOf(items)).thenApply(results -> {
      for (var r : results) {
        if (r.leaseReleased()) {
          longPolls.wake(r.queue(), Set.of(r.partition()));
        } else if (r.queue() != null) {
          longPolls.wakeBusy(r.queue());
        }
      }
      return results;
    });
  }

  private static void validateAcks(List<AckItem> items, String field) {
    for (int i = 0; i < items.size(); i++) {
      var a = items.get(i);
      var f = field + "[" + i + "]";
      if (a == null) {
        throw new InvalidRequestException(f, f + " is required");
      }
      Validation.transactionId(f + ".transactionId", a.transactionId());
      Validation.uuid(f + ".partitionId", a.partitionId());
      if (a.status() == null) {
        throw new InvalidRequestException(f + ".status", f + ".status is required");
      }
      if (a.consumerGroup() != null) {
        Validation.name(f + ".consumerGroup", a.consumerGroup());
      }
      // refused here, or the whole batch of acks it joins would fail in the database
      Validation.text(f + ".error", a.error());
      if (a.leaseId() != null && !a.leaseId().isEmpty()) {
        Validation.uuid(f + ".leaseId", a.leaseId());
      }
    }
  }

  private static String acksJson(List<AckItem> items) {
    var w = new JsonBuilder(1024);
    w.beginArray();
    for (int i = 0; i < items.size(); i++) {
      var a = items.get(i);
      w.beginObject();
      w.name("i").value(i);
      w.name("tx").value(a.transactionId());
      w.name("pid").value(a.partitionId());
      w.name("st").value(a.status() == AckStatus.COMPLETED ? "completed" : a.status().wireName());
      w.name("g").value(a.consumerGroup() == null ? PopRequest.QUEUE_MODE : a.consumerGroup());
      w.name("lid").value(emptyToNull(a.leaseId()));
      w.name("err").value(a.error());
      w.endObject();
    }
    w.endArray();
    return w.toString();
  }

  private List<List<AckResult>> runAcks(List<List<AckItem>> calls) {
    var all = new ArrayList<AckItem>();
    calls.forEach(all::addAll);
    var json = acksJson(all);
    var flat = new AckResult[all.size()];
    db.inTransaction("ack", true, c -> {
      try (var ps = c.prepareStatement("SELECT idx, success, error, queue_name, partition_name,"
          + " lease_released, dlq FROM " + s + ".ack_v1(?::jsonb, ?)")) {
        ps.setString(1, json);
        ps.setObject(2, now());
        try (var rs = ps.executeQuery()) {
          while (rs.next()) {
            int idx = rs.getInt(1);
            flat[idx] = new AckResult(all.get(idx).transactionId(), rs.getBoolean(2),
                rs.getString(3), rs.getString(4), rs.getString(5), rs.getBoolean(6),
                rs.getBoolean(7));
          }
        }
      }
      return null;
    });
    var results = new ArrayList<List<AckResult>>(calls.size());
    int index = 0;
    for (var call : calls) {
      results.add(List.copyOf(Arrays.asList(flat).subList(index, index + call.size())));
      index += call.size();
    }
    return results;
  }

  // ---- leases --------------------------------------------------------------------------------

  @Override
  public CompletableFuture<LeaseExtension> extendLease(String leaseId, int seconds) {
    var lease = Validation.uuid("leaseId", leaseId);
    if (seconds < 1 || seconds > 86_400) {
      throw new InvalidRequestException("seconds",
          "seconds must be between 1 and 86400, was " + seconds);
    }
    return single("extend lease", () -> db.inTransaction("extend lease", true, c -> {
      try (var ps = c.prepareStatement(
          "SELECT status, expires_at FROM " + s + ".extend_lease_v1(?, ?, ?)")) {
        ps.setObject(1, lease);
        ps.setInt(2, seconds);
        ps.setObject(3, now());
        try (var rs = ps.executeQuery()) {
          rs.next();
          switch (rs.getString(1)) {
            case "extended":
              return new LeaseExtension(leaseId, true, null, instant(rs, 2));
            case "expired":
              return new LeaseExtension(leaseId, false, "Lease already expired", null);
            default:
              return new LeaseExtension(leaseId, false, "Lease not found", null);
          }
        }
      }
    }));
  }

  @Override
  public CompletableFuture<Integer> releaseLease(String leaseId) {
    var lease = Validation.uuid("leaseId", leaseId);
    return single("release lease", () -> {
      var n = db.inTransaction("release lease", true, c -> {
        try (var ps = c.prepareStatement("SELECT " + s + ".release_lease_v1(?, ?)")) {
          ps.setObject(1, lease);
          ps.setObject(2, now());
          try (var rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
          }
        }
      });
      if (n > 0) {
        longPolls.wakeAll();
      }
      return n;
    });
  }

  /**
   * Runs a background task's database work on a database thread, one run at a time per
   * {@code running} flag: a schedule that fires while the previous run is still going (or after
   * close) gets {@code whenSkipped} at once. The flag is released however the work ends.
   */
  private <T> CompletableFuture<T> oneAtATime(AtomicBoolean running, T whenSkipped, String what,
      Callable<T> work) {
    if (closed.get() || !running.compareAndSet(false, true)) {
      return CompletableFuture.completedFuture(whenSkipped);
    }
    CompletableFuture<T> f;
    try {
      f = single(what, work);
    } catch (RuntimeException e) {
      running.set(false);
      return CompletableFuture.failedFuture(e);
    }
    return f.whenComplete((r, e) -> running.set(false));
  }

  /**
   * Settles expired leases (failure counting, dead-lettering) in batches. Runs on the timer's
   * schedule; the SQL itself runs on a database thread. Public for tests and tools.
   */
  public CompletableFuture<Integer> reapLeases() {
    return oneAtATime(reaping, 0, "reap leases",
        () -> db.inTransaction("reap leases", true, this::reapExpiredLeases))
        .whenComplete((n, e) -> {
          if (e != null) {
            LOG.warn("lease reaper failed: {}", e.getMessage());
          } else if (n > 0) {
            LOG.debug("reaped {} expired lease(s)", n);
            longPolls.wakeAll();
          }
        });
  }

  private int reapExpiredLeases(Connection c) throws SQLException {
    try (var ps = c.prepareStatement("SELECT " + s + ".reap_leases_v1(?, ?)")) {
      ps.setObject(1, now());
      ps.setInt(2, REAP_BATCH);
      try (var rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  /**
   * ANALYZEs Queen's tables whose planner statistics fell behind: a table whose file more than
   * doubled (plus 8 pages) since the planner last measured it, at once (the file size is exact
   * and immediate, where row counters lag); one whose rows changed by more than 10%
   * (and 1,000 rows), at most every 10 seconds. Autovacuum looks at a database once a minute,
   * while a queue's tables change shape in seconds; with statistics from an emptier table
   * PostgreSQL plans the hot statements badly, and PL/pgSQL and foreign-key checks keep those
   * plans per connection until the next ANALYZE (measured: push batch 1 went from 975 to 2,627
   * msg/s after an ANALYZE; pushing to 10,000 new partitions ran thousands of sequential scans of
   * {@code partitions} until one; see docs/benchmarks.md). One instance at a time (advisory lock);
   * runs on a database thread every {@code statisticsInterval}. Public for tests and tools.
   */
  public CompletableFuture<List<String>> keepStatistics() {
    return oneAtATime(analyzing, List.<String>of(), "keep statistics",
        () -> db.inTransaction("keep statistics", false, this::analyzeStaleTables))
        .whenComplete((tables, e) -> {
          // it runs every second: say so once when it starts failing (a database outage) and once
          // when it recovers, not every second
          if (e != null) {
            if (statisticsFailing.compareAndSet(false, true)) {
              LOG.warn("statistics keeper failed: {} (further failures are logged at debug)",
                  e.getMessage());
            } else {
              LOG.debug("statistics keeper failed: {}", e.getMessage());
            }
          } else {
            if (statisticsFailing.compareAndSet(true, false)) {
              LOG.info("statistics keeper works again");
            }
            if (!tables.isEmpty()) {
              LOG.debug("analyzed {}", tables);
            }
          }
        });
  }

  private List<String> analyzeStaleTables(Connection c) throws SQLException {
    var analyzed = new ArrayList<String>();
    try (var st = c.createStatement();
        var rs = st.executeQuery("SELECT pg_try_advisory_xact_lock(hashtext('queen.analyze."
            + s + "'))")) {
      rs.next();
      if (!rs.getBoolean(1)) {
        return analyzed;
      }
    }
    try (var ps = c.prepareStatement("SELECT t.relname FROM pg_stat_user_tables t"
        + " JOIN pg_class k ON k.oid = t.relid"
        + " WHERE t.schemaname = ? AND (pg_relation_size(t.relid)"
        + "     > (2 * k.relpages + 8)::bigint * current_setting('block_size')::int"
        + "   OR (t.n_mod_since_analyze > greatest(1000, 0.1 * t.n_live_tup)"
        + "       AND coalesce(greatest(t.last_analyze, t.last_autoanalyze), '-infinity')"
        + "           < now() - interval '10 seconds'))")) {
      ps.setString(1, s);
      try (var rs = ps.executeQuery()) {
        while (rs.next()) {
          analyzed.add(rs.getString(1));
        }
      }
    }
    for (var table : analyzed) {
      try (var st = c.createStatement()) {
        st.execute("ANALYZE " + s + "." + table);
      }
    }
    return analyzed;
  }

  // ---- transaction ---------------------------------------------------------------------------

  @Override
  public CompletableFuture<TransactionResult> transaction(TransactionRequest request) {
    if (request == null) {
      throw new InvalidRequestException("operations", "operations is required");
    }
    if (request.acks().isEmpty() && request.pushes().isEmpty()) {
      throw new InvalidRequestException("operations", "operations array cannot be empty");
    }
    validateAcks(request.acks(), "acks");
    var push = preparePush(request.pushes(), "pushes");
    var required = new UUID[request.requiredLeases().size()];
    for (int i = 0; i < required.length; i++) {
      required[i] = Validation.uuid("requiredLeases[" + i + "]", request.requiredLeases().get(i));
    }
    var txId = ids.next();
    var acksJson = acksJson(request.acks());
    var itemsJson = pushItemsJson(List.of(push));
    return single("transaction", () -> {
      try {
        var result = db.inTransaction("transaction", true, c -> runTransaction(c, txId, request,
            push, acksJson, itemsJson, required));
        wakeQueuesOf(List.of(request.pushes()), List.of(result.pushResults()));
        return result;
      } catch (io.queen.error.QueenDatabaseException e) {
        if ("QU001".equals(e.sqlState())) {
          return new TransactionResult(txId, false, serverMessage(e), List.of(), List.of());
        }
        throw e;
      }
    });
  }

  private TransactionResult runTransaction(Connection c, UUID txId, TransactionRequest request,
      PushCall push, String acksJson, String itemsJson, UUID[] required) throws SQLException {
    var ackResults = new AckResult[request.acks().size()];
    var pushResults = new PushResult[request.pushes().size()];
    try (var ps = c.prepareStatement("SELECT kind, idx, status, message_id, partition_id,"
        + " queue_name, partition_name, lease_released, dlq FROM " + s
        + ".transaction_v1(?::jsonb, ?::jsonb, ?, ?, ?, ?, ?)")) {
      ps.setString(1, acksJson);
      ps.setString(2, itemsJson);
      ps.setArray(3, c.createArrayOf("uuid", required));
      ps.setObject(4, now());
      ps.setBoolean(5, config.autoCreateQueues());
      ps.setString(6, notifyChannel());
      ps.setString(7, instanceId);
      try (var rs = ps.executeQuery()) {
        while (rs.next()) {
          int idx = rs.getInt(2);
          if ("ack".equals(rs.getString(1))) {
            ackResults[idx] = new AckResult(request.acks().get(idx).transactionId(), true, null,
                rs.getString(6), rs.getString(7), rs.getBoolean(8), rs.getBoolean(9));
          } else {
            var item = request.pushes().get(idx);
            pushResults[idx] = new PushResult(
                PushStatus.valueOf(rs.getString(3).toUpperCase()), rs.getObject(4, UUID.class),
                rs.getObject(5, UUID.class), push.transactionIds()[idx],
                emptyToNull(item.traceId()), item.queue(), null);
          }
        }
      }
    }
    return new TransactionResult(txId, true, null, List.of(ackResults), List.of(pushResults));
  }

  // ---- dead-letter queue ---------------------------------------------------------------------

  @Override
  public CompletableFuture<DlqPage> listDlq(DlqQuery q) {
    if (q == null) {
      throw new InvalidRequestException("query", "dead-letter query is required");
    }
    var where = " WHERE (?::text IS NULL OR qu.name = ?) AND (?::text IS NULL OR pa.name = ?)"
        + " AND (?::text IS NULL OR d.consumer_group = ?)"
        + " AND (?::timestamptz IS NULL OR d.failed_at >= ?)"
        + " AND (?::timestamptz IS NULL OR d.failed_at < ?)";
    var from = " FROM " + s + ".dead_letter_queue d JOIN " + s + ".messages m ON m.id = d.message_id"
        + " JOIN " + s + ".partitions pa ON pa.id = d.partition_id"
        + " JOIN " + s + ".queues qu ON qu.id = pa.queue_id";
    return single("list dlq", () -> db.withConnection("list dead letters", c -> {
      var entries = new ArrayList<DlqEntry>();
      try (var ps = c.prepareStatement("SELECT d.message_id, m.transaction_id, d.partition_id,"
          + " qu.name, pa.name, d.consumer_group, d.error_message, d.retry_count, m.payload::text,"
          + " m.producer_sub, m.created_at, d.failed_at" + from + where
          + " ORDER BY d.failed_at DESC, d.id LIMIT ? OFFSET ?")) {
        int i = bindDlqFilter(ps, q);
        ps.setInt(i++, q.limit());
        ps.setInt(i, q.offset());
        try (var rs = ps.executeQuery()) {
          while (rs.next()) {
            entries.add(new DlqEntry(rs.getObject(1, UUID.class), rs.getString(2),
                rs.getObject(3, UUID.class), rs.getString(4), rs.getString(5), rs.getString(6),
                rs.getString(7), rs.getInt(8), rs.getString(9), rs.getString(10), instant(rs, 11),
                instant(rs, 12)));
          }
        }
      }
      long total;
      try (var ps = c.prepareStatement("SELECT count(*)" + from + where)) {
        bindDlqFilter(ps, q);
        try (var rs = ps.executeQuery()) {
          rs.next();
          total = rs.getLong(1);
        }
      }
      return new DlqPage(entries, total, q.limit(), q.offset());
    }));
  }

  private static int bindDlqFilter(PreparedStatement ps, DlqQuery q) throws SQLException {
    int i = 1;
    for (var v : new String[] {q.queue(), q.partition(), q.consumerGroup()}) {
      ps.setString(i++, v);
      ps.setString(i++, v);
    }
    for (var v : new Instant[] {q.from(), q.to()}) {
      var t = v == null ? null : OffsetDateTime.ofInstant(v, ZoneOffset.UTC);
      ps.setObject(i++, t);
      ps.setObject(i++, t);
    }
    return i;
  }

  @Override
  public CompletableFuture<Integer> requeueDlq(DlqRequeue request) {
    if (request == null) {
      throw new InvalidRequestException("request", "requeue request is required");
    }
    Validation.name("queue", request.queue());
    if (request.consumerGroup() != null) {
      Validation.name("consumerGroup", request.consumerGroup());
    }
    return single("requeue dlq", () -> {
      int n = db.inTransaction("requeue dead letters", true, c -> {
        try (var ps = c.prepareStatement("SELECT " + s + ".requeue_dlq_v1(?, ?, ?)")) {
          ps.setString(1, request.queue());
          ps.setString(2, request.consumerGroup());
          Array ids = request.messageIds().isEmpty() ? null
              : c.createArrayOf("uuid", request.messageIds().toArray());
          ps.setArray(3, ids);
          try (var rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
          }
        }
      });
      if (n > 0) {
        longPolls.wake(request.queue());
      }
      return n;
    });
  }

  // ---- traces --------------------------------------------------------------------------------

  @Override
  public CompletableFuture<UUID> recordTrace(TraceEvent event) {
    if (event == null) {
      throw new InvalidRequestException("trace", "trace event is required");
    }
    Validation.transactionId("transactionId", event.transactionId());
    var partitionId = Validation.uuid("partitionId", event.partitionId());
    if (event.dataJson() == null) {
      throw new InvalidRequestException("data", "data is required");
    }
    Validation.json("data", event.dataJson());
    for (int i = 0; i < event.traceNames().size(); i++) {
      Validation.name("traceNames[" + i + "]", event.traceNames().get(i));
    }
    if (event.consumerGroup() != null) {
      Validation.name("consumerGroup", event.consumerGroup());
    }
    var traceId = ids.next();
    return single("record trace", () -> db.inTransaction("record trace", true, c -> {
      var now = now();
      try (var ps = c.prepareStatement("INSERT INTO " + s + ".message_traces (id, message_id,"
          + " partition_id, transaction_id, consumer_group, event_type, data, worker_id,"
          + " created_at) SELECT ?, m.id, m.partition_id, m.transaction_id, ?, ?, ?::jsonb, ?, ?"
          + " FROM " + s + ".messages m WHERE m.partition_id = ? AND m.transaction_id = ?")) {
        int i = 1;
        ps.setObject(i++, traceId);
        ps.setString(i++, event.consumerGroup() == null ? PopRequest.QUEUE_MODE : event.consumerGroup());
        ps.setString(i++, event.eventType() == null ? "info" : event.eventType());
        ps.setString(i++, event.dataJson());
        ps.setString(i++, instanceId); // worker_id
        ps.setObject(i++, now);
        ps.setObject(i++, partitionId);
        ps.setString(i, event.transactionId());
        if (ps.executeUpdate() == 0) {
          throw new NotFoundException("Message not found");
        }
      }
      if (!event.traceNames().isEmpty()) {
        try (var ps = c.prepareStatement("INSERT INTO " + s + ".message_trace_names (trace_id,"
            + " trace_name, created_at) SELECT ?, unnest(?::text[]), ? ON CONFLICT DO NOTHING")) {
          ps.setObject(1, traceId);
          ps.setArray(2, c.createArrayOf("text", event.traceNames().toArray()));
          ps.setObject(3, now);
          ps.executeUpdate();
        }
      }
      return traceId;
    }));
  }

  private static final String TRACE_COLUMNS = "t.id, t.transaction_id, t.partition_id,"
      + " t.event_type, t.data::text, t.consumer_group, t.worker_id, t.created_at,"
      + " ARRAY(SELECT n.trace_name FROM %1$s.message_trace_names n WHERE n.trace_id = t.id"
      + " ORDER BY n.trace_name)";

  @Override
  public CompletableFuture<List<TraceRecord>> traces(String partitionId, String transactionId) {
    var pid = Validation.uuid("partitionId", partitionId);
    Validation.transactionId("transactionId", transactionId);
    return single("traces", () -> db.withConnection("read traces", c -> {
      try (var ps = c.prepareStatement("SELECT " + String.format(TRACE_COLUMNS, s)
          + " FROM " + s + ".message_traces t WHERE t.partition_id = ? AND t.transaction_id = ?"
          + " ORDER BY t.created_at, t.id")) {
        ps.setObject(1, pid);
        ps.setString(2, transactionId);
        var list = new ArrayList<TraceRecord>();
        try (var rs = ps.executeQuery()) {
          while (rs.next()) {
            list.add(traceRecord(rs, null, null, null));
          }
        }
        return list;
      }
    }));
  }

  @Override
  public CompletableFuture<TracePage> tracesByName(String traceName, int limit, int offset) {
    Validation.name("traceName", traceName);
    checkPaging(limit, offset);
    return single("traces by name", () -> db.withConnection("read traces", c -> {
      var list = new ArrayList<TraceRecord>();
      try (var ps = c.prepareStatement("SELECT " + String.format(TRACE_COLUMNS, s)
          + ", qu.name, pa.name, m.payload::text FROM " + s + ".message_trace_names n0"
          + " JOIN " + s + ".message_traces t ON t.id = n0.trace_id"
          + " LEFT JOIN " + s + ".messages m ON m.id = t.message_id"
          + " LEFT JOIN " + s + ".partitions pa ON pa.id = t.partition_id"
          + " LEFT JOIN " + s + ".queues qu ON qu.id = pa.queue_id"
          + " WHERE n0.trace_name = ? ORDER BY t.created_at DESC, t.id LIMIT ? OFFSET ?")) {
        ps.setString(1, traceName);
        ps.setInt(2, limit);
        ps.setInt(3, offset);
        try (var rs = ps.executeQuery()) {
          while (rs.next()) {
            list.add(traceRecord(rs, rs.getString(10), rs.getString(11), rs.getString(12)));
          }
        }
      }
      long total;
      try (var ps = c.prepareStatement(
          "SELECT count(*) FROM " + s + ".message_trace_names WHERE trace_name = ?")) {
        ps.setString(1, traceName);
        try (var rs = ps.executeQuery()) {
          rs.next();
          total = rs.getLong(1);
        }
      }
      return new TracePage(list, total, limit, offset);
    }));
  }

  @Override
  public CompletableFuture<TraceNamePage> traceNames(int limit, int offset) {
    checkPaging(limit, offset);
    return single("trace names", () -> db.withConnection("read trace names", c -> {
      var list = new ArrayList<TraceName>();
      try (var ps = c.prepareStatement("SELECT n.trace_name, count(*),"
          + " count(DISTINCT t.message_id), max(t.created_at) FROM " + s
          + ".message_trace_names n JOIN " + s + ".message_traces t ON t.id = n.trace_id"
          + " GROUP BY n.trace_name ORDER BY max(t.created_at) DESC, n.trace_name"
          + " LIMIT ? OFFSET ?")) {
        ps.setInt(1, limit);
        ps.setInt(2, offset);
        try (var rs = ps.executeQuery()) {
          while (rs.next()) {
            list.add(new TraceName(rs.getString(1), rs.getLong(2), rs.getLong(3), instant(rs, 4)));
          }
        }
      }
      long total;
      try (var ps = c.prepareStatement(
          "SELECT count(DISTINCT trace_name) FROM " + s + ".message_trace_names");
          var rs = ps.executeQuery()) {
        rs.next();
        total = rs.getLong(1);
      }
      return new TraceNamePage(list, total, limit, offset);
    }));
  }

  private static TraceRecord traceRecord(ResultSet rs, String queue, String partition,
      String payload) throws SQLException {
    var names = (String[]) rs.getArray(9).getArray();
    return new TraceRecord(rs.getObject(1, UUID.class), rs.getString(2),
        rs.getObject(3, UUID.class), rs.getString(4), rs.getString(5), rs.getString(6),
        rs.getString(7), instant(rs, 8), List.of(names), queue, partition, payload);
  }

  private static void checkPaging(int limit, int offset) {
    if (limit < 1 || limit > 10_000) {
      throw new InvalidRequestException("limit", "limit must be between 1 and 10000, was " + limit);
    }
    if (offset < 0) {
      throw new InvalidRequestException("offset", "offset must be zero or positive, was " + offset);
    }
  }

  // ---- health, stats, lifecycle --------------------------------------------------------------

  @Override
  public CompletableFuture<Boolean> checkDatabase() {
    CompletableFuture<Boolean> check;
    try {
      check = single("health", () -> db.withConnection("health check", c -> {
        try (var st = c.createStatement(); var rs = st.executeQuery("SELECT 1")) {
          return rs.next();
        }
      }));
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(false);
    }
    return check.exceptionally(e -> false);
  }

  @Override
  public EngineStats stats() {
    var ops = new LinkedHashMap<String, EngineStats.OperationStats>();
    ops.put("push", pushes.stats());
    ops.put("pop", pops.stats());
    ops.put("ack", acks.stats());
    ops.put("other", singles.stats());
    int active = 0;
    int idle = 0;
    int waiting = 0;
    if (db.dataSource() instanceof com.zaxxer.hikari.HikariDataSource) {
      var mx = ((com.zaxxer.hikari.HikariDataSource) db.dataSource()).getHikariPoolMXBean();
      if (mx != null) {
        active = mx.getActiveConnections();
        idle = mx.getIdleConnections();
        waiting = mx.getThreadsAwaitingConnection();
      }
    }
    return new EngineStats(ops, longPolls.waitingCount(), active, idle, waiting);
  }

  /** The channel pushes NOTIFY, or null when no other instance would hear it. */
  private String notifyChannel() {
    return config.listenNotify() && othersListening ? channel : null;
  }

  /**
   * Counts the sessions of other instances LISTENing on this engine's channel (their last query,
   * in {@code pg_stat_activity}, is the {@code LISTEN}) and decides whether pushes NOTIFY. A
   * session whose query this role may not see counts as a listener. An instance that starts
   * listening is heard from within one census interval (1 s); until then its waiters rely on their
   * recheck. Runs on a database thread; public for tests.
   *
   * @return whether pushes NOTIFY from now on
   */
  public CompletableFuture<Boolean> countListeners() {
    if (!config.listenNotify()) {
      return CompletableFuture.completedFuture(false);
    }
    int ownPid = listener.backendPid();
    return oneAtATime(countingListeners, othersListening, "count listeners",
        () -> db.withConnection("count listeners", c -> otherListeners(c, ownPid)))
        .handle((others, e) -> {
          if (e != null) {
            othersListening = true; // when in doubt, notify
            LOG.debug("counting listeners failed: {}", e.getMessage());
          } else if (others != othersListening) {
            othersListening = others;
            LOG.info("{} on {}: {}", others ? "pushes NOTIFY" : "pushes skip NOTIFY", channel,
                others ? "another instance is listening" : "no other instance is listening");
          }
          return othersListening;
        });
  }

  private boolean otherListeners(Connection c, int ownPid) throws SQLException {
    // without track_activities the queries are not there to see: then always notify
    try (var ps = c.prepareStatement("SELECT count(*) FILTER (WHERE a.query = ? AND a.pid <> ?)"
        + " + count(*) FILTER (WHERE a.query = '<insufficient privilege>')"
        + " + CASE WHEN current_setting('track_activities')::boolean THEN 0 ELSE 1 END"
        + " FROM pg_stat_activity a WHERE a.datname = current_database()")) {
      ps.setString(1, "LISTEN " + channel);
      ps.setInt(2, ownPid);
      try (var rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1) > 0;
      }
    }
  }

  /** Whether the LISTEN connection is up (false when LISTEN/NOTIFY is disabled). */
  public boolean isListening() {
    return listener != null && listener.isListening();
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    LOG.info("Queen engine {} closing", instanceId);
    var timeout = config.shutdownTimeout();
    pushes.close();
    pops.close();
    acks.close();
    longPolls.close();
    singles.close();
    if (listener != null) {
      listener.stop();
    }
    timer.shutdownNow();
    Executors2.shutdownAndAwait(dbExecutor, "queen-db", timeout);
    pushes.abandonQueued();
    pops.abandonQueued();
    acks.abandonQueued();
    singles.abandonQueued();
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
    LOG.info("Queen engine {} closed", instanceId);
  }

  // ---- helpers -------------------------------------------------------------------------------

  @SuppressWarnings("unchecked")
  private <T> CompletableFuture<T> single(String what, Callable<T> work) {
    return (CompletableFuture<T>) singles.submit(work);
  }

  private List<Object> runSingle(List<Callable<?>> works) {
    var results = new ArrayList<Object>(works.size());
    for (var w : works) {
      try {
        results.add(w.call());
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    return results;
  }

  private OffsetDateTime now() {
    return OffsetDateTime.ofInstant(config.clock().instant(), ZoneOffset.UTC);
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    var t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  private static String emptyToNull(String v) {
    return v == null || v.isEmpty() ? null : v;
  }

  /** PostgreSQL's own message, without the JDBC prefix and the "Where:" context lines. */
  private static String serverMessage(io.queen.error.QueenDatabaseException e) {
    var cause = e.getCause();
    if (cause instanceof org.postgresql.util.PSQLException) {
      var sem = ((org.postgresql.util.PSQLException) cause).getServerErrorMessage();
      if (sem != null && sem.getMessage() != null) {
        return sem.getMessage();
      }
    }
    return e.getMessage();
  }
}
