/**
 * Wake-ups of waiting pops: {@link io.queen.internal.wakeup.LongPolls} (parked waiters, their
 * rechecks and deadlines), {@link io.queen.internal.wakeup.PushListener} (LISTEN for other
 * instances' pushes on {@code queen-listen}) and {@link io.queen.internal.wakeup.ListenerCensus}
 * (the job that decides whether pushes NOTIFY).
 */
package io.queen.internal.wakeup;
