/**
 * {@link io.queen.tracing.QueenTracing} for the OpenTelemetry API. The API is an optional
 * dependency of queen-core: add {@code io.opentelemetry:opentelemetry-api} to use this package.
 */
package io.queen.tracing.otel;
