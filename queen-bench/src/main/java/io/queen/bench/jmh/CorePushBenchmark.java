package io.queen.bench.jmh;

import io.queen.model.PushItem;
import io.queen.model.PushResult;
import io.queen.model.PushStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The core push path on a real PostgreSQL: {@code QueueManager.pushSync} of {@code batch} ~60-byte
 * messages, one partition per call (round-robin over 100), one caller thread, durable commit
 * ({@code synchronous_commit} as the server has it). One call = one group-commit batch = one
 * {@code queen.push_v1} transaction, so the score is bounded by the WAL flush (about 3.7 ms on these
 * machines) plus the function's CPU. Messages/s = score × {@code batch}.
 *
 * <p>A fresh database is created per trial ({@code -Dqueen.bench.pgurl=jdbc:postgresql://host:5432/
 * postgres?user=postgres} to point elsewhere; forks see it through {@code -jvmArgsAppend}) and
 * dropped at the end.
 *
 * <p>Run: {@code java -jar queen-bench/target/benchmarks.jar CorePushBenchmark -f 1 -rf json -rff
 * corepush.json}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Threads(1)
@State(Scope.Benchmark)
public class CorePushBenchmark {
  @Param({"1", "10", "100"})
  public int batch;

  BenchDatabase db;
  long seq;
  String payload;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    db = new BenchDatabase(4);
    payload = "{\"orderId\":1,\"customer\":\"c-42\",\"note\":\"" + "x".repeat(18) + "\"}";
    push(); // creates the queue
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    db.close();
  }

  @Benchmark
  public List<PushResult> push() {
    var items = new ArrayList<PushItem>(batch);
    String partition = "p" + (seq % 100);
    for (int i = 0; i < batch; i++) {
      items.add(new PushItem("bench", partition, payload, "t" + seq++, null));
    }
    var results = db.queen.pushSync(items);
    if (results.get(0).status() != PushStatus.QUEUED) {
      throw new IllegalStateException("push failed: " + results.get(0));
    }
    return results;
  }
}
