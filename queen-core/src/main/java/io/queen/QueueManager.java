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
 * <p>Unless a method says otherwise, its future completes on a Queen database thread
 * ({@code queen-db-N}). The exceptions: a request answered without database work (an empty list
 * of items, a pop during pop maintenance) or refused before it was queued (full queues, shutdown)
 * is returned already completed; a push kept in the file buffer completes on the buffer's writer
 * thread ({@code queen-buffer-writer-N}); a long poll that ends without messages (timeout,
 * {@link #close()}) completes on the scheduler's thread or the closing thread.
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
   * @param queue the queue's name: 1 to 255 characters, no control characters
   * @param namespace its namespace tag, or null for none
   * @param task its task tag, or null for none
   * @param options its configuration; not null
   * @return completes with the queue's id, its {@code Default} partition's id, and the
   *     configuration stored
   * @throws io.queen.error.InvalidRequestException for a bad name, null options, or
   *     {@code encryptionEnabled} on an engine without an encryption key
   */
  CompletableFuture<QueueInfo> configureQueue(
      String queue, String namespace, String task, QueueOptions options);

  /**
   * Deletes the queue and everything under it (partitions, messages, cursors, dead letters,
   * traces). Completes with whether it existed.
   *
   * @param queue the queue's name: 1 to 255 characters, no control characters
   * @return completes with true when the queue existed and is now gone, false when there was no
   *     such queue
   * @throws io.queen.error.InvalidRequestException for a bad name
   */
  CompletableFuture<Boolean> deleteQueue(String queue);

  /**
   * Pushes messages. Completes with one result per item, in order, once every {@code QUEUED} item
   * is committed. Items that fail (for example a full {@code maxSize} queue) do not affect the
   * others, except that all items of one queue fail together when that queue would overflow.
   *
   * @param items the messages, in the order they are stored within each partition; not null, may
   *     be empty
   * @return completes with one result per item, in the items' order ({@code QUEUED},
   *     {@code BUFFERED} when it went to the file buffer, {@code DUPLICATE} for a known
   *     transaction id, or {@code FAILED} with an error); at once with an empty list for no items
   * @throws io.queen.error.InvalidRequestException when the list or an item is null, or an item
   *     has a bad queue, partition, transaction id, trace id, trace context or payload (the field
   *     is named as {@code items[i].member}); nothing was queued
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
   * @param items the messages, validated as {@link #push(List)} validates them; not null, may be
   *     empty (then nothing runs)
   * @return one result per item, in order; {@code QUEUED} means queued if the transaction commits
   * @throws io.queen.error.InvalidRequestException for a bad item, a null or closed connection, or
   *     a connection to a database without Queen's schema; nothing was written
   * @throws io.queen.error.QueenDatabaseException when the statement failed: PostgreSQL has
   *     aborted the application's transaction, which must now roll back
   * @throws io.queen.error.DatabaseUnavailableException when the connection broke, or the manager
   *     started without the database and has not migrated the schema yet
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
   * @param connection a connection to the database this manager was created on, owned by the
   *     calling thread
   * @param acks the acknowledgements, validated as {@link #ack(List)} validates them; not null,
   *     may be empty (then nothing runs)
   * @return one result per item, in order, as {@link #ack(List)} would give them
   * @throws io.queen.error.InvalidRequestException for a bad item, a null or closed connection, or
   *     a connection to a database without Queen's schema; nothing was written
   * @throws io.queen.error.QueenDatabaseException when the statement failed: PostgreSQL has
   *     aborted the application's transaction, which must now roll back
   * @throws io.queen.error.DatabaseUnavailableException when the connection broke, or the manager
   *     started without the database and has not migrated the schema yet
   */
  List<AckResult> ack(Connection connection, List<AckItem> acks);

  /**
   * Pops messages and leases their partitions for the group (unless auto-acked). With a wait
   * timeout, completes as soon as a matching push commits or when the timeout passes, and the
   * future is a {@link WaitingPop}, whose wait can be ended early without handing back a result.
   * Cancelling the future stops the wait and releases any lease a concurrently completing pop took
   * (auto-acked messages it took are unsettled and delivered again).
   *
   * @param request what to pop; not null
   * @return completes with the messages and their lease id, or with an empty result whose
   *     {@link PopResult#outcome() outcome} says why (nothing available, timed out, pop
   *     maintenance); a pop that finds messages completes on a database thread, one that times out
   *     on the scheduler's thread
   * @throws io.queen.error.InvalidRequestException when the request is null, has neither a queue
   *     nor a namespace or task, or has a bad queue, partition or group name
   * @throws io.queen.error.EncryptionException when the queue has {@code encryptionEnabled} and
   *     this engine has no key to decrypt it
   */
  CompletableFuture<PopResult> pop(PopRequest request);

  /**
   * Acknowledges messages; each is applied on its own, one result per item in order.
   *
   * @param acks the acknowledgements; not null, may be empty
   * @return completes with one result per item, in the items' order (an item that does not apply,
   *     for example an expired lease, has {@code success} false and says why); at once with an
   *     empty list for no items
   * @throws io.queen.error.InvalidRequestException when the list or an item is null, or an item
   *     has a bad transaction id, partition id, lease id, group or error text, or no status (the
   *     field is named as {@code acknowledgments[i].member}); nothing was queued
   */
  CompletableFuture<List<AckResult>> ack(List<AckItem> acks);

  /**
   * Extends every live partition lease with this id to {@code max(current expiry, now + seconds)}.
   *
   * @param leaseId the lease id of a pop result (a UUID)
   * @param seconds 1 to 86400
   * @return completes with the new expiry, or with {@code success} false when the lease is not
   *     found or already expired
   * @throws io.queen.error.InvalidRequestException when {@code leaseId} is not a UUID or
   *     {@code seconds} is out of bounds
   */
  CompletableFuture<LeaseExtension> extendLease(String leaseId, int seconds);

  /**
   * Releases every live partition lease with this id without counting failures, so its messages
   * are redelivered at once. Used when a popped batch could not be handed to its consumer.
   * Completes with the number of partition leases released.
   *
   * @param leaseId the lease id of a pop result (a UUID)
   * @return completes with the number of partition leases released: 0 when none was live
   * @throws io.queen.error.InvalidRequestException when {@code leaseId} is not a UUID
   */
  CompletableFuture<Integer> releaseLease(String leaseId);

  /**
   * Hands back a pop result that could not be given to its consumer (for example, the client of a
   * server went away): releases its lease without counting failures, or, for an auto-acked result,
   * makes its messages deliverable to the group again (before anything newer in their partitions).
   * Either way nothing is lost. Completes with the number of partition leases or messages returned.
   *
   * @param result a result this manager's {@link #pop} completed with; not null
   * @return completes with the number of partition leases released (leased result) or messages
   *     made deliverable again (auto-acked result); at once with 0 for an empty result
   * @throws io.queen.error.InvalidRequestException when {@code result} is null
   */
  CompletableFuture<Integer> returnUndelivered(PopResult result);

  /**
   * Runs acks and pushes in one PostgreSQL transaction: all commit or none do. The acks run
   * first; the transaction also checks that every required lease is still live.
   *
   * @param request the acks, pushes and required leases; not null, with at least one ack or push
   * @return completes with the results of every ack and push when all succeeded, or with
   *     {@code success} false and PostgreSQL's message when one part failed (then nothing
   *     committed)
   * @throws io.queen.error.InvalidRequestException when the request is null or empty, or an ack,
   *     push or required lease is bad (named as {@code acks[i]}, {@code pushes[i]},
   *     {@code requiredLeases[i]})
   */
  CompletableFuture<TransactionResult> transaction(TransactionRequest request);

  /**
   * Lists dead-letter entries, newest failure first.
   *
   * @param query the filters and the page; not null
   * @return completes with one page of entries (payloads decrypted) and the total that match
   * @throws io.queen.error.InvalidRequestException when {@code query} is null
   */
  CompletableFuture<DlqPage> listDlq(DlqQuery query);

  /**
   * Makes dead-letter entries deliverable to their group again. Completes with the count requeued.
   *
   * @param request the queue, and optionally the group and the messages; not null
   * @return completes with the number of entries requeued (0 when none matched)
   * @throws io.queen.error.InvalidRequestException when the request is null or has a bad queue or
   *     group name
   */
  CompletableFuture<Integer> requeueDlq(DlqRequeue request);

  /**
   * Records a trace event against a message. Completes with the event's id.
   *
   * @param event the event and the message it belongs to; not null
   * @return completes with the new event's id; fails with {@link io.queen.error.NotFoundException}
   *     when the message is not there
   * @throws io.queen.error.InvalidRequestException when the event is null, or has a bad
   *     transaction id, partition id, data (missing or not JSON), trace name or group
   */
  CompletableFuture<UUID> recordTrace(TraceEvent event);

  /**
   * Every trace event of one message, oldest first.
   *
   * @param partitionId the message's partition id (a UUID)
   * @param transactionId the message's transaction id
   * @return completes with the message's events, oldest first; empty when it has none
   * @throws io.queen.error.InvalidRequestException when {@code partitionId} is not a UUID or
   *     {@code transactionId} is missing, longer than 255 characters or contains NUL
   */
  CompletableFuture<List<TraceRecord>> traces(String partitionId, String transactionId);

  /**
   * Trace events carrying a name, newest first, with their messages.
   *
   * @param traceName the name: 1 to 255 characters, no control characters
   * @param limit the page size, 1 to 10000
   * @param offset the events to skip, 0 or more
   * @return completes with one page of events, each with its message's queue and payload, and
   *     the total number carrying the name
   * @throws io.queen.error.InvalidRequestException for a bad name, limit or offset
   */
  CompletableFuture<TracePage> tracesByName(String traceName, int limit, int offset);

  /**
   * The trace names in use, most recently seen first.
   *
   * @param limit the page size, 1 to 10000
   * @param offset the names to skip, 0 or more
   * @return completes with one page of names, each with its counts and when it was last seen, and
   *     the total number of names
   * @throws io.queen.error.InvalidRequestException for a bad limit or offset
   */
  CompletableFuture<TraceNamePage> traceNames(int limit, int offset);

  /**
   * Whether the database answers a trivial query; completes false rather than failing.
   *
   * @return completes with true when the database answered, false when it did not or the manager
   *     is closing; never exceptionally
   */
  CompletableFuture<Boolean> checkDatabase();

  /**
   * Whether the schema is up to date (a manager started while the database was away migrates it
   * once it answers) and the manager is not closing. Any thread; no database call.
   *
   * @return true when the schema is up to date and {@link #close()} has not been called
   */
  boolean isReady();

  /**
   * Push maintenance for every instance on the database: while on, pushes go to each instance's
   * file buffer and answer {@code buffered}, and the buffers do not replay until it is switched
   * off. Completes with the modes after the change; fails with
   * {@link io.queen.error.InvalidRequestException} when this engine has no file buffer to turn it
   * on with, and with {@link io.queen.error.DatabaseUnavailableException} when the switch cannot be
   * stored. (The first is thrown at once, as every validation failure, rather than failing the
   * future.) Other instances learn the change through NOTIFY, or within about a second.
   *
   * @param enabled true to switch push maintenance on, false to switch it off
   * @return completes with both modes as stored after the change
   * @throws io.queen.error.InvalidRequestException when {@code enabled} is true and this engine
   *     has no file buffer
   */
  CompletableFuture<MaintenanceStatus> setPushMaintenance(boolean enabled);

  /**
   * Pop maintenance for every instance: while on, pops answer at once with nothing (outcome
   * {@code PAUSED}) and parked long polls lease nothing.
   *
   * @param enabled true to switch pop maintenance on, false to switch it off
   * @return completes with both modes as stored after the change; fails with
   *     {@link io.queen.error.DatabaseUnavailableException} when the switch cannot be stored
   */
  CompletableFuture<MaintenanceStatus> setPopMaintenance(boolean enabled);

  /**
   * The maintenance modes as this engine knows them (at most about a second old). Any thread; no
   * database call.
   *
   * @return the push and pop maintenance modes last read or set
   */
  MaintenanceStatus maintenance();

  /**
   * This engine's file buffer. Cheap; callable from any thread.
   *
   * @return the buffer's state and counters; without a file buffer, a status that says it is not
   *     enabled, with zero counts
   */
  BufferStatus bufferStatus();

  /**
   * The operations API: consumer groups, counts, the message browser, purges and the per-minute
   * history. The same object for the manager's whole life.
   *
   * @return the operations API of this manager
   */
  QueenAdmin admin();

  /**
   * The tracing this manager was configured with ({@link QueenTracing#NOOP} when none):
   * {@link io.queen.consumer.QueenConsumer} runs its handler inside its spans.
   *
   * @return the configured tracing, never null
   */
  default QueenTracing tracing() {
    return QueenTracing.NOOP;
  }

  /**
   * Counters and gauges of the engine, for monitoring. Cheap; callable from any thread.
   *
   * @return a snapshot of the per-operation counters, the parked long polls, the pool and the jobs
   */
  EngineStats stats();

  /**
   * Stops accepting work, answers waiting long polls with an empty result, lets committed work
   * finish, and releases every thread and connection it owns, within the configured shutdown
   * timeout. Idempotent.
   */
  @Override
  void close();

  // ---- blocking conveniences -------------------------------------------------------------

  /**
   * {@link #push(List)}, waiting on the calling thread.
   *
   * @param items the messages; not null, may be empty
   * @return one result per item, in the items' order
   * @throws io.queen.error.InvalidRequestException for a bad item (as {@link #push(List)})
   * @throws io.queen.error.QueenException the future's failure, unwrapped
   */
  default List<PushResult> pushSync(List<PushItem> items) {
    return await(push(items));
  }

  /**
   * Pushes one message, waiting on the calling thread.
   *
   * @param item the message; not null
   * @return the item's result
   * @throws io.queen.error.InvalidRequestException for a bad item (as {@link #push(List)})
   * @throws io.queen.error.QueenException the future's failure, unwrapped
   */
  default PushResult pushSync(PushItem item) {
    return await(push(List.of(item))).get(0);
  }

  /**
   * {@link #pop(PopRequest)}, waiting on the calling thread (for a long poll, up to its wait
   * timeout).
   *
   * @param request what to pop; not null
   * @return the messages, or an empty result whose outcome says why
   * @throws io.queen.error.InvalidRequestException for a bad request (as {@link #pop})
   * @throws io.queen.error.QueenException the future's failure, unwrapped
   */
  default PopResult popSync(PopRequest request) {
    return await(pop(request));
  }

  /**
   * {@link #ack(List)}, waiting on the calling thread.
   *
   * @param acks the acknowledgements; not null, may be empty
   * @return one result per item, in the items' order
   * @throws io.queen.error.InvalidRequestException for a bad item (as {@link #ack(List)})
   * @throws io.queen.error.QueenException the future's failure, unwrapped
   */
  default List<AckResult> ackSync(List<AckItem> acks) {
    return await(ack(acks));
  }

  /**
   * Acknowledges one message, waiting on the calling thread.
   *
   * @param ack the acknowledgement; not null
   * @return the item's result
   * @throws io.queen.error.InvalidRequestException for a bad item (as {@link #ack(List)})
   * @throws io.queen.error.QueenException the future's failure, unwrapped
   */
  default AckResult ackSync(AckItem ack) {
    return await(ack(List.of(ack))).get(0);
  }

  /**
   * {@link #transaction(TransactionRequest)}, waiting on the calling thread.
   *
   * @param request the acks, pushes and required leases; not null, not empty
   * @return the transaction's result: all parts committed, or none with the reason
   * @throws io.queen.error.InvalidRequestException for a bad request (as {@link #transaction})
   * @throws io.queen.error.QueenException the future's failure, unwrapped
   */
  default TransactionResult transactionSync(TransactionRequest request) {
    return await(transaction(request));
  }

  /**
   * {@link #configureQueue} without namespace or task tags, waiting on the calling thread.
   *
   * @param queue the queue's name: 1 to 255 characters, no control characters
   * @param options its configuration; not null
   * @return the queue's id, its {@code Default} partition's id and the configuration stored
   * @throws io.queen.error.InvalidRequestException for a bad name or options (as
   *     {@link #configureQueue})
   * @throws io.queen.error.QueenException the future's failure, unwrapped
   */
  default QueueInfo configureQueueSync(String queue, QueueOptions options) {
    return await(configureQueue(queue, null, null, options));
  }

  /**
   * Waits for a future and rethrows its failure unwrapped (a {@link RuntimeException} as itself,
   * anything else wrapped in a {@link CompletionException}).
   *
   * <p>Blocks the calling thread. When it is interrupted, the future is cancelled (a parked pop
   * stops waiting and gives back what it took) and the interrupt flag is set again.
   *
   * @param <T> the future's value type
   * @param future the future to wait for; not null
   * @return the future's value
   * @throws CancellationException when the future was cancelled
   * @throws CompletionException when the thread was interrupted, or the future failed with a
   *     checked exception or an error (the cause)
   * @throws RuntimeException the future's failure itself, when it was one (for example a
   *     {@link io.queen.error.QueenException})
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
