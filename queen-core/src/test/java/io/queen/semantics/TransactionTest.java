package io.queen.semantics;

import static io.queen.semantics.AckTest.assertInvalid;
import static io.queen.testing.Fixtures.ack;
import static io.queen.testing.Fixtures.awaitCondition;
import static io.queen.testing.Fixtures.item;
import static io.queen.testing.Fixtures.ns;
import static io.queen.testing.Fixtures.pop;
import static io.queen.testing.Fixtures.pushRange;
import static io.queen.testing.Fixtures.scalarLong;
import static io.queen.testing.Fixtures.storedMessages;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.queen.QueueManager;
import io.queen.error.InvalidRequestException;
import io.queen.model.AckItem;
import io.queen.model.AckResult;
import io.queen.model.AckStatus;
import io.queen.model.DlqQuery;
import io.queen.model.Message;
import io.queen.model.PopRequest;
import io.queen.model.PushItem;
import io.queen.model.PushResult;
import io.queen.model.PushStatus;
import io.queen.model.QueueOptions;
import io.queen.model.TransactionRequest;
import io.queen.testing.QueenTestSupport;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** semantics.md section 8: Transactions. */
class TransactionTest extends QueenTestSupport {

  private static TransactionRequest tx(List<AckItem> acks, List<PushItem> pushes, List<String> leases) {
    return new TransactionRequest(acks, pushes, leases);
  }

  /** Asserts the message is still unsettled for queue mode: after freeing its lease it comes back. */
  private void assertStillPending(Message m) {
    queen.releaseLease(m.leaseId()).join();
    var again = queen.popSync(PopRequest.fromQueue(m.queue()).batch(100).build());
    assertThat(again.messages()).extracting(Message::id).contains(m.id());
  }

  @Test
  void acks_and_pushes_commit_together() {
    pushRange(queen, "in", null, 1, 1);
    var m = pop(queen, "in", 1).messages().get(0);
    var result = queen.transactionSync(tx(List.of(AckItem.completed(m)),
        List.of(item("out", null, 10), item("out", "p2", 11)), List.of(m.leaseId())));
    assertThat(result.success()).isTrue();
    assertThat(result.error()).isNull();
    assertThat(result.transactionId()).isNotNull();
    assertThat(result.ackResults()).hasSize(1);
    assertThat(result.ackResults().get(0).success()).isTrue();
    assertThat(result.ackResults().get(0).leaseReleased()).isTrue();
    assertThat(result.ackResults().get(0).queue()).isEqualTo("in");
    assertThat(result.pushResults()).extracting(PushResult::status)
        .containsExactly(PushStatus.QUEUED, PushStatus.QUEUED);
    assertThat(result.pushResults()).extracting(PushResult::transactionId)
        .containsExactly("tx-10", "tx-11");
    assertThat(result.pushResults()).allSatisfy(r -> assertThat(r.messageId()).isNotNull());

    assertThat(pop(queen, "in", 10).isEmpty()).isTrue();
    var out = queen.popSync(PopRequest.fromQueue("out").batch(10).partitions(2).build());
    assertThat(ns(out)).containsExactlyInAnyOrder(10, 11);
  }

  @Test
  void a_required_lease_that_is_not_live_rolls_back_everything() {
    pushRange(queen, "in", null, 1, 1);
    var m = pop(queen, "in", 1).messages().get(0);
    var bogus = UUID.randomUUID().toString();
    var result = queen.transactionSync(tx(List.of(AckItem.completed(m)),
        List.of(item("out", null, 10)), List.of(m.leaseId(), bogus)));
    assertThat(result.success()).isFalse();
    assertThat(result.error()).contains(bogus).contains("not live");
    assertThat(result.ackResults()).isEmpty();
    assertThat(result.pushResults()).isEmpty();
    // nothing pushed (not even the auto-created queue), nothing acked
    assertThat(storedMessages(database, "out")).isZero();
    assertThat(scalarLong(database, "SELECT count(*) FROM queen.queues WHERE name = 'out'")).isZero();
    assertStillPending(m);
  }

  @Test
  void an_expired_required_lease_rolls_back_everything() {
    queen.configureQueueSync("in", QueueOptions.builder().leaseTime(30).build());
    pushRange(queen, "in", null, 1, 2);
    var first = pop(queen, "in", 1).messages().get(0);
    clock.advance(Duration.ofSeconds(31));
    // ack without a lease id (would be accepted on its own) + a push, but the required lease expired
    var result = queen.transactionSync(tx(List.of(AckItem.completed(first).withLeaseId(null)),
        List.of(item("out", null, 10)), List.of(first.leaseId())));
    assertThat(result.success()).isFalse();
    assertThat(storedMessages(database, "out")).isZero();
    assertThat(ns(pop(queen, "in", 10))).containsExactly(1, 2);
  }

  @Test
  void a_failing_ack_rolls_back_the_pushes_and_the_other_acks() {
    pushRange(queen, "in", "a", 1, 1);
    pushRange(queen, "in", "b", 2, 2);
    var a = queen.popSync(PopRequest.fromQueue("in").partition("a").build()).messages().get(0);
    var b = queen.popSync(PopRequest.fromQueue("in").partition("b").build()).messages().get(0);
    var result = queen.transactionSync(tx(
        List.of(AckItem.completed(a), AckItem.completed(b).withLeaseId(UUID.randomUUID().toString())),
        List.of(item("out", null, 10)), List.of()));
    assertThat(result.success()).isFalse();
    assertThat(result.error()).contains("Invalid or expired lease");
    assertThat(result.ackResults()).isEmpty();
    assertThat(result.pushResults()).isEmpty();
    assertThat(storedMessages(database, "out")).isZero();
    // the valid ack of a was rolled back too: its lease is still held and it is still pending
    assertThat(queen.popSync(PopRequest.fromQueue("in").partition("a").build()).outcome())
        .isEqualTo(io.queen.model.PopOutcome.LEASE_HELD);
    assertStillPending(a);

    // an ack of an unknown message fails the transaction the same way
    var unknown = queen.transactionSync(tx(
        List.of(new AckItem("ghost", a.partitionId().toString(), AckStatus.COMPLETED, null, null, null)),
        List.of(item("out", null, 10)), List.of()));
    assertThat(unknown.success()).isFalse();
    assertThat(unknown.error()).contains("Message not found");
    assertThat(storedMessages(database, "out")).isZero();
  }

  @Test
  void a_duplicate_push_is_reported_and_does_not_abort() {
    var original = queen.pushSync(item("out", null, 1));
    pushRange(queen, "in", null, 5, 5);
    var m = pop(queen, "in", 1).messages().get(0);
    var result = queen.transactionSync(tx(List.of(AckItem.completed(m)),
        List.of(item("out", null, 1), item("out", null, 2), item("out", null, 2)), List.of()));
    assertThat(result.success()).isTrue();
    assertThat(result.pushResults()).extracting(PushResult::status)
        .containsExactly(PushStatus.DUPLICATE, PushStatus.QUEUED, PushStatus.DUPLICATE);
    assertThat(result.pushResults().get(0).messageId()).isEqualTo(original.messageId());
    assertThat(result.pushResults().get(2).messageId())
        .isEqualTo(result.pushResults().get(1).messageId());
    assertThat(result.ackResults()).extracting(AckResult::success).containsExactly(true);
    assertThat(storedMessages(database, "out")).isEqualTo(2);
    assertThat(ns(pop(queen, "out", 10))).containsExactly(1, 2);
    assertThat(pop(queen, "in", 10).isEmpty()).isTrue();
  }

  @Test
  void a_push_refused_by_max_size_rolls_back_the_transaction() {
    queen.configureQueueSync("small", QueueOptions.builder().maxSize(1).build());
    pushRange(queen, "small", null, 1, 1);
    pushRange(queen, "in", null, 5, 5);
    var m = pop(queen, "in", 1).messages().get(0);
    var result = queen.transactionSync(tx(List.of(AckItem.completed(m)),
        List.of(item("other", null, 7), item("small", null, 2)), List.of()));
    assertThat(result.success()).isFalse();
    assertThat(result.error()).contains("maxSize");
    assertThat(storedMessages(database, "small")).isEqualTo(1);
    assertThat(storedMessages(database, "other")).isZero();
    assertStillPending(m);
  }

  @Test
  void acks_in_a_transaction_follow_the_ack_rules() {
    queen.configureQueueSync("in", QueueOptions.builder().retryLimit(0).build());
    pushRange(queen, "in", null, 1, 3);
    var ms = pop(queen, "in", 3).messages();
    var result = queen.transactionSync(tx(List.of(
        ack(ms.get(0), AckStatus.COMPLETED), ack(ms.get(1), AckStatus.FAILED, "tx failure"),
        ack(ms.get(2), AckStatus.RETRY)), List.of(), List.of()));
    assertThat(result.success()).isTrue();
    assertThat(result.ackResults()).extracting(AckResult::dlq).containsExactly(false, true, false);
    assertThat(result.ackResults()).extracting(AckResult::leaseReleased)
        .containsExactly(false, false, true);
    var dlq = queen.listDlq(DlqQuery.forQueue("in")).join().entries();
    assertThat(dlq).hasSize(1);
    assertThat(dlq.get(0).errorMessage()).isEqualTo("tx failure");
    var again = pop(queen, "in", 10);
    assertThat(ns(again)).containsExactly(3);
    assertThat(again.messages().get(0).retryCount()).isZero();
    // an already settled message acked again inside a transaction: success, no change
    var replay = queen.transactionSync(tx(List.of(ack(ms.get(0), AckStatus.FAILED, "late")
        .withLeaseId(null)), List.of(), List.of()));
    assertThat(replay.success()).isTrue();
    assertThat(replay.ackResults().get(0).dlq()).isFalse();
  }

  @Test
  void committed_pushes_wake_a_long_poll_in_the_same_process() throws Exception {
    queen.close();
    var m = newManager(b -> b.listenNotify(false).longPollRecheckInterval(Duration.ofMinutes(5)));
    assertWakes(m, m);
  }

  @Test
  void committed_pushes_wake_a_long_poll_of_another_instance() throws Exception {
    var waiter = newManager(b -> b.longPollRecheckInterval(Duration.ofMinutes(5)));
    awaitCondition(Duration.ofSeconds(10), () -> waiter.stats().listening());
    assertWakes(waiter, queen);
  }

  private void assertWakes(QueueManager waiter, QueueManager committer) throws Exception {
    waiter.configureQueueSync("jobs", QueueOptions.DEFAULTS);
    var poll = waiter.pop(PopRequest.fromQueue("jobs").wait(Duration.ofSeconds(60)).build());
    // wait until the long poll's first (empty) attempt is done and it is parked
    awaitCondition(Duration.ofSeconds(10), () -> {
      var s = waiter.stats();
      var pops = s.operations().get("pop");
      return s.waitingPops() == 1 && pops.batches() >= 1 && pops.inFlight() == 0 && pops.queued() == 0;
    });
    assertThat(poll).isNotDone();
    var result = committer.transactionSync(tx(List.of(), List.of(item("jobs", null, 42)), List.of()));
    assertThat(result.success()).isTrue();
    var popped = poll.get(10, TimeUnit.SECONDS); // the recheck fallback is 5 minutes away
    assertThat(ns(popped)).containsExactly(42);
  }

  @Test
  void invalid_transaction_inputs_are_refused_naming_the_field() {
    var pid = UUID.randomUUID().toString();
    assertThatThrownBy(() -> queen.transaction(null)).isInstanceOfSatisfying(
        InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("operations"));
    assertInvalid(() -> queen.transaction(tx(List.of(), List.of(), List.of())), "operations");
    assertInvalid(() -> queen.transaction(tx(List.of(), List.of(item("q", null, 1)),
        List.of("not-a-lease"))), "requiredLeases[0]");
    assertInvalid(() -> queen.transaction(tx(List.of(),
        List.of(item("q", null, 1), new PushItem(null, null, "{}", null, null)), List.of())),
        "pushes[1].queue");
    assertInvalid(() -> queen.transaction(tx(List.of(),
        List.of(new PushItem("q", null, "{}", null, "not-a-uuid")), List.of())),
        "pushes[0].traceId");
    assertInvalid(() -> queen.transaction(tx(
        List.of(new AckItem("t", "bad", AckStatus.COMPLETED, null, null, null)), List.of(), List.of())),
        "acks[0].partitionId");
    assertInvalid(() -> queen.transaction(tx(
        Arrays.asList(new AckItem("t", pid, null, null, null, null)), List.of(), List.of())),
        "acks[0].status");
    assertThat(storedMessages(database, "q")).isZero();
  }
}
