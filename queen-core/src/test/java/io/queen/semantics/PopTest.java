package io.queen.semantics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.queen.error.InvalidRequestException;
import io.queen.model.AckItem;
import io.queen.model.PopOutcome;
import io.queen.model.PopRequest;
import io.queen.model.PushItem;
import io.queen.testing.QueenTestSupport;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** semantics.md §4. */
class PopTest extends QueenTestSupport {

  private void push(String queue, String partition, int n) {
    var items = new ArrayList<PushItem>();
    for (int i = 0; i < n; i++) {
      items.add(PushItem.of(queue, String.valueOf(i)).withPartition(partition));
    }
    queen.pushSync(items);
  }

  @Test
  void a_named_partition_pop_returns_its_next_messages_in_fifo_order_under_one_lease() {
    push("q", "a", 5);
    var r = queen.popSync(PopRequest.fromQueue("q").partition("a").batch(3).build());
    assertThat(r.outcome()).isEqualTo(PopOutcome.MESSAGES);
    assertThat(r.messages()).extracting(m -> m.payloadJson()).containsExactly("0", "1", "2");
    assertThat(r.messages()).allMatch(m -> m.leaseId().equals(r.leaseId()));
    assertThat(r.messages()).allMatch(m -> m.partition().equals("a") && m.queue().equals("q"));
    assertThat(r.leaseId()).isNotEmpty();
  }

  @Test
  void a_leased_partition_is_reported_lease_held_by_name_and_skipped_by_wildcard() {
    push("q", "a", 2);
    push("q", "b", 1);
    queen.popSync(PopRequest.fromQueue("q").partition("a").build());
    var named = queen.popSync(PopRequest.fromQueue("q").partition("a").build());
    assertThat(named.outcome()).isEqualTo(PopOutcome.LEASE_HELD);
    assertThat(named.messages()).isEmpty();
    var any = queen.popSync(PopRequest.fromQueue("q").batch(10).build());
    assertThat(any.messages()).extracting(m -> m.partition()).containsOnly("b");
  }

  @Test
  void another_consumer_group_is_not_blocked_by_a_lease_of_the_first() {
    push("q", "a", 1);
    queen.popSync(PopRequest.fromQueue("q").partition("a").consumerGroup("g1").build());
    var other = queen.popSync(PopRequest.fromQueue("q").partition("a").consumerGroup("g2").build());
    assertThat(other.messages()).hasSize(1);
    assertThat(other.consumerGroup()).isEqualTo("g2");
  }

  @Test
  void a_pop_that_finds_nothing_takes_no_lease() throws Exception {
    push("q", "a", 1);
    var r = queen.popSync(PopRequest.fromQueue("q").partition("a").build());
    queen.ackSync(AckItem.completed(r.messages().get(0)));
    var empty = queen.popSync(PopRequest.fromQueue("q").partition("a").build());
    assertThat(empty.outcome()).isEqualTo(PopOutcome.NO_MESSAGES);
    assertThat(empty.leaseId()).isNull();
    try (var c = database.connect(); var s = c.createStatement();
        var rs = s.executeQuery("SELECT count(*) FROM queen.partition_consumers WHERE worker_id IS NOT NULL")) {
      rs.next();
      assertThat(rs.getLong(1)).isZero();
    }
  }

  @Test
  void unknown_queues_and_partitions_are_reported_as_such() {
    push("q", "a", 1);
    assertThat(queen.popSync(PopRequest.fromQueue("q").partition("nope").build()).outcome())
        .isEqualTo(PopOutcome.PARTITION_NOT_FOUND);
    assertThat(queen.popSync(PopRequest.fromQueue("nope").partition("a").build()).outcome())
        .isEqualTo(PopOutcome.PARTITION_NOT_FOUND);
    assertThat(queen.popSync(PopRequest.fromQueue("nope").build()).outcome())
        .isEqualTo(PopOutcome.NO_AVAILABLE_PARTITION);
  }

  @Test
  void partitions_n_claims_up_to_n_partitions_and_batch_is_a_total() {
    for (var p : List.of("a", "b", "c", "d")) {
      push("multi", p, 3);
    }
    var r = queen.popSync(PopRequest.fromQueue("multi").partitions(3).batch(7).build());
    assertThat(r.messages()).hasSize(7);
    assertThat(r.partitionsClaimed()).isEqualTo(3);
    var partitions = new HashSet<String>();
    r.messages().forEach(m -> partitions.add(m.partition()));
    assertThat(partitions).hasSize(3);
    var rest = queen.popSync(PopRequest.fromQueue("multi").partitions(3).batch(100).build());
    assertThat(rest.messages()).extracting(m -> m.partition()).doesNotContainAnyElementsOf(partitions);
  }

  @Test
  void a_partition_with_pending_messages_is_not_starved_by_a_busier_one() {
    push("fair", "busy", 200);
    push("fair", "quiet", 1);
    var seen = new HashSet<String>();
    for (int i = 0; i < 2; i++) {
      var r = queen.popSync(PopRequest.fromQueue("fair").batch(10).autoAck(true).build());
      r.messages().forEach(m -> seen.add(m.partition()));
    }
    assertThat(seen).contains("quiet");
  }

  @Test
  void auto_ack_settles_the_batch_at_pop_time_and_keeps_no_lease() {
    push("q", "a", 3);
    var first = queen.popSync(PopRequest.fromQueue("q").partition("a").batch(2).autoAck(true).build());
    assertThat(first.leaseId()).isEmpty();
    assertThat(first.messages()).allMatch(m -> m.leaseId().isEmpty());
    var next = queen.popSync(PopRequest.fromQueue("q").partition("a").batch(5).build());
    assertThat(next.messages()).extracting(m -> m.payloadJson()).containsExactly("2");
  }

  @Test
  void a_released_lease_redelivers_its_messages_at_once_without_counting_a_failure() {
    push("q", "a", 2);
    var r = queen.popSync(PopRequest.fromQueue("q").partition("a").batch(2).build());
    assertThat(queen.releaseLease(r.leaseId()).join()).isEqualTo(1);
    var again = queen.popSync(PopRequest.fromQueue("q").partition("a").batch(2).build());
    assertThat(again.messages()).extracting(m -> m.id())
        .containsExactlyElementsOf(r.messages().stream().map(m -> m.id()).toList());
    assertThat(again.messages()).allMatch(m -> m.retryCount() == 0);
  }

  @Test
  void an_undelivered_auto_acked_result_comes_back_first_and_in_order() {
    push("q", "a", 4);
    var lost = queen.popSync(PopRequest.fromQueue("q").partition("a").batch(2).autoAck(true).build());
    assertThat(lost.messages()).extracting(m -> m.payloadJson()).containsExactly("0", "1");
    assertThat(queen.returnUndelivered(lost).join()).isEqualTo(2);
    var again = queen.popSync(PopRequest.fromQueue("q").partition("a").batch(10).build());
    assertThat(again.messages()).extracting(m -> m.payloadJson()).containsExactly("0", "1", "2", "3");
    queen.ackSync(again.messages().stream().map(AckItem::completed).toList());
    assertThat(queen.popSync(PopRequest.fromQueue("q").batch(10).build()).isEmpty()).isTrue();
  }

  @Test
  void an_undelivered_leased_result_frees_its_partition_at_once() {
    push("q", "a", 2);
    var lost = queen.popSync(PopRequest.fromQueue("q").partition("a").batch(2).build());
    assertThat(queen.returnUndelivered(lost).join()).isEqualTo(1);
    var again = queen.popSync(PopRequest.fromQueue("q").partition("a").batch(2).build());
    assertThat(again.messages()).extracting(m -> m.id())
        .containsExactlyElementsOf(lost.messages().stream().map(m -> m.id()).toList());
    assertThat(again.messages()).allMatch(m -> m.retryCount() == 0);
  }

  @Test
  void a_namespace_and_task_pop_takes_from_every_matching_queue_only() {
    queen.pushSync(PushItem.of("shop.orders", "1"));
    queen.pushSync(PushItem.of("shop.refunds", "2"));
    queen.pushSync(PushItem.of("other.orders", "3"));
    var byNamespace = queen.popSync(PopRequest.fromNamespace("shop", null).batch(10).partitions(10).build());
    assertThat(byNamespace.messages()).extracting(m -> m.queue())
        .containsExactlyInAnyOrder("shop.orders", "shop.refunds");
    var byTask = queen.popSync(PopRequest.fromNamespace(null, "orders").batch(10).build());
    assertThat(byTask.messages()).extracting(m -> m.queue()).containsExactly("other.orders");
  }

  @Test
  void invalid_pop_requests_are_refused_naming_the_field() {
    assertThatThrownBy(() -> PopRequest.fromQueue("q").batch(0).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batch");
    assertThatThrownBy(() -> PopRequest.fromQueue("q").partitions(0).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("partitions");
    assertThatThrownBy(() -> queen.pop(PopRequest.fromQueue("q").consumerGroup("").build()))
        .isInstanceOfSatisfying(InvalidRequestException.class,
            e -> assertThat(e.field()).isEqualTo("consumerGroup"));
    assertThatThrownBy(() -> queen.pop(PopRequest.fromNamespace(null, null).build()))
        .isInstanceOfSatisfying(InvalidRequestException.class,
            e -> assertThat(e.field()).isEqualTo("queue"));
  }
}
