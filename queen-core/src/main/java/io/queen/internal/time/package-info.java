/** The real {@link io.queen.time.Scheduler}: {@code System.nanoTime()} and the {@code queen-timer} thread. */
package io.queen.internal.time;
