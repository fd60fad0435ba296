package io.queen.admin;

import java.time.Instant;
import java.util.UUID;

/**
 * One partition of a queue.
 *
 * @param id its id
 * @param name its name
 * @param createdAt when it was created
 * @param lastActivity its last push (or creation)
 * @param messages what it holds
 * @param oldestMessage when its oldest stored message was pushed, or null
 * @param newestMessage when its newest message was pushed, or null
 * @param totalConsumed messages consumed from it, over every group
 * @param batchesConsumed batches consumed from it, over every group
 */
public record PartitionSummary(
    UUID id, String name, Instant createdAt, Instant lastActivity, MessageCounts messages,
    Instant oldestMessage, Instant newestMessage, long totalConsumed, long batchesConsumed) {}
