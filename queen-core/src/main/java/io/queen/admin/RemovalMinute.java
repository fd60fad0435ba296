package io.queen.admin;

import java.time.Instant;

/**
 * What the lifecycle removed from one queue in one minute.
 *
 * @param bucket the minute's start
 * @param queue the queue ("" for history rows)
 * @param kind {@code retention}, {@code completed_retention}, {@code max_wait_time_eviction},
 *     {@code partition_cleanup}, {@code purge} or {@code history}
 * @param count messages (or partitions, or history rows) removed
 */
public record RemovalMinute(Instant bucket, String queue, String kind, long count) {}
