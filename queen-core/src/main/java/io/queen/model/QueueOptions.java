package io.queen.model;

/**
 * A queue's configuration. Field names and defaults are those of Queen's HTTP API
 * ({@code POST /api/v1/configure}). Configure is a full replacement: an option not given takes its
 * default. Build with {@link #builder()}; {@link Builder#build()} rejects an out-of-range value,
 * naming the option (the setters themselves accept anything).
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

  /** The default {@code leaseTime}: 300 seconds. */
  public static final int DEFAULT_LEASE_TIME = 300;
  /** The default {@code retryLimit}: 3 failures. */
  public static final int DEFAULT_RETRY_LIMIT = 3;
  /**
   * 0, where the original's is 1000: the original stores the option and never applies it, so its
   * clients expect an immediate redelivery unless they ask for a delay.
   */
  public static final int DEFAULT_RETRY_DELAY = 0;
  /** The largest {@code retryBackoff} multiplier accepted. */
  public static final double MAX_RETRY_BACKOFF = 100;
  /** The default {@code ttl}: 3600 seconds (stored only). */
  public static final int DEFAULT_TTL = 3600;

  /** The defaults of the original Queen. */
  public static final QueueOptions DEFAULTS = builder().build();

  /**
   * Checks the bounds; the meanings are in the class comment.
   *
   * @param leaseTime 0 or more
   * @param retryLimit 0 or more
   * @param retryDelay 0 or more
   * @param retryBackoff 1 to {@link #MAX_RETRY_BACKOFF}
   * @param retryDelayMax 0 or more
   * @param priority any value
   * @param delayedProcessing 0 or more
   * @param windowBuffer 0 or more
   * @param maxSize 0 or more
   * @param ttl 0 or more
   * @param deadLetterQueue stored only
   * @param dlqAfterMaxRetries stored only
   * @param retentionSeconds 0 or more
   * @param completedRetentionSeconds 0 or more
   * @param retentionEnabled turns {@code retentionSeconds} on
   * @param encryptionEnabled whether new payloads are stored encrypted
   * @param maxWaitTimeSeconds 0 or more
   * @throws IllegalArgumentException naming the first option out of its bounds, with its value
   */
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

  /**
   * The lease a pop takes, in seconds, after applying the original's rule that 0 means 60.
   *
   * @return {@code leaseTime}, or 60 when it is 0
   */
  public int effectiveLeaseSeconds() {
    return leaseTime == 0 ? 60 : leaseTime;
  }

  /**
   * A builder starting from the defaults.
   *
   * @return a new builder; every option not given keeps its default
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder starting from these options, to change some of them.
   *
   * @return a new builder holding every option of this configuration
   */
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

    /**
     * How long a pop's lease lasts, in seconds.
     *
     * @param seconds 0 or more (0 means 60); default {@link #DEFAULT_LEASE_TIME}
     * @return this builder
     */
    public Builder leaseTime(int seconds) { this.leaseTime = seconds; return this; }

    /**
     * Failures tolerated before a message goes to the dead-letter queue.
     *
     * @param v 0 or more; default {@link #DEFAULT_RETRY_LIMIT}
     * @return this builder
     */
    public Builder retryLimit(int v) { this.retryLimit = v; return this; }

    /**
     * How long a failed message waits before it is redelivered, with the rest of its partition
     * behind it.
     *
     * @param millis milliseconds, 0 or more; default {@link #DEFAULT_RETRY_DELAY} (at once)
     * @return this builder
     */
    public Builder retryDelay(int millis) { this.retryDelay = millis; return this; }

    /**
     * What each further failure of the same message multiplies its delay by.
     *
     * @param multiplier 1 to {@link #MAX_RETRY_BACKOFF}; default 1 (a constant delay)
     * @return this builder
     */
    public Builder retryBackoff(double multiplier) { this.retryBackoff = multiplier; return this; }

    /**
     * The longest retry delay.
     *
     * @param millis milliseconds, 0 or more; default 0 (one day)
     * @return this builder
     */
    public Builder retryDelayMax(int millis) { this.retryDelayMax = millis; return this; }

    /**
     * The queue's priority: higher is preferred by namespace/task pops.
     *
     * @param v any value; default 0
     * @return this builder
     */
    public Builder priority(int v) { this.priority = v; return this; }

    /**
     * How long a message stays invisible after it was pushed.
     *
     * @param seconds 0 or more; default 0 (visible at once)
     * @return this builder
     */
    public Builder delayedProcessing(int seconds) { this.delayedProcessing = seconds; return this; }

    /**
     * How long a partition stays unpoppable after its newest message.
     *
     * @param seconds 0 or more; default 0 (off)
     * @return this builder
     */
    public Builder windowBuffer(int seconds) { this.windowBuffer = seconds; return this; }

    /**
     * The most unconsumed (queue-mode) messages the queue holds; a push beyond it fails.
     *
     * @param v 0 or more; default 0 (unlimited)
     * @return this builder
     */
    public Builder maxSize(int v) { this.maxSize = v; return this; }

    /**
     * A time to live, stored and reported only.
     *
     * @param seconds 0 or more; default {@link #DEFAULT_TTL}
     * @return this builder
     */
    public Builder ttl(int seconds) { this.ttl = seconds; return this; }

    /**
     * Stored and reported only: the dead-letter queue is always active.
     *
     * @param v default false
     * @return this builder
     */
    public Builder deadLetterQueue(boolean v) { this.deadLetterQueue = v; return this; }

    /**
     * Stored and reported only: exhausted retries always go to the dead-letter queue.
     *
     * @param v default false
     * @return this builder
     */
    public Builder dlqAfterMaxRetries(boolean v) { this.dlqAfterMaxRetries = v; return this; }

    /**
     * With {@code retentionEnabled}, messages older than this many seconds are deleted, consumed
     * or not.
     *
     * @param v seconds, 0 or more; default 0 (never)
     * @return this builder
     */
    public Builder retentionSeconds(int v) { this.retentionSeconds = v; return this; }

    /**
     * Messages older than this many seconds that every consumer group reading the queue has
     * settled are deleted.
     *
     * @param v seconds, 0 or more; default 0 (never)
     * @return this builder
     */
    public Builder completedRetentionSeconds(int v) { this.completedRetentionSeconds = v; return this; }

    /**
     * Turns {@code retentionSeconds} on.
     *
     * @param v default false
     * @return this builder
     */
    public Builder retentionEnabled(boolean v) { this.retentionEnabled = v; return this; }

    /**
     * Whether new payloads are stored encrypted (AES-256-GCM); configuring it needs the engine's
     * {@link io.queen.EncryptionKeys}.
     *
     * @param v default false
     * @return this builder
     */
    public Builder encryptionEnabled(boolean v) { this.encryptionEnabled = v; return this; }

    /**
     * Messages that no consumer group consumed within this many seconds are deleted (evicted) and
     * counted.
     *
     * @param v 0 or more; default 0 (never)
     * @return this builder
     */
    public Builder maxWaitTimeSeconds(int v) { this.maxWaitTimeSeconds = v; return this; }

    /**
     * Builds the options.
     *
     * @return the options given so far, with defaults for the rest
     * @throws IllegalArgumentException naming the first option out of its bounds, with its value
     */
    public QueueOptions build() {
      return new QueueOptions(leaseTime, retryLimit, retryDelay, retryBackoff, retryDelayMax,
          priority, delayedProcessing,
          windowBuffer, maxSize, ttl, deadLetterQueue, dlqAfterMaxRetries, retentionSeconds,
          completedRetentionSeconds, retentionEnabled, encryptionEnabled, maxWaitTimeSeconds);
    }
  }
}
