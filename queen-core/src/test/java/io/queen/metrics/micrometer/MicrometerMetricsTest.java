package io.queen.metrics.micrometer;

import static io.queen.testing.Fixtures.ack;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.queen.QueueManager;
import io.queen.model.AckItem;
import io.queen.model.AckStatus;
import io.queen.model.PopRequest;
import io.queen.model.PushItem;
import io.queen.model.QueueOptions;
import io.queen.testing.Conditions;
import io.queen.testing.QueenTestSupport;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What the engine does shows in a Micrometer registry, counted exactly. */
class MicrometerMetricsTest extends QueenTestSupport {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private MicrometerMetrics metrics;

  @Override
  protected boolean timersByHand() {
    return true;
  }

  private QueueManager managerWithMicrometer() {
    metrics = new MicrometerMetrics(registry, clock);
    return newManager(b -> b.metrics(metrics));
  }

  private double counter(String name, String... tags) {
    var c = registry.find(name).tags(tags).counter();
    return c == null ? 0 : c.count();
  }

  private double gauge(String name, String... tags) {
    var g = registry.find(name).tags(tags).gauge();
    assertThat(g).as(name + " " + List.of(tags)).isNotNull();
    return g.value();
  }

  @Test
  void pushes_pops_acks_and_dead_letters_are_counted_per_queue_and_operation() {
    var m = managerWithMicrometer();
    m.configureQueueSync("q", QueueOptions.builder().retryLimit(0).build());
    m.pushSync(List.of(PushItem.of("q", "1"), PushItem.of("q", "2"), PushItem.of("q", "3")));
    m.pushSync(PushItem.of("q", "4"));
    var popped = m.popSync(PopRequest.fromQueue("q").batch(4).build()).messages();
    assertThat(popped).hasSize(4);
    m.ackSync(List.of(AckItem.completed(popped.get(0)), AckItem.completed(popped.get(1)),
        ack(popped.get(2), AckStatus.DLQ, "poison")));
    assertThat(m.popSync(PopRequest.fromQueue("empty-q").build()).messages()).isEmpty();

    assertThat(counter("queen.messages.pushed", "queue", "q")).isEqualTo(4);
    assertThat(counter("queen.messages.popped", "queue", "q")).isEqualTo(4);
    assertThat(counter("queen.pops.empty", "queue", "empty-q")).isEqualTo(1);
    assertThat(counter("queen.acks", "queue", "q", "result", "applied")).isEqualTo(3);
    assertThat(counter("queen.dlq.moves", "queue", "q")).isEqualTo(1);
    assertThat(counter("queen.requests", "operation", "push")).isEqualTo(2);
    assertThat(counter("queen.request.items", "operation", "push")).isEqualTo(4);
    var pushLatency = registry.find("queen.request.duration").tag("operation", "push").timer();
    assertThat(pushLatency.count()).isEqualTo(2);
    assertThat(pushLatency.totalTime(TimeUnit.NANOSECONDS)).isPositive();
    var batches = registry.find("queen.batch.requests").tag("operation", "push").summary();
    assertThat(batches.count()).as("batches").isBetween(1L, 2L);
    assertThat(batches.totalAmount()).as("requests in them").isEqualTo(2);
    assertThat(registry.find("queen.batch.wait").tag("operation", "push").timer().count())
        .isEqualTo(batches.count());
  }

  @Test
  void per_queue_depth_dead_letters_and_group_lag_come_from_the_summaries_without_a_query() {
    var m = managerWithMicrometer();
    m.configureQueueSync("q", QueueOptions.builder().retryLimit(0).build());
    m.pushSync(List.of(PushItem.of("q", "1"), PushItem.of("q", "2"), PushItem.of("q", "3")));
    var one = m.popSync(PopRequest.fromQueue("q").batch(1).build()).messages().get(0);
    m.ackSync(ack(one, AckStatus.DLQ, "poison"));
    m.admin().queues(null, null).join(); // one aggregation, as a dashboard read makes

    metrics.refreshQueueGauges();

    assertThat(gauge("queen.queue.messages", "queue", "q")).isEqualTo(3);
    assertThat(gauge("queen.queue.pending.messages", "queue", "q")).isEqualTo(2);
    assertThat(gauge("queen.dlq.depth.by.queue", "queue", "q")).isEqualTo(1);
    assertThat(gauge("queen.dlq.depth")).isEqualTo(1);
    assertThat(gauge("queen.consumer.group.lag.messages", "group", "__QUEUE_MODE__", "queue", "q"))
        .isEqualTo(2);
    double age = gauge("queen.queue.metrics.age.seconds");
    assertThat(age).isBetween(0.0, 1.0);
    clock.advance(Duration.ofSeconds(3));
    assertThat(gauge("queen.queue.metrics.age.seconds")).isBetween(age + 3, age + 4);
  }

  @Test
  void a_deleted_queue_loses_its_gauges_at_the_next_aggregation() {
    var m = managerWithMicrometer();
    m.pushSync(PushItem.of("gone", "1"));
    m.admin().queues(null, null).join();
    metrics.refreshQueueGauges();
    assertThat(gauge("queen.queue.messages", "queue", "gone")).isEqualTo(1);

    assertThat(m.deleteQueue("gone").join()).isTrue();
    m.admin().queues(null, null).join();
    metrics.refreshQueueGauges();

    assertThat(registry.find("queen.queue.messages").tags("queue", "gone").gauge()).isNull();
  }

  @Test
  void long_polls_are_counted_as_they_park_and_end_delivered_or_timed_out() throws Exception {
    var m = managerWithMicrometer();
    var delivered = m.pop(PopRequest.fromQueue("lp").wait(Duration.ofMinutes(5)).build());
    Conditions.await("the long poll to park", Duration.ofSeconds(10),
        () -> counter("queen.long.polls.parked") == 1);
    metrics.refreshQueueGauges();
    assertThat(gauge("queen.queue.parked.consumers", "queue", "lp")).isEqualTo(1);
    assertThat(gauge("queen.long.polls.waiting")).isEqualTo(1);

    m.pushSync(PushItem.of("lp", "1"));
    assertThat(delivered.get(20, TimeUnit.SECONDS).messages()).hasSize(1);
    var timedOut = m.pop(PopRequest.fromQueue("quiet").wait(Duration.ofSeconds(2)).build());
    Conditions.await("the second long poll to park", Duration.ofSeconds(10),
        () -> counter("queen.long.polls.parked") == 2);
    scheduler.advance(Duration.ofSeconds(3));
    assertThat(timedOut.get(20, TimeUnit.SECONDS).messages()).isEmpty();

    assertThat(counter("queen.long.polls.ended", "outcome", "delivered")).isEqualTo(1);
    assertThat(counter("queen.long.polls.ended", "outcome", "timed_out")).isEqualTo(1);
    var waited = registry.find("queen.long.poll.wait").tag("outcome", "timed_out").timer();
    assertThat(waited.totalTime(TimeUnit.SECONDS)).isGreaterThanOrEqualTo(2);
    metrics.refreshQueueGauges();
    assertThat(registry.find("queen.queue.parked.consumers").tags("queue", "lp").gauge()).isNull();
  }

  @Test
  void expired_leases_jobs_and_pool_use_are_reported() {
    queen.close(); // its reaper would share the work
    var m = managerWithMicrometer();
    m.configureQueueSync("q", QueueOptions.builder().leaseTime(1).build());
    m.pushSync(PushItem.of("q", "1"));
    assertThat(m.popSync(PopRequest.fromQueue("q").build()).messages()).hasSize(1);
    clock.advance(Duration.ofSeconds(5));

    scheduler.runOnlyJob("lease-reaper");

    assertThat(counter("queen.leases.expired")).isEqualTo(1);
    assertThat(counter("queen.job.runs", "job", "lease-reaper", "outcome", "ran")).isEqualTo(1);
    assertThat(gauge("queen.db.pool.size")).isPositive();
    assertThat(gauge("queen.maintenance.mode.enabled")).isZero();
    assertThat(gauge("queen.file.buffer.pending")).isZero();
  }
}
