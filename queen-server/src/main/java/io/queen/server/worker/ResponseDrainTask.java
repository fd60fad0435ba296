package io.queen.server.worker;

import io.queen.response.ResponseQueue;
import io.queen.server.http.ErrorMapper;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.XnioIoThread;

/**
 * Carries completions from whatever thread finished a request to the owning IO thread, and there
 * writes each to its parked exchange. Its {@link ResponseQueue} is the only structure shared
 * between threads on the response path.
 *
 * <p>Threads: {@link #offer} may be called by any thread. The queue's empty-to-non-empty wake-up
 * runs on the offering thread and only schedules this task on the IO thread (one {@code execute}
 * per burst). {@link #run} and delivery run on the owning IO thread only (checked by
 * {@link OwnerThreadGuard}); they drain in slices, re-scheduling between slices so that socket IO
 * of other connections keeps flowing.
 *
 * <p>Failure: a completion whose exchange is gone (client closed, deadline passed) is dropped, and
 * a pop result it carries is given back. Since each outstanding request produces exactly one
 * completion and admission keeps them within the queue's capacity, an offer cannot be refused.
 */
final class ResponseDrainTask implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(ResponseDrainTask.class);
  /** Completions written per drain slice before yielding to the event loop. */
  private static final int DRAIN_SLICE = 256;

  private final int worker;
  private final XnioIoThread io;
  private final OwnerThreadGuard guard;
  private final ParkedExchanges parked;
  private final ResponseWriter writer;
  private final UndeliveredResults undelivered;
  private final WorkerCounters counters;
  private final ResponseQueue<Completion> queue;
  private final Consumer<Completion> deliverer = this::deliverSafely;

  ResponseDrainTask(int worker, XnioIoThread io, OwnerThreadGuard guard, int capacity,
      ParkedExchanges parked, ResponseWriter writer, UndeliveredResults undelivered,
      WorkerCounters counters) {
    this.worker = worker;
    this.io = io;
    this.guard = guard;
    this.parked = parked;
    this.writer = writer;
    this.undelivered = undelivered;
    this.counters = counters;
    this.queue = ResponseQueue.create(capacity, this::wakeUp);
  }

  /** Any thread: hands a finished request to the owning IO thread. */
  void offer(Completion c) {
    if (queue.offer(c)) {
      return;
    }
    // Cannot happen while outstanding <= capacity; keep the result rather than lose a lease.
    LOG.error("worker {}: response queue full ({}), delivering through execute", worker,
        queue.capacity());
    try {
      io.execute(() -> deliver(c));
    } catch (RejectedExecutionException e) {
      undelivered.giveBack(c.response());
    }
  }

  /** Runs on the offering thread when the queue goes from empty to non-empty: schedule a drain. */
  private void wakeUp() {
    counters.wakeUps.increment();
    try {
      io.execute(this);
    } catch (RejectedExecutionException e) {
      // The IO thread is stopping (shutdown); the timer is gone too, nothing can be written.
      LOG.debug("worker {}: IO thread refused the drain task (shutting down)", worker);
    }
  }

  /** IO thread: the drain, scheduled by the wake-up (or the timer) and re-scheduled between slices. */
  @Override
  public void run() {
    guard.check(io, "draining the response queue");
    counters.drains.increment();
    int handled = 0;
    while (true) {
      int n = queue.drain(deliverer, DRAIN_SLICE);
      handled += n;
      if (queue.isEmpty()) {
        return;
      }
      if (n == 0 || handled >= DRAIN_SLICE * 4) {
        // Either an offer is half done (its item will be there in a moment) or we have written a
        // lot: let the event loop run socket IO, then come back. Still "scheduled" as far as the
        // queue is concerned (it is non-empty), so we must re-arm ourselves.
        try {
          io.execute(this);
        } catch (RejectedExecutionException e) {
          LOG.debug("worker {}: could not re-arm the drain (shutting down)", worker);
        }
        return;
      }
    }
  }

  /** Any thread: whether completions are waiting (exact on the IO thread). */
  boolean isEmpty() {
    return queue.isEmpty();
  }

  /** Any thread: completions waiting, an estimate off the IO thread. */
  int depth() {
    return queue.size();
  }

  int capacity() {
    return queue.capacity();
  }

  private void deliverSafely(Completion c) {
    try {
      deliver(c);
    } catch (RuntimeException e) {
      LOG.error("worker {}: delivering a response failed", worker, e);
    }
  }

  /** IO thread: writes one completion to its exchange, or cleans up when the exchange is gone. */
  private void deliver(Completion c) {
    guard.check(io, "delivering a response");
    var p = parked.complete(c.id());
    if (p == null) {
      // Already answered (deadline, shutdown) or the client went away.
      if (c.response() != null && c.response().undelivered() != null) {
        counters.undeliverable.increment();
        undelivered.giveBack(c.response());
      }
      return;
    }
    var response = c.failure() != null ? ErrorMapper.toResponse(c.failure()) : c.response();
    if (p.gone()) {
      counters.undeliverable.increment();
      undelivered.giveBack(response);
      return;
    }
    writer.write(p.exchange, p.operation, p.startNanos, response);
  }
}
