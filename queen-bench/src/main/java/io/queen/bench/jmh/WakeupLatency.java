package io.queen.bench.jmh;

import io.queen.model.AckItem;
import io.queen.model.PopRequest;
import io.queen.model.PopResult;
import io.queen.model.PushItem;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * In-process long-poll wake-up latency: one consumer's pop waits on an empty partition, one
 * message is pushed, and we record the time from the push's future completing (its commit) to the
 * waiting pop's future completing with the message. Both run on one {@code QueueManager} against a
 * real PostgreSQL (a throw-away database, as for the JMH benchmarks). Not a JMH benchmark: each
 * sample needs a parked waiter first, so it is a plain timed loop that reports percentiles.
 *
 * <p>Run: {@code java -cp queen-bench/target/benchmarks.jar io.queen.bench.jmh.WakeupLatency
 * [rounds=500] [autoAck=false]} ({@code -Dqueen.bench.pgurl=...} to choose the server).
 */
public final class WakeupLatency {
  private WakeupLatency() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 500;
    boolean autoAck = args.length > 1 && Boolean.parseBoolean(args[1]);
    try (var db = new BenchDatabase(4)) {
      var queen = db.queen;
      queen.pushSync(PushItem.of("wake", "0").withPartition("p"));
      drain(queen, autoAck);
      int warmup = Math.min(100, rounds / 5);
      var micros = new long[rounds];
      for (int i = 0; i < warmup + rounds; i++) {
        var waiting = queen.pop(PopRequest.fromQueue("wake").partition("p").autoAck(autoAck)
            .wait(Duration.ofSeconds(10)).build());
        // Give the pop time to find nothing and park; what we measure starts at the push.
        Thread.sleep(5);
        var pushedAt = new AtomicLong();
        var popped = new AtomicLong();
        waiting.whenComplete((r, e) -> popped.set(System.nanoTime()));
        CompletableFuture<?> push = queen.push(List.of(PushItem.of("wake", String.valueOf(i))
            .withPartition("p"))).whenComplete((r, e) -> pushedAt.set(System.nanoTime()));
        push.get(10, TimeUnit.SECONDS);
        PopResult r = waiting.get(10, TimeUnit.SECONDS);
        if (r.messages().size() != 1) {
          throw new IllegalStateException("round " + i + ": expected the pushed message, got " + r);
        }
        if (!autoAck) {
          queen.ackSync(AckItem.completed(r.messages().get(0)));
        }
        if (i >= warmup) {
          micros[i - warmup] = Math.max(0, popped.get() - pushedAt.get()) / 1_000;
        }
      }
      Arrays.sort(micros);
      System.out.printf("in-process wake-up (push committed -> waiting pop completed), %d rounds,"
          + " autoAck=%s: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms%n", rounds, autoAck,
          at(micros, 0.50), at(micros, 0.90), at(micros, 0.99), micros[rounds - 1] / 1000.0);
    }
  }

  private static double at(long[] sorted, double q) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1000.0;
  }

  private static void drain(io.queen.QueueManager queen, boolean autoAck) {
    var r = queen.popSync(PopRequest.fromQueue("wake").partition("p").batch(100).autoAck(autoAck).build());
    if (!autoAck && !r.isEmpty()) {
      queen.ackSync(r.messages().stream().map(AckItem::completed).toList());
    }
  }
}
