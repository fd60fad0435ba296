package io.queen.response;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The single-threaded part of the {@link ResponseQueue} contract, for every implementation: order,
 * bounds, the wake-up rule and what a failing consumer leaves behind. Concurrency is covered by
 * {@link ResponseQueueStressTest}.
 */
abstract class ResponseQueueContractTest {

  protected abstract <T> ResponseQueue<T> newQueue(int capacity, Runnable wakeUp);

  private final AtomicInteger wakeUps = new AtomicInteger();

  private <T> ResponseQueue<T> newCountingQueue(int capacity) {
    return newQueue(capacity, wakeUps::incrementAndGet);
  }

  private static <T> List<T> drainAll(ResponseQueue<T> queue) {
    List<T> out = new ArrayList<>();
    queue.drain(out::add, Integer.MAX_VALUE);
    return out;
  }

  @Test
  void drain_hands_items_over_oldest_first() {
    ResponseQueue<String> queue = newCountingQueue(8);
    queue.offer("a");
    queue.offer("b");
    queue.offer("c");

    assertThat(drainAll(queue)).containsExactly("a", "b", "c");
  }

  @Test
  void drain_removes_no_more_than_the_limit() {
    ResponseQueue<Integer> queue = newCountingQueue(8);
    for (int i = 0; i < 5; i++) {
      queue.offer(i);
    }
    List<Integer> out = new ArrayList<>();

    assertThat(queue.drain(out::add, 2)).isEqualTo(2);
    assertThat(out).containsExactly(0, 1);
    assertThat(queue.size()).isEqualTo(3);

    assertThat(queue.drain(out::add, 10)).isEqualTo(3);
    assertThat(out).containsExactly(0, 1, 2, 3, 4);
  }

  @Test
  void drain_with_a_zero_limit_removes_nothing() {
    ResponseQueue<String> queue = newCountingQueue(4);
    queue.offer("a");

    assertThat(queue.drain(item -> {}, 0)).isZero();
    assertThat(queue.size()).isEqualTo(1);
  }

  @Test
  void drain_of_an_empty_queue_returns_zero() {
    ResponseQueue<String> queue = newCountingQueue(4);

    assertThat(queue.drain(item -> {}, 10)).isZero();
    assertThat(queue.isEmpty()).isTrue();
  }

  @Test
  void offer_returns_false_when_the_queue_is_full_and_adds_nothing() {
    ResponseQueue<String> queue = newCountingQueue(2);

    assertThat(queue.offer("a")).isTrue();
    assertThat(queue.offer("b")).isTrue();
    assertThat(queue.offer("c")).isFalse();

    assertThat(queue.size()).isEqualTo(2);
    assertThat(drainAll(queue)).containsExactly("a", "b");
  }

  @Test
  void offer_is_accepted_again_once_a_full_queue_has_been_drained_a_little() {
    ResponseQueue<String> queue = newCountingQueue(2);
    queue.offer("a");
    queue.offer("b");

    queue.drain(item -> {}, 1);

    assertThat(queue.offer("c")).isTrue();
    assertThat(drainAll(queue)).containsExactly("b", "c");
  }

  @Test
  void a_queue_of_capacity_one_holds_one_item() {
    ResponseQueue<String> queue = newCountingQueue(1);

    assertThat(queue.offer("a")).isTrue();
    assertThat(queue.offer("b")).isFalse();
    assertThat(queue.capacity()).isEqualTo(1);
  }

  @Test
  void capacity_below_one_is_rejected_with_the_value_in_the_message() {
    assertThatThrownBy(() -> newQueue(0, () -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0");
    assertThatThrownBy(() -> newQueue(-5, () -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-5");
  }

  @Test
  void a_null_wake_up_is_rejected() {
    assertThatThrownBy(() -> newQueue(4, null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void a_null_item_is_rejected_and_nothing_is_added() {
    ResponseQueue<String> queue = newCountingQueue(4);

    assertThatThrownBy(() -> queue.offer(null)).isInstanceOf(NullPointerException.class);
    assertThat(queue.isEmpty()).isTrue();
    assertThat(wakeUps).hasValue(0);
  }

  @Test
  void capacity_reports_the_configured_bound() {
    assertThat(newCountingQueue(17).capacity()).isEqualTo(17);
  }

  @Test
  void the_wake_up_fires_once_when_the_queue_becomes_non_empty() {
    ResponseQueue<String> queue = newCountingQueue(8);

    queue.offer("a");
    assertThat(wakeUps).hasValue(1);

    queue.offer("b");
    queue.offer("c");
    assertThat(wakeUps).hasValue(1);
  }

  @Test
  void the_wake_up_does_not_fire_again_until_the_queue_has_been_drained_to_empty() {
    ResponseQueue<String> queue = newCountingQueue(8);
    queue.offer("a");
    queue.offer("b");

    queue.drain(item -> {}, 1);
    queue.offer("c");

    assertThat(wakeUps).hasValue(1);
  }

  @Test
  void the_wake_up_fires_again_after_a_drain_to_empty() {
    ResponseQueue<String> queue = newCountingQueue(8);
    queue.offer("a");
    queue.offer("b");

    drainAll(queue);
    queue.offer("c");

    assertThat(wakeUps).hasValue(2);
    assertThat(drainAll(queue)).containsExactly("c");
  }

  @Test
  void a_refused_offer_does_not_fire_the_wake_up() {
    ResponseQueue<String> queue = newCountingQueue(1);
    queue.offer("a");

    queue.offer("b");

    assertThat(wakeUps).hasValue(1);
  }

  @Test
  void the_wake_up_runs_on_the_offering_thread_after_the_item_is_drainable() {
    // The hook typically schedules the owner's drain, which may run before offer returns.
    List<String> seenByHook = new ArrayList<>();
    AtomicReference<Thread> hookThread = new AtomicReference<>();
    AtomicReference<ResponseQueue<String>> queue = new AtomicReference<>();
    queue.set(
        newQueue(
            4,
            () -> {
              hookThread.set(Thread.currentThread());
              queue.get().drain(seenByHook::add, 10);
            }));

    queue.get().offer("a");

    assertThat(hookThread).hasValue(Thread.currentThread());
    assertThat(seenByHook).containsExactly("a");
  }

  @Test
  void a_consumer_exception_propagates_after_its_item_is_removed_and_the_rest_remain() {
    ResponseQueue<String> queue = newCountingQueue(8);
    queue.offer("a");
    queue.offer("bad");
    queue.offer("c");
    queue.offer("d");
    List<String> out = new ArrayList<>();
    IllegalStateException boom = new IllegalStateException("boom");

    assertThatThrownBy(
            () ->
                queue.drain(
                    item -> {
                      if (item.equals("bad")) {
                        throw boom;
                      }
                      out.add(item);
                    },
                    10))
        .isSameAs(boom);

    assertThat(out).containsExactly("a");
    assertThat(queue.size()).isEqualTo(2);
    assertThat(drainAll(queue)).containsExactly("c", "d");
  }

  @Test
  void the_wake_up_fires_again_when_a_consumer_exception_left_the_queue_empty() {
    ResponseQueue<String> queue = newCountingQueue(8);
    queue.offer("bad");

    assertThatThrownBy(
            () ->
                queue.drain(
                    item -> {
                      throw new IllegalStateException("boom");
                    },
                    10))
        .isInstanceOf(IllegalStateException.class);
    assertThat(queue.isEmpty()).isTrue();

    queue.offer("next");
    assertThat(wakeUps).hasValue(2);
  }

  @Test
  void size_and_is_empty_follow_offers_and_drains() {
    ResponseQueue<String> queue = newCountingQueue(8);
    assertThat(queue.size()).isZero();
    assertThat(queue.isEmpty()).isTrue();

    queue.offer("a");
    queue.offer("b");
    assertThat(queue.size()).isEqualTo(2);
    assertThat(queue.isEmpty()).isFalse();

    queue.drain(item -> {}, 1);
    assertThat(queue.size()).isEqualTo(1);

    queue.drain(item -> {}, 1);
    assertThat(queue.size()).isZero();
    assertThat(queue.isEmpty()).isTrue();
  }
}
