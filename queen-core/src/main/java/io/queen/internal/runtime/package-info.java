/**
 * What every room shares: {@link io.queen.internal.runtime.EngineContext} (configuration, database,
 * statements, ids, time, metrics, the {@code queen-db} threads and their committers).
 */
package io.queen.internal.runtime;
