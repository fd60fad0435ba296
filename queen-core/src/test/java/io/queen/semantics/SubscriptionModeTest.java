package io.queen.semantics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.queen.model.PopRequest;
import io.queen.model.PushItem;
import io.queen.model.SubscriptionMode;
import io.queen.testing.QueenTestSupport;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** semantics.md §5. */
class SubscriptionModeTest extends QueenTestSupport {

  private PopRequest.Builder pop(String group) {
    return PopRequest.fromQueue("s").consumerGroup(group).batch(100).partitions(100);
  }

  @Test
  void a_group_in_mode_all_starts_at_the_beginning_of_each_partition() {
    queen.pushSync(PushItem.of("s", "1"));
    var r = queen.popSync(pop("g").subscriptionMode(SubscriptionMode.ALL).build());
    assertThat(r.messages()).extracting(m -> m.payloadJson()).containsExactly("1");
  }

  @Test
  void a_group_in_mode_new_starts_when_it_first_appears_also_on_partitions_created_later() {
    queen.pushSync(PushItem.of("s", "\"old\"").withPartition("a"));
    var first = queen.popSync(pop("g").subscriptionMode(SubscriptionMode.NEW).build());
    assertThat(first.messages()).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    queen.pushSync(PushItem.of("s", "\"new-a\"").withPartition("a"));
    queen.pushSync(PushItem.of("s", "\"new-b\"").withPartition("b"));
    var later = queen.popSync(pop("g").build());
    assertThat(later.messages()).extracting(m -> m.payloadJson())
        .containsExactlyInAnyOrder("\"new-a\"", "\"new-b\"");
  }

  @Test
  void the_start_point_is_recorded_on_first_sight_and_later_options_do_not_move_it() {
    queen.pushSync(PushItem.of("s", "\"old\""));
    queen.popSync(pop("g").subscriptionMode(SubscriptionMode.NEW).build());
    var asAll = queen.popSync(pop("g").subscriptionMode(SubscriptionMode.ALL).build());
    assertThat(asAll.messages()).isEmpty();
  }

  @Test
  void subscription_from_a_timestamp_starts_after_that_instant() {
    queen.pushSync(PushItem.of("s", "\"before\""));
    clock.advance(Duration.ofSeconds(10));
    var cut = clock.instant();
    clock.advance(Duration.ofSeconds(10));
    queen.pushSync(PushItem.of("s", "\"after\""));
    var r = queen.popSync(pop("g").subscriptionFrom(cut).build());
    assertThat(r.messages()).extracting(m -> m.payloadJson()).containsExactly("\"after\"");
  }

  @Test
  void subscription_modes_work_the_same_while_long_polling() {
    queen.pushSync(PushItem.of("s", "\"old\""));
    var waiting = queen.pop(pop("g").subscriptionMode(SubscriptionMode.NEW)
        .wait(Duration.ofSeconds(20)).build());
    // The group appears with its first pop; wait until that pop recorded the start point.
    io.queen.testing.Conditions.await("the group's start point", Duration.ofSeconds(10),
        () -> groupRecorded("g"));
    clock.advance(Duration.ofSeconds(1));
    queen.pushSync(PushItem.of("s", "\"new\""));
    assertThat(waiting.join().messages()).extracting(m -> m.payloadJson()).containsExactly("\"new\"");
  }

  private boolean groupRecorded(String group) {
    try (var c = database.connect();
        var ps = c.prepareStatement("SELECT 1 FROM queen.consumer_groups_metadata WHERE consumer_group = ?")) {
      ps.setString(1, group);
      try (var rs = ps.executeQuery()) {
        return rs.next();
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void the_configured_default_mode_applies_when_a_pop_does_not_say() {
    var newByDefault = newManager(b -> b.defaultSubscriptionMode(SubscriptionMode.NEW));
    newByDefault.pushSync(PushItem.of("s", "\"old\""));
    assertThat(newByDefault.popSync(pop("g").build()).messages()).isEmpty();
    assertThat(newByDefault.popSync(pop("h").subscriptionMode(SubscriptionMode.ALL).build())
        .messages()).hasSize(1);
  }

  @Test
  void queue_mode_ignores_subscription_options() {
    queen.pushSync(PushItem.of("s", "\"old\""));
    var r = queen.popSync(PopRequest.fromQueue("s").subscriptionMode(SubscriptionMode.NEW).build());
    assertThat(r.messages()).hasSize(1);
  }

  @Test
  void new_only_is_a_synonym_and_unknown_modes_are_refused() {
    assertThat(SubscriptionMode.parse("new-only")).isEqualTo(SubscriptionMode.NEW);
    assertThat(SubscriptionMode.parse("all")).isEqualTo(SubscriptionMode.ALL);
    assertThat(SubscriptionMode.parse("from_beginning")).as("what Queen's own clients send")
        .isEqualTo(SubscriptionMode.ALL);
    assertThatThrownBy(() -> SubscriptionMode.parse("latest"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("latest");
  }
}
