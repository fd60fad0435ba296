package io.queen.admin;

import static io.queen.testing.Fixtures.ack;
import static io.queen.testing.Fixtures.pop;
import static io.queen.testing.Fixtures.pushRange;
import static io.queen.testing.Fixtures.scalarLong;
import static org.assertj.core.api.Assertions.assertThat;

import io.queen.model.AckItem;
import io.queen.model.AckStatus;
import io.queen.model.QueueOptions;
import io.queen.testing.QueenTestSupport;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;

/**
 * The per-minute history: what the engine did reaches worker_metrics and queue_metrics through
 * the metrics-history job, several instances add up, and a run that cannot write loses nothing.
 */
class MetricsHistoryTest extends QueenTestSupport {

  @Override
  protected boolean timersByHand() {
    return true;
  }

  private void flush() {
    scheduler.runJob("metrics-history");
  }

  private List<QueueMinute> minutes(String queue) {
    var now = clock.instant();
    return queen.admin().queueHistory(now.minus(Duration.ofHours(1)), now.plusSeconds(120), queue)
        .join();
  }

  private static long sum(List<QueueMinute> rows, ToLongFunction<QueueMinute> f) {
    return rows.stream().mapToLong(f).sum();
  }

  private void sql(String statement) throws SQLException {
    try (var c = DriverManager.getConnection(database.url()); var st = c.createStatement()) {
      st.execute(statement);
    }
  }

  @Test
  void pushes_pops_and_acks_are_written_per_queue_and_per_instance() {
    queen.configureQueueSync("q", QueueOptions.builder().retryLimit(0).build());
    pushRange(queen, "q", null, 1, 3);
    pushRange(queen, "q", null, 4, 4);
    var ms = pop(queen, "q", 10).messages();
    queen.ackSync(List.of(AckItem.completed(ms.get(0)), ack(ms.get(1), AckStatus.FAILED, "x")));
    assertThat(pop(queen, "other", 1).messages()).isEmpty();

    flush();

    var q = minutes("q");
    assertThat(sum(q, QueueMinute::pushRequests)).isEqualTo(2);
    assertThat(sum(q, QueueMinute::pushMessages)).isEqualTo(4);
    assertThat(sum(q, QueueMinute::popMessages)).isEqualTo(4);
    assertThat(sum(q, QueueMinute::ackSuccess)).isEqualTo(2);
    assertThat(sum(q, QueueMinute::lagCount)).isEqualTo(4);
    assertThat(sum(minutes("other"), QueueMinute::popEmpty)).isEqualTo(1);
    var now = clock.instant();
    var instances = queen.admin().instanceHistory(now.minus(Duration.ofHours(1)),
        now.plusSeconds(120), null).join();
    assertThat(instances).singleElement().satisfies(m -> {
      assertThat(m.pushMessages()).isEqualTo(4);
      assertThat(m.popRequests()).isEqualTo(2);
      assertThat(m.dlqMessages()).as("the failed ack with retryLimit 0").isEqualTo(1);
      assertThat(m.poolSize()).isPositive();
      assertThat(m.heapUsedMb()).isPositive();
    });
  }

  @Test
  void two_instances_on_one_database_add_up() {
    var second = newManager(b -> b);
    queen.configureQueueSync("q", QueueOptions.DEFAULTS);
    pushRange(queen, "q", null, 1, 2);
    pushRange(second, "q", null, 3, 5);

    flush(); // both engines share the test's scheduler

    assertThat(sum(minutes("q"), QueueMinute::pushMessages)).isEqualTo(5);
    var now = clock.instant();
    assertThat(queen.admin().instanceHistory(now.minus(Duration.ofHours(1)), now.plusSeconds(120),
        null).join()).hasSize(2);
  }

  @Test
  void counts_a_run_could_not_write_are_written_by_the_next() throws SQLException {
    queen.configureQueueSync("q", QueueOptions.DEFAULTS);
    pushRange(queen, "q", null, 1, 2);
    sql("ALTER TABLE queen.queue_metrics RENAME TO queue_metrics_away");
    flush(); // fails: logged, counts kept
    sql("ALTER TABLE queen.queue_metrics_away RENAME TO queue_metrics");
    pushRange(queen, "q", null, 3, 3);

    flush();

    assertThat(sum(minutes("q"), QueueMinute::pushMessages)).isEqualTo(3);
  }

  @Test
  void the_overview_reports_the_last_complete_minute_of_throughput() {
    // half a minute away from a minute's edge, so that the pushes and the flush share one minute
    int second = clock.instant().atZone(ZoneOffset.UTC).getSecond();
    clock.advance(Duration.ofSeconds((90 - second) % 60));
    queen.configureQueueSync("q", QueueOptions.DEFAULTS);
    pushRange(queen, "q", null, 1, 60);
    flush();
    clock.advance(Duration.ofMinutes(1));

    var o = queen.admin().overview().join();

    assertThat(o.ingestedPerSecond()).isEqualTo(1.0);
  }

  @Test
  void minutes_older_than_the_history_retention_are_removed() throws SQLException {
    sql("INSERT INTO queen.worker_metrics (bucket, instance_id, hostname) VALUES"
        + " (now() - interval '91 days', 'old', 'h')");
    flush();
    assertThat(scalarLong(database, "SELECT count(*) FROM queen.worker_metrics"
        + " WHERE instance_id = 'old'")).isZero();
  }
}
