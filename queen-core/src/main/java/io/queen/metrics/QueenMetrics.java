package io.queen.metrics;

/**
 * The metrics seam: what the engine reports as it works, for a monitoring system to count. Every
 * method has an empty default, so an implementation overrides only what it records, and
 * {@link #NOOP} records nothing. Configure one with {@link io.queen.QueenConfig.Builder#metrics};
 * the engine always keeps its own {@link CountingMetrics} as well, behind
 * {@link io.queen.QueueManager#stats()}.
 *
 * <p>Threads: methods are called from any thread, concurrently (callers' threads for
 * {@link #requestAccepted} and {@link #requestRefused}, {@code queen-db} threads for most of the rest).
 * They must be cheap and must not block or throw: several are called once per request.
 *
 * <p>Operations are the engine's group-commit kinds: {@code push}, {@code pop}, {@code ack}, and
 * {@code other} (everything run one by one: transactions, leases, admin reads). Jobs are the
 * background jobs by name ({@code lease-reaper}, {@code statistics-keeper}, {@code listener-census}).
 * The others: {@code retention}, {@code eviction}, {@code metrics-history}, {@code summaries},
 * {@code maintenance-flags} and, after a start without the database, {@code startup-migration}.
 *
 * <p>Each method below says which thread calls it. "The completing thread" is the one that
 * completes the operation's future: a {@code queen-db-N} thread, or for a push kept in the file
 * buffer {@code queen-buffer-writer-N}, for a long poll that timed out the scheduler's thread
 * ({@code queen-timer-N} unless one is configured), for a request answered at once (empty, or
 * during pop maintenance) the caller's thread, and for the calls on an application's own
 * connection the application's thread.
 */
public interface QueenMetrics {

  /** Records nothing. */
  QueenMetrics NOOP = new QueenMetrics() {};

  /**
   * A request of {@code items} items (messages, acks, pops) was queued for a batch. Called on the
   * submitting thread: the caller's, or for background work (jobs) the scheduler's.
   *
   * @param operation the operation kind: {@code push}, {@code pop}, {@code ack} or {@code other}
   * @param items the items it carries (at least 1; a pop counts as one)
   */
  default void requestAccepted(String operation, int items) {}

  /**
   * A request was refused before it was queued (queue full or shutting down). Called on the
   * submitting thread, as {@link #requestAccepted}.
   *
   * @param operation the operation kind: {@code push}, {@code pop}, {@code ack} or {@code other}
   */
  default void requestRefused(String operation) {}

  /**
   * A batch of {@code requests} requests starts; its oldest request waited {@code waitedNanos}
   * since it was accepted (the group commit's wait). Called on the {@code queen-db-N} thread
   * that runs it, before it runs.
   *
   * @param operation the operation kind: {@code push}, {@code pop}, {@code ack} or {@code other}
   * @param requests the requests in the batch (a batch retried one by one after a failure
   *     reports each retry as a batch of 1)
   * @param waitedNanos how long the oldest request waited, in nanoseconds
   */
  default void batchStarted(String operation, int requests, long waitedNanos) {}

  /**
   * A batch of {@code requests} requests ran as one transaction and committed. Called on the
   * {@code queen-db-N} thread that ran it, before the requests' futures complete.
   *
   * @param operation the operation kind: {@code push}, {@code pop}, {@code ack} or {@code other}
   * @param requests the requests in the batch
   * @param nanos how long the batch ran, in nanoseconds
   */
  default void batchCommitted(String operation, int requests, long nanos) {}

  /**
   * A request got its result, {@code nanos} after it was accepted. Called on the
   * {@code queen-db-N} thread that ran its batch, just before its future completes.
   *
   * @param operation the operation kind: {@code push}, {@code pop}, {@code ack} or {@code other}
   * @param nanos from acceptance to result, in nanoseconds
   */
  default void requestCompleted(String operation, long nanos) {}

  /**
   * A request failed (its future completed exceptionally). Called on the {@code queen-db-N}
   * thread that ran its batch; for requests that never ran because the engine shut down, on the
   * thread closing the engine or the submitting thread.
   *
   * @param operation the operation kind: {@code push}, {@code pop}, {@code ack} or {@code other}
   */
  default void requestFailed(String operation) {}

  /**
   * A background job's run finished. Called on the {@code queen-db-N} thread that ran it.
   *
   * @param job the job's name, for example {@code lease-reaper}
   * @param nanos how long the run took, in nanoseconds (by the scheduler's clock)
   */
  default void jobRan(String job, long nanos) {}

  /**
   * A background job's run failed; the job keeps its schedule. Called on the
   * {@code queen-db-N} thread that ran it (or the scheduling thread when it could not be queued).
   *
   * @param job the job's name, for example {@code lease-reaper}
   */
  default void jobFailed(String job) {}

  /**
   * A run was skipped: the previous one was still going, or another instance held the job's lock.
   * Called on the thread that tried to start it (the scheduler's thread, or {@code queen-listen}
   * when a notification asks for a run), or, when another instance held the lock, on the
   * {@code queen-db-N} thread that found out.
   *
   * @param job the job's name, for example {@code lease-reaper}
   */
  default void jobSkipped(String job) {}

  /**
   * The lifecycle removed {@code count} messages (or partitions) of {@code queue}; {@code kind} is
   * {@code retention}, {@code completed_retention}, {@code max_wait_time_eviction} or
   * {@code partition_cleanup}. Called on the {@code queen-db-N} thread that ran the job's batch,
   * once per queue and kind.
   *
   * @param queue the queue
   * @param kind what removed them
   * @param count the messages (or partitions) removed
   */
  default void removed(String queue, String kind, int count) {}

  /**
   * A push committed {@code messages} messages to {@code queue} (called once per queue per push).
   * Only {@code QUEUED} items count. Called on the completing thread, before the caller's future
   * completes; for a transaction, with {@link #transactionCommitted}.
   *
   * @param queue the queue
   * @param messages the messages queued to it (at least 1)
   */
  default void pushed(String queue, int messages) {}

  /**
   * A pop of {@code queue} delivered {@code messages} messages (0: it found nothing);
   * {@code lagSumMillis} and {@code lagMaxMillis} are the sum and greatest of their times from
   * push to delivery. Called on the completing thread, before the caller's future completes,
   * once per queue the pop delivered from.
   *
   * @param queue the queue ({@code ""} for a namespace or task pop that found nothing)
   * @param messages the messages delivered from it (0: none)
   * @param lagSumMillis the sum of their times from push to delivery, in milliseconds
   * @param lagMaxMillis the greatest of those times, in milliseconds
   */
  default void popped(String queue, int messages, long lagSumMillis, long lagMaxMillis) {}

  /**
   * Acks of {@code queue} in one request: {@code applied} took effect, {@code failed} were refused
   * (for example, an expired lease), of the applied ones {@code deadLettered} moved a message to
   * the dead-letter queue. Called on the completing thread, before the caller's future
   * completes, once per queue.
   *
   * @param queue the queue ({@code ""} for acks of messages not found)
   * @param applied acks that took effect
   * @param failed acks refused
   * @param deadLettered of the applied ones, those that moved a message to the dead-letter queue
   */
  default void acked(String queue, int applied, int failed, int deadLettered) {}

  /**
   * A transaction that pushed to or acked from {@code queue} committed (once per queue). Called on
   * the {@code queen-db-N} thread that ran it, after its {@link #pushed} and {@link #acked} calls.
   *
   * @param queue the queue
   */
  default void transactionCommitted(String queue) {}

  /**
   * The lease reaper settled {@code count} expired leases (retried or dead-lettered). Called on
   * the {@code queen-db-N} thread that ran the reaper, only when it settled some.
   *
   * @param count the leases settled (at least 1)
   */
  default void leasesExpired(int count) {}

  /**
   * A pop of {@code queue} found nothing and waits for messages (a long poll parks). Called once
   * per long poll, on the thread that completed its first empty pop (usually {@code queen-db-N}).
   *
   * @param queue the queue ({@code ""} for a namespace or task pop)
   */
  default void longPollParked(String queue) {}

  /**
   * A parked long poll of {@code queue} ended after {@code waitedNanos}: {@code delivered} when a
   * wake-up or recheck found messages, else it timed out (or the engine closed). Called only for
   * a long poll that parked, on the thread that completed it: {@code queen-db-N} when it found
   * messages, the scheduler's thread at its timeout, the closing thread at close, the cancelling
   * thread when its caller cancelled.
   *
   * @param queue the queue ({@code ""} for a namespace or task pop)
   * @param delivered whether it ended with messages
   * @param waitedNanos how long it was parked, in nanoseconds
   */
  default void longPollEnded(String queue, boolean delivered, long waitedNanos) {}

  /**
   * The engine started and answers requests; an implementation may register gauges that read
   * {@code queen} (its stats, buffer, maintenance and {@link io.queen.admin.QueenAdmin#lastSummaries()}).
   * Called once, on the thread that started the engine.
   *
   * @param queen the started engine
   */
  default void started(io.queen.QueueManager queen) {}
}
