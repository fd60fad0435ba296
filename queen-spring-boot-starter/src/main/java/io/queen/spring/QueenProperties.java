package io.queen.spring;

import io.queen.ConnectionSettings;
import io.queen.LifecycleSettings;
import io.queen.QueenConfig;
import io.queen.model.SubscriptionMode;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code queen.*} properties: the settings of {@link QueenConfig} and
 * {@link LifecycleSettings}, an optional data source of Queen's own ({@code queen.datasource.*})
 * and the {@code @QueenListener} containers' settings ({@code queen.listener.*}). Defaults are
 * core's. Binding checks the types (a duration, a number, {@code all}/{@code new}); the ranges
 * are checked by {@link QueenConfig} when the manager is built, and a bad value fails the
 * application's startup with QueenConfig's message naming every bad setting.
 *
 * <p>Durations are written as Spring Boot reads them: {@code 250ms}, {@code 5s}, {@code 5m},
 * {@code 30d} or an ISO-8601 value such as {@code PT5S}; a bare number is milliseconds. These
 * properties (and {@link QueenConfigCustomizer}s) configure only the auto-configured
 * {@link io.queen.QueueManager}: a manager the application defines itself ignores them, except
 * {@code queen.listener.*}, {@code queen.health.*} and the data source choice of
 * {@link QueenTemplate}.
 *
 * <p>Threads: bound once by Spring on the thread that refreshes the context, then read only.
 */
@ConfigurationProperties(prefix = "queen")
public class QueenProperties {

  /** PostgreSQL schema holding Queen's tables and functions (created if missing). */
  private String schema = "queen";

  /**
   * Database threads = most Queen transactions in flight. Queen borrows this many connections
   * from the data source, plus one for LISTEN: size the pool for both and for the application.
   */
  private int dbThreads = 4;

  /** Most items (messages, acks) one group-commit transaction carries. */
  private int maxBatchItems = 1000;

  /** Most transactions of one kind (push, pop, ack) in flight at once, at most db-threads. */
  private int maxConcurrentBatches = 2;

  /** Requests of one kind waiting for a transaction before new ones are refused. */
  private int maxQueuedRequests = 20000;

  /** Long polls parked at once before new ones are refused. */
  private int maxWaitingPops = 10000;

  /** Where a new named consumer group starts when a pop does not say: all or new. */
  private SubscriptionMode defaultSubscriptionMode = SubscriptionMode.ALL;

  /** The longest a parked long poll goes without re-checking the database. */
  private Duration longPollRecheckInterval = Duration.ofSeconds(1);

  /** Whether to LISTEN for pushes committed by other instances (or in the application's own transactions). */
  private boolean listenNotify = true;

  /** Whether a push to an unknown queue creates it. */
  private boolean autoCreateQueues = true;

  /** How often expired leases are settled (failure counting, dead-lettering). */
  private Duration leaseReaperInterval = Duration.ofSeconds(5);

  /** How often the statistics keeper checks whether Queen's tables need an ANALYZE; 0 turns it off. */
  private Duration statisticsInterval = Duration.ofSeconds(1);

  /** How old the operations API's lists and totals may be; 0 aggregates on every request. */
  private Duration summaryInterval = Duration.ofSeconds(5);

  /** Bound on closing the QueueManager when the application context closes. */
  private Duration shutdownTimeout = Duration.ofSeconds(10);

  /** The back-off suggested to refused callers. */
  private Duration retryAfter = Duration.ofSeconds(1);

  /** The retention and eviction jobs. */
  private final Lifecycle lifecycle = new Lifecycle();

  /** A connection pool of Queen's own, used instead of the application's DataSource when its url is set. */
  private final Datasource datasource = new Datasource();

  /** The containers running {@code @QueenListener} methods. */
  private final Listener listener = new Listener();

  /** The health indicator. */
  private final Health health = new Health();

  /** The Micrometer binding. */
  private final Metrics metrics = new Metrics();

  /**
   * A builder of the engine's configuration from these properties (the auto-configuration then
   * applies every {@link QueenConfigCustomizer} and builds it).
   *
   * <p>Only the {@code queen.lifecycle.*} values are checked here; the others are checked when
   * the returned builder is built ({@link QueenConfig.Builder#build()}). Called once, on the
   * thread that creates the manager bean.
   *
   * @return a new builder holding every {@code queen.*} engine setting (not the data source, the
   *     listener, health or metrics ones); its other settings (clock, scheduler, metrics,
   *     tracing, encryption, file buffer) keep QueenConfig's defaults
   * @throws IllegalArgumentException naming every invalid {@code queen.lifecycle.*} setting with
   *     its value (LifecycleSettings' own messages, after {@code invalid queen.lifecycle: })
   */
  public QueenConfig.Builder toConfigBuilder() {
    var problems = LifecycleSettings.problems(lifecycle.retentionInterval,
        lifecycle.retentionBatchSize, lifecycle.partitionCleanupAge, lifecycle.historyRetention,
        lifecycle.evictionInterval, lifecycle.evictionBatchSize);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("invalid queen.lifecycle: " + String.join("; ", problems));
    }
    return QueenConfig.builder()
        .schema(schema)
        .dbThreads(dbThreads)
        .maxBatchItems(maxBatchItems)
        .maxConcurrentBatches(maxConcurrentBatches)
        .maxQueuedRequests(maxQueuedRequests)
        .maxWaitingPops(maxWaitingPops)
        .defaultSubscriptionMode(defaultSubscriptionMode)
        .longPollRecheckInterval(longPollRecheckInterval)
        .listenNotify(listenNotify)
        .autoCreateQueues(autoCreateQueues)
        .leaseReaperInterval(leaseReaperInterval)
        .statisticsInterval(statisticsInterval)
        .summaryInterval(summaryInterval)
        .shutdownTimeout(shutdownTimeout)
        .retryAfter(retryAfter)
        .lifecycle(new LifecycleSettings(lifecycle.retentionInterval, lifecycle.retentionBatchSize,
            lifecycle.partitionCleanupAge, lifecycle.historyRetention, lifecycle.evictionInterval,
            lifecycle.evictionBatchSize));
  }

  /** {@code queen.lifecycle.*}: {@link LifecycleSettings}. */
  public static class Lifecycle {
    /** Time between retention runs; 0 turns retention off. */
    private Duration retentionInterval = Duration.ofMinutes(5);
    /** Most messages (or partitions) one retention transaction removes. */
    private int retentionBatchSize = 1000;
    /** A partition without messages, leases or activity for this long is removed. */
    private Duration partitionCleanupAge = Duration.ofDays(30);
    /** How long the record of removals is kept. */
    private Duration historyRetention = Duration.ofDays(90);
    /** Time between eviction runs (a queue's maxWaitTimeSeconds); 0 turns eviction off. */
    private Duration evictionInterval = Duration.ofMinutes(1);
    /** Most messages one eviction transaction removes. */
    private int evictionBatchSize = 1000;

    /**
     * {@code queen.lifecycle.retention-interval}: the time between retention runs, which remove
     * messages past their queue's {@code retentionSeconds} or {@code completedRetentionSeconds},
     * inactive partitions and old removal history.
     *
     * @return the interval; zero (off) or positive; default 5 minutes
     *     ({@link LifecycleSettings#DEFAULT_RETENTION_INTERVAL})
     */
    public Duration getRetentionInterval() { return retentionInterval; }

    /** @param v the retention interval; see {@link #getRetentionInterval()} */
    public void setRetentionInterval(Duration v) { this.retentionInterval = v; }

    /**
     * {@code queen.lifecycle.retention-batch-size}: the most messages (or partitions) one
     * retention transaction removes; a run deletes batch after batch until nothing is left.
     *
     * @return the batch size; 1 to 100000; default 1000
     *     ({@link LifecycleSettings#DEFAULT_BATCH_SIZE})
     */
    public int getRetentionBatchSize() { return retentionBatchSize; }

    /** @param v the retention batch size; see {@link #getRetentionBatchSize()} */
    public void setRetentionBatchSize(int v) { this.retentionBatchSize = v; }

    /**
     * {@code queen.lifecycle.partition-cleanup-age}: a partition without messages, leases or
     * activity for this long is removed with its cursors.
     *
     * @return the age; positive; default 30 days
     *     ({@link LifecycleSettings#DEFAULT_PARTITION_CLEANUP_AGE})
     */
    public Duration getPartitionCleanupAge() { return partitionCleanupAge; }

    /** @param v the partition cleanup age; see {@link #getPartitionCleanupAge()} */
    public void setPartitionCleanupAge(Duration v) { this.partitionCleanupAge = v; }

    /**
     * {@code queen.lifecycle.history-retention}: how long the record of removals is kept.
     *
     * @return the retention; positive; default 90 days
     *     ({@link LifecycleSettings#DEFAULT_HISTORY_RETENTION})
     */
    public Duration getHistoryRetention() { return historyRetention; }

    /** @param v the history retention; see {@link #getHistoryRetention()} */
    public void setHistoryRetention(Duration v) { this.historyRetention = v; }

    /**
     * {@code queen.lifecycle.eviction-interval}: the time between eviction runs, which delete
     * the messages no consumer group consumed within their queue's {@code maxWaitTimeSeconds}.
     *
     * @return the interval; zero (off) or positive; default 1 minute
     *     ({@link LifecycleSettings#DEFAULT_EVICTION_INTERVAL})
     */
    public Duration getEvictionInterval() { return evictionInterval; }

    /** @param v the eviction interval; see {@link #getEvictionInterval()} */
    public void setEvictionInterval(Duration v) { this.evictionInterval = v; }

    /**
     * {@code queen.lifecycle.eviction-batch-size}: the most messages one eviction transaction
     * removes.
     *
     * @return the batch size; 1 to 100000; default 1000
     *     ({@link LifecycleSettings#DEFAULT_BATCH_SIZE})
     */
    public int getEvictionBatchSize() { return evictionBatchSize; }

    /** @param v the eviction batch size; see {@link #getEvictionBatchSize()} */
    public void setEvictionBatchSize(int v) { this.evictionBatchSize = v; }
  }

  /**
   * {@code queen.datasource.*}: when {@code url} is set, Queen owns a HikariCP pool on it
   * ({@link io.queen.Queen#connect}) instead of using the application's DataSource. Then
   * {@link QueenTemplate} never joins the application's transactions (they are on another pool).
   */
  public static class Datasource {
    /** JDBC URL, jdbc:postgresql://host:port/database. */
    private String url;
    /** Database user; empty to take it from the URL. */
    private String username;
    /** Database password. */
    private String password;
    /** Connections in Queen's pool, at least db-threads (plus one more is opened for LISTEN). */
    private int poolSize = 5;
    /** How long an operation waits for a pooled connection. */
    private Duration connectionTimeout = Duration.ofSeconds(5);

    /**
     * {@code queen.datasource.url}: the JDBC URL of Queen's own pool. Set, the auto-configured
     * manager is {@link io.queen.Queen#connect} on a HikariCP pool of its own; unset, it works on
     * the application's DataSource.
     *
     * @return the URL, starting with {@code jdbc:postgresql:} (for example
     *     {@code jdbc:postgresql://127.0.0.1:5432/app}); default null: no pool of Queen's own
     */
    public String getUrl() { return url; }

    /** @param v the JDBC URL; see {@link #getUrl()} */
    public void setUrl(String v) { this.url = v; }

    /**
     * {@code queen.datasource.username}: the database user of Queen's own pool.
     *
     * @return the user; default null: taken from the URL
     */
    public String getUsername() { return username; }

    /** @param v the database user; see {@link #getUsername()} */
    public void setUsername(String v) { this.username = v; }

    /**
     * {@code queen.datasource.password}: the database password of Queen's own pool.
     *
     * @return the password; default null: none
     */
    public String getPassword() { return password; }

    /** @param v the database password; see {@link #getPassword()} */
    public void setPassword(String v) { this.password = v; }

    /**
     * {@code queen.datasource.pool-size}: the connections in Queen's own pool. The LISTEN
     * connection is opened besides them, so the database sees up to one more.
     *
     * @return the pool size; 1 to 1000 and at least {@code queen.db-threads}; default 5
     */
    public int getPoolSize() { return poolSize; }

    /** @param v the pool size; see {@link #getPoolSize()} */
    public void setPoolSize(int v) { this.poolSize = v; }

    /**
     * {@code queen.datasource.connection-timeout}: how long an operation waits for a pooled
     * connection, and so how fast a health check reports an unreachable database.
     *
     * @return the timeout; at least 250 ms; default 5 seconds
     *     ({@link ConnectionSettings#DEFAULT_CONNECTION_TIMEOUT})
     */
    public Duration getConnectionTimeout() { return connectionTimeout; }

    /** @param v the connection timeout; see {@link #getConnectionTimeout()} */
    public void setConnectionTimeout(Duration v) { this.connectionTimeout = v; }

    /**
     * The settings for {@link io.queen.Queen#connect}. Called by the auto-configuration only
     * when {@link #getUrl() url} is set.
     *
     * @return these properties as connection settings
     * @throws NullPointerException when the URL or the connection timeout is null
     * @throws IllegalArgumentException when the URL does not start with
     *     {@code jdbc:postgresql:}, the pool size is not 1 to 1000, or the connection timeout is
     *     below 250 ms ({@link ConnectionSettings}' checks)
     */
    public ConnectionSettings toSettings() {
      return new ConnectionSettings(url, username, password, poolSize, connectionTimeout);
    }
  }

  /** {@code queen.listener.*}: the {@code @QueenListener} containers. */
  public static class Listener {
    /** Whether the listener containers start with the application context. */
    private boolean autoStartup = true;
    /** How long one pop of a listener waits for messages before polling again. */
    private Duration pollTimeout = Duration.ofSeconds(30);
    /** How long closing the context waits for the batches being handled to finish and be acked. */
    private Duration stopTimeout = Duration.ofSeconds(30);

    /**
     * {@code queen.listener.auto-startup}: whether {@link QueenListenerRegistry} starts the
     * listener consumers when the context has been refreshed. Off, nothing consumes until the
     * application calls {@link QueenListenerRegistry#start()}.
     *
     * @return true to start with the context; default true
     */
    public boolean isAutoStartup() { return autoStartup; }

    /** @param v whether the listeners start with the context; see {@link #isAutoStartup()} */
    public void setAutoStartup(boolean v) { this.autoStartup = v; }

    /**
     * {@code queen.listener.poll-timeout}: how long one pop of a listener's consumer waits (a long
     * poll) for messages before it polls again; the consumers' wait timeout.
     *
     * @return the timeout; positive (the consumer refuses anything else when it starts); default
     *     30 seconds
     */
    public Duration getPollTimeout() { return pollTimeout; }

    /** @param v the poll timeout; see {@link #getPollTimeout()} */
    public void setPollTimeout(Duration v) { this.pollTimeout = v; }

    /**
     * {@code queen.listener.stop-timeout}: how long closing the context waits for each listener's
     * consumer threads to finish and ack the batches they are handling, before it interrupts
     * them; a batch not acked by then is redelivered when its lease expires.
     *
     * @return the timeout; zero or positive; default 30 seconds
     */
    public Duration getStopTimeout() { return stopTimeout; }

    /** @param v the stop timeout; see {@link #getStopTimeout()} */
    public void setStopTimeout(Duration v) { this.stopTimeout = v; }
  }

  /** {@code queen.health.*}: {@link QueenHealthIndicator}. */
  public static class Health {
    /** The longest a health check waits for the database's answer before reporting DOWN. */
    private Duration timeout = Duration.ofSeconds(5);

    /**
     * {@code queen.health.timeout}: the longest a health check waits for the database's answer
     * (blocking the thread that asked for health) before it reports DOWN.
     *
     * @return the timeout; default 5 seconds
     */
    public Duration getTimeout() { return timeout; }

    /** @param v the health check timeout; see {@link #getTimeout()} */
    public void setTimeout(Duration v) { this.timeout = v; }
  }

  /** {@code queen.metrics.*}: Queen's meters in the application's MeterRegistry. */
  public static class Metrics {
    /** Whether Queen's meters go to the application's MeterRegistry when it has one. */
    private boolean enabled = true;

    /**
     * {@code queen.metrics.enabled}: whether the auto-configured manager reports its meters to
     * the application's (unique or primary) {@code MeterRegistry}, when it has one.
     *
     * @return true to bind the meters; default true
     */
    public boolean isEnabled() { return enabled; }

    /** @param v whether to bind the meters; see {@link #isEnabled()} */
    public void setEnabled(boolean v) { this.enabled = v; }
  }

  /**
   * {@code queen.schema}: the PostgreSQL schema holding Queen's tables and functions, created
   * (and migrated) if missing when the manager starts.
   *
   * @return the schema; a lower-case SQL identifier ({@code [a-z_][a-z0-9_]*}, at most 63
   *     characters); default {@code queen} ({@link QueenConfig#DEFAULT_SCHEMA})
   */
  public String getSchema() { return schema; }

  /** @param v the schema; see {@link #getSchema()} */
  public void setSchema(String v) { this.schema = v; }

  /**
   * {@code queen.db-threads}: the threads running Queen's database work ({@code queen-db-N}),
   * and so the most Queen transactions in flight at once. Queen borrows up to this many
   * connections from the data source, plus one for LISTEN.
   *
   * @return the thread count; 1 to 256; default 4 ({@link QueenConfig#DEFAULT_DB_THREADS})
   */
  public int getDbThreads() { return dbThreads; }

  /** @param v the database thread count; see {@link #getDbThreads()} */
  public void setDbThreads(int v) { this.dbThreads = v; }

  /**
   * {@code queen.max-batch-items}: the most items (pushed messages, acks) one group-commit
   * transaction carries; a pop batch carries at most a tenth as many pops (at least 1). A single
   * larger request runs alone.
   *
   * @return the item count; 1 to 100000; default 1000
   *     ({@link QueenConfig#DEFAULT_MAX_BATCH_ITEMS})
   */
  public int getMaxBatchItems() { return maxBatchItems; }

  /** @param v the most items per transaction; see {@link #getMaxBatchItems()} */
  public void setMaxBatchItems(int v) { this.maxBatchItems = v; }

  /**
   * {@code queen.max-concurrent-batches}: the most transactions of one operation kind (push,
   * pop, ack) in flight at once.
   *
   * @return the transaction count; 1 to {@code queen.db-threads}; default 2
   *     ({@link QueenConfig#DEFAULT_MAX_CONCURRENT_BATCHES})
   */
  public int getMaxConcurrentBatches() { return maxConcurrentBatches; }

  /** @param v the most concurrent transactions per kind; see {@link #getMaxConcurrentBatches()} */
  public void setMaxConcurrentBatches(int v) { this.maxConcurrentBatches = v; }

  /**
   * {@code queen.max-queued-requests}: the most requests of one operation kind waiting for a
   * transaction; beyond it new ones are refused with
   * {@link io.queen.error.OverloadedException}.
   *
   * @return the request count; 1 or more; default 20000
   *     ({@link QueenConfig#DEFAULT_MAX_QUEUED_REQUESTS})
   */
  public int getMaxQueuedRequests() { return maxQueuedRequests; }

  /** @param v the most queued requests per kind; see {@link #getMaxQueuedRequests()} */
  public void setMaxQueuedRequests(int v) { this.maxQueuedRequests = v; }

  /**
   * {@code queen.max-waiting-pops}: the most long polls parked at once; beyond it a pop that
   * would wait is refused with {@link io.queen.error.OverloadedException}.
   *
   * @return the pop count; 0 or more (0 refuses every pop that would wait); default 10000
   *     ({@link QueenConfig#DEFAULT_MAX_WAITING_POPS})
   */
  public int getMaxWaitingPops() { return maxWaitingPops; }

  /** @param v the most parked long polls; see {@link #getMaxWaitingPops()} */
  public void setMaxWaitingPops(int v) { this.maxWaitingPops = v; }

  /**
   * {@code queen.default-subscription-mode}: where a new named consumer group starts reading a
   * queue when its pop does not say: {@code all} (from the beginning of each partition) or
   * {@code new} (from the moment the group first appears on the queue).
   *
   * @return the mode; not null; default {@link SubscriptionMode#ALL}
   */
  public SubscriptionMode getDefaultSubscriptionMode() { return defaultSubscriptionMode; }

  /** @param v the default subscription mode; see {@link #getDefaultSubscriptionMode()} */
  public void setDefaultSubscriptionMode(SubscriptionMode v) { this.defaultSubscriptionMode = v; }

  /**
   * {@code queen.long-poll-recheck-interval}: the longest a parked long poll goes without
   * re-checking the database when no wake-up arrives (the fallback behind in-process and
   * LISTEN/NOTIFY wake-ups).
   *
   * @return the interval; positive; default 1 second
   *     ({@link QueenConfig#DEFAULT_LONG_POLL_RECHECK})
   */
  public Duration getLongPollRecheckInterval() { return longPollRecheckInterval; }

  /** @param v the recheck interval; see {@link #getLongPollRecheckInterval()} */
  public void setLongPollRecheckInterval(Duration v) { this.longPollRecheckInterval = v; }

  /**
   * {@code queen.listen-notify}: whether to LISTEN (on a dedicated connection and a
   * {@code queen-listen} thread) for pushes committed by other instances, or by the
   * application's own transactions through {@link QueenTemplate}. Off, long polls find those
   * messages at their recheck ({@link #getLongPollRecheckInterval()}).
   *
   * @return true to LISTEN; default true
   */
  public boolean isListenNotify() { return listenNotify; }

  /** @param v whether to LISTEN; see {@link #isListenNotify()} */
  public void setListenNotify(boolean v) { this.listenNotify = v; }

  /**
   * {@code queen.auto-create-queues}: whether a push to an unknown queue creates it (with
   * default options). Off, such an item fails ({@link io.queen.model.PushStatus#FAILED}, which
   * {@link QueenTemplate} throws as {@link QueenPushException}).
   *
   * @return true to create queues on first push; default true
   */
  public boolean isAutoCreateQueues() { return autoCreateQueues; }

  /** @param v whether a push creates an unknown queue; see {@link #isAutoCreateQueues()} */
  public void setAutoCreateQueues(boolean v) { this.autoCreateQueues = v; }

  /**
   * {@code queen.lease-reaper-interval}: how often expired leases are settled (failure
   * counting, dead-lettering).
   *
   * @return the interval; positive; default 5 seconds
   *     ({@link QueenConfig#DEFAULT_LEASE_REAPER_INTERVAL})
   */
  public Duration getLeaseReaperInterval() { return leaseReaperInterval; }

  /** @param v the lease reaper interval; see {@link #getLeaseReaperInterval()} */
  public void setLeaseReaperInterval(Duration v) { this.leaseReaperInterval = v; }

  /**
   * {@code queen.statistics-interval}: how often the statistics keeper checks whether Queen's
   * tables need an ANALYZE.
   *
   * @return the interval; zero (off) or positive; default 1 second
   *     ({@link QueenConfig#DEFAULT_STATISTICS_INTERVAL})
   */
  public Duration getStatisticsInterval() { return statisticsInterval; }

  /** @param v the statistics interval; see {@link #getStatisticsInterval()} */
  public void setStatisticsInterval(Duration v) { this.statisticsInterval = v; }

  /**
   * {@code queen.summary-interval}: how old the operations API's lists and totals (overview,
   * queues, namespaces, tasks, consumer groups) may be: while they are being read, one
   * aggregation per interval keeps them.
   *
   * @return the interval; zero (aggregate on every request) or positive; default 5 seconds
   *     ({@link QueenConfig#DEFAULT_SUMMARY_INTERVAL})
   */
  public Duration getSummaryInterval() { return summaryInterval; }

  /** @param v the summary interval; see {@link #getSummaryInterval()} */
  public void setSummaryInterval(Duration v) { this.summaryInterval = v; }

  /**
   * {@code queen.shutdown-timeout}: the bound on {@link io.queen.QueueManager#close()}, which
   * Spring calls on the auto-configured manager when the context closes (after the listeners
   * have stopped).
   *
   * @return the timeout; positive; default 10 seconds
   *     ({@link QueenConfig#DEFAULT_SHUTDOWN_TIMEOUT})
   */
  public Duration getShutdownTimeout() { return shutdownTimeout; }

  /** @param v the shutdown timeout; see {@link #getShutdownTimeout()} */
  public void setShutdownTimeout(Duration v) { this.shutdownTimeout = v; }

  /**
   * {@code queen.retry-after}: the back-off suggested to refused callers
   * ({@link io.queen.error.OverloadedException#retryAfter()}).
   *
   * @return the back-off; positive; default 1 second ({@link QueenConfig#DEFAULT_RETRY_AFTER})
   */
  public Duration getRetryAfter() { return retryAfter; }

  /** @param v the suggested back-off; see {@link #getRetryAfter()} */
  public void setRetryAfter(Duration v) { this.retryAfter = v; }

  /**
   * {@code queen.lifecycle.*}: how the retention and eviction jobs run.
   *
   * @return the nested properties, never null (Spring binds into this instance)
   */
  public Lifecycle getLifecycle() { return lifecycle; }

  /**
   * {@code queen.datasource.*}: a connection pool of Queen's own, used instead of the
   * application's DataSource when its url is set.
   *
   * @return the nested properties, never null (Spring binds into this instance)
   */
  public Datasource getDatasource() { return datasource; }

  /**
   * {@code queen.listener.*}: the containers running {@code @QueenListener} methods.
   *
   * @return the nested properties, never null (Spring binds into this instance)
   */
  public Listener getListener() { return listener; }

  /**
   * {@code queen.health.*}: the health indicator.
   *
   * @return the nested properties, never null (Spring binds into this instance)
   */
  public Health getHealth() { return health; }

  /**
   * {@code queen.metrics.*}: the Micrometer binding.
   *
   * @return the nested properties, never null (Spring binds into this instance)
   */
  public Metrics getMetrics() { return metrics; }
}
