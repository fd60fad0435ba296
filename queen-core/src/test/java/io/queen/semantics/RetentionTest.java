package io.queen.semantics;

import static io.queen.testing.Fixtures.ack;
import static io.queen.testing.Fixtures.ns;
import static io.queen.testing.Fixtures.pop;
import static io.queen.testing.Fixtures.popPartition;
import static io.queen.testing.Fixtures.pushRange;
import static io.queen.testing.Fixtures.rows;
import static io.queen.testing.Fixtures.scalarLong;
import static io.queen.testing.Fixtures.storedMessages;
import static org.assertj.core.api.Assertions.assertThat;

import io.queen.LifecycleSettings;
import io.queen.model.AckItem;
import io.queen.model.AckStatus;
import io.queen.model.DlqQuery;
import io.queen.model.PopRequest;
import io.queen.model.QueueOptions;
import io.queen.model.SubscriptionMode;
import io.queen.model.TraceEvent;
import io.queen.testing.QueenTestSupport;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * semantics.md section 13 (Lifecycle): retention, completed retention, inactive partitions,
 * eviction, the removal history. Time is the test's clock; the jobs run when the test says.
 */
class RetentionTest extends QueenTestSupport {

  @Override
  protected boolean timersByHand() {
    return true;
  }

  private void retention() {
    scheduler.runJob("retention");
  }

  private long removed(String queue, String kind) {
    return scalarLong(database, "SELECT coalesce(sum(count), 0) FROM queen.retention_history"
        + " WHERE queue_name = ? AND kind = ?", queue, kind);
  }

  private List<Integer> storedNs(String queue) {
    return rows(database, "SELECT (m.payload->>'n')::int AS n FROM queen.messages m"
        + " JOIN queen.partitions pa ON pa.id = m.partition_id JOIN queen.queues qu"
        + " ON qu.id = pa.queue_id WHERE qu.name = ? ORDER BY pa.name, m.seq", queue)
        .stream().map(r -> (Integer) r.get("n")).toList();
  }

  // ---- retentionSeconds ------------------------------------------------------------------------

  @Test
  void messages_older_than_retention_seconds_are_deleted_consumed_or_not() {
    queen.configureQueueSync("q",
        QueueOptions.builder().retentionEnabled(true).retentionSeconds(60).build());
    pushRange(queen, "q", null, 1, 3);
    queen.ackSync(AckItem.completed(pop(queen, "q", 1).messages().get(0))); // 1 consumed
    clock.advance(Duration.ofSeconds(30));
    pushRange(queen, "q", null, 4, 4);
    clock.advance(Duration.ofSeconds(31)); // 1-3 are 61 s old, 4 is 31 s old
    retention();
    assertThat(storedNs("q")).containsExactly(4);
    assertThat(removed("q", "retention")).isEqualTo(3);
    assertThat(ns(pop(queen, "q", 10))).containsExactly(4);
  }

  @Test
  void retention_seconds_do_nothing_unless_retention_is_enabled() {
    queen.configureQueueSync("q", QueueOptions.builder().retentionSeconds(60).build());
    pushRange(queen, "q", null, 1, 2);
    clock.advance(Duration.ofMinutes(5));
    retention();
    assertThat(storedMessages(database, "q")).isEqualTo(2);
  }

  @Test
  void dead_letter_entries_traces_and_message_state_go_with_their_messages() {
    queen.configureQueueSync("q", QueueOptions.builder().retryLimit(5)
        .retentionEnabled(true).retentionSeconds(60).build());
    pushRange(queen, "q", null, 1, 3);
    var ms = pop(queen, "q", 3).messages();
    queen.ackSync(List.of(ack(ms.get(0), AckStatus.DLQ, "bad"), ack(ms.get(1), AckStatus.FAILED,
        "later"), AckItem.completed(ms.get(2))));
    queen.recordTrace(new TraceEvent(ms.get(2).transactionId(), ms.get(2).partitionId().toString(),
        null, "info", "{\"step\":1}", List.of("t1"))).join();
    assertThat(scalarLong(database, "SELECT count(*) FROM queen.message_states")).isPositive();
    clock.advance(Duration.ofSeconds(61));
    retention();
    assertThat(storedMessages(database, "q")).isZero();
    assertThat(queen.listDlq(DlqQuery.forQueue("q")).join().total()).isZero();
    assertThat(scalarLong(database, "SELECT count(*) FROM queen.message_traces")).isZero();
    assertThat(scalarLong(database, "SELECT count(*) FROM queen.message_trace_names")).isZero();
    assertThat(scalarLong(database, "SELECT count(*) FROM queen.message_states")).isZero();
  }

  // ---- completedRetentionSeconds ---------------------------------------------------------------

  @Test
  void completed_retention_deletes_only_what_every_group_has_settled() {
    queen.configureQueueSync("q", QueueOptions.builder().completedRetentionSeconds(10).build());
    pushRange(queen, "q", "p", 1, 4);
    var a = popPartition(queen, "q", "p", "a", 4).messages();
    queen.ackSync(a.stream().map(AckItem::completed).toList());
    var b = popPartition(queen, "q", "p", "b", 2).messages();
    queen.ackSync(b.stream().map(AckItem::completed).toList());
    clock.advance(Duration.ofSeconds(11));
    retention();
    assertThat(storedNs("q")).as("b has settled 1 and 2 only").containsExactly(3, 4);
    assertThat(removed("q", "completed_retention")).isEqualTo(2);
    assertThat(ns(popPartition(queen, "q", "p", "b", 10))).containsExactly(3, 4);
  }

  @Test
  void completed_retention_never_deletes_in_a_partition_a_group_has_not_claimed() {
    queen.configureQueueSync("q", QueueOptions.builder().completedRetentionSeconds(10).build());
    pushRange(queen, "q", "p1", 1, 2);
    pushRange(queen, "q", "p2", 3, 4);
    for (var p : List.of("p1", "p2")) {
      var got = popPartition(queen, "q", p, "a", 10).messages();
      queen.ackSync(got.stream().map(AckItem::completed).toList());
    }
    var b = popPartition(queen, "q", "p1", "b", 10).messages(); // b never reads p2
    queen.ackSync(b.stream().map(AckItem::completed).toList());
    clock.advance(Duration.ofSeconds(11));
    retention();
    assertThat(storedNs("q")).containsExactly(3, 4);
    assertThat(ns(popPartition(queen, "q", "p2", "b", 10))).containsExactly(3, 4);
  }

  @Test
  void completed_retention_counts_queue_mode_as_a_group() {
    queen.configureQueueSync("q", QueueOptions.builder().completedRetentionSeconds(10).build());
    pushRange(queen, "q", null, 1, 2);
    queen.ackSync(pop(queen, "q", "a", 10).messages().stream().map(AckItem::completed).toList());
    pop(queen, "q", 1); // queue mode leases 1 and settles nothing
    clock.advance(Duration.ofSeconds(11));
    retention();
    assertThat(storedNs("q")).containsExactly(1, 2);
  }

  @Test
  void a_message_leased_when_retention_runs_is_acked_correctly_afterwards() {
    queen.configureQueueSync("q", QueueOptions.builder().completedRetentionSeconds(10).build());
    pushRange(queen, "q", null, 1, 2);
    var leased = pop(queen, "q", 2);
    clock.advance(Duration.ofSeconds(11));
    retention();
    assertThat(storedNs("q")).containsExactly(1, 2);
    var acks = queen.ackSync(leased.messages().stream().map(AckItem::completed).toList());
    assertThat(acks).allSatisfy(r -> assertThat(r.success()).isTrue());
    assertThat(acks.get(1).leaseReleased()).isTrue();
    retention();
    assertThat(storedNs("q")).isEmpty();
  }

  @Test
  void dead_lettered_messages_stay_for_inspection_under_completed_retention() {
    queen.configureQueueSync("q", QueueOptions.builder().completedRetentionSeconds(10).build());
    pushRange(queen, "q", null, 1, 2);
    var ms = pop(queen, "q", 2).messages();
    queen.ackSync(List.of(ack(ms.get(0), AckStatus.DLQ, "poison"), AckItem.completed(ms.get(1))));
    clock.advance(Duration.ofSeconds(11));
    retention();
    assertThat(storedNs("q")).containsExactly(1);
    assertThat(queen.listDlq(DlqQuery.forQueue("q")).join().entries()).hasSize(1);
  }

  @Test
  void a_message_requeued_from_the_dead_letter_queue_is_not_deleted_before_it_is_settled_again() {
    queen.configureQueueSync("q", QueueOptions.builder().retentionEnabled(true)
        .retentionSeconds(3600).completedRetentionSeconds(10).build());
    pushRange(queen, "q", null, 1, 2);
    var ms = pop(queen, "q", 2).messages();
    queen.ackSync(List.of(ack(ms.get(0), AckStatus.DLQ, "poison"), AckItem.completed(ms.get(1))));
    queen.requeueDlq(new io.queen.model.DlqRequeue("q", PopRequest.QUEUE_MODE, List.of())).join();
    clock.advance(Duration.ofSeconds(11));
    retention();
    assertThat(storedNs("q")).containsExactly(1);
    assertThat(ns(pop(queen, "q", 10))).containsExactly(1);
  }

  // ---- inactive partitions, history, queue deletion ---------------------------------------------

  @Test
  void inactive_partitions_are_removed_with_their_cursors_and_active_ones_stay() {
    queen.configureQueueSync("q",
        QueueOptions.builder().retentionEnabled(true).retentionSeconds(60).build());
    pushRange(queen, "q", "old", 1, 1);
    queen.popSync(PopRequest.fromQueue("q").autoAck(true).build()); // a cursor row for "old"
    clock.advance(LifecycleSettings.DEFAULT_PARTITION_CLEANUP_AGE.plusDays(1));
    pushRange(queen, "q", "fresh", 2, 2);
    retention();
    assertThat(rows(database, "SELECT pa.name FROM queen.partitions pa").stream()
        .map(r -> r.get("name"))).contains("fresh").doesNotContain("old");
    assertThat(scalarLong(database, "SELECT count(*) FROM queen.partition_consumers pc"
        + " LEFT JOIN queen.partitions pa ON pa.id = pc.partition_id WHERE pa.id IS NULL")).isZero();
    assertThat(removed("q", "partition_cleanup")).isGreaterThanOrEqualTo(1);
    pushRange(queen, "q", "old", 3, 3); // a push brings it back
    assertThat(ns(popPartition(queen, "q", "old", null, 10))).containsExactly(3);
  }

  @Test
  void a_run_goes_on_batch_after_batch_until_nothing_is_left() {
    queen.close();
    var small = newManager(b -> b.lifecycle(new LifecycleSettings(Duration.ofMinutes(5), 2,
        Duration.ofDays(30), Duration.ofDays(90), Duration.ofMinutes(1), 2)));
    small.configureQueueSync("q",
        QueueOptions.builder().retentionEnabled(true).retentionSeconds(60).build());
    pushRange(small, "q", null, 1, 7);
    clock.advance(Duration.ofSeconds(61));
    retention();
    assertThat(storedMessages(database, "q")).isZero();
    assertThat(removed("q", "retention")).isEqualTo(7);
    assertThat(scalarLong(database, "SELECT count(*) FROM queen.retention_history"
        + " WHERE kind = 'retention'")).as("one row per batch").isEqualTo(4);
  }

  @Test
  void the_history_is_kept_for_its_retention_and_then_removed() {
    queen.configureQueueSync("q",
        QueueOptions.builder().retentionEnabled(true).retentionSeconds(60).build());
    pushRange(queen, "q", null, 1, 1);
    clock.advance(Duration.ofSeconds(61));
    retention();
    assertThat(removed("q", "retention")).isEqualTo(1);
    clock.advance(LifecycleSettings.DEFAULT_HISTORY_RETENTION.minusDays(1));
    retention();
    assertThat(removed("q", "retention")).isEqualTo(1);
    clock.advance(Duration.ofDays(2));
    retention();
    assertThat(removed("q", "retention")).isZero();
  }

  @Test
  void deleting_a_queue_removes_its_group_start_points_and_its_history() {
    queen.configureQueueSync("q",
        QueueOptions.builder().retentionEnabled(true).retentionSeconds(60).build());
    pushRange(queen, "q", null, 1, 1);
    queen.popSync(PopRequest.fromQueue("q").consumerGroup("g")
        .subscriptionMode(SubscriptionMode.NEW).build());
    clock.advance(Duration.ofSeconds(61));
    retention();
    assertThat(removed("q", "retention")).isEqualTo(1);
    assertThat(queen.deleteQueue("q").join()).isTrue();
    assertThat(scalarLong(database,
        "SELECT count(*) FROM queen.consumer_groups_metadata WHERE queue_name = 'q'")).isZero();
    assertThat(scalarLong(database,
        "SELECT count(*) FROM queen.retention_history WHERE queue_name = 'q'")).isZero();
    // the re-created queue's group starts afresh: from the beginning (the default), not from
    // where the old queue's "new" subscription started
    clock.advance(Duration.ofSeconds(-120));
    pushRange(queen, "q", null, 2, 2);
    clock.advance(Duration.ofSeconds(120));
    assertThat(ns(pop(queen, "q", "g", 10))).containsExactly(2);
  }

  @Test
  void no_run_removes_anything_while_another_instance_holds_the_job_lock() throws Exception {
    queen.configureQueueSync("q",
        QueueOptions.builder().retentionEnabled(true).retentionSeconds(60).build());
    var other = newManager(b -> b); // a second instance on the same database and scheduler
    pushRange(queen, "q", null, 1, 3);
    clock.advance(Duration.ofSeconds(61));
    try (var holder = DriverManager.getConnection(database.url()); var st = holder.createStatement()) {
      st.execute("SELECT pg_advisory_lock(hashtext('queen.retention.queen'))");
      retention(); // both instances' runs
      assertThat(storedMessages(database, "q")).isEqualTo(3);
      assertThat(queen.stats().jobs().get("retention").skipped()).isEqualTo(1);
      assertThat(other.stats().jobs().get("retention").skipped()).isEqualTo(1);
      st.execute("SELECT pg_advisory_unlock(hashtext('queen.retention.queen'))");
    }
    retention();
    assertThat(storedMessages(database, "q")).isZero();
    assertThat(removed("q", "retention")).as("removed once, counted once").isEqualTo(3);
  }

  // ---- eviction --------------------------------------------------------------------------------

  @Test
  void eviction_removes_messages_no_group_consumed_within_max_wait_time() {
    queen.configureQueueSync("q", QueueOptions.builder().maxWaitTimeSeconds(10).build());
    pushRange(queen, "q", "waiting", 1, 3);
    pushRange(queen, "q", "read", 4, 5);
    queen.ackSync(AckItem.completed(popPartition(queen, "q", "read", "a", 1).messages().get(0)));
    clock.advance(Duration.ofSeconds(11));
    scheduler.runJob("eviction");
    assertThat(storedNs("q")).as("4 was consumed by a; 5 by nobody").containsExactly(4);
    assertThat(removed("q", "max_wait_time_eviction")).isEqualTo(4);
  }

  @Test
  void eviction_leaves_messages_that_are_younger_or_leased() {
    queen.configureQueueSync("q", QueueOptions.builder().maxWaitTimeSeconds(10).build());
    pushRange(queen, "q", "leased", 1, 2);
    pop(queen, "q", 1); // leases partition "leased"
    clock.advance(Duration.ofSeconds(5));
    pushRange(queen, "q", "young", 3, 3);
    clock.advance(Duration.ofSeconds(6));
    scheduler.runJob("eviction");
    assertThat(storedNs("q")).containsExactly(1, 2, 3);
  }
}
