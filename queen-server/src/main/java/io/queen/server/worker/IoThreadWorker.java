package io.queen.server.worker;

import io.queen.QueueManager;
import io.queen.server.http.ApiRequest;
import io.queen.server.http.ApiResponse;
import io.queen.server.http.ErrorMapper;
import io.queen.server.http.LongPollFuture;
import io.queen.server.http.Router.Route;
import io.undertow.server.HttpServerExchange;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.xnio.XnioIoThread;

/**
 * Everything one XNIO IO thread owns, composed of one part per duty:
 * <ul>
 *   <li>{@link ParkedExchanges}: the registry of parked exchanges and their connections;</li>
 *   <li>{@link ResponseDrainTask}: the thread's {@code ResponseQueue} and the task that drains
 *       it into deliveries, in slices;</li>
 *   <li>{@link BackstopTimer}: drains what a wake-up missed, expires long polls past their
 *       deadline, sweeps exchanges of closed connections;</li>
 *   <li>{@link ResponseWriter}: status, CORS, {@code Retry-After}, body, metrics;</li>
 *   <li>{@link DisconnectProbe}: notices a client leaving a parked long poll;</li>
 *   <li>{@link UndeliveredResults}: gives back pop results nobody received.</li>
 * </ul>
 * This class admits requests ({@link #start}) and answers those that never reach a handler.
 *
 * <p>Concurrency: the only way in from another thread is the completion of a handler's future,
 * which offers plain data ({@link Completion}) to the response queue. Every other path runs on
 * the owning IO thread and checks that it does ({@link OwnerThreadGuard}), and only those paths
 * ever see an {@link HttpServerExchange}; so the parts need no locks.
 *
 * <p>Admission: a request beyond {@code maxPending} outstanding ones is refused with 503 and
 * {@code Retry-After}; since each outstanding request produces exactly one completion, the queue
 * (of that capacity) can never refuse an offer.
 */
public final class IoThreadWorker {
  private final int number;
  private final XnioIoThread io;
  private final OwnerThreadGuard guard;
  private final int maxPending;
  private final long longPollGraceNanos;
  private final WorkerCounters counters = new WorkerCounters();
  private final ParkedExchanges parked;
  private final DisconnectProbe probe;
  private final ResponseWriter writer;
  private final ResponseDrainTask drain;
  private final BackstopTimer timer;

  IoThreadWorker(int number, XnioIoThread io, QueueManager queen, OwnerThreadGuard guard,
      OperationMetrics metrics, int maxPending, long timerIntervalMillis, Cors cors) {
    this.number = number;
    this.io = io;
    this.guard = guard;
    this.maxPending = maxPending;
    // The engine answers at the deadline itself; the backstop steps in only if it did not.
    this.longPollGraceNanos = TimeUnit.MILLISECONDS.toNanos(2 * timerIntervalMillis + 250);
    var undelivered = new UndeliveredResults(number, queen, counters);
    this.parked = new ParkedExchanges(number, io, guard, counters);
    this.probe = new DisconnectProbe(io, guard);
    this.writer = new ResponseWriter(number, io, guard, metrics, counters, probe, undelivered,
        cors);
    this.drain = new ResponseDrainTask(number, io, guard, maxPending, parked, writer, undelivered,
        counters);
    this.timer = new BackstopTimer(io, guard, timerIntervalMillis, drain, parked, writer, counters);
  }

  // ---- any thread ----------------------------------------------------------------------------

  XnioIoThread ioThread() {
    return io;
  }

  /** A snapshot for {@code /metrics}. Any thread. */
  public WorkerStats stats() {
    return new WorkerStats(number, io.getName(), parked.parkedGauge(), parked.outstandingGauge(),
        drain.depth(), drain.capacity(), counters.wakeUps.sum(), counters.drains.sum(),
        counters.timerDrains.sum(), counters.delivered.sum(), counters.disconnects.sum(),
        counters.undeliverable.sum(), counters.leasesReleased.sum(), counters.expired.sum(),
        counters.refused.sum());
  }

  // ---- owning IO thread only -----------------------------------------------------------------

  /**
   * IO thread, inside the exchange's dispatch task: runs the route's handler and parks the
   * exchange until its completion is drained. A handler that throws is answered at once.
   */
  public void start(HttpServerExchange exchange, Route route, ApiRequest request) {
    guard.check(io, "starting a request");
    var operation = route.operation();
    long startNanos = System.nanoTime();
    if (parked.outstanding() >= maxPending) {
      counters.refused.increment();
      writer.write(exchange, operation, startNanos, ApiResponse.error(503,
          "Server busy: " + parked.outstanding() + " requests in flight on this worker; retry later")
          .withRetryAfter(1));
      return;
    }
    CompletableFuture<ApiResponse> future;
    try {
      future = route.handler().handle(request);
    } catch (RuntimeException e) {
      writer.write(exchange, operation, startNanos, ErrorMapper.toResponse(e));
      return;
    }
    long deadline = 0;
    if (future instanceof LongPollFuture) {
      deadline = startNanos + TimeUnit.MILLISECONDS.toNanos(((LongPollFuture) future).waitMillis())
          + longPollGraceNanos;
    }
    long id = parked.park(exchange, future, operation, startNanos, deadline).id;
    if (deadline != 0 && !future.isDone()) {
      probe.watch(exchange);
    }
    // May run at once on this thread when the future is already done; the drain it schedules
    // then runs after this task returns, never inside it.
    future.whenComplete((response, failure) -> drain.offer(new Completion(id, response, failure)));
  }

  /** IO thread: answers a request that never reached a handler (404, 413, OPTIONS, a decorator). */
  public void respondNow(HttpServerExchange exchange, String operation, ApiResponse response) {
    guard.check(io, "answering a request");
    writer.write(exchange, operation, System.nanoTime(), response);
  }

  /** IO thread: starts the backstop timer. */
  void startTimer() {
    timer.start();
  }

  /** IO thread: stops the backstop timer (shutdown). */
  void stopTimer() {
    timer.stop();
  }

  /** IO thread: answers every parked long poll with 204 (shutdown). */
  void answerLongPolls() {
    timer.answerLongPolls();
  }
}
