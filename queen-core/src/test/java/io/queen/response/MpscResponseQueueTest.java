package io.queen.response;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MpscResponseQueueTest extends ResponseQueueContractTest {

  @Override
  protected <T> ResponseQueue<T> newQueue(int capacity, Runnable wakeUp) {
    return ResponseQueue.create(capacity, wakeUp);
  }

  @Test
  void create_returns_the_lock_free_implementation() {
    assertThat(ResponseQueue.create(4, () -> {})).isInstanceOf(MpscResponseQueue.class);
  }

  @Test
  void a_negative_drain_limit_is_rejected_with_the_value_in_the_message() {
    ResponseQueue<String> queue = ResponseQueue.create(4, () -> {});

    assertThatThrownBy(() -> queue.drain(item -> {}, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1");
  }

  @Test
  void to_string_shows_size_and_capacity() {
    ResponseQueue<String> queue = ResponseQueue.create(4, () -> {});
    queue.offer("a");

    assertThat(queue).hasToString("MpscResponseQueue[size=1, capacity=4]");
  }
}
