package io.queen.server.worker;

import io.queen.QueueManager;
import io.queen.server.http.ApiResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives back pop results that no client received ({@link QueueManager#returnUndelivered}: the
 * lease is released, or auto-acked messages are unsettled), so their messages are redelivered at
 * once and none is lost with a connection. Any thread; it never blocks (the core does the work).
 */
final class UndeliveredResults {
  private static final Logger LOG = LoggerFactory.getLogger(UndeliveredResults.class);

  private final int worker;
  private final QueueManager queen;
  private final WorkerCounters counters;

  UndeliveredResults(int worker, QueueManager queen, WorkerCounters counters) {
    this.worker = worker;
    this.queen = queen;
    this.counters = counters;
  }

  /** Returns the pop result {@code response} carries, if any; other responses need nothing. */
  void giveBack(ApiResponse response) {
    if (response == null || response.undelivered() == null) {
      return;
    }
    var result = response.undelivered();
    try {
      queen.returnUndelivered(result).whenComplete((n, e) -> {
        if (e != null) {
          LOG.warn("worker {}: returning an undelivered pop result ({} messages) failed: {}",
              worker, result.messages().size(), e.getMessage());
        } else {
          counters.leasesReleased.increment();
        }
      });
    } catch (RuntimeException e) {
      LOG.warn("worker {}: returning an undelivered pop result failed: {}", worker, e.getMessage());
    }
  }
}
