package io.queen.admin;

import java.time.Instant;

/**
 * What a seek moved.
 *
 * @param group the group
 * @param queue the queue
 * @param partition the partition for a partition seek, else null
 * @param toEnd whether it moved to the newest message
 * @param timestamp the target of a seek to a time, else null
 * @param partitionsUpdated cursors moved
 * @param cursorMovedTo for a partition seek, when the message the cursor is now at was pushed
 *     (null when the partition holds no message, and for a queue seek)
 */
public record SeekResult(
    String group, String queue, String partition, boolean toEnd, Instant timestamp,
    int partitionsUpdated, Instant cursorMovedTo) {}
