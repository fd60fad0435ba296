package io.queen.semantics;

import static io.queen.testing.Fixtures.ack;
import static io.queen.testing.Fixtures.ackNoLease;
import static io.queen.testing.Fixtures.ns;
import static io.queen.testing.Fixtures.pop;
import static io.queen.testing.Fixtures.popPartition;
import static io.queen.testing.Fixtures.pushRange;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.queen.error.InvalidRequestException;
import io.queen.model.AckItem;
import io.queen.model.AckResult;
import io.queen.model.AckStatus;
import io.queen.model.DlqQuery;
import io.queen.model.PopOutcome;
import io.queen.model.PopRequest;
import io.queen.model.QueueOptions;
import io.queen.testing.QueenTestSupport;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** semantics.md section 6: Ack. */
class AckTest extends QueenTestSupport {

  private void configure(String queue, int retryLimit) {
    queen.configureQueueSync(queue, QueueOptions.builder().retryLimit(retryLimit).build());
  }

  @Test
  void a_completed_ack_settles_the_message_and_releases_the_lease() {
    pushRange(queen, "q", null, 1, 1);
    var popped = pop(queen, "q", 1);
    var r = queen.ackSync(AckItem.completed(popped.messages().get(0)));
    assertThat(r.success()).isTrue();
    assertThat(r.error()).isNull();
    assertThat(r.queue()).isEqualTo("q");
    assertThat(r.partition()).isEqualTo("Default");
    assertThat(r.leaseReleased()).isTrue();
    assertThat(r.dlq()).isFalse();
    assertThat(pop(queen, "q", 10).isEmpty()).isTrue();
  }

  // ---- lease check -----------------------------------------------------------------------------

  @Test
  void an_ack_with_a_lease_not_live_for_its_partition_and_group_is_rejected_and_changes_nothing() {
    pushRange(queen, "q", "p1", 1, 1);
    pushRange(queen, "q", "p2", 2, 2);
    var g1 = popPartition(queen, "q", "p1", "g1", 1).messages().get(0);
    var unknown = queen.ackSync(AckItem.completed(g1).withLeaseId(UUID.randomUUID().toString()));
    assertThat(unknown.success()).isFalse();
    assertThat(unknown.error()).isEqualTo("Invalid or expired lease");
    assertThat(unknown.leaseReleased()).isFalse();
    assertThat(popPartition(queen, "q", "p1", "g1", 1).outcome()).isEqualTo(PopOutcome.LEASE_HELD);
    var g2 = popPartition(queen, "q", "p1", "g2", 1).messages().get(0);
    var p2 = popPartition(queen, "q", "p2", "g1", 1).messages().get(0);
    // g1's message acked with g2's lease (live, same partition, other group)
    var wrongGroup = queen.ackSync(AckItem.completed(g1).withLeaseId(g2.leaseId()));
    // p1's message acked with the lease g1 holds on p2 (live, same group, other partition)
    var wrongPartition = queen.ackSync(AckItem.completed(g1).withLeaseId(p2.leaseId()));
    assertThat(wrongGroup.success()).isFalse();
    assertThat(wrongGroup.error()).isEqualTo("Invalid or expired lease");
    assertThat(wrongPartition.success()).isFalse();
    assertThat(wrongPartition.error()).isEqualTo("Invalid or expired lease");
    // none of that settled anything: freeing the real lease redelivers the message
    assertThat(queen.releaseLease(g1.leaseId()).join()).isEqualTo(1);
    assertThat(ns(popPartition(queen, "q", "p1", "g1", 1))).containsExactly(1);
  }

  @Test
  void an_ack_with_an_expired_lease_is_rejected() {
    queen.configureQueueSync("q", QueueOptions.builder().leaseTime(30).build());
    pushRange(queen, "q", null, 1, 1);
    var m = pop(queen, "q", 1).messages().get(0);
    clock.advance(java.time.Duration.ofSeconds(31));
    var r = queen.ackSync(AckItem.completed(m));
    assertThat(r.success()).isFalse();
    assertThat(r.error()).isEqualTo("Invalid or expired lease");
    // the message was not settled: it is delivered again
    assertThat(ns(pop(queen, "q", 10))).containsExactly(1);
  }

  @Test
  void an_ack_without_a_lease_id_is_accepted_even_while_another_consumer_holds_the_lease() {
    pushRange(queen, "q", null, 1, 2);
    var popped = pop(queen, "q", 2);
    var r = queen.ackSync(ackNoLease(popped.messages().get(0), AckStatus.COMPLETED));
    assertThat(r.success()).isTrue();
    // and it counts for the leased batch: acking the other one without lease too releases it
    var r2 = queen.ackSync(ackNoLease(popped.messages().get(1), AckStatus.COMPLETED));
    assertThat(r2.success()).isTrue();
    assertThat(r2.leaseReleased()).isTrue();
    pushRange(queen, "q", null, 3, 3);
    assertThat(ns(pop(queen, "q", 10))).containsExactly(3);
  }

  // ---- unknown / already settled ------------------------------------------------------------

  @Test
  void acking_an_unknown_message_reports_message_not_found() {
    var info = queen.configureQueueSync("q", QueueOptions.DEFAULTS);
    pushRange(queen, "q", null, 1, 1);
    var unknownTx = new AckItem("no-such-tx", info.defaultPartitionId().toString(),
        AckStatus.COMPLETED, null, null, null);
    var unknownPartition = new AckItem("tx-1", UUID.randomUUID().toString(),
        AckStatus.COMPLETED, null, null, null);
    var results = queen.ackSync(List.of(unknownTx, unknownPartition));
    assertThat(results).extracting(AckResult::success).containsExactly(false, false);
    assertThat(results).extracting(AckResult::error)
        .containsExactly("Message not found", "Message not found");
    assertThat(results).extracting(AckResult::transactionId).containsExactly("no-such-tx", "tx-1");
    assertThat(ns(pop(queen, "q", 10))).containsExactly(1);
  }

  @Test
  void re_acking_a_settled_message_succeeds_and_does_not_count_twice_toward_the_batch() {
    pushRange(queen, "q", null, 1, 2);
    var popped = pop(queen, "q", 2);
    var first = popped.messages().get(0);
    assertThat(queen.ackSync(AckItem.completed(first)).leaseReleased()).isFalse();
    var again = queen.ackSync(AckItem.completed(first));
    assertThat(again.success()).isTrue();
    assertThat(again.error()).isNull();
    // a repeated ack must not count as the second message's ack: the lease is still held
    assertThat(again.leaseReleased()).isFalse();
    assertThat(popPartition(queen, "q", "Default", null, 1).outcome()).isEqualTo(PopOutcome.LEASE_HELD);
    assertThat(queen.ackSync(AckItem.completed(popped.messages().get(1))).leaseReleased()).isTrue();
    // re-acking after everything settled, without the (released) lease: success, nothing changes
    var late = queen.ackSync(ackNoLease(first, AckStatus.FAILED));
    assertThat(late.success()).isTrue();
    assertThat(late.dlq()).isFalse();
    assertThat(pop(queen, "q", 10).isEmpty()).isTrue();
  }

  @Test
  void a_batch_acked_in_two_in_order_halves_keeps_the_lease_until_the_second_half() {
    pushRange(queen, "q", null, 1, 10);
    var popped = pop(queen, "q", 10);
    var acks = popped.messages().stream().map(AckItem::completed).toList();
    var first = queen.ackSync(acks.subList(0, 5));
    assertThat(first).allMatch(r -> r.success() && !r.leaseReleased());
    assertThat(popPartition(queen, "q", "Default", null, 1).outcome()).isEqualTo(PopOutcome.LEASE_HELD);
    var second = queen.ackSync(acks.subList(5, 10));
    assertThat(second).allMatch(AckResult::success);
    assertThat(second).filteredOn(AckResult::leaseReleased).hasSize(1);
    assertThat(second.get(4).leaseReleased()).isTrue();
    pushRange(queen, "q", null, 11, 11);
    assertThat(ns(pop(queen, "q", 10))).containsExactly(11);
  }

  @Test
  void a_retried_last_ack_with_its_released_lease_still_succeeds() {
    pushRange(queen, "q", null, 1, 1);
    var m = pop(queen, "q", 1).messages().get(0);
    var first = queen.ackSync(AckItem.completed(m));
    assertThat(first.leaseReleased()).isTrue();
    // the first answer was lost; the consumer sends the same ack, lease id included, again
    var retried = queen.ackSync(AckItem.completed(m));
    assertThat(retried.success()).isTrue();
    assertThat(retried.error()).isNull();
    assertThat(retried.leaseReleased()).isFalse();
  }

  @Test
  void a_failed_ack_sent_twice_for_one_delivery_counts_one_failure() {
    configure("q", 1);
    pushRange(queen, "q", null, 1, 2);
    var popped = pop(queen, "q", 2);
    var m = popped.messages().get(0);
    assertThat(queen.ackSync(ack(m, AckStatus.FAILED, "boom")).dlq()).isFalse();
    var twice = queen.ackSync(ack(m, AckStatus.FAILED, "boom"));
    assertThat(twice.success()).isTrue();
    assertThat(twice.dlq()).isFalse();
    assertThat(queen.ackSync(AckItem.completed(popped.messages().get(1))).leaseReleased()).isTrue();
    var again = pop(queen, "q", 2);
    assertThat(again.messages()).extracting(x -> x.id()).containsExactly(m.id());
    assertThat(again.messages().get(0).retryCount()).isEqualTo(1);
  }

  @Test
  void re_acking_a_dead_lettered_message_changes_nothing() {
    configure("q", 0);
    pushRange(queen, "q", null, 1, 1);
    var m = pop(queen, "q", 1).messages().get(0);
    var r = queen.ackSync(ack(m, AckStatus.FAILED, "boom"));
    assertThat(r.dlq()).isTrue();
    var again = queen.ackSync(List.of(ack(m, AckStatus.FAILED, "other").withLeaseId(null),
        ack(m, AckStatus.DLQ, "third").withLeaseId(null)));
    assertThat(again).extracting(AckResult::success).containsExactly(true, true);
    assertThat(again).extracting(AckResult::dlq).containsExactly(false, false);
    var dlq = queen.listDlq(DlqQuery.forQueue("q")).join();
    assertThat(dlq.entries()).hasSize(1);
    assertThat(dlq.entries().get(0).errorMessage()).isEqualTo("boom");
    assertThat(dlq.entries().get(0).retryCount()).isEqualTo(1);
  }

  // ---- settlement per message, cursor, FIFO --------------------------------------------------

  @Test
  void a_batch_acked_completed_failed_completed_redelivers_only_the_failed_message_before_newer_ones() {
    pushRange(queen, "q", null, 1, 3);
    var batch = pop(queen, "q", 3);
    assertThat(ns(batch)).containsExactly(1, 2, 3);
    var ms = batch.messages();
    var results = queen.ackSync(List.of(ack(ms.get(0), AckStatus.COMPLETED),
        ack(ms.get(1), AckStatus.FAILED, "nope"), ack(ms.get(2), AckStatus.COMPLETED)));
    assertThat(results).extracting(AckResult::success).containsExactly(true, true, true);
    assertThat(results.get(2).leaseReleased() || results.get(1).leaseReleased()).isTrue();
    pushRange(queen, "q", null, 4, 5);

    var redelivered = pop(queen, "q", 10);
    assertThat(ns(redelivered)).containsExactly(2, 4, 5);
    assertThat(redelivered.messages().get(0).retryCount()).isEqualTo(1);
    queen.ackSync(redelivered.messages().stream().map(AckItem::completed).toList());
    assertThat(pop(queen, "q", 10).isEmpty()).isTrue();
  }

  @Test
  void messages_settled_beyond_an_unsettled_one_are_not_redelivered_once_it_settles() {
    pushRange(queen, "q", null, 1, 4);
    var ms = pop(queen, "q", 3).messages();
    queen.ackSync(List.of(ack(ms.get(0), AckStatus.FAILED, "x"), ack(ms.get(1), AckStatus.COMPLETED),
        ack(ms.get(2), AckStatus.COMPLETED)));
    var again = pop(queen, "q", 1);
    assertThat(ns(again)).containsExactly(1);
    assertThat(queen.ackSync(AckItem.completed(again.messages().get(0))).success()).isTrue();
    // the cursor jumps over 2 and 3 (settled earlier) to 4
    assertThat(ns(pop(queen, "q", 10))).containsExactly(4);
  }

  @Test
  void failed_past_the_retry_limit_moves_the_message_to_the_dlq_with_its_error_and_count() {
    configure("q", 2);
    pushRange(queen, "q", null, 1, 2);
    AckResult last = null;
    for (int attempt = 1; attempt <= 3; attempt++) {
      var popped = pop(queen, "q", 1);
      assertThat(ns(popped)).as("attempt %s", attempt).containsExactly(1);
      assertThat(popped.messages().get(0).retryCount()).as("failures so far").isEqualTo(attempt - 1);
      last = queen.ackSync(ack(popped.messages().get(0), AckStatus.FAILED, "error #" + attempt));
      assertThat(last.dlq()).as("attempt %s", attempt).isEqualTo(attempt == 3);
      assertThat(last.leaseReleased()).isTrue();
    }
    assertThat(last.success()).isTrue();
    var dlq = queen.listDlq(DlqQuery.forQueue("q")).join();
    assertThat(dlq.entries()).hasSize(1);
    var e = dlq.entries().get(0);
    assertThat(e.transactionId()).isEqualTo("tx-1");
    assertThat(e.errorMessage()).isEqualTo("error #3");
    assertThat(e.retryCount()).isEqualTo(3);
    assertThat(e.consumerGroup()).isEqualTo(PopRequest.QUEUE_MODE);
    // settled: the next message comes next, the failed one never again
    assertThat(ns(pop(queen, "q", 10))).containsExactly(2);
  }

  @Test
  void dlq_status_dead_letters_and_settles_at_once() {
    configure("q", 10);
    pushRange(queen, "q", null, 1, 2);
    var m = pop(queen, "q", 1).messages().get(0);
    var r = queen.ackSync(ack(m, AckStatus.DLQ, "poison"));
    assertThat(r.success()).isTrue();
    assertThat(r.dlq()).isTrue();
    assertThat(r.leaseReleased()).isTrue();
    var entries = queen.listDlq(DlqQuery.forQueue("q")).join().entries();
    assertThat(entries).hasSize(1);
    assertThat(entries.get(0).errorMessage()).isEqualTo("poison");
    assertThat(entries.get(0).messageId()).isEqualTo(m.id());
    assertThat(ns(pop(queen, "q", 10))).containsExactly(2);
  }

  @Test
  void retry_redelivers_without_counting_a_failure() {
    configure("q", 0);
    pushRange(queen, "q", null, 1, 2);
    var batch = pop(queen, "q", 2).messages();
    var results = queen.ackSync(List.of(ack(batch.get(0), AckStatus.RETRY),
        ack(batch.get(1), AckStatus.COMPLETED)));
    assertThat(results).extracting(AckResult::success).containsExactly(true, true);
    assertThat(results).extracting(AckResult::dlq).containsExactly(false, false);
    for (int i = 0; i < 3; i++) {
      var again = pop(queen, "q", 10);
      assertThat(ns(again)).containsExactly(1);
      assertThat(again.messages().get(0).retryCount()).isZero();
      assertThat(queen.ackSync(ack(again.messages().get(0), AckStatus.RETRY)).leaseReleased()).isTrue();
    }
    assertThat(queen.listDlq(DlqQuery.forQueue("q")).join().entries()).isEmpty();
  }

  // ---- lease release and redelivery -----------------------------------------------------------

  @Test
  void the_lease_is_released_only_when_every_message_of_the_batch_has_an_ack() {
    pushRange(queen, "q", null, 1, 3);
    var ms = pop(queen, "q", 3).messages();
    assertThat(queen.ackSync(AckItem.completed(ms.get(2))).leaseReleased()).isFalse();
    assertThat(queen.ackSync(ack(ms.get(0), AckStatus.FAILED, "x")).leaseReleased()).isFalse();
    assertThat(pop(queen, "q", 10).outcome()).isEqualTo(PopOutcome.NO_AVAILABLE_PARTITION);
    assertThat(popPartition(queen, "q", "Default", null, 1).outcome()).isEqualTo(PopOutcome.LEASE_HELD);
    assertThat(queen.ackSync(AckItem.completed(ms.get(1))).leaseReleased()).isTrue();
    assertThat(ns(pop(queen, "q", 10))).containsExactly(1);
  }

  @Test
  void redelivery_starts_from_the_first_unsettled_message() {
    pushRange(queen, "q", null, 1, 4);
    var ms = pop(queen, "q", 3).messages();
    queen.ackSync(AckItem.completed(ms.get(0)));
    assertThat(queen.releaseLease(ms.get(0).leaseId()).join()).isEqualTo(1);
    assertThat(ns(pop(queen, "q", 10))).containsExactly(2, 3, 4);
  }

  // ---- batch ack ---------------------------------------------------------------------------------

  @Test
  void batch_ack_entries_spanning_partitions_and_groups_are_independent() {
    pushRange(queen, "q", "p1", 1, 2);
    pushRange(queen, "other", "p2", 3, 3);
    var qm = popPartition(queen, "q", "p1", null, 2).messages();
    var g1 = popPartition(queen, "q", "p1", "g1", 2).messages();
    var o = popPartition(queen, "other", "p2", "g2", 1).messages();
    var items = new ArrayList<AckItem>();
    items.add(AckItem.completed(qm.get(0)));                                       // ok
    items.add(AckItem.completed(g1.get(0)).withLeaseId(UUID.randomUUID().toString())); // bad lease
    items.add(new AckItem("ghost", qm.get(0).partitionId().toString(), AckStatus.COMPLETED,
        null, null, null));                                                         // not found
    items.add(ack(g1.get(1), AckStatus.FAILED, "g1 fails 2"));                      // ok
    items.add(AckItem.completed(o.get(0)));                                         // ok, releases
    items.add(AckItem.completed(qm.get(1)));                                        // ok, releases
    var results = queen.ackSync(items);
    assertThat(results).extracting(AckResult::success)
        .containsExactly(true, false, false, true, true, true);
    assertThat(results).extracting(AckResult::error)
        .containsExactly(null, "Invalid or expired lease", "Message not found", null, null, null);
    assertThat(results).extracting(AckResult::leaseReleased)
        .containsExactly(false, false, false, false, true, true);
    assertThat(results).extracting(AckResult::queue)
        .containsExactly("q", "q", null, "q", "other", "q");

    // queue mode on p1 is done; g1 still holds its lease with message 1 unacked
    assertThat(popPartition(queen, "q", "p1", null, 10).outcome()).isEqualTo(PopOutcome.NO_MESSAGES);
    assertThat(popPartition(queen, "q", "p1", "g1", 10).outcome()).isEqualTo(PopOutcome.LEASE_HELD);
    assertThat(queen.ackSync(AckItem.completed(g1.get(0))).leaseReleased()).isTrue();
    var redo = popPartition(queen, "q", "p1", "g1", 10);
    assertThat(ns(redo)).containsExactly(2);
    assertThat(redo.messages().get(0).retryCount()).isEqualTo(1);
    assertThat(popPartition(queen, "other", "p2", "g2", 10).outcome()).isEqualTo(PopOutcome.NO_MESSAGES);
  }

  // ---- invalid input ---------------------------------------------------------------------------

  @Test
  void completed_and_success_are_one_status_and_invalid_ack_inputs_are_refused_naming_the_field() {
    assertThat(AckStatus.parse("completed")).isEqualTo(AckStatus.COMPLETED);
    assertThat(AckStatus.parse("success")).isEqualTo(AckStatus.COMPLETED);
    assertThat(AckStatus.parse("failed")).isEqualTo(AckStatus.FAILED);
    assertThat(AckStatus.parse("dlq")).isEqualTo(AckStatus.DLQ);
    assertThat(AckStatus.parse("retry")).isEqualTo(AckStatus.RETRY);
    assertThatThrownBy(() -> AckStatus.parse("done"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("done")
        .hasMessageContaining("status");
    var pid = UUID.randomUUID().toString();
    assertInvalid(() -> queen.ack(null), "acknowledgments");
    assertInvalid(() -> queen.ack(java.util.Arrays.asList((AckItem) null)), "acknowledgments[0]");
    assertInvalid(() -> queen.ack(List.of(new AckItem(null, pid, AckStatus.COMPLETED, null, null, null))),
        "acknowledgments[0].transactionId");
    assertInvalid(() -> queen.ack(List.of(
        new AckItem("t", pid, AckStatus.COMPLETED, null, null, null),
        new AckItem("t", "not-a-uuid", AckStatus.COMPLETED, null, null, null))),
        "acknowledgments[1].partitionId");
    assertInvalid(() -> queen.ack(List.of(new AckItem("t", pid, null, null, null, null))),
        "acknowledgments[0].status");
    assertInvalid(() -> queen.ack(List.of(new AckItem("t", pid, AckStatus.COMPLETED, " ", null, null))),
        "acknowledgments[0].consumerGroup");
    assertInvalid(() -> queen.ack(List.of(new AckItem("t", pid, AckStatus.COMPLETED, null, "lease-x", null))),
        "acknowledgments[0].leaseId");
    // text PostgreSQL cannot store is refused here rather than failing the batch it would join
    assertInvalid(() -> queen.ack(List.of(new AckItem("t", pid, AckStatus.FAILED, null, null, "bad\0error"))),
        "acknowledgments[0].error");
  }

  static void assertInvalid(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String field) {
    assertThatThrownBy(call).isInstanceOfSatisfying(InvalidRequestException.class,
        e -> {
          assertThat(e.field()).isEqualTo(field);
          assertThat(e.getMessage()).contains(field);
        });
  }
}
