package io.queen.internal.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.queen.metrics.CountingMetrics;
import io.queen.metrics.QueenMetrics;
import io.queen.testing.Conditions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** The batching machinery alone, with an in-memory "database". */
class GroupCommitterTest {

  @RepeatedTest(5)
  void every_request_of_many_concurrent_submitters_runs_exactly_once() throws Exception {
    var executor = Executors.newFixedThreadPool(4);
    var ran = ConcurrentHashMap.<Integer>newKeySet();
    var duplicates = new AtomicInteger();
    var counts = new CountingMetrics();
    var committer = new GroupCommitter<Integer, Integer>("test", executor, batch -> {
      for (var r : batch) {
        if (!ran.add(r)) {
          duplicates.incrementAndGet();
        }
      }
      return batch;
    }, r -> 1, 3, 2, 1_000_000, Duration.ofSeconds(1), counts);
    int threads = 4;
    int perThread = 20_000;
    var barrier = new CyclicBarrier(threads);
    var futures = new ArrayList<List<CompletableFuture<Integer>>>();
    var submitters = new ArrayList<Thread>();
    for (int t = 0; t < threads; t++) {
      var mine = new ArrayList<CompletableFuture<Integer>>();
      futures.add(mine);
      int base = t * perThread;
      submitters.add(new Thread(() -> {
        try {
          barrier.await();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        for (int i = 0; i < perThread; i++) {
          mine.add(committer.submit(base + i));
        }
      }));
    }
    submitters.forEach(Thread::start);
    for (var s : submitters) {
      s.join();
    }
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      for (var list : futures) {
        for (var f : list) {
          f.join();
        }
      }
    });
    assertThat(ran).hasSize(threads * perThread);
    assertThat(duplicates.get()).isZero();
    // futures complete inside a batch, just before its runner lets go of its slot
    io.queen.testing.Conditions.await("the runners to finish", Duration.ofSeconds(10),
        () -> committer.inFlight() == 0);
    assertThat(committer.queued()).isZero();
    assertThat(counts.operation("test").batches()).isGreaterThanOrEqualTo(threads * perThread / 3);
    executor.shutdown();
  }

  @Test
  void a_failing_batch_is_retried_request_by_request_so_one_bad_request_fails_alone() throws Exception {
    var executor = Executors.newSingleThreadExecutor();
    var gate = new CompletableFuture<Void>();
    var committer = new GroupCommitter<String, String>("test", executor, batch -> {
      gate.join();
      if (batch.contains("bad")) {
        throw new IllegalArgumentException("bad request in batch");
      }
      return batch;
    }, r -> 1, 100, 1, 100, Duration.ofSeconds(1), QueenMetrics.NOOP);
    var first = committer.submit("first"); // occupies the only slot until the gate opens
    var a = committer.submit("a");
    var bad = committer.submit("bad");
    var b = committer.submit("b");
    gate.complete(null);
    assertThat(first.get()).isEqualTo("first");
    assertThat(a.get()).isEqualTo("a");
    assertThat(b.get()).isEqualTo("b");
    assertThat(bad).isCompletedExceptionally();
    executor.shutdown();
  }
  /**
   * A committer with one batch slot on a one-thread pool whose first batch waits at a gate, so a
   * test can queue more requests and tasks while it runs.
   */
  private static final class GatedCommitter implements AutoCloseable {
    final ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 1, TimeUnit.MINUTES,
        new LinkedBlockingQueue<>());
    final List<String> order = Collections.synchronizedList(new ArrayList<>());
    final CompletableFuture<Void> firstBatchStarted = new CompletableFuture<>();
    final CompletableFuture<Void> gate = new CompletableFuture<>();
    final GroupCommitter<String, String> committer = new GroupCommitter<>("test", executor, batch -> {
      order.add("batch " + batch);
      firstBatchStarted.complete(null);
      gate.join();
      return batch;
    }, r -> 1, 100, 1, 100, Duration.ofSeconds(1), QueenMetrics.NOOP);

    CompletableFuture<String> submitFirstAndWaitUntilItRuns(String request) throws Exception {
      var f = committer.submit(request);
      firstBatchStarted.get(10, TimeUnit.SECONDS);
      return f;
    }

    /** Waits until the pool has no running or queued task (bounded). */
    void awaitIdle() {
      Conditions.await("the pool to be idle", Duration.ofSeconds(10),
          () -> executor.getActiveCount() == 0 && executor.getQueue().isEmpty());
    }

    @Override
    public void close() {
      executor.shutdownNow();
    }
  }

  @Test
  void a_runner_keeps_its_thread_for_the_next_batch_only_while_no_other_task_waits_for_one()
      throws Exception {
    try (var g = new GatedCommitter()) {
      var a = g.submitFirstAndWaitUntilItRuns("a");
      var b = g.committer.submit("b"); // waits for the slot: the next batch
      g.executor.execute(() -> g.order.add("other task"));
      var c = g.committer.submit("c");
      g.gate.complete(null);
      CompletableFuture.allOf(a, b, c).get(10, TimeUnit.SECONDS);
      g.awaitIdle();
      // the other task ran between the batches: the runner gave its thread back after batch [a]
      assertThat(g.order).containsExactly("batch [a]", "other task", "batch [b, c]");
    }
  }

  @Test
  void a_runner_runs_the_next_batch_itself_when_no_other_task_waits() throws Exception {
    try (var g = new GatedCommitter()) {
      var a = g.submitFirstAndWaitUntilItRuns("a");
      var b = g.committer.submit("b");
      g.gate.complete(null);
      CompletableFuture.allOf(a, b).get(10, TimeUnit.SECONDS);
      g.awaitIdle();
      assertThat(g.order).containsExactly("batch [a]", "batch [b]");
      assertThat(g.executor.getCompletedTaskCount()).as("both batches ran in one task").isEqualTo(1);
    }
  }
}
