package io.queen.metrics;

/**
 * The metrics seam: what the engine reports as it works, for a monitoring system to count. Every
 * method has an empty default, so an implementation overrides only what it records, and
 * {@link #NOOP} records nothing. Configure one with {@link io.queen.QueenConfig.Builder#metrics};
 * the engine always keeps its own {@link CountingMetrics} as well, behind
 * {@link io.queen.QueueManager#stats()}.
 *
 * <p>Threads: methods are called from any thread, concurrently (callers' threads for
 * {@link #requestAccepted} and {@link #requestRefused}, {@code queen-db} threads for the rest).
 * They must be cheap and must not block or throw: several are called once per request.
 *
 * <p>Operations are the engine's group-commit kinds: {@code push}, {@code pop}, {@code ack}, and
 * {@code other} (everything run one by one: transactions, leases, admin reads). Jobs are the
 * background jobs by name ({@code lease-reaper}, {@code statistics-keeper}, {@code listener-census}).
 */
public interface QueenMetrics {

  /** Records nothing. */
  QueenMetrics NOOP = new QueenMetrics() {};

  /** A request of {@code items} items (messages, acks, pops) was queued for a batch. */
  default void requestAccepted(String operation, int items) {}

  /** A request was refused before it was queued (queue full or shutting down). */
  default void requestRefused(String operation) {}

  /**
   * A batch of {@code requests} requests starts; its oldest request waited {@code waitedNanos}
   * since it was accepted (the group commit's wait).
   */
  default void batchStarted(String operation, int requests, long waitedNanos) {}

  /** A batch of {@code requests} requests ran as one transaction and committed. */
  default void batchCommitted(String operation, int requests, long nanos) {}

  /** A request got its result, {@code nanos} after it was accepted. */
  default void requestCompleted(String operation, long nanos) {}

  /** A request failed (its future completed exceptionally). */
  default void requestFailed(String operation) {}

  /** A background job's run finished. */
  default void jobRan(String job, long nanos) {}

  /** A background job's run failed; the job keeps its schedule. */
  default void jobFailed(String job) {}

  /** A run was skipped: the previous one was still going, or another instance held the job's lock. */
  default void jobSkipped(String job) {}

  /**
   * The lifecycle removed {@code count} messages (or partitions) of {@code queue}; {@code kind} is
   * {@code retention}, {@code completed_retention}, {@code max_wait_time_eviction} or
   * {@code partition_cleanup}.
   */
  default void removed(String queue, String kind, int count) {}

  /** A push committed {@code messages} messages to {@code queue} (called once per queue per push). */
  default void pushed(String queue, int messages) {}

  /**
   * A pop of {@code queue} delivered {@code messages} messages (0: it found nothing);
   * {@code lagSumMillis} and {@code lagMaxMillis} are the sum and greatest of their times from
   * push to delivery.
   */
  default void popped(String queue, int messages, long lagSumMillis, long lagMaxMillis) {}

  /**
   * Acks of {@code queue} in one request: {@code applied} took effect, {@code failed} were refused
   * (for example, an expired lease), of the applied ones {@code deadLettered} moved a message to
   * the dead-letter queue.
   */
  default void acked(String queue, int applied, int failed, int deadLettered) {}

  /** A transaction that pushed to or acked from {@code queue} committed (once per queue). */
  default void transactionCommitted(String queue) {}

  /** The lease reaper settled {@code count} expired leases (retried or dead-lettered). */
  default void leasesExpired(int count) {}

  /** A pop of {@code queue} found nothing and waits for messages (a long poll parks). */
  default void longPollParked(String queue) {}

  /**
   * A parked long poll of {@code queue} ended after {@code waitedNanos}: {@code delivered} when a
   * wake-up or recheck found messages, else it timed out (or the engine closed).
   */
  default void longPollEnded(String queue, boolean delivered, long waitedNanos) {}

  /**
   * The engine started and answers requests; an implementation may register gauges that read
   * {@code queen} (its stats, buffer, maintenance and {@link io.queen.admin.QueenAdmin#lastSummaries()}).
   * Called once, on the thread that started the engine.
   */
  default void started(io.queen.QueueManager queen) {}
}
