package io.queen.model;

/**
 * A queue's configuration. Field names and defaults are those of Queen's HTTP API
 * ({@code POST /api/v1/configure}). Configure is a full replacement: an option not given takes its
 * default. Build with {@link #builder()}; every setter rejects out-of-range values at once.
 *
 * <p>What each option does in this implementation is documented in {@code docs/embedding.md}; in
 * short: {@code leaseTime}, {@code retryLimit}, the retry back-off ({@code retryDelay},
 * {@code retryBackoff}, {@code retryDelayMax}), {@code priority}, {@code delayedProcessing},
 * {@code windowBuffer}, {@code maxSize}, retention ({@code retentionEnabled} with
 * {@code retentionSeconds}, {@code completedRetentionSeconds}) and eviction
 * ({@code maxWaitTimeSeconds}) are enforced; the others are stored and reported.
 *
 * @param leaseTime seconds a pop's lease lasts (0 means 60, as in the original)
 * @param retryLimit failures tolerated before a message goes to the dead-letter queue
 * @param retryDelay milliseconds a failed message (failed ack or expired lease) waits before it is
 *     redelivered, with the rest of its partition behind it (FIFO); 0 (the default, and the
 *     original's behaviour) redelivers at once
 * @param retryBackoff each further failure of the same message multiplies its delay by this
 *     (1, the default: a constant delay; 2: doubling), between 1 and 100
 * @param retryDelayMax the longest delay in milliseconds; 0 (the default) means one day
 * @param priority higher is preferred by namespace/task pops
 * @param delayedProcessing seconds a message stays invisible after it was pushed
 * @param windowBuffer seconds a partition stays unpoppable after its newest message
 * @param maxSize maximum unconsumed (queue-mode) depth; 0 is unlimited
 * @param ttl seconds; stored only
 * @param deadLetterQueue stored only (the dead-letter queue is always active)
 * @param dlqAfterMaxRetries stored only (exhausted retries always go to the dead-letter queue)
 * @param retentionSeconds with {@code retentionEnabled}: messages older than this are deleted,
 *     consumed or not (0: never)
 * @param completedRetentionSeconds messages older than this that every consumer group reading the
 *     queue has settled are deleted (0: never); dead-lettered ones stay
 * @param retentionEnabled turns {@code retentionSeconds} on
 * @param encryptionEnabled new payloads are stored encrypted (AES-256-GCM); needs the engine's
 *     {@link io.queen.EncryptionKeys}
 * @param maxWaitTimeSeconds messages that no consumer group consumed within this many seconds are
 *     deleted (evicted) and counted (0: never)
 */
public record QueueOptions(
    int leaseTime,
    int retryLimit,
    int retryDelay,
    double retryBackoff,
    int retryDelayMax,
    int priority,
    int delayedProcessing,
    int windowBuffer,
    int maxSize,
    int ttl,
    boolean deadLetterQueue,
    boolean dlqAfterMaxRetries,
    int retentionSeconds,
    int completedRetentionSeconds,
    boolean retentionEnabled,
    boolean encryptionEnabled,
    int maxWaitTimeSeconds) {

  public static final int DEFAULT_LEASE_TIME = 300;
  public static final int DEFAULT_RETRY_LIMIT = 3;
  /**
   * 0, where the original's is 1000: the original stores the option and never applies it, so its
   * clients expect an immediate redelivery unless they ask for a delay.
   */
  public static final int DEFAULT_RETRY_DELAY = 0;
  public static final double MAX_RETRY_BACKOFF = 100;
  public static final int DEFAULT_TTL = 3600;

  /** The defaults of the original Queen. */
  public static final QueueOptions DEFAULTS = builder().build();

  public QueueOptions {
    nonNegative("leaseTime", leaseTime);
    nonNegative("retryLimit", retryLimit);
    nonNegative("retryDelay", retryDelay);
    if (!(retryBackoff >= 1 && retryBackoff <= MAX_RETRY_BACKOFF)) {
      throw new IllegalArgumentException(
          "option retryBackoff must be between 1 and " + (int) MAX_RETRY_BACKOFF + ", was " + retryBackoff);
    }
    nonNegative("retryDelayMax", retryDelayMax);
    nonNegative("delayedProcessing", delayedProcessing);
    nonNegative("windowBuffer", windowBuffer);
    nonNegative("maxSize", maxSize);
    nonNegative("ttl", ttl);
    nonNegative("retentionSeconds", retentionSeconds);
    nonNegative("completedRetentionSeconds", completedRetentionSeconds);
    nonNegative("maxWaitTimeSeconds", maxWaitTimeSeconds);
  }

  private static void nonNegative(String option, int value) {
    if (value < 0) {
      throw new IllegalArgumentException(
          "option " + option + " must be zero or positive, was " + value);
    }
  }

  /** The lease a pop takes, in seconds, after applying the original's rule that 0 means 60. */
  public int effectiveLeaseSeconds() {
    return leaseTime == 0 ? 60 : leaseTime;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    var b = new Builder();
    b.leaseTime = leaseTime;
    b.retryLimit = retryLimit;
    b.retryDelay = retryDelay;
    b.retryBackoff = retryBackoff;
    b.retryDelayMax = retryDelayMax;
    b.priority = priority;
    b.delayedProcessing = delayedProcessing;
    b.windowBuffer = windowBuffer;
    b.maxSize = maxSize;
    b.ttl = ttl;
    b.deadLetterQueue = deadLetterQueue;
    b.dlqAfterMaxRetries = dlqAfterMaxRetries;
    b.retentionSeconds = retentionSeconds;
    b.completedRetentionSeconds = completedRetentionSeconds;
    b.retentionEnabled = retentionEnabled;
    b.encryptionEnabled = encryptionEnabled;
    b.maxWaitTimeSeconds = maxWaitTimeSeconds;
    return b;
  }

  /** Mutable builder; not thread-safe. Values are checked by {@link #build()}. */
  public static final class Builder {
    private int leaseTime = DEFAULT_LEASE_TIME;
    private int retryLimit = DEFAULT_RETRY_LIMIT;
    private int retryDelay = DEFAULT_RETRY_DELAY;
    private double retryBackoff = 1;
    private int retryDelayMax;
    private int priority;
    private int delayedProcessing;
    private int windowBuffer;
    private int maxSize;
    private int ttl = DEFAULT_TTL;
    private boolean deadLetterQueue;
    private boolean dlqAfterMaxRetries;
    private int retentionSeconds;
    private int completedRetentionSeconds;
    private boolean retentionEnabled;
    private boolean encryptionEnabled;
    private int maxWaitTimeSeconds;

    private Builder() {}

    public Builder leaseTime(int seconds) { this.leaseTime = seconds; return this; }
    public Builder retryLimit(int v) { this.retryLimit = v; return this; }
    public Builder retryDelay(int millis) { this.retryDelay = millis; return this; }
    public Builder retryBackoff(double multiplier) { this.retryBackoff = multiplier; return this; }
    public Builder retryDelayMax(int millis) { this.retryDelayMax = millis; return this; }
    public Builder priority(int v) { this.priority = v; return this; }
    public Builder delayedProcessing(int seconds) { this.delayedProcessing = seconds; return this; }
    public Builder windowBuffer(int seconds) { this.windowBuffer = seconds; return this; }
    public Builder maxSize(int v) { this.maxSize = v; return this; }
    public Builder ttl(int seconds) { this.ttl = seconds; return this; }
    public Builder deadLetterQueue(boolean v) { this.deadLetterQueue = v; return this; }
    public Builder dlqAfterMaxRetries(boolean v) { this.dlqAfterMaxRetries = v; return this; }
    public Builder retentionSeconds(int v) { this.retentionSeconds = v; return this; }
    public Builder completedRetentionSeconds(int v) { this.completedRetentionSeconds = v; return this; }
    public Builder retentionEnabled(boolean v) { this.retentionEnabled = v; return this; }
    public Builder encryptionEnabled(boolean v) { this.encryptionEnabled = v; return this; }
    public Builder maxWaitTimeSeconds(int v) { this.maxWaitTimeSeconds = v; return this; }

    public QueueOptions build() {
      return new QueueOptions(leaseTime, retryLimit, retryDelay, retryBackoff, retryDelayMax,
          priority, delayedProcessing,
          windowBuffer, maxSize, ttl, deadLetterQueue, dlqAfterMaxRetries, retentionSeconds,
          completedRetentionSeconds, retentionEnabled, encryptionEnabled, maxWaitTimeSeconds);
    }
  }
}
