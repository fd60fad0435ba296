package io.queen.admin;

import java.time.Instant;
import java.util.UUID;

/**
 * One group's cursor on one partition.
 *
 * @param group the group
 * @param queue the queue
 * @param partition the partition's name
 * @param partitionId the partition's id
 * @param leaseId the live lease's id, or null
 * @param offsetLag messages after the cursor
 * @param timeLagSeconds the age of the oldest of them, in seconds (0 when none)
 * @param oldestUnconsumedAt when the oldest of them was pushed, or null
 * @param lastConsumedAt when the group last consumed from the partition, or null
 * @param totalConsumed messages the group consumed from the partition
 * @param leaseActive whether a lease is live
 */
public record PartitionLag(
    String group, String queue, String partition, UUID partitionId, String leaseId,
    long offsetLag, long timeLagSeconds, Instant oldestUnconsumedAt, Instant lastConsumedAt,
    long totalConsumed, boolean leaseActive) {}
