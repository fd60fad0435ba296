package io.queen.admin;

import java.time.Instant;

/**
 * The whole system at a glance.
 *
 * @param queues queues
 * @param partitions partitions
 * @param namespaces namespaces in use
 * @param tasks tasks in use
 * @param messages what every queue holds
 * @param timeLagSeconds the age of each lagging cursor's oldest unconsumed message
 * @param offsetLag messages after each lagging cursor
 * @param ingestedPerSecond messages pushed per second in the last complete minute, all instances
 * @param processedPerSecond messages consumed per second in that minute, all instances
 * @param timestamp when this was computed
 */
public record Overview(
    int queues, int partitions, int namespaces, int tasks, MessageCounts messages,
    Spread timeLagSeconds, Spread offsetLag, double ingestedPerSecond, double processedPerSecond,
    Instant timestamp) {}
