/**
 * The metrics seam: {@link io.queen.metrics.QueenMetrics} is what the engine reports (requests,
 * batches, latencies, background jobs); {@link io.queen.metrics.CountingMetrics} counts it in
 * memory. A monitoring integration implements {@code QueenMetrics} and is configured with
 * {@link io.queen.QueenConfig.Builder#metrics}; the operations never know which one is there.
 */
package io.queen.metrics;
