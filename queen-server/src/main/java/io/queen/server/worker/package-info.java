/**
 * What each XNIO IO thread owns, and the root handler that feeds it.
 * {@link io.queen.server.worker.RequestIntake} (any IO thread, stateless) refuses during shutdown,
 * answers CORS preflights, routes (asking its {@link io.queen.server.worker.NoRouteHandler}, the
 * dashboard, before a 404), reads the body without blocking, runs the decorators and hands
 * the exchange to the {@link io.queen.server.worker.IoThreadWorker} of its own IO thread
 * ({@link io.queen.server.worker.IoThreadWorkers} maps threads to workers). A worker composes one
 * part per duty: {@code ParkedExchanges} (the registry), {@code ResponseDrainTask} (the thread's
 * {@code ResponseQueue}, drained into deliveries in slices), {@code BackstopTimer} (missed
 * wake-ups, long-poll deadlines, closed connections), {@code ResponseWriter} (status, CORS,
 * {@code Retry-After}, body, metrics), {@code DisconnectProbe} (clients leaving a parked long
 * poll) and {@code UndeliveredResults} (pop results given back). Thread contract: a completion
 * crosses from the thread that finished the work only through {@code ResponseDrainTask.offer}
 * into the queue; every other path runs on the owning IO thread, checked by
 * {@link io.queen.server.worker.OwnerThreadGuard} (violations are counted and tests assert none).
 * {@link io.queen.server.worker.OperationMetrics} and {@link io.queen.server.worker.WorkerStats}
 * are what {@code /metrics} reads, from any thread.
 */
package io.queen.server.worker;
