/**
 * The time seam: {@link io.queen.time.Scheduler} decides when the engine's timers and background
 * jobs run. The engine makes its own unless one is configured.
 */
package io.queen.time;
