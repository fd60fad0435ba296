/**
 * Queen: a partitioned message queue whose whole state lives in PostgreSQL.
 *
 * <p>Start with {@link io.queen.Queen#connect} or {@link io.queen.Queen#create}, which return a
 * thread-safe {@link io.queen.QueueManager}. Value types are in {@code io.queen.model}, exceptions
 * in {@code io.queen.error}, the consumer helper in {@code io.queen.consumer} and the per-worker
 * hand-off queue in {@code io.queen.response}. The JSON writer and validator are in
 * {@code io.queen.json}; the seams an embedder may plug into are {@code io.queen.metrics}
 * (what the engine reports) and {@code io.queen.time} (when its timers and jobs run). Everything
 * under {@code io.queen.internal} is not API and may change without notice.
 */
package io.queen;
