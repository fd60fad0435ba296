package io.queen;

import static org.assertj.core.api.Assertions.assertThat;

import io.queen.metrics.CountingMetrics;
import io.queen.model.AckItem;
import io.queen.model.PopRequest;
import io.queen.model.PushItem;
import io.queen.testing.QueenTestSupport;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A configured {@link io.queen.metrics.QueenMetrics} sees what the engine does, as its own stats do. */
class MetricsSeamTest extends QueenTestSupport {

  @Override
  protected boolean timersByHand() {
    return true;
  }

  @Test
  void configured_metrics_receive_requests_batches_latencies_and_job_runs() {
    var mine = new CountingMetrics();
    var m = newManager(b -> b.metrics(mine));
    m.pushSync(List.of(PushItem.of("q", "1"), PushItem.of("q", "2"), PushItem.of("q", "3")));
    var popped = m.popSync(PopRequest.fromQueue("q").batch(3).build());
    m.ackSync(popped.messages().stream().map(AckItem::completed).toList());
    scheduler.runJob("lease-reaper");

    var push = mine.operation("push");
    assertThat(push.requests()).isEqualTo(1);
    assertThat(push.items()).isEqualTo(3);
    assertThat(push.batches()).isEqualTo(1);
    assertThat(push.totalLatencyMicros()).isPositive();
    assertThat(mine.operation("pop").requests()).isEqualTo(1);
    assertThat(mine.operation("ack").items()).isEqualTo(3);
    // one run per manager on the shared scheduler (the base manager's and this one's)
    assertThat(mine.jobs().get("lease-reaper").runs()).isEqualTo(1);
    // the engine's own counters saw the same
    var stats = m.stats();
    assertThat(stats.operations().get("push").items()).isEqualTo(3);
    assertThat(stats.jobs().get("lease-reaper").runs()).isEqualTo(1);
  }

  @Test
  void without_configured_metrics_the_engine_still_counts_for_stats() {
    queen.pushSync(PushItem.of("q", "1"));
    assertThat(QueenConfig.defaults().metrics()).isSameAs(io.queen.metrics.QueenMetrics.NOOP);
    assertThat(queen.stats().operations().get("push").requests()).isEqualTo(1);
  }
}
