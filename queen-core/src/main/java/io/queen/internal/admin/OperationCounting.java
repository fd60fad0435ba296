package io.queen.internal.admin;

import io.queen.metrics.QueenMetrics;
import io.queen.model.AckResult;
import io.queen.model.PopResult;
import io.queen.model.PushResult;
import io.queen.model.PushStatus;
import io.queen.model.TransactionResult;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns operation results into the metrics seam's per-queue events (pushed, popped, acked,
 * transaction committed). Called by the engine facade on the thread that completes the
 * operation's future; stateless apart from the clock.
 */
public final class OperationCounting {
  private final QueenMetrics metrics;
  private final Clock clock;

  public OperationCounting(QueenMetrics metrics, Clock clock) {
    this.metrics = metrics;
    this.clock = clock;
  }

  public void pushed(List<PushResult> results) {
    if (results.isEmpty()) {
      return;
    }
    String only = results.get(0).queue();
    int queued = 0;
    Map<String, Integer> byQueue = null;
    for (var r : results) {
      if (r.status() != PushStatus.QUEUED) {
        continue;
      }
      if (byQueue == null && r.queue().equals(only)) {
        queued++;
        continue;
      }
      if (byQueue == null) {
        byQueue = new HashMap<>();
        byQueue.put(only, queued);
      }
      byQueue.merge(r.queue(), 1, Integer::sum);
    }
    if (byQueue == null) {
      if (queued > 0) {
        metrics.pushed(only, queued);
      }
    } else {
      byQueue.forEach((q, n) -> {
        if (n > 0) {
          metrics.pushed(q, n);
        }
      });
    }
  }

  /** {@code queue}: the queue asked for (a namespace pop that found nothing counts under ""). */
  public void popped(String queue, PopResult result) {
    var ms = result.messages();
    if (ms.isEmpty()) {
      metrics.popped(queue == null ? "" : queue, 0, 0, 0);
      return;
    }
    long now = clock.millis();
    String current = ms.get(0).queue();
    int n = 0;
    long sum = 0;
    long max = 0;
    for (var m : ms) {
      if (!m.queue().equals(current)) {
        metrics.popped(current, n, sum, max);
        current = m.queue();
        n = 0;
        sum = 0;
        max = 0;
      }
      long lag = Math.max(0, now - m.createdAt().toEpochMilli());
      n++;
      sum += lag;
      max = Math.max(max, lag);
    }
    metrics.popped(current, n, sum, max);
  }

  public void acked(List<AckResult> results) {
    if (results.isEmpty()) {
      return;
    }
    Map<String, int[]> byQueue = new HashMap<>(4);
    for (var r : results) {
      var c = byQueue.computeIfAbsent(r.queue() == null ? "" : r.queue(), q -> new int[3]);
      c[r.success() ? 0 : 1]++;
      if (r.dlq()) {
        c[2]++;
      }
    }
    byQueue.forEach((q, c) -> metrics.acked(q, c[0], c[1], c[2]));
  }

  public void transaction(TransactionResult result) {
    if (!result.success()) {
      return;
    }
    Set<String> queues = new HashSet<>(4);
    for (var a : result.ackResults()) {
      if (a.queue() != null) {
        queues.add(a.queue());
      }
    }
    for (var p : result.pushResults()) {
      if (p.queue() != null) {
        queues.add(p.queue());
      }
    }
    pushed(result.pushResults());
    acked(result.ackResults());
    queues.forEach(metrics::transactionCommitted);
  }
}
