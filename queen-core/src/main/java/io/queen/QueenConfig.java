package io.queen;

import io.queen.metrics.QueenMetrics;
import io.queen.tracing.QueenTracing;
import io.queen.model.SubscriptionMode;
import io.queen.time.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The engine's configuration: immutable, validated when built. Build with {@link #builder()};
 * {@link Builder#build()} reports every invalid setting at once, each with its value.
 *
 * @param schema PostgreSQL schema holding Queen's tables (created if missing)
 * @param dbThreads threads running database work = most transactions in flight at once; the
 *     {@code DataSource} must offer at least this many connections plus one for LISTEN
 * @param maxBatchItems most items (pushed messages, acks, pops) one group-commit transaction carries
 * @param maxConcurrentBatches most transactions of one operation kind in flight at once
 * @param maxQueuedRequests most requests of one kind waiting for a transaction; beyond it requests
 *     are refused with {@link io.queen.error.OverloadedException}
 * @param maxWaitingPops most long polls parked at once; beyond it they are refused the same way
 * @param defaultSubscriptionMode where a new named group starts when a pop does not say
 * @param longPollRecheckInterval the longest a parked long poll goes without re-checking the
 *     database when no wake-up arrives (the fallback behind in-process and LISTEN/NOTIFY wake-ups)
 * @param listenNotify whether to LISTEN for pushes committed by other instances
 * @param autoCreateQueues whether a push to an unknown queue creates it
 * @param leaseReaperInterval how often expired leases are settled (failure counting, DLQ)
 * @param lifecycle how retention and eviction run (see {@link LifecycleSettings})
 * @param statisticsInterval how often the statistics keeper checks whether Queen's tables need an
 *     ANALYZE (see docs/operations.md); {@link Duration#ZERO} turns it off
 * @param summaryInterval how old the operations API's lists and totals (overview, queues,
 *     namespaces, tasks, consumer groups) may be: while they are being read, one aggregation per
 *     interval keeps them; {@link Duration#ZERO} aggregates on every request instead
 * @param shutdownTimeout bound on {@link QueueManager#close()}
 * @param retryAfter the back-off suggested to refused callers
 * @param clock the time source for every timestamp Queen writes (tests inject a settable one)
 * @param scheduler when timers and background jobs run; null (the default) makes the engine its
 *     own on a {@code queen-timer} thread. One given here is not closed by the engine.
 * @param metrics what the engine reports as it works ({@link QueenMetrics#NOOP} by default); the
 *     engine's own counters behind {@link QueueManager#stats()} are kept either way
 * @param httpPort the HTTP port of the server this engine serves, recorded with its per-minute
 *     history so that replicas can be told apart; 0 (the default) for an embedded engine
 * @param encryption the keys for queues with {@code encryptionEnabled}; null (the default) for
 *     none, and then configuring such a queue is refused and its messages cannot be pushed or
 *     popped (a clear error, never plain text)
 * @param fileBuffer the durable file buffer that takes pushes while PostgreSQL is unreachable or
 *     push maintenance is on; null (the default) for none: then such pushes fail (503) and push
 *     maintenance cannot be switched on here
 * @param tracing where the engine makes the spans of pushes, pops and {@link
 *     io.queen.consumer.QueenConsumer}'s handlers ({@link QueenTracing#NOOP} by default: no spans,
 *     and messages keep the trace context they were pushed with)
 */
public record QueenConfig(
    String schema,
    int dbThreads,
    int maxBatchItems,
    int maxConcurrentBatches,
    int maxQueuedRequests,
    int maxWaitingPops,
    SubscriptionMode defaultSubscriptionMode,
    Duration longPollRecheckInterval,
    boolean listenNotify,
    boolean autoCreateQueues,
    Duration leaseReaperInterval,
    LifecycleSettings lifecycle,
    Duration statisticsInterval,
    Duration summaryInterval,
    Duration shutdownTimeout,
    Duration retryAfter,
    Clock clock,
    Scheduler scheduler,
    QueenMetrics metrics,
    int httpPort,
    EncryptionKeys encryption,
    FileBufferSettings fileBuffer,
    QueenTracing tracing) {

  /** The default {@link #schema()}: {@code queen}. */
  public static final String DEFAULT_SCHEMA = "queen";
  /** The default {@link #dbThreads()}: 4. */
  public static final int DEFAULT_DB_THREADS = 4;
  /** The default {@link #maxBatchItems()}: 1000. */
  public static final int DEFAULT_MAX_BATCH_ITEMS = 1_000;
  /** The default {@link #maxConcurrentBatches()}: 2. */
  public static final int DEFAULT_MAX_CONCURRENT_BATCHES = 2;
  /** The default {@link #maxQueuedRequests()}: 20000. */
  public static final int DEFAULT_MAX_QUEUED_REQUESTS = 20_000;
  /** The default {@link #maxWaitingPops()}: 10000. */
  public static final int DEFAULT_MAX_WAITING_POPS = 10_000;
  /** The default {@link #longPollRecheckInterval()}: 1 second. */
  public static final Duration DEFAULT_LONG_POLL_RECHECK = Duration.ofSeconds(1);
  /** The default {@link #leaseReaperInterval()}: 5 seconds. */
  public static final Duration DEFAULT_LEASE_REAPER_INTERVAL = Duration.ofSeconds(5);
  /** The default {@link #statisticsInterval()}: 1 second. */
  public static final Duration DEFAULT_STATISTICS_INTERVAL = Duration.ofSeconds(1);
  /** The default {@link #summaryInterval()}: 5 seconds. */
  public static final Duration DEFAULT_SUMMARY_INTERVAL = Duration.ofSeconds(5);
  /** The default {@link #shutdownTimeout()}: 10 seconds. */
  public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);
  /** The default {@link #retryAfter()}: 1 second. */
  public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);

  private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  /**
   * Checks every setting; the bounds are listed here, the meanings in the class comment.
   *
   * @param schema a lower-case SQL identifier: {@code [a-z_][a-z0-9_]*}, at most 63 characters
   * @param dbThreads 1 to 256
   * @param maxBatchItems 1 to 100000
   * @param maxConcurrentBatches 1 to {@code dbThreads}
   * @param maxQueuedRequests 1 or more
   * @param maxWaitingPops 0 or more (0 refuses every pop that would wait)
   * @param defaultSubscriptionMode not null
   * @param longPollRecheckInterval positive
   * @param listenNotify whether to LISTEN for other instances' pushes
   * @param autoCreateQueues whether a push to an unknown queue creates it
   * @param leaseReaperInterval positive
   * @param lifecycle not null
   * @param statisticsInterval zero (off) or positive
   * @param summaryInterval zero (aggregate on every request) or positive
   * @param shutdownTimeout positive
   * @param retryAfter positive
   * @param clock not null
   * @param scheduler the scheduler to use, or null for the engine's own
   * @param metrics not null ({@link QueenMetrics#NOOP} records nothing)
   * @param httpPort 0 to 65535
   * @param encryption the keys, or null for none
   * @param fileBuffer the file buffer, or null for none
   * @param tracing not null ({@link QueenTracing#NOOP} traces nothing)
   * @throws IllegalArgumentException naming every setting out of its bounds, each with its value
   */
  public QueenConfig {
    var problems = new ArrayList<String>();
    if (schema == null || !IDENTIFIER.matcher(schema).matches()) {
      problems.add(String.format(
          "schema must be a lower-case SQL identifier ([a-z_][a-z0-9_]*, at most 63), was '%s'", schema));
    }
    check(problems, dbThreads >= 1 && dbThreads <= 256, "dbThreads must be between 1 and 256, was %s",
        dbThreads);
    check(problems, maxBatchItems >= 1 && maxBatchItems <= 100_000,
        "maxBatchItems must be between 1 and 100000, was %s", maxBatchItems);
    check(problems, maxConcurrentBatches >= 1 && maxConcurrentBatches <= dbThreads,
        "maxConcurrentBatches must be between 1 and dbThreads (%s), was %s", dbThreads,
        maxConcurrentBatches);
    check(problems, maxQueuedRequests >= 1, "maxQueuedRequests must be positive, was %s",
        maxQueuedRequests);
    check(problems, maxWaitingPops >= 0, "maxWaitingPops must be zero or positive, was %s",
        maxWaitingPops);
    check(problems, defaultSubscriptionMode != null, "defaultSubscriptionMode is required");
    positive(problems, "longPollRecheckInterval", longPollRecheckInterval);
    positive(problems, "leaseReaperInterval", leaseReaperInterval);
    check(problems, lifecycle != null, "lifecycle is required (LifecycleSettings.DEFAULTS)");
    check(problems, statisticsInterval != null && !statisticsInterval.isNegative(),
        "statisticsInterval must be zero (off) or positive, was %s", statisticsInterval);
    check(problems, summaryInterval != null && !summaryInterval.isNegative(),
        "summaryInterval must be zero (every request) or positive, was %s", summaryInterval);
    positive(problems, "shutdownTimeout", shutdownTimeout);
    positive(problems, "retryAfter", retryAfter);
    check(problems, clock != null, "clock is required");
    check(problems, metrics != null, "metrics is required (QueenMetrics.NOOP records nothing)");
    check(problems, tracing != null, "tracing is required (QueenTracing.NOOP traces nothing)");
    check(problems, httpPort >= 0 && httpPort <= 65_535, "httpPort must be between 0 and 65535, was %s",
        httpPort);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(problems.size() == 1 ? problems.get(0)
          : "invalid Queen configuration: " + String.join("; ", problems));
    }
  }

  private static void positive(List<String> problems, String name, Duration d) {
    check(problems, d != null && !d.isNegative() && !d.isZero(), "%s must be positive, was %s",
        name, d);
  }

  private static void check(List<String> problems, boolean ok, String format, Object... args) {
    if (!ok) {
      problems.add(String.format(format, args));
    }
  }

  /**
   * The defaults, suited to a small machine.
   *
   * @return a configuration with every setting at its default (as {@code builder().build()})
   */
  public static QueenConfig defaults() {
    return builder().build();
  }

  /**
   * A builder starting from the defaults.
   *
   * @return a new builder; every setting not given keeps its default
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Mutable builder; not thread-safe. Setters accept any value: bounds are checked by
   * {@link #build()}, which reports every setting out of bounds at once.
   */
  public static final class Builder {
    private String schema = DEFAULT_SCHEMA;
    private int dbThreads = DEFAULT_DB_THREADS;
    private int maxBatchItems = DEFAULT_MAX_BATCH_ITEMS;
    private int maxConcurrentBatches = DEFAULT_MAX_CONCURRENT_BATCHES;
    private int maxQueuedRequests = DEFAULT_MAX_QUEUED_REQUESTS;
    private int maxWaitingPops = DEFAULT_MAX_WAITING_POPS;
    private SubscriptionMode defaultSubscriptionMode = SubscriptionMode.ALL;
    private Duration longPollRecheckInterval = DEFAULT_LONG_POLL_RECHECK;
    private boolean listenNotify = true;
    private boolean autoCreateQueues = true;
    private Duration leaseReaperInterval = DEFAULT_LEASE_REAPER_INTERVAL;
    private LifecycleSettings lifecycle = LifecycleSettings.DEFAULTS;
    private Duration statisticsInterval = DEFAULT_STATISTICS_INTERVAL;
    private Duration summaryInterval = DEFAULT_SUMMARY_INTERVAL;
    private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
    private Duration retryAfter = DEFAULT_RETRY_AFTER;
    private Clock clock = Clock.systemUTC();
    private Scheduler scheduler;
    private QueenMetrics metrics = QueenMetrics.NOOP;
    private int httpPort;
    private EncryptionKeys encryption;
    private FileBufferSettings fileBuffer;
    private QueenTracing tracing = QueenTracing.NOOP;

    private Builder() {}

    /**
     * The PostgreSQL schema holding Queen's tables (created if missing).
     *
     * @param v a lower-case SQL identifier ({@code [a-z_][a-z0-9_]*}, at most 63 characters);
     *     default {@link #DEFAULT_SCHEMA}
     * @return this builder
     */
    public Builder schema(String v) { this.schema = v; return this; }

    /**
     * The threads running database work ({@code queen-db-N}), and so the most transactions in
     * flight at once; the {@code DataSource} must offer at least this many connections plus one
     * for LISTEN.
     *
     * @param v 1 to 256; default {@link #DEFAULT_DB_THREADS}
     * @return this builder
     */
    public Builder dbThreads(int v) { this.dbThreads = v; return this; }

    /**
     * The most items (pushed messages, acks) one group-commit transaction carries; a pop batch
     * carries at most a tenth as many pops (at least 1). A single larger request runs alone.
     *
     * @param v 1 to 100000; default {@link #DEFAULT_MAX_BATCH_ITEMS}
     * @return this builder
     */
    public Builder maxBatchItems(int v) { this.maxBatchItems = v; return this; }

    /**
     * The most transactions of one operation kind in flight at once.
     *
     * @param v 1 to the {@link #dbThreads(int) dbThreads} built with; default
     *     {@link #DEFAULT_MAX_CONCURRENT_BATCHES}
     * @return this builder
     */
    public Builder maxConcurrentBatches(int v) { this.maxConcurrentBatches = v; return this; }

    /**
     * The most requests of one operation kind waiting for a transaction; beyond it requests are
     * refused with {@link io.queen.error.OverloadedException}.
     *
     * @param v 1 or more; default {@link #DEFAULT_MAX_QUEUED_REQUESTS}
     * @return this builder
     */
    public Builder maxQueuedRequests(int v) { this.maxQueuedRequests = v; return this; }

    /**
     * The most long polls parked at once; beyond it a pop that would wait is refused with
     * {@link io.queen.error.OverloadedException}.
     *
     * @param v 0 or more (0 refuses every pop with a wait timeout); default
     *     {@link #DEFAULT_MAX_WAITING_POPS}
     * @return this builder
     */
    public Builder maxWaitingPops(int v) { this.maxWaitingPops = v; return this; }

    /**
     * Where a new named consumer group starts when its pop does not say.
     *
     * @param v not null; default {@link SubscriptionMode#ALL}
     * @return this builder
     */
    public Builder defaultSubscriptionMode(SubscriptionMode v) { this.defaultSubscriptionMode = v; return this; }

    /**
     * The longest a parked long poll goes without re-checking the database when no wake-up
     * arrives.
     *
     * @param v positive; default {@link #DEFAULT_LONG_POLL_RECHECK}
     * @return this builder
     */
    public Builder longPollRecheckInterval(Duration v) { this.longPollRecheckInterval = v; return this; }

    /**
     * Whether to LISTEN for pushes committed by other instances (on a dedicated connection and a
     * {@code queen-listen} thread). Off, long polls find other instances' pushes at their recheck.
     *
     * @param v default true
     * @return this builder
     */
    public Builder listenNotify(boolean v) { this.listenNotify = v; return this; }

    /**
     * Whether a push to an unknown queue creates it (with default options). Off, such an item
     * fails with {@link io.queen.model.PushStatus#FAILED}.
     *
     * @param v default true
     * @return this builder
     */
    public Builder autoCreateQueues(boolean v) { this.autoCreateQueues = v; return this; }

    /**
     * How often expired leases are settled (failure counting, dead-lettering).
     *
     * @param v positive; default {@link #DEFAULT_LEASE_REAPER_INTERVAL}
     * @return this builder
     */
    public Builder leaseReaperInterval(Duration v) { this.leaseReaperInterval = v; return this; }

    /**
     * How retention and eviction run.
     *
     * @param v not null; default {@link LifecycleSettings#DEFAULTS}
     * @return this builder
     */
    public Builder lifecycle(LifecycleSettings v) { this.lifecycle = v; return this; }

    /**
     * How often the statistics keeper checks whether Queen's tables need an ANALYZE.
     *
     * @param v zero (off) or positive; default {@link #DEFAULT_STATISTICS_INTERVAL}
     * @return this builder
     */
    public Builder statisticsInterval(Duration v) { this.statisticsInterval = v; return this; }

    /**
     * How old the operations API's lists and totals may be.
     *
     * @param v zero (aggregate on every request) or positive; default
     *     {@link #DEFAULT_SUMMARY_INTERVAL}
     * @return this builder
     */
    public Builder summaryInterval(Duration v) { this.summaryInterval = v; return this; }

    /**
     * The bound on {@link QueueManager#close()}.
     *
     * @param v positive; default {@link #DEFAULT_SHUTDOWN_TIMEOUT}
     * @return this builder
     */
    public Builder shutdownTimeout(Duration v) { this.shutdownTimeout = v; return this; }

    /**
     * The back-off suggested to refused callers
     * ({@link io.queen.error.OverloadedException#retryAfter()}).
     *
     * @param v positive; default {@link #DEFAULT_RETRY_AFTER}
     * @return this builder
     */
    public Builder retryAfter(Duration v) { this.retryAfter = v; return this; }

    /**
     * The time source for every timestamp Queen writes.
     *
     * @param v not null; default {@link Clock#systemUTC()}
     * @return this builder
     */
    public Builder clock(Clock v) { this.clock = v; return this; }

    /**
     * Timers and jobs run on this scheduler instead of the engine's own thread.
     *
     * @param v the scheduler, not closed by the engine; default null: the engine makes its own
     *     on a {@code queen-timer} thread
     * @return this builder
     */
    public Builder scheduler(Scheduler v) { this.scheduler = v; return this; }

    /**
     * What the engine reports as it works.
     *
     * @param v not null; default {@link QueenMetrics#NOOP}
     * @return this builder
     */
    public Builder metrics(QueenMetrics v) { this.metrics = v; return this; }

    /**
     * The HTTP port of the server this engine serves, recorded with its per-minute history.
     *
     * @param v 0 to 65535; default 0 (an embedded engine)
     * @return this builder
     */
    public Builder httpPort(int v) { this.httpPort = v; return this; }

    /**
     * The keys for encrypted queues; null for none.
     *
     * @param v the keys; default null
     * @return this builder
     */
    public Builder encryption(EncryptionKeys v) { this.encryption = v; return this; }

    /**
     * The file buffer for failover and push maintenance; null for none.
     *
     * @param v the buffer's settings; default null
     * @return this builder
     */
    public Builder fileBuffer(FileBufferSettings v) { this.fileBuffer = v; return this; }

    /**
     * Spans for pushes, pops and consumer handlers (for example {@code OpenTelemetryTracing}).
     *
     * @param v not null; default {@link QueenTracing#NOOP}
     * @return this builder
     */
    public Builder tracing(QueenTracing v) { this.tracing = v; return this; }

    /**
     * Builds the configuration.
     *
     * @return the configuration with every setting given so far and defaults for the rest
     * @throws IllegalArgumentException naming every value out of range, with the values
     */
    public QueenConfig build() {
      return new QueenConfig(schema, dbThreads, maxBatchItems, maxConcurrentBatches,
          maxQueuedRequests, maxWaitingPops, defaultSubscriptionMode, longPollRecheckInterval,
          listenNotify, autoCreateQueues, leaseReaperInterval, lifecycle, statisticsInterval,
          summaryInterval, shutdownTimeout,
          retryAfter, clock, scheduler, metrics, httpPort, encryption, fileBuffer, tracing);
    }
  }
}
