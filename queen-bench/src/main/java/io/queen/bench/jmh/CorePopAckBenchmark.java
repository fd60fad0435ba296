package io.queen.bench.jmh;

import io.queen.model.AckItem;
import io.queen.model.AckResult;
import io.queen.model.PopRequest;
import io.queen.model.PushItem;
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
 * The core pop + ack path on a real PostgreSQL: one wildcard {@code popSync} of up to
 * {@code batch} messages (lease taken, {@code synchronous_commit=off} for the lease), then one
 * {@code ackSync} of the whole batch (durable commit). Before each invocation (not measured)
 * {@code batch} messages are pushed into the next of 100 partitions, so every pop finds exactly one
 * batch. {@code Level.Invocation} set-up is acceptable here because an invocation takes
 * milliseconds. Messages/s = score × {@code batch}.
 *
 * <p>Run: {@code java -jar queen-bench/target/benchmarks.jar CorePopAckBenchmark -f 1 -rf json -rff
 * corepopack.json} ({@code -Dqueen.bench.pgurl=...} as for {@link CorePushBenchmark}).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Threads(1)
@State(Scope.Benchmark)
public class CorePopAckBenchmark {
  @Param({"1", "10", "100"})
  public int batch;

  BenchDatabase db;
  long seq;
  String payload;
  PopRequest pop;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    db = new BenchDatabase(4);
    payload = "{\"orderId\":1,\"customer\":\"c-42\",\"note\":\"" + "x".repeat(18) + "\"}";
    pop = PopRequest.fromQueue("bench").batch(batch).build();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    db.close();
  }

  @Setup(Level.Invocation)
  public void fill() {
    var items = new ArrayList<PushItem>(batch);
    String partition = "p" + (seq % 100);
    for (int i = 0; i < batch; i++) {
      items.add(new PushItem("bench", partition, payload, "t" + seq++, null));
    }
    db.queen.pushSync(items);
  }

  @Benchmark
  public List<AckResult> popAndAck() {
    var result = db.queen.popSync(pop);
    if (result.messages().size() != batch) {
      throw new IllegalStateException("expected " + batch + " messages, got " + result.messages().size());
    }
    var acks = new ArrayList<AckItem>(batch);
    for (var m : result.messages()) {
      acks.add(AckItem.completed(m));
    }
    var acked = db.queen.ackSync(acks);
    if (!acked.get(0).success()) {
      throw new IllegalStateException("ack failed: " + acked.get(0));
    }
    return acked;
  }
}
