package io.queen.metrics.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.queen.QueueManager;
import io.queen.admin.SummarySnapshot;
import io.queen.metrics.QueenMetrics;
import io.queen.model.EngineStats;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Queen's metrics in a Micrometer {@link MeterRegistry}: hand one to
 * {@link io.queen.QueenConfig.Builder#metrics}. Micrometer is an optional dependency of
 * queen-core; an application that does not use this class does not need it.
 *
 * <p>Meter names are Micrometer's dotted form of the original Queen server's Prometheus families
 * where one exists ({@code queen.db.pool.size} is {@code queen_db_pool_size} in Prometheus); the
 * full list, with their Prometheus names, is in docs/operations.md. Request latencies, batch waits
 * and long-poll waits are timers with percentile histograms (and 0.5/0.95/0.99 percentiles);
 * per-queue depth, lag and dead-letter gauges read the engine's latest summaries
 * ({@link io.queen.admin.QueenAdmin#lastSummaries()}), never the database.
 *
 * <p>Threads: the engine calls the recording methods from its threads, concurrently; meters are
 * looked up once per operation, queue or job and kept. Gauges are read on the registry's thread
 * (the scrape); {@link #refreshQueueGauges()} may be called from any thread.
 */
public final class MicrometerMetrics implements QueenMetrics {
  /** The per-queue gauges are brought up to date at most this often when read. */
  static final Duration QUEUE_GAUGES_MAX_AGE = Duration.ofSeconds(1);

  private final MeterRegistry registry;
  private final Clock clock;
  private final ConcurrentHashMap<String, OperationMeters> operations = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, QueueMeters> queues = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, JobMeters> jobs = new ConcurrentHashMap<>();
  private final Counter leasesExpired;
  private final Counter longPollsParked;
  private final Counter longPollsDelivered;
  private final Counter longPollsTimedOut;
  private final Timer longPollWaitDelivered;
  private final Timer longPollWaitTimedOut;
  private final ConcurrentHashMap<String, AtomicInteger> parkedByQueue = new ConcurrentHashMap<>();

  private final MultiGauge queueMessages;
  private final MultiGauge queuePending;
  private final MultiGauge queueProcessing;
  private final MultiGauge queueDeadLetters;
  private final MultiGauge groupLagMessages;
  private final MultiGauge groupLagSeconds;
  private final MultiGauge parkedConsumers;
  private final Object refreshLock = new Object();
  private volatile long refreshedAtMillis = Long.MIN_VALUE / 2;
  private volatile QueueManager queen;
  private volatile SummarySnapshot lastShown;
  private volatile double deadLettersTotal;

  /**
   * Records into {@code registry}; the system clock ages the per-queue gauges.
   *
   * @param registry where the meters are registered; not null
   * @throws IllegalArgumentException when {@code registry} is null
   */
  public MicrometerMetrics(MeterRegistry registry) {
    this(registry, Clock.systemUTC());
  }

  /**
   * Records into {@code registry}; {@code clock} ages the per-queue gauges (tests).
   *
   * @param registry where the meters are registered; not null
   * @param clock decides when the per-queue gauges are due to be refreshed; not null
   * @throws IllegalArgumentException when {@code registry} or {@code clock} is null
   */
  public MicrometerMetrics(MeterRegistry registry, Clock clock) {
    if (registry == null || clock == null) {
      throw new IllegalArgumentException("registry and clock are required");
    }
    this.registry = registry;
    this.clock = clock;
    this.leasesExpired = Counter.builder("queen.leases.expired")
        .description("Expired leases the reaper settled (retried or dead-lettered)")
        .register(registry);
    this.longPollsParked = Counter.builder("queen.long.polls.parked")
        .description("Pops that found nothing and waited for messages").register(registry);
    this.longPollsDelivered = Counter.builder("queen.long.polls.ended")
        .tag("outcome", "delivered").description("Parked long polls that ended")
        .register(registry);
    this.longPollsTimedOut = Counter.builder("queen.long.polls.ended")
        .tag("outcome", "timed_out").description("Parked long polls that ended")
        .register(registry);
    this.longPollWaitDelivered = latency("queen.long.poll.wait", "How long a parked long poll waited")
        .tag("outcome", "delivered").register(registry);
    this.longPollWaitTimedOut = latency("queen.long.poll.wait", "How long a parked long poll waited")
        .tag("outcome", "timed_out").register(registry);
    this.queueMessages = multi("queen.queue.messages", "Messages stored in the queue");
    this.queuePending = multi("queen.queue.pending.messages",
        "Messages not yet consumed and not leased");
    this.queueProcessing = multi("queen.queue.processing.messages", "Messages leased right now");
    this.queueDeadLetters = multi("queen.dlq.depth.by.queue", "Dead letters of the queue");
    this.groupLagMessages = multi("queen.consumer.group.lag.messages",
        "Messages the consumer group has not consumed yet in the queue");
    this.groupLagSeconds = multi("queen.consumer.group.lag.seconds",
        "Age of the oldest message the consumer group has not consumed yet in the queue");
    this.parkedConsumers = multi("queen.queue.parked.consumers",
        "Long polls parked on the queue on this instance");
    Gauge.builder("queen.dlq.depth", this, m -> m.refreshed().deadLettersTotal)
        .description("Dead letters of every queue").register(registry);
    Gauge.builder("queen.queue.metrics.age.seconds", this, MicrometerMetrics::summariesAgeSeconds)
        .description("Age of the summaries the per-queue gauges show (NaN: none yet)")
        .register(registry);
  }

  private MultiGauge multi(String name, String description) {
    return MultiGauge.builder(name).description(description).register(registry);
  }

  /**
   * Latency histograms with fixed buckets, 0.5 ms to 60 s, for {@code histogram_quantile} over
   * every instance. Fixed buckets rather than Micrometer's percentile histogram (about 70 buckets
   * a timer) or client-side percentiles (not aggregatable, and each scrape computes them): a
   * scrape costs per sample (docs/benchmarks.md, "Prometheus scrape").
   */
  private static Timer.Builder latency(String name, String description) {
    return Timer.builder(name).description(description).serviceLevelObjectives(LATENCY_BUCKETS);
  }

  private static final Duration[] LATENCY_BUCKETS = {
      Duration.ofMillis(1).dividedBy(2), Duration.ofMillis(1), Duration.ofMillis(2),
      Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
      Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
      Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
      Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60)};

  // ---- engine events (the engine's threads) -----------------------------------------------

  private final class OperationMeters {
    final Counter requests;
    final Counter items;
    final Counter refused;
    final Counter failed;
    final Timer latency;
    final Timer batchWait;
    final Timer batchDuration;
    final DistributionSummary batchRequests;

    OperationMeters(String op) {
      var tags = Tags.of("operation", op);
      requests = Counter.builder("queen.requests").tags(tags)
          .description("Requests accepted by the engine").register(registry);
      items = Counter.builder("queen.request.items").tags(tags)
          .description("Items (messages, acks, pops) in the accepted requests").register(registry);
      refused = Counter.builder("queen.requests.refused").tags(tags)
          .description("Requests refused before they were queued (full or closing)")
          .register(registry);
      failed = Counter.builder("queen.requests.failed").tags(tags)
          .description("Requests that failed").register(registry);
      latency = latency("queen.request.duration", "From accepted to answered")
          .tags(tags).register(registry);
      batchWait = latency("queen.batch.wait",
          "How long a batch's oldest request waited for the batch (group commit)")
          .tags(tags).register(registry);
      batchDuration = latency("queen.batch.duration", "One batch's database transaction")
          .tags(tags).register(registry);
      batchRequests = DistributionSummary.builder("queen.batch.requests").tags(tags)
          .description("Requests carried by one batch")
          .serviceLevelObjectives(1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000)
          .register(registry);
    }
  }

  /**
   * A counter registered on its first increment: a queue gets series only for what happened to it
   * (a scrape costs per series, and most queues never see a dead letter or a transaction).
   */
  private final class LazyCounter {
    private final Counter.Builder builder;
    private volatile Counter counter;

    LazyCounter(Counter.Builder builder) {
      this.builder = builder;
    }

    void increment(double amount) {
      var c = counter;
      if (c == null) {
        c = builder.register(registry); // idempotent: racing threads get the same counter
        counter = c;
      }
      c.increment(amount);
    }

    void increment() {
      increment(1);
    }
  }

  private final class QueueMeters {
    final LazyCounter pushed;
    final LazyCounter popped;
    final LazyCounter emptyPops;
    final LazyCounter popLagSeconds;
    final LazyCounter acksApplied;
    final LazyCounter acksFailed;
    final LazyCounter deadLettered;
    final LazyCounter transactions;
    final ConcurrentHashMap<String, Counter> removed = new ConcurrentHashMap<>();
    final String queue;

    QueueMeters(String queue) {
      this.queue = queue;
      var tags = Tags.of("queue", queue);
      pushed = new LazyCounter(Counter.builder("queen.messages.pushed").tags(tags)
          .description("Messages pushed and committed"));
      popped = new LazyCounter(Counter.builder("queen.messages.popped").tags(tags)
          .description("Messages delivered by pops"));
      emptyPops = new LazyCounter(Counter.builder("queen.pops.empty").tags(tags)
          .description("Pops that found nothing"));
      popLagSeconds = new LazyCounter(Counter.builder("queen.messages.popped.lag")
          .baseUnit("seconds").tags(tags)
          .description("Summed time from push to delivery of the delivered messages "
              + "(divide by queen_messages_popped_total)"));
      acksApplied = new LazyCounter(Counter.builder("queen.acks").tags(tags).tag("result", "applied")
          .description("Acks by result"));
      acksFailed = new LazyCounter(Counter.builder("queen.acks").tags(tags).tag("result", "refused")
          .description("Acks by result"));
      deadLettered = new LazyCounter(Counter.builder("queen.dlq.moves").tags(tags)
          .description("Messages moved to the dead-letter queue by a failed ack"));
      transactions = new LazyCounter(Counter.builder("queen.transactions").tags(tags)
          .description("Committed transactions that touched the queue"));
    }

    Counter removed(String kind) {
      return removed.computeIfAbsent(kind, k -> Counter.builder("queen.removed.messages")
          .tags("queue", queue, "kind", k)
          .description("Messages (or partitions) removed by the lifecycle").register(registry));
    }
  }

  private final class JobMeters {
    final Counter ran;
    final Counter failed;
    final Counter skipped;
    final Timer duration;

    JobMeters(String job) {
      ran = Counter.builder("queen.job.runs").tags("job", job, "outcome", "ran")
          .description("Background job runs by outcome").register(registry);
      failed = Counter.builder("queen.job.runs").tags("job", job, "outcome", "failed")
          .description("Background job runs by outcome").register(registry);
      skipped = Counter.builder("queen.job.runs").tags("job", job, "outcome", "skipped")
          .description("Background job runs by outcome").register(registry);
      duration = Timer.builder("queen.job.duration").tag("job", job)
          .description("One run of a background job").register(registry);
    }
  }

  private OperationMeters op(String operation) {
    return getOrCreate(operations, operation, OperationMeters::new);
  }

  private QueueMeters queue(String queue) {
    return getOrCreate(queues, queue, QueueMeters::new);
  }

  private JobMeters job(String job) {
    return getOrCreate(jobs, job, JobMeters::new);
  }

  /** A get first: computeIfAbsent may lock the bin even when the key is there. */
  private static <K, V> V getOrCreate(Map<K, V> map, K key, Function<K, V> create) {
    var v = map.get(key);
    return v != null ? v : map.computeIfAbsent(key, create);
  }

  @Override
  public void requestAccepted(String operation, int items) {
    var m = op(operation);
    m.requests.increment();
    m.items.increment(items);
  }

  @Override
  public void requestRefused(String operation) {
    op(operation).refused.increment();
  }

  @Override
  public void batchStarted(String operation, int requests, long waitedNanos) {
    var m = op(operation);
    m.batchRequests.record(requests);
    m.batchWait.record(waitedNanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void batchCommitted(String operation, int requests, long nanos) {
    op(operation).batchDuration.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void requestCompleted(String operation, long nanos) {
    op(operation).latency.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void requestFailed(String operation) {
    op(operation).failed.increment();
  }

  @Override
  public void jobRan(String job, long nanos) {
    var m = job(job);
    m.ran.increment();
    m.duration.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void jobFailed(String job) {
    job(job).failed.increment();
  }

  @Override
  public void jobSkipped(String job) {
    job(job).skipped.increment();
  }

  @Override
  public void removed(String queue, String kind, int count) {
    queue(queue).removed(kind).increment(count);
  }

  @Override
  public void pushed(String queue, int messages) {
    queue(queue).pushed.increment(messages);
  }

  @Override
  public void popped(String queue, int messages, long lagSumMillis, long lagMaxMillis) {
    var m = queue(queue);
    if (messages == 0) {
      m.emptyPops.increment();
      return;
    }
    m.popped.increment(messages);
    m.popLagSeconds.increment(lagSumMillis / 1000.0);
  }

  @Override
  public void acked(String queue, int applied, int failed, int deadLettered) {
    var m = queue(queue);
    if (applied > 0) {
      m.acksApplied.increment(applied);
    }
    if (failed > 0) {
      m.acksFailed.increment(failed);
    }
    if (deadLettered > 0) {
      m.deadLettered.increment(deadLettered);
    }
  }

  @Override
  public void transactionCommitted(String queue) {
    queue(queue).transactions.increment();
  }

  @Override
  public void leasesExpired(int count) {
    leasesExpired.increment(count);
  }

  @Override
  public void longPollParked(String queue) {
    // the per-queue count first: whoever sees the counter move also sees the parked poll
    parkedByQueue.computeIfAbsent(queue, q -> new AtomicInteger()).incrementAndGet();
    longPollsParked.increment();
  }

  @Override
  public void longPollEnded(String queue, boolean delivered, long waitedNanos) {
    var n = parkedByQueue.get(queue);
    if (n != null) {
      n.decrementAndGet();
    }
    (delivered ? longPollWaitDelivered : longPollWaitTimedOut)
        .record(waitedNanos, TimeUnit.NANOSECONDS);
    (delivered ? longPollsDelivered : longPollsTimedOut).increment();
  }

  // ---- gauges (the registry's thread) ---------------------------------------------------

  @Override
  public void started(QueueManager queen) {
    this.queen = queen;
    gauge("queen.db.pool.size", "Database connections in the pool",
        s -> s.poolActive() + s.poolIdle());
    gauge("queen.db.pool.active", "Database connections in use", EngineStats::poolActive);
    gauge("queen.db.pool.idle", "Idle database connections", EngineStats::poolIdle);
    gauge("queen.db.pool.waiting", "Threads waiting for a database connection",
        EngineStats::poolWaiting);
    gauge("queen.long.polls.waiting", "Long polls parked now", EngineStats::waitingPops);
    gauge("queen.listening", "1 while the LISTEN connection for other instances' pushes is up",
        s -> s.listening() ? 1 : 0);
    for (var operation : new String[] {"push", "pop", "ack", "other"}) {
      Gauge.builder("queen.operations.queued", queen, q -> operation(q, operation).queued())
          .tag("operation", operation).description("Requests waiting for a batch")
          .register(registry);
      Gauge.builder("queen.operations.in.flight", queen, q -> operation(q, operation).inFlight())
          .tag("operation", operation).description("Batches running").register(registry);
    }
    Gauge.builder("queen.file.buffer.pending", queen, q -> q.bufferStatus().pendingMessages())
        .description("Messages in the file buffer waiting for the database").register(registry);
    Gauge.builder("queen.file.buffer.failed", queen, q -> q.bufferStatus().rejectedMessages())
        .description("Buffered messages the database refused for good (rejected.jsonl)")
        .register(registry);
    Gauge.builder("queen.file.buffer.bytes", queen, q -> q.bufferStatus().bytesOnDisk())
        .baseUnit("bytes").description("Bytes the file buffer holds on disk").register(registry);
    Gauge.builder("queen.file.buffer.db.healthy", queen,
            q -> q.bufferStatus().databaseHealthy() ? 1 : 0)
        .description("1 while the file buffer finds the database reachable").register(registry);
    Gauge.builder("queen.maintenance.mode.enabled", queen,
            q -> q.maintenance().pushMaintenance() ? 1 : 0)
        .description("1 while push maintenance is on (pushes are buffered)").register(registry);
    Gauge.builder("queen.pop.maintenance.mode.enabled", queen,
            q -> q.maintenance().popMaintenance() ? 1 : 0)
        .description("1 while pop maintenance is on (pops answer nothing)").register(registry);
  }

  private void gauge(String name, String description, ToDoubleFunction<EngineStats> value) {
    Gauge.builder(name, queen, q -> value.applyAsDouble(q.stats()))
        .description(description).register(registry);
  }

  private static EngineStats.OperationStats operation(QueueManager q, String operation) {
    var s = q.stats().operations().get(operation);
    return s != null ? s : new EngineStats.OperationStats(0, 0, 0, 0, 0, 0, 0, 0, 0);
  }

  /**
   * Brings the per-queue gauges (depth, processing, dead letters, consumer-group lag, parked long
   * polls) up to date with the engine's newest summaries; queues and groups that are gone lose
   * their gauges. Reads memory only. Gauge reads call it at most once a second; a scrape that
   * wants the newest values calls it first. Any thread.
   */
  public void refreshQueueGauges() {
    var q = queen;
    if (q == null) {
      return;
    }
    synchronized (refreshLock) {
      refreshedAtMillis = clock.millis();
      var parked = new ArrayList<MultiGauge.Row<?>>();
      parkedByQueue.forEach((queue, n) -> {
        if (n.get() > 0) {
          parked.add(MultiGauge.Row.of(Tags.of("queue", queue), n.get()));
        }
      });
      parkedConsumers.register(parked, true);
      var snapshot = q.admin().lastSummaries().orElse(null);
      if (snapshot == null || snapshot == lastShown) {
        return;
      }
      lastShown = snapshot;
      var messages = new ArrayList<MultiGauge.Row<?>>();
      var pending = new ArrayList<MultiGauge.Row<?>>();
      var processing = new ArrayList<MultiGauge.Row<?>>();
      var dead = new ArrayList<MultiGauge.Row<?>>();
      double deadTotal = 0;
      for (var s : snapshot.queues()) {
        var tags = Tags.of("queue", s.name());
        messages.add(MultiGauge.Row.of(tags, s.messages().total()));
        pending.add(MultiGauge.Row.of(tags, s.messages().pending()));
        processing.add(MultiGauge.Row.of(tags, s.messages().processing()));
        dead.add(MultiGauge.Row.of(tags, s.messages().deadLetter()));
        deadTotal += s.messages().deadLetter();
      }
      var lag = new ArrayList<MultiGauge.Row<?>>();
      var lagSeconds = new ArrayList<MultiGauge.Row<?>>();
      for (var g : snapshot.groups()) {
        var tags = Tags.of("group", g.group(), "queue", g.queue());
        lag.add(MultiGauge.Row.of(tags, g.totalLag()));
        lagSeconds.add(MultiGauge.Row.of(tags, g.maxTimeLagSeconds()));
      }
      queueMessages.register(messages, true);
      queuePending.register(pending, true);
      queueProcessing.register(processing, true);
      queueDeadLetters.register(dead, true);
      groupLagMessages.register(lag, true);
      groupLagSeconds.register(lagSeconds, true);
      deadLettersTotal = deadTotal;
    }
  }

  private MicrometerMetrics refreshed() {
    if (clock.millis() - refreshedAtMillis >= QUEUE_GAUGES_MAX_AGE.toMillis()) {
      refreshQueueGauges();
    }
    return this;
  }

  private double summariesAgeSeconds() {
    var s = refreshed().lastShown;
    return s == null ? Double.NaN
        : Math.max(0, clock.millis() - s.computedAt().toEpochMilli()) / 1000.0;
  }

}
