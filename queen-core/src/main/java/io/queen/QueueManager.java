package io.queen;

import io.queen.admin.QueenAdmin;
import io.queen.model.AckItem;
import io.queen.model.BufferStatus;
import io.queen.model.MaintenanceStatus;
import io.queen.model.AckResult;
import io.queen.model.DlqPage;
import io.queen.model.DlqQuery;
import io.queen.model.DlqRequeue;
import io.queen.model.EngineStats;
import io.queen.model.LeaseExtension;
import io.queen.model.PopRequest;
import io.queen.model.PopResult;
import io.queen.model.PushItem;
import io.queen.model.PushResult;
import io.queen.model.QueueInfo;
import io.queen.model.QueueOptions;
import io.queen.model.TraceEvent;
import io.queen.model.TraceNamePage;
import io.queen.model.TracePage;
import io.queen.model.TraceRecord;
import io.queen.model.TransactionRequest;
import io.queen.model.TransactionResult;
import io.queen.tracing.QueenTracing;
import java.sql.Connection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The queue API: every operation of Queen on one PostgreSQL database. Create one with
 * {@link Queen#create}; it is thread-safe and meant to be shared by the whole application.
 *
 * <p>Every operation is asynchronous: it validates its arguments at once (throwing
 * {@link io.queen.error.InvalidRequestException} naming the bad field, before anything is queued),
 * then returns a future completed on an internal thread. Concurrent operations of one kind are
 * committed together in one transaction ("group commit"), so callers should issue them
 * concurrently rather than serialise them. A future fails with
 * {@link io.queen.error.OverloadedException} when internal queues are full and with
 * {@link io.queen.error.DatabaseUnavailableException} when PostgreSQL cannot be reached; in both
 * cases nothing was committed. Do not block inside a callback chained to one of these futures
 * without an executor of your own: the completing thread is Queen's.
 *
 * <p>The {@code ...Sync} conveniences block the calling thread until the future completes and
 * rethrow its failure unwrapped.
 *
 * <p>Two operations are not asynchronous: {@link #push(Connection, List)} and
 * {@link #ack(Connection, List)} run on the calling thread, on a connection the application owns,
 * inside the application's own transaction (the outbox pattern; see {@code docs/embedding.md}).
 */
public interface QueueManager extends AutoCloseable {

  /**
   * Creates the queue or replaces its whole configuration (options not given take their
   * defaults), and makes sure its {@code Default} partition exists.
   *
   * @param queue the queue's name
   * @param namespace its namespace tag, or null for none
   * @param task its task tag, or null for none
   * @param options its configuration
   */
  CompletableFuture<QueueInfo> configureQueue(
      String queue, String namespace, String task, QueueOptions options);

  /**
   * Deletes the queue and everything under it (partitions, messages, cursors, dead letters,
   * traces). Completes with whether it existed.
   */
  CompletableFuture<Boolean> deleteQueue(String queue);

  /**
   * Pushes messages. Completes with one result per item, in order, once every {@code QUEUED} item
   * is committed. Items that fail (for example a full {@code maxSize} queue) do not affect the
   * others, except that all items of one queue fail together when that queue would overflow.
   */
  CompletableFuture<List<PushResult>> push(List<PushItem> items);

  /**
   * Pushes messages on {@code connection}, inside the transaction the application owns on it: they
   * become visible when the application commits and vanish if it rolls back. Runs on the calling
   * thread (the one using {@code connection}) and returns when {@code push_v1} has run; it never
   * commits, rolls back or closes the connection. With auto-commit on, the push commits at once.
   *
   * <p>Dedup, validation, encryption and partition order follow {@link #push(List)}: the
   * partitions pushed to stay locked until the application's transaction ends, so concurrent
   * transactions into one partition are stored in commit order (keep such transactions short,
   * and push a transaction's messages in one call: two calls that lock partitions in opposite
   * orders in two transactions can deadlock, which PostgreSQL ends by aborting one of them).
   * Long polls in this and other instances wake at commit (PostgreSQL delivers NOTIFY then); with
   * {@code listenNotify} off they find the messages at their recheck. Push maintenance does not
   * apply: the push is part of the application's write to the database. The pushed counter of the
   * operations API counts these items when the statement runs, whether or not the transaction
   * later commits.
   *
   * @param connection a connection to the database this manager was created on, owned by the
   *     calling thread
   * @return one result per item, in order; {@code QUEUED} means queued if the transaction commits
   * @throws io.queen.error.InvalidRequestException for a bad item, a null or closed connection, or
   *     a connection to a database without Queen's schema; nothing was written
   * @throws io.queen.error.QueenDatabaseException when the statement failed: PostgreSQL has
   *     aborted the application's transaction, which must now roll back
   * @throws io.queen.error.DatabaseUnavailableException when the connection broke
   */
  List<PushResult> push(Connection connection, List<PushItem> items);

  /**
   * Acknowledges messages on {@code connection}, inside the transaction the application owns on
   * it ("consume, then write" in one transaction): the acks take effect when the application
   * commits; after a rollback the messages stay leased to the consumer until its lease expires,
   * then are delivered again. Runs on the calling thread; never commits, rolls back or closes the
   * connection. Waiters for a partition whose lease such an ack ends see it at their next
   * recheck. Errors as {@link #push(Connection, List)}.
   *
   * @return one result per item, in order, as {@link #ack(List)} would give them
   */
  List<AckResult> ack(Connection connection, List<AckItem> acks);

  /**
   * Pops messages and leases their partitions for the group (unless auto-acked). With a wait
   * timeout, completes as soon as a matching push commits or when the timeout passes. Cancelling
   * the future stops the wait and releases any lease a concurrently completing pop took.
   */
  CompletableFuture<PopResult> pop(PopRequest request);

  /** Acknowledges messages; each is applied on its own, one result per item in order. */
  CompletableFuture<List<AckResult>> ack(List<AckItem> acks);

  /**
   * Extends every live partition lease with this id to {@code max(current expiry, now + seconds)}.
   */
  CompletableFuture<LeaseExtension> extendLease(String leaseId, int seconds);

  /**
   * Releases every live partition lease with this id without counting failures, so its messages
   * are redelivered at once. Used when a popped batch could not be handed to its consumer.
   * Completes with the number of partition leases released.
   */
  CompletableFuture<Integer> releaseLease(String leaseId);

  /**
   * Hands back a pop result that could not be given to its consumer (for example, the client of a
   * server went away): releases its lease without counting failures, or, for an auto-acked result,
   * makes its messages deliverable to the group again (before anything newer in their partitions).
   * Either way nothing is lost. Completes with the number of partition leases or messages returned.
   */
  CompletableFuture<Integer> returnUndelivered(PopResult result);

  /** Runs acks and pushes in one PostgreSQL transaction: all commit or none do. */
  CompletableFuture<TransactionResult> transaction(TransactionRequest request);

  /** Lists dead-letter entries, newest failure first. */
  CompletableFuture<DlqPage> listDlq(DlqQuery query);

  /** Makes dead-letter entries deliverable to their group again. Completes with the count requeued. */
  CompletableFuture<Integer> requeueDlq(DlqRequeue request);

  /** Records a trace event against a message. Completes with the event's id. */
  CompletableFuture<UUID> recordTrace(TraceEvent event);

  /** Every trace event of one message, oldest first. */
  CompletableFuture<List<TraceRecord>> traces(String partitionId, String transactionId);

  /** Trace events carrying a name, newest first, with their messages. */
  CompletableFuture<TracePage> tracesByName(String traceName, int limit, int offset);

  /** The trace names in use, most recently seen first. */
  CompletableFuture<TraceNamePage> traceNames(int limit, int offset);

  /** Whether the database answers a trivial query; completes false rather than failing. */
  CompletableFuture<Boolean> checkDatabase();

  /**
   * Whether the schema is up to date (a manager started while the database was away migrates it
   * once it answers) and the manager is not closing. Any thread; no database call.
   */
  boolean isReady();

  /**
   * Push maintenance for every instance on the database: while on, pushes go to each instance's
   * file buffer and answer {@code buffered}, and the buffers do not replay until it is switched
   * off. Completes with the modes after the change; fails with
   * {@link io.queen.error.InvalidRequestException} when this engine has no file buffer to turn it
   * on with, and with {@link io.queen.error.DatabaseUnavailableException} when the switch cannot be
   * stored.
   */
  CompletableFuture<MaintenanceStatus> setPushMaintenance(boolean enabled);

  /** Pop maintenance for every instance: while on, pops answer at once with nothing. */
  CompletableFuture<MaintenanceStatus> setPopMaintenance(boolean enabled);

  /** The maintenance modes as this engine knows them (at most about a second old). */
  MaintenanceStatus maintenance();

  /** This engine's file buffer. Cheap; callable from any thread. */
  BufferStatus bufferStatus();

  /**
   * The operations API: consumer groups, counts, the message browser, purges and the per-minute
   * history. The same object for the manager's whole life.
   */
  QueenAdmin admin();

  /**
   * The tracing this manager was configured with ({@link QueenTracing#NOOP} when none):
   * {@link io.queen.consumer.QueenConsumer} runs its handler inside its spans.
   */
  default QueenTracing tracing() {
    return QueenTracing.NOOP;
  }

  /** Counters and gauges of the engine, for monitoring. Cheap; callable from any thread. */
  EngineStats stats();

  /**
   * Stops accepting work, answers waiting long polls with an empty result, lets committed work
   * finish, and releases every thread and connection it owns, within the configured shutdown
   * timeout. Idempotent.
   */
  @Override
  void close();

  // ---- blocking conveniences -------------------------------------------------------------

  default List<PushResult> pushSync(List<PushItem> items) {
    return await(push(items));
  }

  default PushResult pushSync(PushItem item) {
    return await(push(List.of(item))).get(0);
  }

  default PopResult popSync(PopRequest request) {
    return await(pop(request));
  }

  default List<AckResult> ackSync(List<AckItem> acks) {
    return await(ack(acks));
  }

  default AckResult ackSync(AckItem ack) {
    return await(ack(List.of(ack))).get(0);
  }

  default TransactionResult transactionSync(TransactionRequest request) {
    return await(transaction(request));
  }

  default QueueInfo configureQueueSync(String queue, QueueOptions options) {
    return await(configureQueue(queue, null, null, options));
  }

  /**
   * Waits for a future and rethrows its failure unwrapped (a {@link RuntimeException} as itself,
   * anything else wrapped in a {@link CompletionException}).
   */
  static <T> T await(CompletableFuture<T> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(true);
      throw new CompletionException("interrupted while waiting for Queen", e);
    } catch (CancellationException e) {
      throw e;
    } catch (ExecutionException e) {
      var cause = e.getCause();
      if (cause instanceof RuntimeException) {
        throw (RuntimeException) cause;
      }
      throw new CompletionException(cause);
    }
  }
}
