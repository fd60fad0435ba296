package io.queen.admin;

import static io.queen.testing.Fixtures.pop;
import static io.queen.testing.Fixtures.pushRange;
import static org.assertj.core.api.Assertions.assertThat;

import io.queen.QueueManager;
import io.queen.model.AckItem;
import io.queen.model.QueueOptions;
import io.queen.testing.QueenTestSupport;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operations API's lists and totals come from one aggregation per interval while somebody
 * reads them: between two aggregations they show the last one, with its time; a read after a
 * long silence aggregates at once; nobody reading costs nothing; and a write of the operations
 * API on this instance shows at the next read.
 */
class SummariesTest extends QueenTestSupport {
  private static final Duration INTERVAL = Duration.ofSeconds(5);
  private QueueManager summarised;

  @Override
  protected boolean timersByHand() {
    return true;
  }

  @BeforeEach
  void startAManagerWithSummaries() {
    summarised = newManager(b -> b.summaryInterval(INTERVAL));
    summarised.configureQueueSync("q", QueueOptions.DEFAULTS);
  }

  private long total() {
    return summarised.admin().overview().join().messages().total();
  }

  /** Moves both the engine's clock and its scheduler: the summaries' job runs when it is due. */
  private void pass(Duration d) {
    clock.advance(d);
    scheduler.advance(d);
  }

  private long summaryRuns() {
    var counts = summarised.stats().jobs().get("summaries");
    return counts == null ? 0 : counts.runs();
  }

  @Test
  void between_two_aggregations_the_lists_show_the_last_one_and_when_it_was_made() {
    pushRange(summarised, "q", null, 1, 3);
    var first = summarised.admin().overview().join();
    assertThat(first.messages().total()).isEqualTo(3);

    pushRange(summarised, "q", null, 4, 5);
    assertThat(total()).isEqualTo(3);
    assertThat(summarised.admin().queues(null, null).join().get(0).messages().total())
        .isEqualTo(3);

    pass(INTERVAL);

    var next = summarised.admin().overview().join();
    assertThat(next.messages().total()).isEqualTo(5);
    assertThat(next.timestamp()).isAfterOrEqualTo(first.timestamp().plus(INTERVAL))
        .isBeforeOrEqualTo(clock.instant());
  }

  @Test
  void a_read_after_more_than_two_intervals_without_an_aggregation_aggregates_at_once() {
    pushRange(summarised, "q", null, 1, 3);
    assertThat(total()).isEqualTo(3);
    pushRange(summarised, "q", null, 4, 4);

    clock.advance(INTERVAL.multipliedBy(2).plusMillis(1)); // the job did not run

    assertThat(total()).isEqualTo(4);
  }

  @Test
  void nobody_reading_the_lists_costs_no_aggregation() {
    pass(INTERVAL.multipliedBy(3));
    assertThat(summaryRuns()).isZero();

    total(); // a dashboard looks once
    pass(INTERVAL.multipliedBy(2));
    assertThat(summaryRuns()).isEqualTo(2);

    pass(Duration.ofMinutes(5)); // and goes away: the job stops after a minute of silence
    long afterSilence = summaryRuns();
    pass(Duration.ofMinutes(5));
    assertThat(summaryRuns()).isEqualTo(afterSilence);
  }

  @Test
  void a_group_deleted_through_the_operations_api_is_gone_from_the_next_list() {
    pushRange(summarised, "q", null, 1, 2);
    summarised.ackSync(pop(summarised, "q", "billing", 2).messages().stream()
        .map(AckItem::completed).toList());
    assertThat(summarised.admin().consumerGroups().join())
        .extracting(ConsumerGroupSummary::group).contains("billing");

    summarised.admin().deleteConsumerGroup("billing", null, true).join();

    assertThat(summarised.admin().consumerGroups().join())
        .extracting(ConsumerGroupSummary::group).doesNotContain("billing");
  }

  @Test
  void a_queue_deleted_through_this_instance_is_gone_from_the_next_list() {
    summarised.configureQueueSync("other", QueueOptions.DEFAULTS);
    assertThat(summarised.admin().queues(null, null).join())
        .extracting(QueueSummary::name).contains("q", "other");

    summarised.deleteQueue("other").join();

    assertThat(summarised.admin().queues(null, null).join())
        .extracting(QueueSummary::name).containsExactly("q");
  }

  @Test
  void another_instance_sees_the_change_at_its_next_aggregation() {
    pushRange(summarised, "q", null, 1, 2);
    assertThat(queen.admin().overview().join().messages().total()).isEqualTo(2); // live (interval 0)
    assertThat(total()).isEqualTo(2);

    queen.admin().purge("q", null).join(); // through the other instance

    assertThat(total()).isEqualTo(2);
    pass(INTERVAL);
    assertThat(total()).isZero();
  }
}
