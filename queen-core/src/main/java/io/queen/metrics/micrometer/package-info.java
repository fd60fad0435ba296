/**
 * Queen's metrics in Micrometer ({@link io.queen.metrics.micrometer.MicrometerMetrics}); needs
 * {@code io.micrometer:micrometer-core} on the class path (an optional dependency of queen-core).
 */
package io.queen.metrics.micrometer;
