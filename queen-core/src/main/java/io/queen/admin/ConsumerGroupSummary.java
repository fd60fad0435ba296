package io.queen.admin;

import java.time.Instant;

/**
 * A consumer group on one queue.
 *
 * @param group the group ({@code __QUEUE_MODE__} for queue mode)
 * @param queue the queue
 * @param members the partitions it has a cursor on
 * @param partitionsWithLag those with messages after the cursor
 * @param totalLag messages after its cursors, summed
 * @param maxTimeLagSeconds the age of its oldest unconsumed message, in seconds (0: none)
 * @param state {@code Lagging} (oldest unconsumed older than 300 s), {@code Stable} (consumed
 *     something), or {@code Dead} (never consumed anything)
 * @param subscriptionMode {@code all}, {@code new} or {@code timestamp}; null without a record
 *     (queue mode, or a group whose record was deleted)
 * @param subscriptionTimestamp where it starts on partitions it has no cursor on (null: the
 *     beginning)
 * @param subscriptionCreatedAt when it was first seen on the queue
 */
public record ConsumerGroupSummary(
    String group, String queue, int members, int partitionsWithLag, long totalLag,
    long maxTimeLagSeconds, String state, String subscriptionMode, Instant subscriptionTimestamp,
    Instant subscriptionCreatedAt) {

  /** The time lag past which a group is {@code Lagging}. */
  public static final long LAGGING_SECONDS = 300;
}
