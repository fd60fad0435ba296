package io.queen.admin;

import java.time.Instant;
import java.util.UUID;

/**
 * A queue and what it holds.
 *
 * @param id its id
 * @param name its name
 * @param namespace its namespace ("" for none)
 * @param task its task ("" for none)
 * @param priority its priority
 * @param createdAt when it was created
 * @param partitions its partition count
 * @param messages what it holds
 * @param lastActivity the last push to any of its partitions (or a partition's creation), null
 *     for a queue without partitions
 */
public record QueueSummary(
    UUID id, String name, String namespace, String task, int priority, Instant createdAt,
    int partitions, MessageCounts messages, Instant lastActivity) {}
