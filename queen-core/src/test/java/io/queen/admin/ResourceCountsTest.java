package io.queen.admin;

import static io.queen.testing.Fixtures.ack;
import static io.queen.testing.Fixtures.pop;
import static io.queen.testing.Fixtures.popPartition;
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
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The counts of the resources API against what was pushed, popped, acked, failed and
 * dead-lettered, and after retention deleted some: they come from counters, so they are checked
 * here against what the test did and against a real count of the message table.
 */
class ResourceCountsTest extends QueenTestSupport {

  @Override
  protected boolean timersByHand() {
    return true;
  }

  private QueueDetail detail(String queue) {
    return queen.admin().queue(queue).join().orElseThrow();
  }

  @Test
  void queue_detail_counts_every_state_in_queue_mode() {
    queen.configureQueueSync("q", QueueOptions.builder().retryLimit(5).build());
    pushRange(queen, "q", "a", 1, 10);
    pushRange(queen, "q", "b", 1, 2);
    var first = popPartition(queen, "q", "a", null, 4).messages();
    queen.ackSync(List.of(AckItem.completed(first.get(0)),
        AckItem.completed(first.get(1)), ack(first.get(2), AckStatus.DLQ, "bad"),
        AckItem.completed(first.get(3))));
    var second = popPartition(queen, "q", "a", null, 2).messages(); // 5, 6 leased
    assertThat(second).hasSize(2);
    var b = popPartition(queen, "q", "b", null, 1).messages();
    queen.ackSync(ack(b.get(0), AckStatus.FAILED, "retry me"));

    var d = detail("q");

    var a = d.partitions().stream().filter(p -> p.name().equals("a")).findFirst().orElseThrow();
    assertThat(a.messages()).isEqualTo(new MessageCounts(10, 4, 2, 3, 0, 1));
    var pb = d.partitions().stream().filter(p -> p.name().equals("b")).findFirst().orElseThrow();
    assertThat(pb.messages()).isEqualTo(new MessageCounts(2, 2, 0, 0, 1, 0));
    assertThat(d.queue().messages()).isEqualTo(new MessageCounts(12, 6, 2, 3, 1, 1));
    assertThat(d.queue().partitions()).isEqualTo(3); // Default, a, b
    assertThat(d.options().retryLimit()).isEqualTo(5);
    assertThat(a.oldestMessage()).isNotNull().isBeforeOrEqualTo(a.newestMessage());
    assertThat(a.newestMessage()).isBeforeOrEqualTo(clock.instant());
  }

  @Test
  void without_queue_mode_the_slowest_group_decides_what_is_pending() {
    queen.configureQueueSync("q", QueueOptions.DEFAULTS);
    pushRange(queen, "q", null, 1, 5);
    queen.ackSync(pop(queen, "q", "fast", 5).messages().stream().map(AckItem::completed).toList());
    queen.ackSync(pop(queen, "q", "slow", 2).messages().stream().map(AckItem::completed).toList());

    var totals = detail("q").queue().messages();

    assertThat(totals.total()).isEqualTo(5);
    assertThat(totals.pending()).isEqualTo(3);
    assertThat(totals.completed()).isEqualTo(2);
  }

  @Test
  void counts_follow_retention_and_match_the_message_table() {
    queen.configureQueueSync("q", QueueOptions.builder().completedRetentionSeconds(10).build());
    pushRange(queen, "q", null, 1, 6);
    queen.ackSync(pop(queen, "q", 4).messages().stream().map(AckItem::completed).toList());
    clock.advance(Duration.ofSeconds(11));
    scheduler.runJob("retention");

    var totals = detail("q").queue().messages();

    assertThat(totals).isEqualTo(new MessageCounts(2, 2, 0, 0, 0, 0));
    assertThat(scalarLong(database, "SELECT count(*) FROM queen.messages")).isEqualTo(2);
    assertThat(queen.admin().recount().join()).as("no counter was off").isZero();
  }

  @Test
  void overview_namespaces_and_tasks_add_the_queues_up() {
    queen.configureQueue("a", "shop", "billing", QueueOptions.DEFAULTS).join();
    queen.configureQueue("b", "shop", "mail", QueueOptions.DEFAULTS).join();
    queen.configureQueue("c", null, null, QueueOptions.DEFAULTS).join();
    pushRange(queen, "a", null, 1, 3);
    pushRange(queen, "b", null, 1, 2);
    pushRange(queen, "c", null, 1, 1);
    queen.ackSync(pop(queen, "a", 1).messages().stream().map(AckItem::completed).toList());
    clock.advance(Duration.ofSeconds(30));

    var o = queen.admin().overview().join();

    assertThat(o.queues()).isEqualTo(3);
    assertThat(o.partitions()).isEqualTo(3);
    assertThat(o.namespaces()).isEqualTo(1);
    assertThat(o.tasks()).isEqualTo(2);
    assertThat(o.messages()).isEqualTo(new MessageCounts(6, 5, 0, 1, 0, 0));
    assertThat(o.offsetLag().max()).as("only cursors count: a's queue mode has 2 left")
        .isEqualTo(2);
    assertThat(o.timeLagSeconds().max()).isEqualTo(30);
    assertThat(queen.admin().namespaces().join()).singleElement()
        .isEqualTo(new TagSummary("shop", 2, 2, 5, 4));
    assertThat(queen.admin().tasks().join()).extracting(TagSummary::name)
        .containsExactly("billing", "mail");
    assertThat(queen.admin().queues("shop", null).join()).extracting(QueueSummary::name)
        .containsExactlyInAnyOrder("a", "b");
  }

  @Test
  void a_recount_repairs_a_counter_that_drifted() throws SQLException {
    queen.configureQueueSync("q", QueueOptions.DEFAULTS);
    pushRange(queen, "q", null, 1, 3);
    try (var c = DriverManager.getConnection(database.url()); var st = c.createStatement()) {
      st.executeUpdate("INSERT INTO queen.partition_removals SELECT id, 2 FROM queen.partitions"
          + " WHERE last_seq = 3");
    }

    assertThat(queen.admin().recount().join()).isEqualTo(1);
    assertThat(detail("q").queue().messages().total()).isEqualTo(3);
  }

  @Test
  void an_unknown_queue_has_no_detail() {
    assertThat(queen.admin().queue("nope").join()).isEmpty();
  }
}
