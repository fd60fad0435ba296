package io.queen.server.worker;

/**
 * A snapshot of one IO thread's response path, for {@code /metrics}.
 *
 * @param worker the IO thread's number
 * @param thread its name
 * @param parkedExchanges exchanges waiting for a result
 * @param outstanding requests started whose completion has not been drained yet
 * @param responseQueueDepth completions waiting in the response queue
 * @param responseQueueCapacity the queue's bound
 * @param wakeUps empty-to-non-empty wake-ups (drains scheduled by producers)
 * @param drains drain runs
 * @param timerDrains drains the backstop timer had to do (a wake-up should have done them)
 * @param responses responses written
 * @param disconnects parked requests dropped because the client went away
 * @param undeliverable results that found no exchange to write to
 * @param leasesReleased leases released for undeliverable pop results
 * @param expiredByTimer long polls the timer answered (the core normally answers them first)
 * @param refused requests refused with 503 because too many were in flight
 */
public record WorkerStats(
    int worker, String thread, int parkedExchanges, int outstanding, int responseQueueDepth,
    int responseQueueCapacity, long wakeUps, long drains, long timerDrains, long responses,
    long disconnects, long undeliverable, long leasesReleased, long expiredByTimer,
    long refused) {}
