package io.queen.semantics;

import static io.queen.testing.Fixtures.ack;
import static io.queen.testing.Fixtures.ns;
import static io.queen.testing.Fixtures.pop;
import static io.queen.testing.Fixtures.popPartition;
import static io.queen.testing.Fixtures.pushRange;
import static org.assertj.core.api.Assertions.assertThat;

import io.queen.model.AckItem;
import io.queen.model.AckStatus;
import io.queen.model.QueueOptions;
import io.queen.testing.QueenTestSupport;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * semantics.md section 13: {@code retryDelay} delays the redelivery of a failed message; the
 * partition's later messages wait behind it (FIFO), other partitions do not. Time is the clock's.
 */
class RetryBackoffTest extends QueenTestSupport {

  private void fail(String queue, String partition) {
    var m = popPartition(queen, queue, partition, null, 1).messages().get(0);
    assertThat(queen.ackSync(ack(m, AckStatus.FAILED, "down")).success()).isTrue();
  }

  @Test
  void a_failed_message_comes_back_only_after_its_retry_delay_and_before_the_rest() {
    queen.configureQueueSync("q", QueueOptions.builder().retryDelay(5_000).build());
    pushRange(queen, "q", null, 1, 2);
    fail("q", "Default");
    assertThat(pop(queen, "q", 10).isEmpty()).as("message 2 waits behind 1").isTrue();
    clock.advance(Duration.ofMillis(4_900));
    assertThat(pop(queen, "q", 10).isEmpty()).isTrue();
    clock.advance(Duration.ofMillis(200));
    var again = pop(queen, "q", 10);
    assertThat(ns(again)).containsExactly(1, 2);
    assertThat(again.messages().get(0).retryCount()).isEqualTo(1);
  }

  @Test
  void other_partitions_are_not_held_up_by_a_partition_waiting_out_its_delay() {
    queen.configureQueueSync("q", QueueOptions.builder().retryDelay(60_000).build());
    pushRange(queen, "q", "slow", 1, 1);
    pushRange(queen, "q", "fast", 2, 3);
    fail("q", "slow");
    assertThat(ns(pop(queen, "q", 10))).containsExactly(2, 3);
    assertThat(popPartition(queen, "q", "slow", null, 1).isEmpty()).isTrue();
  }

  @Test
  void each_further_failure_multiplies_the_delay_up_to_its_maximum() {
    queen.configureQueueSync("q", QueueOptions.builder().retryLimit(10).retryDelay(1_000)
        .retryBackoff(2).retryDelayMax(3_000).build());
    pushRange(queen, "q", null, 1, 1);
    long[] delays = {1_000, 2_000, 3_000, 3_000}; // 1 s, 2 s, 4 s capped at 3 s, capped
    for (long delay : delays) {
      fail("q", "Default");
      clock.advance(Duration.ofMillis(delay - 100));
      assertThat(pop(queen, "q", 1).isEmpty()).as("within %s ms", delay).isTrue();
      clock.advance(Duration.ofMillis(200));
      // (the loop's next pop takes it again)
    }
    var last = pop(queen, "q", 1);
    assertThat(ns(last)).containsExactly(1);
    assertThat(last.messages().get(0).retryCount()).isEqualTo(4);
  }

  @Test
  void an_expired_lease_backs_off_like_a_failed_ack() {
    queen.configureQueueSync("q",
        QueueOptions.builder().leaseTime(30).retryDelay(5_000).build());
    pushRange(queen, "q", null, 1, 1);
    pop(queen, "q", 1);
    clock.advance(Duration.ofSeconds(31)); // expired: settled by the next pop, which backs off
    assertThat(pop(queen, "q", 1).isEmpty()).isTrue();
    clock.advance(Duration.ofMillis(5_100));
    var again = pop(queen, "q", 1);
    assertThat(ns(again)).containsExactly(1);
    assertThat(again.messages().get(0).retryCount()).isEqualTo(1);
  }

  @Test
  void without_a_retry_delay_a_failed_message_comes_back_at_once() {
    queen.configureQueueSync("q", QueueOptions.DEFAULTS);
    pushRange(queen, "q", null, 1, 1);
    fail("q", "Default");
    assertThat(ns(pop(queen, "q", 1))).containsExactly(1);
  }

  @Test
  void a_message_dead_lettered_by_its_last_failure_does_not_hold_up_the_next() {
    queen.configureQueueSync("q",
        QueueOptions.builder().retryLimit(0).retryDelay(60_000).build());
    pushRange(queen, "q", null, 1, 2);
    var m = pop(queen, "q", 1).messages().get(0);
    assertThat(queen.ackSync(ack(m, AckStatus.FAILED, "down")).dlq()).isTrue();
    assertThat(ns(pop(queen, "q", 1))).containsExactly(2);
    queen.ackSync(AckItem.completed(m)); // (already settled: a late ack is harmless)
  }
}
