/**
 * The operations side of Queen: consumer-group management (list, lag, delete, seek, subscription),
 * what queues hold (counts per queue, partition, namespace, task), a message browser, queue purge,
 * and the per-minute history of what every instance did. Reached through
 * {@link io.queen.QueueManager#admin()}.
 *
 * <p>Counts come from counters Queen keeps as it works (each partition's pushed and held messages,
 * each group's cursor), never from counting the message table, so they cost the same with a
 * thousand messages or a billion; see docs/operations.md for what each count means exactly.
 */
package io.queen.admin;
