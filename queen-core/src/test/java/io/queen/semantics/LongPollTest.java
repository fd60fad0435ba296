package io.queen.semantics;

import static org.assertj.core.api.Assertions.assertThat;

import io.queen.model.PopOutcome;
import io.queen.model.PopRequest;
import io.queen.model.PushItem;
import io.queen.testing.ManualScheduler;
import io.queen.testing.QueenTestSupport;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * semantics.md §9. The managers here re-check the database only once an hour, so a pop that
 * completes within the test's bound was woken by the push itself.
 */
class LongPollTest extends QueenTestSupport {
  private static final Duration NEVER = Duration.ofHours(1);
  private static final String CENSUS = "listener-census";

  @Test
  void a_waiting_pop_is_woken_by_a_push_in_the_same_process() throws Exception {
    var m = newManager(b -> b.longPollRecheckInterval(NEVER));
    var waiting = m.pop(PopRequest.fromQueue("lp").wait(Duration.ofMinutes(5)).build());
    assertThat(waiting).isNotDone();
    m.pushSync(PushItem.of("lp", "1"));
    var r = waiting.get(20, TimeUnit.SECONDS);
    assertThat(r.messages()).extracting(x -> x.payloadJson()).containsExactly("1");
  }

  @Test
  void a_waiting_pop_is_woken_by_a_push_of_another_instance_through_notify() throws Exception {
    var waiter = newManager(b -> b.longPollRecheckInterval(NEVER));
    var pusher = newManager(b -> b);
    io.queen.testing.Conditions.await("LISTEN to be up", Duration.ofSeconds(10),
        () -> waiter.stats().listening());
    var waiting = waiter.pop(PopRequest.fromQueue("lp").partition("x").wait(Duration.ofMinutes(5)).build());
    pusher.pushSync(PushItem.of("lp", "1").withPartition("x"));
    assertThat(waiting.get(20, TimeUnit.SECONDS).messages()).hasSize(1);
  }

  @Test
  void a_lone_instance_stops_notifying_and_starts_again_when_another_listens() throws Exception {
    queen.close(); // the base class's manager would count as a listener
    var census = new ManualScheduler(); // the pusher's census runs when this test says
    var pusher = newManager(b -> b.scheduler(census));
    io.queen.testing.Conditions.await("LISTEN to be up", Duration.ofSeconds(10),
        () -> pusher.stats().listening());
    // (the closed manager's session may take a moment to end)
    io.queen.testing.Conditions.await("pushes to stop notifying with nobody else listening",
        Duration.ofSeconds(10), () -> !census.<Boolean>runOnlyJob(CENSUS));

    var waiter = newManager(b -> b.longPollRecheckInterval(NEVER));
    io.queen.testing.Conditions.await("LISTEN to be up", Duration.ofSeconds(10),
        () -> waiter.stats().listening());
    io.queen.testing.Conditions.await("pushes to notify once another instance listens",
        Duration.ofSeconds(10), () -> census.<Boolean>runOnlyJob(CENSUS));
    var waiting = waiter.pop(PopRequest.fromQueue("lp").partition("x").wait(Duration.ofMinutes(5)).build());
    pusher.pushSync(PushItem.of("lp", "1").withPartition("x"));
    assertThat(waiting.get(20, TimeUnit.SECONDS).messages()).hasSize(1);

    waiter.close();
    io.queen.testing.Conditions.await("the other listener to be gone", Duration.ofSeconds(10),
        () -> !census.<Boolean>runOnlyJob(CENSUS));
  }

  @Test
  void without_notify_the_recheck_timer_still_finds_a_push_of_another_instance() throws Exception {
    var time = new ManualScheduler();
    var waiter = newManager(b -> b.listenNotify(false).scheduler(time)
        .longPollRecheckInterval(Duration.ofSeconds(1)));
    var pusher = newManager(b -> b.listenNotify(false));
    var waiting = waiter.pop(PopRequest.fromQueue("lp").wait(Duration.ofMinutes(5)).build());
    pusher.pushSync(PushItem.of("lp", "1"));
    // nothing wakes the waiter but its recheck timer, which fires only as the test moves time
    io.queen.testing.Conditions.await("a recheck to find the push", Duration.ofSeconds(20), () -> {
      time.advance(Duration.ofSeconds(1));
      return waiting.isDone();
    });
    assertThat(waiting.get().messages()).hasSize(1);
  }

  @Test
  void a_wait_that_times_out_answers_an_empty_timed_out_result() throws Exception {
    var time = new ManualScheduler();
    var m = newManager(b -> b.scheduler(time));
    var waiting = m.pop(PopRequest.fromQueue("lp").wait(Duration.ofMinutes(5)).build());
    time.advance(Duration.ofMinutes(5));
    var r = waiting.get(20, TimeUnit.SECONDS);
    assertThat(r.outcome()).isEqualTo(PopOutcome.TIMED_OUT);
    assertThat(r.messages()).isEmpty();
  }

  @Test
  void a_cancelled_waiter_consumes_nothing_and_leaves_no_lease() throws Exception {
    var m = newManager(b -> b.longPollRecheckInterval(NEVER));
    var waiting = m.pop(PopRequest.fromQueue("lp").wait(Duration.ofMinutes(5)).build());
    // cancelled once parked: a pop still running at the cancel would deliver the push and give it
    // back afterwards, and the pop below could run before the give-back (a different case)
    io.queen.testing.Conditions.await("the waiter's first pop to come back empty", Duration.ofSeconds(20),
        () -> {
          var pop = m.stats().operations().get("pop");
          return pop != null && pop.requests() >= 1 && pop.inFlight() == 0 && pop.queued() == 0;
        });
    waiting.cancel(true);
    m.pushSync(PushItem.of("lp", "1"));
    var r = m.popSync(PopRequest.fromQueue("lp").build());
    assertThat(r.messages()).hasSize(1);
    assertThat(r.messages().get(0).retryCount()).isZero();
    assertThat(m.stats().waitingPops()).isZero();
  }

  @Test
  void closing_the_manager_answers_waiting_pops_with_an_empty_result() throws Exception {
    var m = newManager(b -> b.longPollRecheckInterval(NEVER));
    var waiting = m.pop(PopRequest.fromQueue("lp").wait(Duration.ofMinutes(5)).build());
    m.close();
    var r = waiting.get(20, TimeUnit.SECONDS);
    assertThat(r.messages()).isEmpty();
    assertThat(r.outcome()).isEqualTo(PopOutcome.TIMED_OUT);
  }

  @Test
  void many_waiters_of_one_queue_share_the_pushed_messages_without_duplicates() throws Exception {
    var m = newManager(b -> b.longPollRecheckInterval(NEVER));
    var waiters = new java.util.ArrayList<java.util.concurrent.CompletableFuture<io.queen.model.PopResult>>();
    for (int i = 0; i < 10; i++) {
      waiters.add(m.pop(PopRequest.fromQueue("lp").partition("p" + i).wait(Duration.ofMinutes(5)).build()));
    }
    var items = new java.util.ArrayList<PushItem>();
    for (int i = 0; i < 10; i++) {
      items.add(PushItem.of("lp", String.valueOf(i)).withPartition("p" + i));
    }
    m.pushSync(items);
    var ids = new java.util.HashSet<java.util.UUID>();
    for (var w : waiters) {
      var r = w.get(20, TimeUnit.SECONDS);
      assertThat(r.messages()).hasSize(1);
      assertThat(ids.add(r.messages().get(0).id())).isTrue();
    }
  }

  @Test
  void a_push_to_one_partition_wakes_the_waiter_on_that_partition() throws Exception {
    var m = newManager(b -> b.longPollRecheckInterval(NEVER));
    var waiters = new java.util.ArrayList<java.util.concurrent.CompletableFuture<io.queen.model.PopResult>>();
    for (int i = 0; i < 10; i++) {
      waiters.add(m.pop(PopRequest.fromQueue("lp").partition("p" + i).wait(Duration.ofMinutes(5)).build()));
    }
    m.pushSync(PushItem.of("lp", "7").withPartition("p7"));
    assertThat(waiters.get(7).get(20, TimeUnit.SECONDS).messages()).extracting(x -> x.payloadJson())
        .containsExactly("7");
    for (int i = 0; i < 10; i++) {
      if (i != 7) {
        assertThat(waiters.get(i)).isNotDone();
      }
    }
  }

  @Test
  void one_message_does_not_wake_every_waiting_consumer_of_the_group() throws Exception {
    var m = newManager(b -> b.longPollRecheckInterval(NEVER));
    m.pushSync(PushItem.of("lp", "0"));
    m.popSync(PopRequest.fromQueue("lp").autoAck(true).build());
    int waiting = 6;
    var waiters = new java.util.ArrayList<java.util.concurrent.CompletableFuture<io.queen.model.PopResult>>();
    for (int i = 0; i < waiting; i++) {
      waiters.add(m.pop(PopRequest.fromQueue("lp").wait(Duration.ofMinutes(5)).build()));
    }
    io.queen.testing.Conditions.await("every waiter's first pop", Duration.ofSeconds(20),
        () -> m.stats().operations().get("pop").requests() >= 1 + waiting
            && m.stats().operations().get("pop").inFlight() == 0
            && m.stats().operations().get("pop").queued() == 0);
    long before = m.stats().operations().get("pop").requests();
    m.pushSync(PushItem.of("lp", "1"));
    io.queen.testing.Conditions.await("one waiter served", Duration.ofSeconds(20),
        () -> waiters.stream().filter(f -> f.isDone()).count() == 1);
    io.queen.testing.Conditions.await("the pops to settle", Duration.ofSeconds(20),
        () -> m.stats().operations().get("pop").inFlight() == 0
            && m.stats().operations().get("pop").queued() == 0);
    // the woken waiter, plus one relayed because its pop came back full; not all six
    assertThat(m.stats().operations().get("pop").requests() - before).isLessThanOrEqualTo(2);
    assertThat(waiters.stream().filter(f -> f.isDone()).count()).isEqualTo(1);
  }
}
