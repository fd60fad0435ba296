package io.queen.server.worker;

import io.queen.QueueManager;
import io.undertow.server.HttpServerExchange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.XnioIoThread;
import org.xnio.XnioWorker;

/**
 * One {@link IoThreadWorker} per XNIO IO thread, created eagerly from the XNIO worker before the
 * server accepts connections. Lookups are by the exchange's own IO thread, so a request is always
 * handled by the worker that owns its connection. Thread-safe (immutable after construction).
 */
public final class IoThreadWorkers {
  /** The request log's logger: one INFO line per answered request, when it is enabled. */
  public static final String ACCESS_LOGGER = "io.queen.server.access";

  private static final Logger LOG = LoggerFactory.getLogger(IoThreadWorkers.class);

  private final List<IoThreadWorker> all;
  private final Map<XnioIoThread, IoThreadWorker> byThread = new IdentityHashMap<>();
  private final OwnerThreadGuard guard;

  public IoThreadWorkers(XnioWorker xnio, QueueManager queen, OwnerThreadGuard guard,
      OperationMetrics metrics, int maxPendingPerWorker, long timerIntervalMillis, Cors cors) {
    this.guard = guard;
    var list = new ArrayList<IoThreadWorker>();
    for (int i = 0; i < xnio.getIoThreadCount(); i++) {
      var io = xnio.getIoThread(i);
      var w = new IoThreadWorker(i, io, queen, guard, metrics, maxPendingPerWorker,
          timerIntervalMillis, cors);
      list.add(w);
      byThread.put(io, w);
    }
    this.all = List.copyOf(list);
  }

  /** Starts every worker's backstop timer on its own thread. */
  public void startTimers() {
    onEachThread(IoThreadWorker::startTimer, Duration.ofSeconds(5));
  }

  /** The worker owning this exchange's connection. */
  public IoThreadWorker forExchange(HttpServerExchange exchange) {
    var w = byThread.get(exchange.getIoThread());
    if (w == null) {
      throw new IllegalStateException("no worker for IO thread " + exchange.getIoThread().getName());
    }
    return w;
  }

  public List<WorkerStats> stats() {
    var out = new ArrayList<WorkerStats>(all.size());
    all.forEach(w -> out.add(w.stats()));
    return out;
  }

  public OwnerThreadGuard guard() {
    return guard;
  }

  /** Shutdown: every parked long poll is answered with 204 by its own IO thread. */
  public void answerLongPolls(Duration bound) {
    onEachThread(IoThreadWorker::answerLongPolls, bound);
  }

  /** Shutdown: stops the timers. */
  public void stopTimers(Duration bound) {
    onEachThread(IoThreadWorker::stopTimer, bound);
  }

  /**
   * Shutdown: waits until no request is in flight on any worker or {@code bound} passes.
   *
   * @return whether everything finished in time
   */
  public boolean awaitIdle(Duration bound) throws InterruptedException {
    long deadline = System.nanoTime() + bound.toNanos();
    while (true) {
      int busy = 0;
      for (var w : all) {
        var s = w.stats();
        busy += s.outstanding() + s.parkedExchanges();
      }
      if (busy == 0) {
        return true;
      }
      if (System.nanoTime() - deadline >= 0) {
        LOG.warn("{} request(s) still in flight after {} ms", busy, bound.toMillis());
        return false;
      }
      // The shutdown thread polls a gauge; this is not on any request path.
      TimeUnit.MILLISECONDS.sleep(10);
    }
  }

  private void onEachThread(java.util.function.Consumer<IoThreadWorker> action, Duration bound) {
    var done = new ArrayList<CompletableFuture<Void>>();
    for (var w : all) {
      var f = new CompletableFuture<Void>();
      try {
        w.ioThread().execute(() -> {
          try {
            action.accept(w);
            f.complete(null);
          } catch (RuntimeException e) {
            f.completeExceptionally(e);
          }
        });
      } catch (java.util.concurrent.RejectedExecutionException e) {
        f.complete(null);
      }
      done.add(f);
    }
    try {
      CompletableFuture.allOf(done.toArray(new CompletableFuture<?>[0]))
          .get(bound.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("IO-thread task did not finish cleanly within {} ms: {}", bound.toMillis(), e.toString());
    }
  }
}
