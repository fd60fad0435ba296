package io.queen.model;

import java.time.Duration;
import java.time.Instant;

/**
 * What to pop. Build with {@link #fromQueue(String)} or {@link #fromNamespace(String, String)}.
 *
 * @param queue the queue, or null for a namespace/task pop
 * @param partition a named partition, or null for any partition of the queue
 * @param namespace with {@code queue == null}: pop from any queue with this namespace (null: any)
 * @param task with {@code queue == null}: pop from any queue with this task (null: any)
 * @param consumerGroup the group, or null for queue mode
 * @param batch the most messages to return (a total across claimed partitions)
 * @param partitions the most partitions to claim at once (wildcard pops only)
 * @param autoAck settle the batch at pop time and keep no lease
 * @param waitTimeout how long to wait for messages when none are available; {@link Duration#ZERO}
 *     returns at once
 * @param subscriptionMode where a new named group starts; null means the configured default
 * @param subscriptionFrom start a new named group after this instant; null for none
 */
public record PopRequest(
    String queue, String partition, String namespace, String task, String consumerGroup,
    int batch, int partitions, boolean autoAck, Duration waitTimeout,
    SubscriptionMode subscriptionMode, Instant subscriptionFrom) {

  /** The implicit group of queue mode. */
  public static final String QUEUE_MODE = "__QUEUE_MODE__";
  /** The largest batch one pop may ask for. */
  public static final int MAX_BATCH = 10_000;
  /** The most partitions one pop may claim. */
  public static final int MAX_PARTITIONS = 1_000;

  /**
   * Checks the request's shape; names are checked when it is popped.
   *
   * @param queue the queue, or null for a namespace/task pop; not empty
   * @param partition a named partition, or null; needs {@code queue}
   * @param namespace the namespace of a namespace/task pop, or null
   * @param task the task of a namespace/task pop, or null
   * @param consumerGroup the group, or null for queue mode
   * @param batch 1 to {@link #MAX_BATCH}
   * @param partitions 1 to {@link #MAX_PARTITIONS}
   * @param autoAck settle the batch at pop time and keep no lease
   * @param waitTimeout zero or positive; not null
   * @param subscriptionMode where a new named group starts, or null for the configured default
   * @param subscriptionFrom start a new named group after this instant, or null
   * @throws IllegalArgumentException when a bound is broken
   */
  public PopRequest {
    if (queue == null && partition != null) {
      throw new IllegalArgumentException("partition needs a queue");
    }
    if (queue != null && queue.isEmpty()) {
      throw new IllegalArgumentException("queue must not be empty");
    }
    if (batch < 1 || batch > MAX_BATCH) {
      throw new IllegalArgumentException(
          "batch must be between 1 and " + MAX_BATCH + ", was " + batch);
    }
    if (partitions < 1 || partitions > MAX_PARTITIONS) {
      throw new IllegalArgumentException(
          "partitions must be between 1 and " + MAX_PARTITIONS + ", was " + partitions);
    }
    if (waitTimeout == null || waitTimeout.isNegative()) {
      throw new IllegalArgumentException("wait timeout must be zero or positive, was " + waitTimeout);
    }
  }

  /**
   * The group with queue mode made explicit.
   *
   * @return {@code consumerGroup}, or {@link #QUEUE_MODE} when it is null
   */
  public String groupOrQueueMode() {
    return consumerGroup == null ? QUEUE_MODE : consumerGroup;
  }

  /**
   * Whether the pop is in queue mode.
   *
   * @return true when {@code consumerGroup} is null or {@link #QUEUE_MODE}
   */
  public boolean isQueueMode() {
    return consumerGroup == null || QUEUE_MODE.equals(consumerGroup);
  }

  /**
   * Whether the pop is a long poll.
   *
   * @return true when {@code waitTimeout} is not zero
   */
  public boolean waits() {
    return !waitTimeout.isZero();
  }

  /**
   * A pop of one queue.
   *
   * @param queue the queue
   * @return a builder with the defaults: any partition, queue mode, batch 1, one partition, no
   *     auto-ack, no wait, the configured subscription mode
   */
  public static Builder fromQueue(String queue) {
    var b = new Builder();
    b.queue = queue;
    return b;
  }

  /**
   * A pop of any queue with this namespace and/or task.
   *
   * @param namespace the namespace, or null for any
   * @param task the task, or null for any (not both null: such a pop is refused when it runs)
   * @return a builder with the defaults of {@link #fromQueue}
   */
  public static Builder fromNamespace(String namespace, String task) {
    var b = new Builder();
    b.namespace = namespace;
    b.task = task;
    return b;
  }

  /**
   * A builder starting from this request, to change some of it.
   *
   * @return a new builder holding every component of this request
   */
  public Builder toBuilder() {
    var b = new Builder();
    b.queue = queue;
    b.partition = partition;
    b.namespace = namespace;
    b.task = task;
    b.consumerGroup = consumerGroup;
    b.batch = batch;
    b.partitions = partitions;
    b.autoAck = autoAck;
    b.waitTimeout = waitTimeout;
    b.subscriptionMode = subscriptionMode;
    b.subscriptionFrom = subscriptionFrom;
    return b;
  }

  /** Mutable builder; not thread-safe. {@link #build()} checks the values. */
  public static final class Builder {
    private String queue;
    private String partition;
    private String namespace;
    private String task;
    private String consumerGroup;
    private int batch = 1;
    private int partitions = 1;
    private boolean autoAck;
    private Duration waitTimeout = Duration.ZERO;
    private SubscriptionMode subscriptionMode;
    private Instant subscriptionFrom;

    private Builder() {}

    /**
     * Pops from one partition only.
     *
     * @param v the partition's name (needs a queue); default null: any partition
     * @return this builder
     */
    public Builder partition(String v) { this.partition = v; return this; }

    /**
     * The consumer group to pop for.
     *
     * @param v the group's name; default null: queue mode
     * @return this builder
     */
    public Builder consumerGroup(String v) { this.consumerGroup = v; return this; }

    /**
     * The most messages to return, in total across the partitions claimed.
     *
     * @param v 1 to {@link #MAX_BATCH}; default 1
     * @return this builder
     */
    public Builder batch(int v) { this.batch = v; return this; }

    /**
     * The most partitions to claim at once (wildcard pops only).
     *
     * @param v 1 to {@link #MAX_PARTITIONS}; default 1
     * @return this builder
     */
    public Builder partitions(int v) { this.partitions = v; return this; }

    /**
     * Whether to settle the batch at pop time and keep no lease.
     *
     * @param v default false
     * @return this builder
     */
    public Builder autoAck(boolean v) { this.autoAck = v; return this; }

    /**
     * Long-poll for up to {@code timeout} when nothing is available.
     *
     * @param timeout zero (return at once) or positive; default zero
     * @return this builder
     */
    public Builder wait(Duration timeout) { this.waitTimeout = timeout; return this; }

    /**
     * Where a new named group starts.
     *
     * @param v the mode; default null: {@link io.queen.QueenConfig#defaultSubscriptionMode()}
     * @return this builder
     */
    public Builder subscriptionMode(SubscriptionMode v) { this.subscriptionMode = v; return this; }

    /**
     * Starts a new named group after this instant.
     *
     * @param v the instant; default null: none
     * @return this builder
     */
    public Builder subscriptionFrom(Instant v) { this.subscriptionFrom = v; return this; }

    /**
     * Builds the request.
     *
     * @return the request with every value given so far and defaults for the rest
     * @throws IllegalArgumentException when a value breaks a bound of {@link PopRequest}
     */
    public PopRequest build() {
      return new PopRequest(queue, partition, namespace, task, consumerGroup, batch, partitions,
          autoAck, waitTimeout, subscriptionMode, subscriptionFrom);
    }
  }
}
