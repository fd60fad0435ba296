package io.queen.admin;

/**
 * A namespace or task and the queues tagged with it.
 *
 * @param name the namespace or task
 * @param queues queues tagged with it
 * @param partitions their partitions
 * @param total messages they hold
 * @param pending of which not yet consumed
 */
public record TagSummary(String name, int queues, int partitions, long total, long pending) {}
