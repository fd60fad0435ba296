/**
 * One room per operation: push (with the {@link io.queen.internal.ops.PushSink} seam behind it),
 * pop, ack, leases, transactions, the queue catalog, the dead-letter queue, traces, health, and
 * giving back undelivered pop results. Each validates on the caller's thread (problems name the
 * field), runs its SQL on a {@code queen-db} thread, and completes the caller's future there.
 */
package io.queen.internal.ops;
