/**
 * The engine's facade: {@link io.queen.internal.engine.QueenEngine} implements
 * {@code QueueManager} by handing each call to its room in {@code internal.ops}, and builds,
 * schedules and stops the rest (jobs, wake-ups, threads). No SQL here.
 */
package io.queen.internal.engine;
