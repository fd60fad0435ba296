package io.queen.semantics;

import static io.queen.semantics.AckTest.assertInvalid;
import static io.queen.testing.Fixtures.ack;
import static io.queen.testing.Fixtures.n;
import static io.queen.testing.Fixtures.ns;
import static io.queen.testing.Fixtures.pop;
import static io.queen.testing.Fixtures.popPartition;
import static io.queen.testing.Fixtures.pushRange;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.queen.model.AckItem;
import io.queen.model.AckStatus;
import io.queen.model.DlqEntry;
import io.queen.model.DlqQuery;
import io.queen.model.DlqRequeue;
import io.queen.model.Message;
import io.queen.model.PopRequest;
import io.queen.model.QueueOptions;
import io.queen.testing.QueenTestSupport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** semantics.md section 10: Dead-letter queue. */
class DeadLetterQueueTest extends QueenTestSupport {
  @Override
  protected boolean timersByHand() {
    return true; // the lease reaper runs when a test says so
  }


  private static DlqQuery query(String queue, String partition, String group, Instant from, Instant to) {
    return new DlqQuery(queue, partition, group, from, to, 100, 0);
  }

  private List<DlqEntry> list(DlqQuery q) {
    return queen.listDlq(q).join().entries();
  }

  /** Pops the next message of the queue for the group and dead-letters it. */
  private Message deadLetterNext(String queue, String group, String error) {
    var m = pop(queen, queue, group, 1).messages().get(0);
    var r = queen.ackSync(ack(m, AckStatus.DLQ, error));
    assertThat(r.dlq()).isTrue();
    return m;
  }

  @Test
  void an_entry_keeps_the_message_its_group_the_error_the_failure_count_and_when_it_failed() {
    queen.configureQueueSync("q", QueueOptions.builder().retryLimit(1).build());
    queen.pushSync(new io.queen.model.PushItem("q", "p1", "{\"n\":7,\"s\":\"x\"}", "order-7", null));
    var first = popPartition(queen, "q", "p1", "billing", 1).messages().get(0);
    queen.ackSync(ack(first, AckStatus.FAILED, "first"));
    clock.advance(Duration.ofMinutes(10));
    var second = popPartition(queen, "q", "p1", "billing", 1).messages().get(0);
    var before = clock.instant();
    queen.ackSync(ack(second, AckStatus.FAILED, "card declined"));
    var after = clock.instant();

    var page = queen.listDlq(DlqQuery.forQueue("q")).join();
    assertThat(page.total()).isEqualTo(1);
    assertThat(page.limit()).isEqualTo(100);
    assertThat(page.offset()).isZero();
    var e = page.entries().get(0);
    assertThat(e.messageId()).isEqualTo(first.id());
    assertThat(e.transactionId()).isEqualTo("order-7");
    assertThat(e.partitionId()).isEqualTo(first.partitionId());
    assertThat(e.queue()).isEqualTo("q");
    assertThat(e.partition()).isEqualTo("p1");
    assertThat(e.consumerGroup()).isEqualTo("billing");
    assertThat(e.errorMessage()).isEqualTo("card declined");
    assertThat(e.retryCount()).isEqualTo(2);
    assertThat(n(e.payloadJson())).isEqualTo(7);
    assertThat(e.payloadJson()).contains("\"s\"");
    assertThat(e.createdAt()).isEqualTo(first.createdAt());
    assertThat(e.failedAt()).isBetween(before.minusMillis(1), after.plusMillis(1));
  }

  @Test
  void listing_filters_by_queue_group_and_partition() {
    pushRange(queen, "qa", "p1", 1, 1);
    pushRange(queen, "qa", "p2", 2, 2);
    pushRange(queen, "qb", null, 3, 3);
    deadLetterNext("qa", "g1", "a-g1");   // message 1 (p1) for g1
    deadLetterNext("qa", "g2", "a-g2");   // message 1 or 2 for g2
    deadLetterNext("qb", "g1", "b-g1");
    var qm = pop(queen, "qb", 1).messages().get(0);
    queen.ackSync(ack(qm, AckStatus.DLQ, "b-qm"));

    assertThat(list(query("qa", null, null, null, null))).extracting(DlqEntry::errorMessage)
        .containsExactlyInAnyOrder("a-g1", "a-g2");
    assertThat(list(query("qb", null, null, null, null))).extracting(DlqEntry::errorMessage)
        .containsExactlyInAnyOrder("b-g1", "b-qm");
    assertThat(list(query(null, null, "g1", null, null))).extracting(DlqEntry::errorMessage)
        .containsExactlyInAnyOrder("a-g1", "b-g1");
    assertThat(list(query("qb", null, PopRequest.QUEUE_MODE, null, null)))
        .extracting(DlqEntry::errorMessage).containsExactly("b-qm");
    assertThat(list(query("qa", null, "g1", null, null))).extracting(DlqEntry::errorMessage)
        .containsExactly("a-g1");
    var g2Partition = list(query("qa", null, "g2", null, null)).get(0).partition();
    assertThat(list(query("qa", g2Partition, null, null, null))).extracting(DlqEntry::consumerGroup)
        .contains("g2");
    assertThat(list(query("qa", "no-such-partition", null, null, null))).isEmpty();
    assertThat(list(query("nope", null, null, null, null))).isEmpty();
    assertThat(queen.listDlq(query(null, null, null, null, null)).join().total()).isEqualTo(4);
  }

  @Test
  void listing_filters_by_time_range_newest_failure_first_with_paging() {
    pushRange(queen, "q", null, 1, 3);
    var t0 = clock.instant();
    deadLetterNext("q", null, "first");
    clock.advance(Duration.ofHours(1));
    var t1 = clock.instant();
    deadLetterNext("q", null, "second");
    clock.advance(Duration.ofHours(1));
    var t2 = clock.instant();
    deadLetterNext("q", null, "third");

    assertThat(list(query("q", null, null, null, null))).extracting(DlqEntry::errorMessage)
        .containsExactly("third", "second", "first");
    assertThat(list(query("q", null, null, t1, null))).extracting(DlqEntry::errorMessage)
        .containsExactly("third", "second");
    assertThat(list(query("q", null, null, null, t1))).extracting(DlqEntry::errorMessage)
        .containsExactly("first");
    assertThat(list(query("q", null, null, t1, t2))).extracting(DlqEntry::errorMessage)
        .containsExactly("second");
    assertThat(list(query("q", null, null, t0.minusSeconds(60), t0.minusSeconds(1)))).isEmpty();

    var page = queen.listDlq(new DlqQuery("q", null, null, null, null, 1, 1)).join();
    assertThat(page.total()).isEqualTo(3);
    assertThat(page.entries()).extracting(DlqEntry::errorMessage).containsExactly("second");
    var pastTheEnd = queen.listDlq(new DlqQuery("q", null, null, null, null, 10, 5)).join();
    assertThat(pastTheEnd.entries()).isEmpty();
    assertThat(pastTheEnd.total()).as("still counts every match").isEqualTo(3);
  }

  @Test
  void requeue_makes_the_message_deliverable_to_its_group_again_before_newer_messages() {
    queen.configureQueueSync("q", QueueOptions.builder().retryLimit(0).build());
    pushRange(queen, "q", null, 1, 2);
    var ms = pop(queen, "q", "g", 2).messages();
    queen.ackSync(List.of(ack(ms.get(0), AckStatus.FAILED, "boom"), AckItem.completed(ms.get(1))));
    assertThat(pop(queen, "q", "g", 10).isEmpty()).isTrue();
    pushRange(queen, "q", null, 3, 4);

    int n = queen.requeueDlq(new DlqRequeue("q", "g", List.of())).join();
    assertThat(n).isEqualTo(1);
    assertThat(list(query("q", null, null, null, null))).isEmpty();

    var again = pop(queen, "q", "g", 10);
    assertThat(ns(again)).containsExactly(1, 3, 4);
    assertThat(again.messages().get(0).retryCount()).as("failure count reset").isZero();
    queen.ackSync(again.messages().stream().map(AckItem::completed).toList());
    assertThat(pop(queen, "q", "g", 10).isEmpty()).isTrue();
  }

  @Test
  void requeue_of_a_message_dead_lettered_beyond_the_cursor_redelivers_it_in_order() {
    queen.configureQueueSync("q", QueueOptions.builder().retryLimit(5).build());
    pushRange(queen, "q", null, 1, 3);
    var ms = pop(queen, "q", 3).messages();
    queen.ackSync(List.of(ack(ms.get(0), AckStatus.FAILED, "retry me"),
        ack(ms.get(1), AckStatus.DLQ, "poison"), AckItem.completed(ms.get(2))));
    assertThat(queen.requeueDlq(new DlqRequeue("q", null, List.of())).join()).isEqualTo(1);
    var again = pop(queen, "q", 10);
    assertThat(ns(again)).containsExactly(1, 2);
    assertThat(again.messages()).extracting(Message::retryCount).containsExactly(1, 0);
  }

  @Test
  void requeue_only_touches_the_given_group_and_messages() {
    queen.configureQueueSync("q", QueueOptions.builder().retryLimit(0).build());
    pushRange(queen, "q", null, 1, 2);
    for (var g : List.of("g1", "g2")) {
      var ms = pop(queen, "q", g, 2).messages();
      queen.ackSync(List.of(ack(ms.get(0), AckStatus.DLQ, g + "-1"), ack(ms.get(1), AckStatus.DLQ, g + "-2")));
    }
    assertThat(queen.listDlq(DlqQuery.forQueue("q")).join().total()).isEqualTo(4);
    var id2 = list(query("q", null, "g1", null, null)).stream()
        .filter(e -> e.errorMessage().equals("g1-2")).findFirst().get().messageId();

    assertThat(queen.requeueDlq(new DlqRequeue("q", "g1", List.of(id2))).join()).isEqualTo(1);
    assertThat(ns(pop(queen, "q", "g1", 10))).containsExactly(2);
    assertThat(pop(queen, "q", "g2", 10).isEmpty()).isTrue();
    assertThat(list(query("q", null, null, null, null))).extracting(DlqEntry::errorMessage)
        .containsExactlyInAnyOrder("g1-1", "g2-1", "g2-2");

    assertThat(queen.requeueDlq(new DlqRequeue("other", null, List.of())).join()).isZero();
    assertThat(queen.requeueDlq(new DlqRequeue("q", "g2", List.of(UUID.randomUUID()))).join()).isZero();
    assertThat(queen.requeueDlq(new DlqRequeue("q", "g2", List.of())).join()).isEqualTo(2);
    assertThat(ns(pop(queen, "q", "g2", 10))).containsExactly(1, 2);
  }

  @Test
  void a_requeued_message_that_fails_again_returns_to_the_dlq() {
    queen.configureQueueSync("q", QueueOptions.builder().retryLimit(1).build());
    pushRange(queen, "q", null, 1, 1);
    for (int i = 0; i < 2; i++) {
      queen.ackSync(ack(pop(queen, "q", 1).messages().get(0), AckStatus.FAILED, "round 1"));
    }
    assertThat(list(query("q", null, null, null, null))).extracting(DlqEntry::retryCount)
        .containsExactly(2);
    queen.requeueDlq(new DlqRequeue("q", null, List.of())).join();
    var m = pop(queen, "q", 1).messages().get(0);
    assertThat(m.retryCount()).isZero();
    assertThat(queen.ackSync(ack(m, AckStatus.FAILED, "round 2a")).dlq()).isFalse();
    var last = pop(queen, "q", 1).messages().get(0);
    assertThat(last.retryCount()).isEqualTo(1);
    assertThat(queen.ackSync(ack(last, AckStatus.FAILED, "round 2b")).dlq()).isTrue();
    var entries = list(query("q", null, null, null, null));
    assertThat(entries).extracting(DlqEntry::errorMessage).containsExactly("round 2b");
    assertThat(entries).extracting(DlqEntry::retryCount).containsExactly(2);
    assertThat(pop(queen, "q", 1).isEmpty()).isTrue();
  }

  @Test
  void a_requeued_message_whose_lease_expires_counts_a_failure_and_can_return_to_the_dlq() {
    queen.configureQueueSync("q", QueueOptions.builder().retryLimit(0).leaseTime(30).build());
    pushRange(queen, "q", null, 1, 2);
    var ms = pop(queen, "q", 2).messages();
    queen.ackSync(List.of(ack(ms.get(0), AckStatus.DLQ, "first"), AckItem.completed(ms.get(1))));
    queen.requeueDlq(new DlqRequeue("q", null, List.of())).join();
    var again = pop(queen, "q", 10);
    assertThat(ns(again)).containsExactly(1);
    clock.advance(Duration.ofSeconds(31));
    io.queen.testing.Fixtures.reapAll(scheduler, database, clock);
    var entries = list(query("q", null, null, null, null));
    assertThat(entries).extracting(DlqEntry::errorMessage).containsExactly("lease expired");
    assertThat(entries).extracting(DlqEntry::retryCount).containsExactly(1);
    assertThat(pop(queen, "q", 10).isEmpty()).isTrue();
  }

  @Test
  void invalid_dlq_inputs_are_refused_naming_the_field() {
    assertInvalid(() -> queen.listDlq(null), "query");
    assertInvalid(() -> queen.requeueDlq(null), "request");
    assertInvalid(() -> queen.requeueDlq(new DlqRequeue(null, null, List.of())), "queue");
    assertInvalid(() -> queen.requeueDlq(new DlqRequeue("q", "", List.of())), "consumerGroup");
    assertThatThrownBy(() -> new DlqQuery("q", null, null, null, null, 0, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
    assertThatThrownBy(() -> new DlqQuery("q", null, null, null, null, 10, -1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("offset");
  }
}
