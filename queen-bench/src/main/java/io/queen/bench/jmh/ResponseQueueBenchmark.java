package io.queen.bench.jmh;

import io.queen.response.ResponseQueue;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The {@link ResponseQueue} hand-off (many producers, one owner that drains) against JDK queues
 * used the same way: {@code ConcurrentLinkedQueue} (unbounded, lock-free),
 * {@code ArrayBlockingQueue} and {@code LinkedBlockingQueue} (bounded, locks). All bounded ones
 * hold {@value #CAPACITY} items; a producer's offer to a full queue fails and is counted as
 * {@code full}, not as an offer. The owner drains up to 64 items per call, as the server's IO
 * thread does. The {@code ResponseQueue} wake-up hook is a cheap counter here (in the server it
 * schedules the owner's drain task).
 *
 * <p>Groups: {@code p1} = 1 producer + 1 owner (2 threads, one per core here); {@code p2} = 2
 * producers + 1 owner (3 threads on 2 cores: oversubscribed on this machine, read it as a
 * contention test). The {@code offered}/{@code drained} secondary results are items per second;
 * the primary per-method scores are calls. In {@code SampleTime} mode the scores are the latency
 * of one {@code offer} / one {@code drain} call.
 *
 * <p>Run: {@code java -jar queen-bench/target/benchmarks.jar ResponseQueueBenchmark -f 2 -rf json
 * -rff responsequeue.json} (add {@code -bm sample -tu ns} for call latencies, {@code -prof gc} for
 * allocation per operation).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@State(Scope.Group)
public class ResponseQueueBenchmark {
  static final int CAPACITY = 4096;
  static final int DRAIN_LIMIT = 64;

  /** The queue under test behind one small interface. */
  interface Handoff {
    boolean offer(Object o);

    int drain(Consumer<Object> c, int limit);
  }

  @Param({"response", "clq", "abq", "lbq"})
  public String impl;

  Handoff queue;
  final AtomicInteger wakeUps = new AtomicInteger();

  @Setup(Level.Iteration)
  public void setUp() {
    queue = switch (impl) {
      case "response" -> {
        ResponseQueue<Object> q = ResponseQueue.create(CAPACITY, wakeUps::incrementAndGet);
        yield new Handoff() {
          public boolean offer(Object o) {
            return q.offer(o);
          }

          public int drain(Consumer<Object> c, int limit) {
            return q.drain(c, limit);
          }
        };
      }
      case "clq" -> jdk(new ConcurrentLinkedQueue<>());
      case "abq" -> jdk(new ArrayBlockingQueue<>(CAPACITY));
      case "lbq" -> jdk(new LinkedBlockingQueue<>(CAPACITY));
      default -> throw new IllegalArgumentException(impl);
    };
  }

  private static Handoff jdk(Queue<Object> q) {
    return new Handoff() {
      public boolean offer(Object o) {
        return q.offer(o);
      }

      public int drain(Consumer<Object> c, int limit) {
        int n = 0;
        Object o;
        while (n < limit && (o = q.poll()) != null) {
          c.accept(o);
          n++;
        }
        return n;
      }
    };
  }

  /** Items moved, per thread, reported as secondary results. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Counters {
    public long offered;
    public long full;
    public long drained;

    @Setup(Level.Iteration)
    public void reset() {
      offered = 0;
      full = 0;
      drained = 0;
    }
  }

  private static final Object ITEM = new Object();

  private boolean offer(Counters c) {
    boolean ok = queue.offer(ITEM);
    if (ok) {
      c.offered++;
    } else {
      c.full++;
    }
    return ok;
  }

  private int drain(Counters c, Blackhole bh) {
    int n = queue.drain(bh::consume, DRAIN_LIMIT);
    c.drained += n;
    return n;
  }

  @Benchmark
  @Group("p1")
  @GroupThreads(1)
  public boolean p1Offer(Counters c) {
    return offer(c);
  }

  @Benchmark
  @Group("p1")
  @GroupThreads(1)
  public int p1Drain(Counters c, Blackhole bh) {
    return drain(c, bh);
  }

  @Benchmark
  @Group("p2")
  @GroupThreads(2)
  public boolean p2Offer(Counters c) {
    return offer(c);
  }

  @Benchmark
  @Group("p2")
  @GroupThreads(1)
  public int p2Drain(Counters c, Blackhole bh) {
    return drain(c, bh);
  }
}
