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
   * @throws IllegalArgumentException naming every invalid setting with its value (QueenConfig's
   *     and LifecycleSettings' own messages)
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

    public Duration getRetentionInterval() { return retentionInterval; }
    public void setRetentionInterval(Duration v) { this.retentionInterval = v; }
    public int getRetentionBatchSize() { return retentionBatchSize; }
    public void setRetentionBatchSize(int v) { this.retentionBatchSize = v; }
    public Duration getPartitionCleanupAge() { return partitionCleanupAge; }
    public void setPartitionCleanupAge(Duration v) { this.partitionCleanupAge = v; }
    public Duration getHistoryRetention() { return historyRetention; }
    public void setHistoryRetention(Duration v) { this.historyRetention = v; }
    public Duration getEvictionInterval() { return evictionInterval; }
    public void setEvictionInterval(Duration v) { this.evictionInterval = v; }
    public int getEvictionBatchSize() { return evictionBatchSize; }
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

    public String getUrl() { return url; }
    public void setUrl(String v) { this.url = v; }
    public String getUsername() { return username; }
    public void setUsername(String v) { this.username = v; }
    public String getPassword() { return password; }
    public void setPassword(String v) { this.password = v; }
    public int getPoolSize() { return poolSize; }
    public void setPoolSize(int v) { this.poolSize = v; }
    public Duration getConnectionTimeout() { return connectionTimeout; }
    public void setConnectionTimeout(Duration v) { this.connectionTimeout = v; }

    /** The settings for {@link io.queen.Queen#connect}. */
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

    public boolean isAutoStartup() { return autoStartup; }
    public void setAutoStartup(boolean v) { this.autoStartup = v; }
    public Duration getPollTimeout() { return pollTimeout; }
    public void setPollTimeout(Duration v) { this.pollTimeout = v; }
    public Duration getStopTimeout() { return stopTimeout; }
    public void setStopTimeout(Duration v) { this.stopTimeout = v; }
  }

  /** {@code queen.health.*}: {@link QueenHealthIndicator}. */
  public static class Health {
    /** The longest a health check waits for the database's answer before reporting DOWN. */
    private Duration timeout = Duration.ofSeconds(5);

    public Duration getTimeout() { return timeout; }
    public void setTimeout(Duration v) { this.timeout = v; }
  }

  /** {@code queen.metrics.*}: Queen's meters in the application's MeterRegistry. */
  public static class Metrics {
    /** Whether Queen's meters go to the application's MeterRegistry when it has one. */
    private boolean enabled = true;

    public boolean isEnabled() { return enabled; }
    public void setEnabled(boolean v) { this.enabled = v; }
  }

  public String getSchema() { return schema; }
  public void setSchema(String v) { this.schema = v; }
  public int getDbThreads() { return dbThreads; }
  public void setDbThreads(int v) { this.dbThreads = v; }
  public int getMaxBatchItems() { return maxBatchItems; }
  public void setMaxBatchItems(int v) { this.maxBatchItems = v; }
  public int getMaxConcurrentBatches() { return maxConcurrentBatches; }
  public void setMaxConcurrentBatches(int v) { this.maxConcurrentBatches = v; }
  public int getMaxQueuedRequests() { return maxQueuedRequests; }
  public void setMaxQueuedRequests(int v) { this.maxQueuedRequests = v; }
  public int getMaxWaitingPops() { return maxWaitingPops; }
  public void setMaxWaitingPops(int v) { this.maxWaitingPops = v; }
  public SubscriptionMode getDefaultSubscriptionMode() { return defaultSubscriptionMode; }
  public void setDefaultSubscriptionMode(SubscriptionMode v) { this.defaultSubscriptionMode = v; }
  public Duration getLongPollRecheckInterval() { return longPollRecheckInterval; }
  public void setLongPollRecheckInterval(Duration v) { this.longPollRecheckInterval = v; }
  public boolean isListenNotify() { return listenNotify; }
  public void setListenNotify(boolean v) { this.listenNotify = v; }
  public boolean isAutoCreateQueues() { return autoCreateQueues; }
  public void setAutoCreateQueues(boolean v) { this.autoCreateQueues = v; }
  public Duration getLeaseReaperInterval() { return leaseReaperInterval; }
  public void setLeaseReaperInterval(Duration v) { this.leaseReaperInterval = v; }
  public Duration getStatisticsInterval() { return statisticsInterval; }
  public void setStatisticsInterval(Duration v) { this.statisticsInterval = v; }
  public Duration getSummaryInterval() { return summaryInterval; }
  public void setSummaryInterval(Duration v) { this.summaryInterval = v; }
  public Duration getShutdownTimeout() { return shutdownTimeout; }
  public void setShutdownTimeout(Duration v) { this.shutdownTimeout = v; }
  public Duration getRetryAfter() { return retryAfter; }
  public void setRetryAfter(Duration v) { this.retryAfter = v; }
  public Lifecycle getLifecycle() { return lifecycle; }
  public Datasource getDatasource() { return datasource; }
  public Listener getListener() { return listener; }
  public Health getHealth() { return health; }
  public Metrics getMetrics() { return metrics; }
}
