package io.queen.bench.jmh;

import io.queen.model.PushItem;
import io.queen.model.PushStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The embedded push scenario of the standard matrix: {@code queen-core} in this process,
 * {@code producers} threads each calling {@code pushSync} with {@code batch} ~60-byte messages
 * into one partition per call (producer {@code c} owns the partitions {@code i ≡ c (mod
 * producers)}, round-robin, as the HTTP load tool does), durable commits, on a throw-away
 * database ({@code -Dqueen.bench.pgurl} chooses the server). A warm-up, then a measured window;
 * every call must answer {@code queued} for every message, and the count of messages in the
 * database must equal what the calls confirmed, or the run fails. Not JMH: the scenario is a fixed
 * number of concurrent producers for a time, reported in the matrix's terms (msg/s over the
 * window, call latency percentiles).
 *
 * <p>Run: {@code java -cp queen-bench/target/benchmarks.jar io.queen.bench.jmh.EmbeddedPushLoad
 * [producers=20] [batch=100] [partitions=100] [seconds=10] [warmupSeconds=10] [dbThreads=4]}
 * ({@code -Dqueen.bench.maxBatchItems} and {@code -Dqueen.bench.maxConcurrentBatches} change the
 * group commit's settings from the defaults).
 * The last line printed is a JSON object for {@code run-matrix.sh}.
 */
public final class EmbeddedPushLoad {
  private EmbeddedPushLoad() {}

  public static void main(String[] args) throws Exception {
    int producers = arg(args, 0, 20);
    int batch = arg(args, 1, 100);
    int partitions = arg(args, 2, 100);
    int seconds = arg(args, 3, 10);
    int warmupSeconds = arg(args, 4, 10);
    int dbThreads = arg(args, 5, 4);
    String payload = "{\"orderId\":1,\"customer\":\"c-42\",\"note\":\"" + "x".repeat(18) + "\"}";
    // the engine's group commit as configured by default, unless these say otherwise
    var config = io.queen.QueenConfig.builder()
        .dbThreads(dbThreads)
        .maxBatchItems(Integer.getInteger("queen.bench.maxBatchItems",
            io.queen.QueenConfig.DEFAULT_MAX_BATCH_ITEMS))
        .maxConcurrentBatches(Integer.getInteger("queen.bench.maxConcurrentBatches",
            io.queen.QueenConfig.DEFAULT_MAX_CONCURRENT_BATCHES))
        .build();
    try (var db = new BenchDatabase(dbThreads, config)) {
      var queen = db.queen;
      var failure = new AtomicReference<Throwable>();
      var confirmed = new AtomicLong();
      long[][] latencies = new long[producers][];
      int[] counts = new int[producers];
      var done = new CountDownLatch(producers);
      long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmupSeconds);
      long end = warmupEnd + TimeUnit.SECONDS.toNanos(seconds);
      var measured = new AtomicLong();
      for (int c = 0; c < producers; c++) {
        int producer = c;
        latencies[c] = new long[1 << 16];
        var t = new Thread(() -> {
          try {
            long seq = 0;
            for (long k = 0; ; k++) {
              long start = System.nanoTime();
              if (start >= end) {
                break;
              }
              String partition = "p" + ((producer + k * producers) % partitions);
              var items = new ArrayList<PushItem>(batch);
              for (int i = 0; i < batch; i++) {
                items.add(new PushItem("embedded", partition, payload,
                    "e" + producer + "-" + seq++, null));
              }
              var results = queen.pushSync(items);
              long took = System.nanoTime() - start;
              for (var r : results) {
                if (r.status() != PushStatus.QUEUED) {
                  throw new IllegalStateException("push answered " + r);
                }
              }
              confirmed.addAndGet(results.size());
              if (start >= warmupEnd && System.nanoTime() < end) {
                measured.addAndGet(results.size());
                if (counts[producer] < latencies[producer].length) {
                  latencies[producer][counts[producer]++] = took;
                }
              }
            }
          } catch (Throwable e) {
            failure.compareAndSet(null, e);
          } finally {
            done.countDown();
          }
        }, "embedded-producer-" + c);
        t.start();
      }
      if (!done.await(warmupSeconds + seconds + 60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("producers did not finish within a minute of the end");
      }
      if (failure.get() != null) {
        throw new IllegalStateException("a producer failed", failure.get());
      }
      long stored;
      try (var c = java.sql.DriverManager.getConnection(db.url); var s = c.createStatement();
          var rs = s.executeQuery("SELECT count(*) FROM queen.messages")) {
        rs.next();
        stored = rs.getLong(1);
      }
      if (stored != confirmed.get()) {
        throw new IllegalStateException("the database holds " + stored + " messages, the calls"
            + " confirmed " + confirmed.get());
      }
      List<Long> all = new ArrayList<>();
      for (int c = 0; c < producers; c++) {
        for (int i = 0; i < counts[c]; i++) {
          all.add(latencies[c][i]);
        }
      }
      all.sort(null);
      double rate = measured.get() / (double) seconds;
      System.out.printf(Locale.ROOT, "embedded push: %d producers, batch %d, %d partitions, %d s"
              + " after %d s warm-up: %,.0f msg/s; call latency p50 %.2f / p99 %.2f ms; %d"
              + " messages confirmed and stored%n", producers, batch, partitions, seconds,
          warmupSeconds, rate, pct(all, 0.50), pct(all, 0.99), stored);
      // the load tool's JSON shape, so that run-matrix.sh reports it as it reports the others
      System.out.printf(Locale.ROOT, "{\"options\":{\"mode\":\"producer\",\"producers\":%d,"
              + "\"batch\":%d,\"partitions\":%d},\"push\":{\"messagesPerSecond\":%.1f,"
              + "\"requestsPerSecond\":%.1f,\"messages\":%d,\"latencyMs\":{\"p50\":%.3f,"
              + "\"p95\":%.3f,\"p99\":%.3f,\"max\":%.3f}},\"errors\":{},\"confirmed\":%d,"
              + "\"stored\":%d}%n", producers, batch, partitions, rate, all.size() / (double) seconds,
          measured.get(), pct(all, 0.50), pct(all, 0.95), pct(all, 0.99), pct(all, 1.0),
          confirmed.get(), stored);
    }
  }

  private static double pct(List<Long> sorted, double q) {
    if (sorted.isEmpty()) {
      return 0;
    }
    int i = (int) Math.min(sorted.size() - 1, Math.ceil(q * sorted.size()) - 1);
    return sorted.get(Math.max(0, i)) / 1e6;
  }

  private static int arg(String[] args, int i, int otherwise) {
    return args.length > i ? Integer.parseInt(args[i]) : otherwise;
  }
}
