/**
 * Distributed tracing of messages: the {@link io.queen.tracing.QueenTracing} seam, and in
 * {@code otel} its OpenTelemetry implementation (an optional dependency).
 */
package io.queen.tracing;
