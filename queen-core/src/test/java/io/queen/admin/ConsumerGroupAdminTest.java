package io.queen.admin;

import static io.queen.testing.Fixtures.ns;
import static io.queen.testing.Fixtures.pop;
import static io.queen.testing.Fixtures.popPartition;
import static io.queen.testing.Fixtures.pushRange;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.queen.error.InvalidRequestException;
import io.queen.error.NotFoundException;
import io.queen.model.AckItem;
import io.queen.model.PopRequest;
import io.queen.model.QueueOptions;
import io.queen.model.SubscriptionMode;
import io.queen.testing.QueenTestSupport;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * Consumer-group administration: deleting a group, changing its subscription, seeking its cursors,
 * and reading its lag. Time is the test's clock.
 */
class ConsumerGroupAdminTest extends QueenTestSupport {

  private QueenAdmin admin() {
    return queen.admin();
  }

  private static Throwable cause(Runnable r) {
    try {
      r.run();
    } catch (CompletionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected a failure");
  }

  private void consumeAll(String queue, String group) {
    var r = queen.popSync(PopRequest.fromQueue(queue).consumerGroup(group).batch(1000)
        .autoAck(true).build());
    assertThat(r.messages()).isNotEmpty();
  }

  private PopRequest.Builder newGroup(String queue, String group) {
    return PopRequest.fromQueue(queue).consumerGroup(group).batch(100)
        .subscriptionMode(SubscriptionMode.NEW);
  }

  @Test
  void a_deleted_group_consumes_again_from_the_start_of_its_new_subscription() {
    queen.configureQueueSync("q", QueueOptions.DEFAULTS);
    pushRange(queen, "q", null, 1, 3);
    consumeAll("q", "g");
    assertThat(ns(pop(queen, "q", "g", 10))).isEmpty();

    var d = admin().deleteConsumerGroup("g", null, true).join();

    assertThat(d.deletedPartitions()).isEqualTo(1);
    assertThat(d.metadataDeleted()).isEqualTo(1);
    assertThat(ns(pop(queen, "q", "g", 10))).as("subscription all, from the beginning")
        .containsExactly(1, 2, 3);
  }

  @Test
  void a_group_deleted_without_its_metadata_starts_over_from_its_recorded_subscription() {
    queen.configureQueueSync("q", QueueOptions.DEFAULTS);
    pushRange(queen, "q", null, 1, 2);
    clock.advance(Duration.ofSeconds(1));
    assertThat(queen.popSync(newGroup("q", "g").build()).messages()).isEmpty(); // subscribed now
    clock.advance(Duration.ofSeconds(1));
    pushRange(queen, "q", null, 3, 4);
    assertThat(ns(pop(queen, "q", "g", 10))).containsExactly(3, 4);

    var d = admin().deleteConsumerGroup("g", "q", false).join();

    assertThat(d.metadataDeleted()).isZero();
    assertThat(ns(pop(queen, "q", "g", 10))).as("starts again at its 'new' start point")
        .containsExactly(3, 4);
  }

  @Test
  void deleting_a_group_that_does_not_exist_deletes_nothing_and_succeeds() {
    var d = admin().deleteConsumerGroup("nobody", null, true).join();
    assertThat(d.deletedPartitions()).isZero();
    assertThat(d.metadataDeleted()).isZero();
  }

  @Test
  void deleting_a_group_on_one_queue_leaves_its_cursors_on_the_others() {
    queen.configureQueueSync("a", QueueOptions.DEFAULTS);
    queen.configureQueueSync("b", QueueOptions.DEFAULTS);
    pushRange(queen, "a", null, 1, 1);
    pushRange(queen, "b", null, 1, 1);
    consumeAll("a", "g");
    consumeAll("b", "g");

    admin().deleteConsumerGroup("g", "a", true).join();

    assertThat(ns(pop(queen, "a", "g", 10))).containsExactly(1);
    assertThat(ns(pop(queen, "b", "g", 10))).isEmpty();
  }

  @Test
  void deleting_a_group_on_an_unknown_queue_is_not_found() {
    assertThat(cause(() -> admin().deleteConsumerGroup("g", "nope", true).join()))
        .isInstanceOf(NotFoundException.class).hasMessageContaining("nope");
  }

  @Test
  void deleting_a_group_releases_its_lease_so_the_old_batch_cannot_be_acked() {
    queen.configureQueueSync("q", QueueOptions.DEFAULTS);
    pushRange(queen, "q", null, 1, 2);
    var leased = pop(queen, "q", "g", 10);
    admin().deleteConsumerGroup("g", null, true).join();

    var ack = queen.ackSync(AckItem.completed(leased.messages().get(0)));

    assertThat(ack.success()).isFalse();
    assertThat(ns(pop(queen, "q", "g", 10))).containsExactly(1, 2);
  }

  @Test
  void seek_to_end_skips_what_is_stored_and_delivers_what_comes_next() {
    queen.configureQueueSync("q", QueueOptions.DEFAULTS);
    pushRange(queen, "q", "p", 1, 2);
    assertThat(ns(popPartition(queen, "q", "p", "g", 1))).containsExactly(1); // leased
    pushRange(queen, "q", "p", 3, 4);

    var s = admin().seek("g", "q", null).join();

    assertThat(s.toEnd()).isTrue();
    assertThat(s.partitionsUpdated()).isEqualTo(1);
    assertThat(ns(popPartition(queen, "q", "p", "g", 10))).as("lease released, nothing old")
        .isEmpty();
    pushRange(queen, "q", "p", 5, 5);
    assertThat(ns(popPartition(queen, "q", "p", "g", 10))).containsExactly(5);
  }

  @Test
  void seek_to_a_timestamp_resumes_after_the_last_message_pushed_at_or_before_it() {
    queen.configureQueueSync("q", QueueOptions.DEFAULTS);
    pushRange(queen, "q", null, 1, 2);
    clock.advance(Duration.ofSeconds(10));
    var mark = clock.instant().truncatedTo(ChronoUnit.MICROS);
    clock.advance(Duration.ofSeconds(10));
    pushRange(queen, "q", null, 3, 4);
    consumeAll("q", "g");

    var s = admin().seek("g", "q", mark).join();

    assertThat(s.timestamp()).isEqualTo(mark);
    assertThat(ns(pop(queen, "q", "g", 10))).as("1 and 2 were pushed before the mark")
        .containsExactly(3, 4);
  }

  @Test
  void seeking_backwards_before_every_message_delivers_all_of_them_again_in_order() {
    queen.configureQueueSync("q", QueueOptions.DEFAULTS);
    var before = clock.instant();
    clock.advance(Duration.ofSeconds(1));
    pushRange(queen, "q", "p1", 1, 3);
    pushRange(queen, "q", "p2", 11, 12);
    consumeAll("q", "g");
    consumeAll("q", "g");
    assertThat(ns(pop(queen, "q", "g", 10))).isEmpty();

    var s = admin().seek("g", "q", before).join();

    assertThat(s.partitionsUpdated()).isEqualTo(2);
    assertThat(ns(popPartition(queen, "q", "p1", "g", 10))).containsExactly(1, 2, 3);
    assertThat(ns(popPartition(queen, "q", "p2", "g", 10))).containsExactly(11, 12);
  }

  @Test
  void seek_moves_one_group_only() {
    queen.configureQueueSync("q", QueueOptions.DEFAULTS);
    pushRange(queen, "q", null, 1, 2);
    consumeAll("q", "a");
    admin().seek("a", "q", clock.instant().minusSeconds(60)).join();
    assertThat(ns(pop(queen, "q", "b", 10))).containsExactly(1, 2);
    assertThat(ns(pop(queen, "q", "a", 10))).containsExactly(1, 2);
  }

  @Test
  void seek_of_an_unknown_group_or_queue_is_not_found_and_changes_nothing() {
    queen.configureQueueSync("q", QueueOptions.DEFAULTS);
    assertThat(cause(() -> admin().seek("ghost", "q", null).join()))
        .isInstanceOf(NotFoundException.class).hasMessageContaining("ghost");
    assertThat(cause(() -> admin().seek("g", "nope", null).join()))
        .isInstanceOf(NotFoundException.class).hasMessageContaining("nope");
  }

  @Test
  void seek_of_one_partition_to_its_end_leaves_the_other_partitions_alone() {
    queen.configureQueueSync("q", QueueOptions.DEFAULTS);
    var before = clock.instant();
    pushRange(queen, "q", "p1", 1, 2);
    var after = clock.instant();
    pushRange(queen, "q", "p2", 11, 12);

    var s = admin().seekPartitionToEnd("g", "q", "p1").join();

    assertThat(s.cursorMovedTo()).as("message 2's push time").isBetween(before, after);
    assertThat(ns(popPartition(queen, "q", "p1", "g", 10))).isEmpty();
    assertThat(ns(popPartition(queen, "q", "p2", "g", 10))).containsExactly(11, 12);
    assertThat(cause(() -> admin().seekPartitionToEnd("g", "q", "p9").join()))
        .isInstanceOf(NotFoundException.class).hasMessageContaining("p9");
  }

  @Test
  void a_new_subscription_timestamp_applies_to_partitions_the_group_has_no_cursor_on() {
    queen.configureQueueSync("q", QueueOptions.DEFAULTS);
    pushRange(queen, "q", "p1", 1, 1);
    assertThat(ns(popPartition(queen, "q", "p1", "g", 10))).containsExactly(1); // cursor on p1
    pushRange(queen, "q", "p2", 11, 11);
    clock.advance(Duration.ofSeconds(5));
    var mark = clock.instant().truncatedTo(ChronoUnit.MICROS); // what PostgreSQL keeps
    clock.advance(Duration.ofSeconds(5));
    pushRange(queen, "q", "p2", 12, 12);

    int changed = admin().updateSubscription("g", mark).join();

    assertThat(changed).isEqualTo(1);
    assertThat(ns(popPartition(queen, "q", "p2", "g", 10))).containsExactly(12);
    assertThat(admin().consumerGroups().join()).singleElement().satisfies(g -> {
      assertThat(g.subscriptionMode()).isEqualTo("timestamp");
      assertThat(g.subscriptionTimestamp()).isEqualTo(mark);
    });
  }

  @Test
  void group_list_counts_members_lag_and_time_lag_per_queue() {
    queen.configureQueueSync("q", QueueOptions.DEFAULTS);
    pushRange(queen, "q", "p1", 1, 3);
    pushRange(queen, "q", "p2", 1, 2);
    clock.advance(Duration.ofSeconds(400));
    queen.ackSync(popPartition(queen, "q", "p1", "g", 1).messages().stream()
        .map(AckItem::completed).toList());
    assertThat(popPartition(queen, "q", "p2", "g", 2).messages()).hasSize(2); // leased

    var groups = admin().consumerGroups().join();

    assertThat(groups).singleElement().satisfies(g -> {
      assertThat(g.group()).isEqualTo("g");
      assertThat(g.queue()).isEqualTo("q");
      assertThat(g.members()).isEqualTo(2);
      assertThat(g.partitionsWithLag()).isEqualTo(2);
      assertThat(g.totalLag()).as("2 after p1's cursor, 2 leased in p2").isEqualTo(4);
      assertThat(g.maxTimeLagSeconds()).isEqualTo(400);
      assertThat(g.state()).isEqualTo("Lagging");
      assertThat(g.subscriptionMode()).isEqualTo("all");
    });
    var lagging = admin().laggingPartitions(300).join();
    assertThat(lagging).extracting(PartitionLag::partition).containsExactly("p1", "p2");
    assertThat(lagging.get(1).leaseActive()).isTrue();
    assertThat(lagging.get(1).leaseId()).isNotNull();
    assertThat(admin().laggingPartitions(500).join()).isEmpty();
  }

  @Test
  void a_caught_up_group_is_stable_and_one_that_never_consumed_is_dead() {
    queen.configureQueueSync("q", QueueOptions.DEFAULTS);
    pushRange(queen, "q", null, 1, 1);
    consumeAll("q", "fast");
    queen.popSync(newGroup("q", "idle").build()); // subscribed, nothing new since

    var groups = admin().consumerGroups().join();

    assertThat(groups).extracting(ConsumerGroupSummary::group, ConsumerGroupSummary::state)
        .containsExactly(tuple("fast", "Stable"),
            tuple("idle", "Dead"));
  }

  @Test
  void one_group_lists_its_cursors_and_an_unknown_group_is_not_found() {
    queen.configureQueueSync("q", QueueOptions.DEFAULTS);
    pushRange(queen, "q", null, 1, 2);
    consumeAll("q", "g");
    assertThat(admin().consumerGroup("g").join()).singleElement().satisfies(p -> {
      assertThat(p.queue()).isEqualTo("q");
      assertThat(p.totalConsumed()).isEqualTo(2);
      assertThat(p.offsetLag()).isZero();
    });
    assertThat(cause(() -> admin().consumerGroup("ghost").join()))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void bad_arguments_are_refused_before_anything_runs() {
    assertThatThrownBy(() -> admin().seek("", "q", null))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("group");
    assertThatThrownBy(() -> admin().updateSubscription("g", null))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("subscriptionTimestamp");
    assertThatThrownBy(() -> admin().laggingPartitions(-1))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("minLagSeconds");
  }

  private long timeLagOf(String group) {
    return admin().consumerGroups().join().stream().filter(g -> g.group().equals(group))
        .findFirst().orElseThrow().maxTimeLagSeconds();
  }

  @Test
  void the_time_lag_follows_the_clock_the_cursor_and_deletions_across_aggregations() {
    queen.configureQueueSync("q", QueueOptions.DEFAULTS);
    pushRange(queen, "q", null, 1, 1);
    clock.advance(Duration.ofSeconds(10));
    var second = pushRange(queen, "q", null, 2, 2).get(0);
    clock.advance(Duration.ofSeconds(50));
    var first = queen.popSync(PopRequest.fromQueue("q").consumerGroup("g").batch(1)
        .autoAck(true).build());
    assertThat(first.messages()).extracting(m -> m.transactionId()).containsExactly("tx-1");

    assertThat(timeLagOf("g")).as("tx-2, pushed 50 s ago").isEqualTo(50);
    clock.advance(Duration.ofSeconds(10));
    assertThat(timeLagOf("g")).as("the same message, 10 s later").isEqualTo(60);

    pushRange(queen, "q", null, 3, 3);
    clock.advance(Duration.ofSeconds(5));
    assertThat(admin().deleteMessage(second.partitionId(), "tx-2").join()).isTrue();
    assertThat(timeLagOf("g")).as("tx-2 deleted: tx-3 is the oldest").isEqualTo(5);

    queen.popSync(PopRequest.fromQueue("q").consumerGroup("g").batch(1).autoAck(true).build());
    assertThat(timeLagOf("g")).as("nothing left to consume").isZero();
  }
}
