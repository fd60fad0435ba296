package io.queen.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
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
    var committer = new GroupCommitter<Integer, Integer>("test", executor, batch -> {
      for (var r : batch) {
        if (!ran.add(r)) {
          duplicates.incrementAndGet();
        }
      }
      return batch;
    }, r -> 1, 3, 2, 1_000_000, Duration.ofSeconds(1));
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
        () -> committer.stats().inFlight() == 0);
    var stats = committer.stats();
    assertThat(stats.queued()).isZero();
    assertThat(stats.batches()).isGreaterThanOrEqualTo(threads * perThread / 3);
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
    }, r -> 1, 100, 1, 100, Duration.ofSeconds(1));
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
  @Test
  void a_runner_keeps_its_thread_for_the_next_batch_only_while_no_other_task_waits_for_one()
      throws Exception {
    var executor = new java.util.concurrent.ThreadPoolExecutor(1, 1, 1, java.util.concurrent.TimeUnit.MINUTES,
        new java.util.concurrent.LinkedBlockingQueue<>());
    var order = java.util.Collections.synchronizedList(new ArrayList<String>());
    var firstBatchStarted = new CompletableFuture<Void>();
    var gate = new CompletableFuture<Void>();
    var committer = new GroupCommitter<String, String>("test", executor, batch -> {
      order.add("batch " + batch);
      firstBatchStarted.complete(null);
      gate.join();
      return batch;
    }, r -> 1, 100, 1, 100, Duration.ofSeconds(1));
    try {
      var a = committer.submit("a");
      firstBatchStarted.get(10, java.util.concurrent.TimeUnit.SECONDS);
      var b = committer.submit("b"); // waits for the slot: the next batch
      executor.execute(() -> order.add("other task"));
      var c = committer.submit("c");
      gate.complete(null);
      CompletableFuture.allOf(a, b, c).get(10, java.util.concurrent.TimeUnit.SECONDS);
      executor.submit(() -> { }).get(10, java.util.concurrent.TimeUnit.SECONDS);
      // the other task ran between the batches: the runner gave its thread back after batch [a]
      assertThat(order).containsExactly("batch [a]", "other task", "batch [b, c]");
    } finally {
      executor.shutdownNow();
    }
  }
  @Test
  void a_runner_runs_the_next_batch_itself_when_no_other_task_waits() throws Exception {
    var executor = new java.util.concurrent.ThreadPoolExecutor(1, 1, 1, java.util.concurrent.TimeUnit.MINUTES,
        new java.util.concurrent.LinkedBlockingQueue<>());
    var firstBatchStarted = new CompletableFuture<Void>();
    var gate = new CompletableFuture<Void>();
    var batches = new AtomicInteger();
    var committer = new GroupCommitter<String, String>("test", executor, batch -> {
      batches.incrementAndGet();
      firstBatchStarted.complete(null);
      gate.join();
      return batch;
    }, r -> 1, 100, 1, 100, Duration.ofSeconds(1));
    try {
      var a = committer.submit("a");
      firstBatchStarted.get(10, java.util.concurrent.TimeUnit.SECONDS);
      var b = committer.submit("b");
      gate.complete(null);
      CompletableFuture.allOf(a, b).get(10, java.util.concurrent.TimeUnit.SECONDS);
      awaitIdle(executor);
      assertThat(batches.get()).isEqualTo(2);
      assertThat(executor.getCompletedTaskCount()).as("both batches ran in one task").isEqualTo(1);
    } finally {
      executor.shutdownNow();
    }
  }

  /** Waits until the pool has no running or queued task (bounded). */
  private static void awaitIdle(java.util.concurrent.ThreadPoolExecutor executor) {
    io.queen.testing.Conditions.await("the pool to be idle", Duration.ofSeconds(10),
        () -> executor.getActiveCount() == 0 && executor.getQueue().isEmpty());
  }
}
