package io.queen.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.queen.error.OverloadedException;
import io.queen.model.PushItem;
import io.queen.model.PushResult;
import io.queen.model.PushStatus;
import io.queen.testing.Conditions;
import io.queen.testing.QueenTestSupport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * Group commit: concurrent pushes share transactions. The database is held busy by a transaction
 * that owns the partition's row, so the requests that arrive meanwhile must queue and then go in
 * together.
 */
class GroupCommitTest extends QueenTestSupport {

  @Test
  void concurrent_single_message_pushes_are_committed_together_in_few_transactions() throws Exception {
    var m = newManager(b -> b.maxConcurrentBatches(1));
    m.pushSync(PushItem.of("gc", "0")); // creates queue and partition
    int requests = 200;
    var futures = new ArrayList<CompletableFuture<List<PushResult>>>();
    try (var blocker = database.connect()) {
      blocker.setAutoCommit(false);
      try (var s = blocker.createStatement()) {
        s.execute("SELECT 1 FROM queen.partitions FOR UPDATE");
      }
      futures.add(m.push(List.of(PushItem.of("gc", "1"))));
      Conditions.await("the first batch to wait for the partition lock", Duration.ofSeconds(10),
          this::aBackendWaitsForALock);
      for (int i = 1; i < requests; i++) {
        futures.add(m.push(List.of(PushItem.of("gc", String.valueOf(i + 1)))));
      }
      assertThat(m.stats().operations().get("push").queued()).isEqualTo(requests - 1);
      blocker.rollback();
    }
    for (var f : futures) {
      assertThat(f.get().get(0).status()).isEqualTo(PushStatus.QUEUED);
    }
    var push = m.stats().operations().get("push");
    assertThat(push.batches()).isEqualTo(1 + 1 + 1); // the set-up push, the blocked one, the rest
    assertThat(push.requests()).isEqualTo(requests + 1);
  }

  @Test
  void a_full_request_queue_refuses_at_once_with_a_retry_hint() throws Exception {
    var m = newManager(b -> b.maxConcurrentBatches(1).maxQueuedRequests(5));
    m.pushSync(PushItem.of("full", "0"));
    try (var blocker = database.connect()) {
      blocker.setAutoCommit(false);
      try (var s = blocker.createStatement()) {
        s.execute("SELECT 1 FROM queen.partitions FOR UPDATE");
      }
      var running = m.push(List.of(PushItem.of("full", "1")));
      Conditions.await("the first batch to wait for the partition lock", Duration.ofSeconds(10),
          this::aBackendWaitsForALock);
      var queued = new ArrayList<CompletableFuture<List<PushResult>>>();
      for (int i = 0; i < 5; i++) {
        queued.add(m.push(List.of(PushItem.of("full", "2"))));
      }
      var refused = m.push(List.of(PushItem.of("full", "3")));
      assertThat(refused).isCompletedExceptionally();
      assertThatThrownBy(refused::join).isInstanceOf(CompletionException.class)
          .cause().isInstanceOfSatisfying(OverloadedException.class, e -> {
            assertThat(e.getMessage()).contains("5 requests waiting");
            assertThat(e.retryAfter()).isPositive();
          });
      blocker.rollback();
      running.join();
      queued.forEach(CompletableFuture::join);
    }
    assertThat(m.stats().operations().get("push").rejected()).isEqualTo(1);
    try (var c = database.connect(); var s = c.createStatement();
        var rs = s.executeQuery("SELECT count(*) FROM queen.messages")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(7); // nothing of the refused request
    }
  }

  /** True once a push transaction is blocked on the lock the test holds (so its batch is sealed). */
  private boolean aBackendWaitsForALock() {
    try (var c = database.connect(); var st = c.createStatement();
        var rs = st.executeQuery("SELECT count(*) FROM pg_stat_activity"
            + " WHERE datname = current_database() AND wait_event_type = 'Lock'")) {
      rs.next();
      return rs.getInt(1) > 0;
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
