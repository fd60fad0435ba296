/**
 * Immutable value types that {@link io.queen.QueueManager} takes and returns. Payloads travel as
 * JSON text ({@code String}) and are never re-serialised on the way through.
 */
package io.queen.model;
