package io.queen.internal.wakeup;

import static org.assertj.core.api.Assertions.assertThat;

import io.queen.WaitingPop;
import io.queen.metrics.QueenMetrics;
import io.queen.model.Message;
import io.queen.model.PopOutcome;
import io.queen.model.PopRequest;
import io.queen.model.PopResult;
import io.queen.testing.ManualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The waiter's states against pops the test completes by hand (no database): a waiter is never
 * answered empty while one of its pops runs, so no result is given back for want of a caller.
 */
class LongPollsTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final ManualScheduler time = new ManualScheduler();
  /** The pops the waiters started, oldest first; the test completes them. */
  private final ConcurrentLinkedQueue<CompletableFuture<PopResult>> pops =
      new ConcurrentLinkedQueue<>();
  private final List<PopResult> givenBack = new CopyOnWriteArrayList<>();
  private final LongPolls polls = new LongPolls(r -> {
    var pop = new CompletableFuture<PopResult>();
    pops.add(pop);
    return pop;
  }, givenBack::add, time, Duration.ofHours(1), 100, Duration.ofSeconds(1), QueenMetrics.NOOP);

  @Test
  void ending_the_wait_of_a_parked_waiter_answers_it_empty_at_once() throws Exception {
    var waiting = waitOn("q");
    pops.poll().complete(nothing());

    assertThat(waiting.endWaitUnlessPopping()).isTrue();

    assertThat(waiting.getNow(null).outcome()).isEqualTo(PopOutcome.TIMED_OUT);
    polls.wake("q");
    assertThat(pops).as("no pop starts for an ended wait").isEmpty();
    assertThat(polls.waitingCount()).isZero();
  }

  @Test
  void ending_the_wait_while_its_pop_runs_leaves_the_answer_to_that_pop() throws Exception {
    var waiting = waitOn("q");

    assertThat(waiting.endWaitUnlessPopping()).isFalse();
    assertThat(waiting).isNotDone();
    pops.poll().complete(oneMessage());

    assertThat(waiting.getNow(null).messages()).hasSize(1);
    assertThat(givenBack).isEmpty();
  }

  @Test
  void a_pop_that_comes_back_empty_after_the_wait_was_asked_to_end_answers_empty() throws Exception {
    var waiting = waitOn("q");
    assertThat(waiting.endWaitUnlessPopping()).isFalse();
    time.advance(WAIT); // the deadline passes too while the pop runs

    pops.poll().complete(nothing());

    assertThat(waiting.getNow(null).outcome()).isEqualTo(PopOutcome.TIMED_OUT);
    assertThat(pops).as("no pop after the deadline").isEmpty();
  }

  @Test
  void the_deadline_passing_while_a_pop_runs_waits_for_that_pop_and_delivers_its_messages()
      throws Exception {
    var waiting = waitOn("q");
    pops.poll().complete(nothing());
    polls.wake("q"); // a push: the waiter pops again
    var running = pops.poll();

    time.advance(WAIT);
    assertThat(waiting).as("not answered while its pop runs").isNotDone();
    running.complete(oneMessage());

    assertThat(waiting.getNow(null).messages()).hasSize(1);
    assertThat(givenBack).isEmpty();
  }

  @Test
  void a_cancelled_waiter_gives_back_what_its_running_pop_then_returns() throws Exception {
    var waiting = waitOn("q");
    waiting.cancel(false); // the consumer is gone: nobody can receive the result
    var result = oneMessage();

    pops.poll().complete(result);

    assertThat(givenBack).containsExactly(result);
  }

  private WaitingPop waitOn(String queue) {
    var f = polls.pop(PopRequest.fromQueue(queue).wait(WAIT).build());
    assertThat(f).isInstanceOf(WaitingPop.class);
    assertThat(pops).as("the first pop starts at once").hasSize(1);
    return (WaitingPop) f;
  }

  private static PopResult nothing() {
    return PopResult.empty(PopOutcome.NO_MESSAGES, "__QUEUE_MODE__");
  }

  private static PopResult oneMessage() {
    var m = new Message(UUID.randomUUID(), "t1", null, "1", null, Instant.EPOCH, "q", "Default",
        UUID.randomUUID(), "", "__QUEUE_MODE__", 0);
    return new PopResult(PopOutcome.MESSAGES, "", "__QUEUE_MODE__", 1, List.of(m));
  }
}
