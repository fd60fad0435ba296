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
 * <p>Reads and writes run on a Queen database thread ({@code queen-db-N}), which completes their
 * futures. The reads served from the aggregated lists ({@link #consumerGroups()},
 * {@link #overview()}, {@link #queues}, {@link #namespaces()}, {@link #tasks()}) return an
 * already completed future when the lists are recent enough (see
 * {@link io.queen.QueenConfig#summaryInterval()}), so callbacks chained to them may run on the
 * calling thread. Time ranges of the history reads are required, {@code from} before {@code to},
 * and at most 31 days long.
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
   *
   * @return the newest aggregated lists, or empty when this instance has none yet
   */
  Optional<SummarySnapshot> lastSummaries();

  /**
   * One entry per group and queue it reads (queue mode included as {@code __QUEUE_MODE__}).
   *
   * @return completes with every (group, queue) and its lag, by group then queue, from the
   *     aggregated lists
   */
  CompletableFuture<List<ConsumerGroupSummary>> consumerGroups();

  /**
   * Every partition cursor of one group, by queue then partition.
   *
   * @param group the group: 1 to 255 characters, no control characters
   * @return completes with the group's cursors and their lag, by queue then partition (empty
   *     when it has a subscription but no cursor yet)
   * @throws io.queen.error.InvalidRequestException for a bad group name
   * @throws io.queen.error.NotFoundException (in the future) when the group has neither a cursor
   *     nor a subscription anywhere
   */
  CompletableFuture<List<PartitionLag>> consumerGroup(String group);

  /**
   * The cursors whose oldest unconsumed message is at least {@code minLagSeconds} old.
   *
   * @param minLagSeconds the least time lag, in seconds; 0 or more
   * @return completes with the cursors of every group lagging that much
   * @throws io.queen.error.InvalidRequestException when {@code minLagSeconds} is negative
   */
  CompletableFuture<List<PartitionLag>> laggingPartitions(long minLagSeconds);

  /**
   * Deletes the group's cursors on {@code queue} (null: every queue) and, with
   * {@code deleteMetadata}, its subscription records, so that its next pop starts it over: from
   * the subscription that pop asks for, or (records kept) from the recorded one. Deleting a group
   * that does not exist deletes nothing and succeeds, so clean-up code can call it blindly.
   *
   * @param group the group: 1 to 255 characters, no control characters
   * @param queue the queue whose cursors go, or null for every queue
   * @param deleteMetadata whether the group's subscription records go too
   * @return completes with the number of cursors and of subscription records deleted
   * @throws io.queen.error.InvalidRequestException for a bad group or queue name
   * @throws io.queen.error.NotFoundException (in the future) when {@code queue} is given and
   *     does not exist
   */
  CompletableFuture<GroupDeletion> deleteConsumerGroup(String group, String queue,
      boolean deleteMetadata);

  /**
   * Rewrites where the group starts on every queue it is subscribed to, for the partitions it has
   * no cursor on yet (existing cursors stay: move them with a seek). Completes with the number of
   * subscription records changed.
   *
   * @param group the group: 1 to 255 characters, no control characters
   * @param subscriptionTimestamp the instant the group starts after; not null
   * @return completes with the number of subscription records changed (0 when the group has none)
   * @throws io.queen.error.InvalidRequestException for a bad group name or a null timestamp
   */
  CompletableFuture<Integer> updateSubscription(String group, Instant subscriptionTimestamp);

  /**
   * Moves every cursor of the group on the queue: to the newest message ({@code timestamp} null),
   * or after the last message created at or before {@code timestamp} (backwards included: the
   * messages after it are delivered again).
   *
   * @param group the group: 1 to 255 characters, no control characters
   * @param queue the queue: 1 to 255 characters, no control characters
   * @param timestamp where to move the cursors, or null for the newest message
   * @return completes with the number of cursors moved
   * @throws io.queen.error.InvalidRequestException for a bad group or queue name
   * @throws io.queen.error.NotFoundException (in the future) when the queue does not exist, or the
   *     group has no cursor on it and no cursor or subscription anywhere else (a group known on
   *     other queues but without a cursor on this one moves nothing and succeeds)
   */
  CompletableFuture<SeekResult> seek(String group, String queue, Instant timestamp);

  /**
   * Moves the group's cursor on one partition to its newest message (creating the cursor there
   * when the group had none).
   *
   * @param group the group: 1 to 255 characters, no control characters
   * @param queue the queue: 1 to 255 characters, no control characters
   * @param partition the partition's name: 1 to 255 characters, no control characters
   * @return completes with the cursor moved and when the message it is now at was pushed (null
   *     when the partition holds no message)
   * @throws io.queen.error.InvalidRequestException for a bad group, queue or partition name
   * @throws io.queen.error.NotFoundException (in the future) when the queue or partition does
   *     not exist
   */
  CompletableFuture<SeekResult> seekPartitionToEnd(String group, String queue, String partition);

  // ---- resources -----------------------------------------------------------------------

  /**
   * Totals over every queue, with lag and the last minute's throughput.
   *
   * @return completes with the totals of the aggregated lists and when they were computed
   */
  CompletableFuture<Overview> overview();

  /**
   * Every queue (filtered by namespace and task when not null), newest first.
   *
   * @param namespace only queues of this namespace, or null for any
   * @param task only queues of this task, or null for any
   * @return completes with the matching queues and what they hold, from the aggregated lists
   * @throws io.queen.error.InvalidRequestException for a bad namespace or task
   */
  CompletableFuture<List<QueueSummary>> queues(String namespace, String task);

  /**
   * One queue with its configuration and every partition; empty when it does not exist.
   *
   * @param name the queue: 1 to 255 characters, no control characters
   * @return completes with the queue, read in one snapshot, or empty when there is no such queue
   * @throws io.queen.error.InvalidRequestException for a bad name
   */
  CompletableFuture<Optional<QueueDetail>> queue(String name);

  /**
   * Every namespace in use, by name.
   *
   * @return completes with each namespace and the totals of its queues, from the aggregated lists
   */
  CompletableFuture<List<TagSummary>> namespaces();

  /**
   * Every task in use, by name.
   *
   * @return completes with each task and the totals of its queues, from the aggregated lists
   */
  CompletableFuture<List<TagSummary>> tasks();

  /**
   * Leases and dead letters now, of the queues matching the filters (null: any).
   *
   * @param queue only this queue, or null
   * @param namespace only queues of this namespace, or null
   * @param task only queues of this task, or null
   * @return completes with the live leases, the dead-letter counts and the most frequent errors
   * @throws io.queen.error.InvalidRequestException for a bad queue, namespace or task
   */
  CompletableFuture<StatusSnapshot> statusSnapshot(String queue, String namespace, String task);

  // ---- messages ------------------------------------------------------------------------

  /**
   * A page of messages, newest first, with their derived status. Payloads are not included.
   *
   * @param query the filters, time range and page; not null
   * @return completes with one page of messages and how their queue is read
   * @throws io.queen.error.InvalidRequestException when {@code query} is null or names a bad
   *     queue, partition, namespace or task
   */
  CompletableFuture<MessagePage> messages(MessageQuery query);

  /**
   * One message with its payload and what every group did with it; empty when it is gone.
   *
   * @param partitionId the message's partition id; not null
   * @param transactionId the message's transaction id
   * @return completes with the message (payload decrypted), or empty when it is not stored
   * @throws io.queen.error.InvalidRequestException when {@code partitionId} is null or
   *     {@code transactionId} is missing, longer than 255 characters or contains NUL
   */
  CompletableFuture<Optional<MessageDetail>> message(UUID partitionId, String transactionId);

  /**
   * Deletes one message with its dead-letter entries, traces and state. Cursors stay where they
   * are. Completes with whether it existed.
   *
   * @param partitionId the message's partition id; not null
   * @param transactionId the message's transaction id
   * @return completes with true when the message existed and is deleted, false when it was not
   *     stored
   * @throws io.queen.error.InvalidRequestException when {@code partitionId} is null or
   *     {@code transactionId} is missing, longer than 255 characters or contains NUL
   */
  CompletableFuture<Boolean> deleteMessage(UUID partitionId, String transactionId);

  /**
   * Deletes every message of the queue, or of one of its partitions ({@code partition} not
   * null), in batches of short transactions, keeping the queue's configuration, partitions and
   * cursors. Counted as {@code purge} in the retention history. Completes with the number deleted.
   * The batch size is the lifecycle's {@code retentionBatchSize}.
   *
   * @param queue the queue: 1 to 255 characters, no control characters
   * @param partition one of its partitions, or null for all of them
   * @return completes with the number of messages deleted, once every batch is done
   * @throws io.queen.error.InvalidRequestException for a bad queue or partition name
   * @throws io.queen.error.NotFoundException (in the future) when the queue or the partition does
   *     not exist
   */
  CompletableFuture<Long> purge(String queue, String partition);

  /**
   * Recounts every partition's messages from the message table (a full scan: for repair, for
   * example after a rolling upgrade from a version without counters) and corrects the counters
   * that differ. Runs on one instance at a time. Completes with the partitions corrected, or -1
   * when another instance is recounting.
   *
   * @return completes with the number of partitions whose counters were corrected, or -1 when
   *     another instance is recounting
   */
  CompletableFuture<Integer> recount();

  /**
   * PostgreSQL's statistics about Queen's tables (sizes, cache hit ratios, dead rows, HOT updates,
   * vacuum and analyze times, running statements) as one JSON document.
   *
   * @return completes with the statistics as JSON text
   */
  CompletableFuture<String> postgresStatsJson();

  // ---- history -------------------------------------------------------------------------

  /**
   * Per-minute rows of every instance (all instances when {@code instance} is null).
   *
   * @param from the range's start, inclusive; not null
   * @param to the range's end, exclusive; not null, after {@code from}, at most 31 days later
   * @param instance one instance's id, or null for all
   * @return completes with one row per instance and minute in the range
   * @throws io.queen.error.InvalidRequestException for a missing or bad range, or a bad instance name
   */
  CompletableFuture<List<InstanceMinute>> instanceHistory(Instant from, Instant to, String instance);

  /**
   * Per-minute rows per queue (all queues when {@code queue} is null), summed over instances.
   *
   * @param from the range's start, inclusive; not null
   * @param to the range's end, exclusive; not null, after {@code from}, at most 31 days later
   * @param queue one queue, or null for all
   * @return completes with one row per queue and minute in the range
   * @throws io.queen.error.InvalidRequestException for a missing or bad range, or a bad queue name
   */
  CompletableFuture<List<QueueMinute>> queueHistory(Instant from, Instant to, String queue);

  /**
   * Messages pushed per {@code unit} ({@code minute}, {@code hour} or {@code day}) between
   * {@code from} and {@code to}, all instances, of one queue or (null) all.
   *
   * @param unit {@code minute}, {@code hour} or {@code day}
   * @param from the range's start, inclusive; not null
   * @param to the range's end, exclusive; not null, after {@code from}, at most 31 days later
   * @param queue one queue, or null for all
   * @return completes with one bucket per unit of the range with recorded history, oldest first
   * @throws io.queen.error.InvalidRequestException for another unit (field {@code interval}), a
   *     missing or bad range, or a bad queue name
   */
  CompletableFuture<List<Bucket>> pushedPerBucket(String unit, Instant from, Instant to,
      String queue);

  /**
   * Long polls parked per minute, queue and instance (minutes with none are left out).
   *
   * @param from the range's start, inclusive; not null
   * @param to the range's end, exclusive; not null, after {@code from}, at most 31 days later
   * @param queue one queue, or null for all
   * @return completes with one row per minute, queue and instance that had long polls parked
   * @throws io.queen.error.InvalidRequestException for a missing or bad range, or a bad queue name
   */
  CompletableFuture<List<ParkedMinute>> parkedHistory(Instant from, Instant to, String queue);

  /**
   * What retention, eviction and purges removed, per queue, kind and minute.
   *
   * @param from the range's start, inclusive; not null
   * @param to the range's end, exclusive; not null, after {@code from}, at most 31 days later
   * @param queue one queue, or null for all
   * @return completes with one row per minute, queue and kind of removal
   * @throws io.queen.error.InvalidRequestException for a missing or bad range, or a bad queue name
   */
  CompletableFuture<List<RemovalMinute>> removalHistory(Instant from, Instant to, String queue);
}
