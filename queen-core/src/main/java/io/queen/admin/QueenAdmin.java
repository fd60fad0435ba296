package io.queen.admin;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Queen's operations API. Like {@link io.queen.QueueManager}, every method validates its
 * arguments at once ({@link io.queen.error.InvalidRequestException} naming the field) and returns
 * a future completed on one of Queen's threads. Thread-safe.
 *
 * <p>Writes (delete, seek, subscription, purge) take effect for the next pop: they release the
 * affected group's leases, so acks of batches popped before them are refused, and they never
 * delete or reorder a message that stays.
 */
public interface QueenAdmin {

  // ---- consumer groups -----------------------------------------------------------------

  /**
   * The newest lists this instance has aggregated, without waiting and without asking the
   * database: empty before the first aggregation. Asking keeps the aggregation job running as a
   * read does; when there is none yet or the newest has aged past what the job keeps, one is
   * started (not awaited). Made for gauges scraped every few seconds. Any thread; returns at once.
   */
  Optional<SummarySnapshot> lastSummaries();

  /** One entry per group and queue it reads (queue mode included as {@code __QUEUE_MODE__}). */
  CompletableFuture<List<ConsumerGroupSummary>> consumerGroups();

  /**
   * Every partition cursor of one group, by queue then partition.
   *
   * @throws io.queen.error.NotFoundException (in the future) when the group has neither a cursor
   *     nor a subscription anywhere
   */
  CompletableFuture<List<PartitionLag>> consumerGroup(String group);

  /** The cursors whose oldest unconsumed message is at least {@code minLagSeconds} old. */
  CompletableFuture<List<PartitionLag>> laggingPartitions(long minLagSeconds);

  /**
   * Deletes the group's cursors on {@code queue} (null: every queue) and, with
   * {@code deleteMetadata}, its subscription records, so that its next pop starts it over: from
   * the subscription that pop asks for, or (records kept) from the recorded one. Deleting a group
   * that does not exist deletes nothing and succeeds, so clean-up code can call it blindly.
   *
   * @throws io.queen.error.NotFoundException (in the future) when {@code queue} is given and
   *     does not exist
   */
  CompletableFuture<GroupDeletion> deleteConsumerGroup(String group, String queue,
      boolean deleteMetadata);

  /**
   * Rewrites where the group starts on every queue it is subscribed to, for the partitions it has
   * no cursor on yet (existing cursors stay: move them with a seek). Completes with the number of
   * subscription records changed.
   */
  CompletableFuture<Integer> updateSubscription(String group, Instant subscriptionTimestamp);

  /**
   * Moves every cursor of the group on the queue: to the newest message ({@code timestamp} null),
   * or after the last message created at or before {@code timestamp} (backwards included: the
   * messages after it are delivered again).
   *
   * @throws io.queen.error.NotFoundException (in the future) when the queue does not exist or the
   *     group has no cursor on it
   */
  CompletableFuture<SeekResult> seek(String group, String queue, Instant timestamp);

  /**
   * Moves the group's cursor on one partition to its newest message (creating the cursor there
   * when the group had none).
   *
   * @throws io.queen.error.NotFoundException (in the future) when the queue or partition does
   *     not exist
   */
  CompletableFuture<SeekResult> seekPartitionToEnd(String group, String queue, String partition);

  // ---- resources -----------------------------------------------------------------------

  /** Totals over every queue, with lag and the last minute's throughput. */
  CompletableFuture<Overview> overview();

  /** Every queue (filtered by namespace and task when not null), newest first. */
  CompletableFuture<List<QueueSummary>> queues(String namespace, String task);

  /** One queue with its configuration and every partition; empty when it does not exist. */
  CompletableFuture<Optional<QueueDetail>> queue(String name);

  /** Every namespace in use, by name. */
  CompletableFuture<List<TagSummary>> namespaces();

  /** Every task in use, by name. */
  CompletableFuture<List<TagSummary>> tasks();

  /** Leases and dead letters now, of the queues matching the filters (null: any). */
  CompletableFuture<StatusSnapshot> statusSnapshot(String queue, String namespace, String task);

  // ---- messages ------------------------------------------------------------------------

  /** A page of messages, newest first, with their derived status. Payloads are not included. */
  CompletableFuture<MessagePage> messages(MessageQuery query);

  /** One message with its payload and what every group did with it; empty when it is gone. */
  CompletableFuture<Optional<MessageDetail>> message(UUID partitionId, String transactionId);

  /**
   * Deletes one message with its dead-letter entries, traces and state. Cursors stay where they
   * are. Completes with whether it existed.
   */
  CompletableFuture<Boolean> deleteMessage(UUID partitionId, String transactionId);

  /**
   * Deletes every message of the queue, or of one of its partitions ({@code partition} not
   * null), in batches of short transactions, keeping the queue's configuration, partitions and
   * cursors. Counted as {@code purge} in the retention history. Completes with the number deleted.
   *
   * @throws io.queen.error.NotFoundException (in the future) when the queue or the partition does
   *     not exist
   */
  CompletableFuture<Long> purge(String queue, String partition);

  /**
   * Recounts every partition's messages from the message table (a full scan: for repair, for
   * example after a rolling upgrade from a version without counters) and corrects the counters
   * that differ. Runs on one instance at a time. Completes with the partitions corrected, or -1
   * when another instance is recounting.
   */
  CompletableFuture<Integer> recount();

  /**
   * PostgreSQL's statistics about Queen's tables (sizes, cache hit ratios, dead rows, HOT updates,
   * vacuum and analyze times, running statements) as one JSON document.
   */
  CompletableFuture<String> postgresStatsJson();

  // ---- history -------------------------------------------------------------------------

  /** Per-minute rows of every instance (all instances when {@code instance} is null). */
  CompletableFuture<List<InstanceMinute>> instanceHistory(Instant from, Instant to, String instance);

  /** Per-minute rows per queue (all queues when {@code queue} is null), summed over instances. */
  CompletableFuture<List<QueueMinute>> queueHistory(Instant from, Instant to, String queue);

  /**
   * Messages pushed per {@code unit} ({@code minute}, {@code hour} or {@code day}) between
   * {@code from} and {@code to}, all instances, of one queue or (null) all.
   */
  CompletableFuture<List<Bucket>> pushedPerBucket(String unit, Instant from, Instant to,
      String queue);

  /** Long polls parked per minute, queue and instance (minutes with none are left out). */
  CompletableFuture<List<ParkedMinute>> parkedHistory(Instant from, Instant to, String queue);

  /** What retention, eviction and purges removed, per queue, kind and minute. */
  CompletableFuture<List<RemovalMinute>> removalHistory(Instant from, Instant to, String queue);
}
