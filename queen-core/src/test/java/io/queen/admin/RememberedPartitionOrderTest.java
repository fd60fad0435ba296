package io.queen.admin;

import static io.queen.testing.Fixtures.pop;
import static io.queen.testing.Fixtures.pushRange;
import static org.assertj.core.api.Assertions.assertThat;

import io.queen.QueueManager;
import io.queen.internal.admin.MessageBrowser;
import io.queen.model.AckItem;
import io.queen.testing.Conditions;
import io.queen.testing.QueenTestSupport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The browser remembers a queue's partitions in the order they were pushed to while nothing
 * pushes to the queue, so that browsing a quiet queue does not sort all its partitions per page;
 * every push it commits or hears of makes it read the order again.
 */
class RememberedPartitionOrderTest extends QueenTestSupport {

  @Override
  protected boolean timersByHand() {
    return true;
  }

  @BeforeEach
  void listenLongEnoughToHearEveryInstance() {
    Conditions.await("the listener to listen", Duration.ofSeconds(10),
        () -> queen.stats().listening());
    scheduler.advance(Duration.ofSeconds(6));
  }

  private List<String> page(QueueManager by, String queue) {
    var now = clock.instant();
    return by.admin().messages(new MessageQuery(queue, null, null, null, null,
        now.minus(Duration.ofHours(1)), now.plusSeconds(60), 100, 0)).join().messages().stream()
        .map(BrowsedMessage::transactionId).toList();
  }

  @Test
  void a_push_nobody_announces_stays_unseen_until_the_queue_is_touched_so_the_order_is_kept() {
    pushRange(queen, "q", "p1", 1, 1);
    pushRange(queen, "q", "p2", 2, 2);
    assertThat(page(queen, "q")).containsExactly("tx-2", "tx-1");
    // an instance that does not LISTEN does not NOTIFY either: nobody hears its pushes
    var deaf = newManager(b -> b.listenNotify(false));
    pushRange(deaf, "q", "p3", 3, 3);

    assertThat(page(queen, "q")).as("the remembered order has no p3").containsExactly("tx-2", "tx-1");
    assertThat(page(deaf, "q")).as("an instance that cannot tell reads the order every time")
        .containsExactly("tx-3", "tx-2", "tx-1");

    pushRange(queen, "q", "p1", 4, 4);
    assertThat(page(queen, "q")).containsExactly("tx-4", "tx-3", "tx-2", "tx-1");
  }

  @Test
  void a_push_into_a_remembered_partition_shows_at_once() {
    pushRange(queen, "q", "p1", 1, 1);
    pushRange(queen, "q", "p2", 2, 2);
    assertThat(page(queen, "q")).containsExactly("tx-2", "tx-1");
    var deaf = newManager(b -> b.listenNotify(false));
    pushRange(deaf, "q", "p1", 3, 3); // a partition the order has: its messages are read as they are

    assertThat(page(queen, "q")).containsExactly("tx-3", "tx-2", "tx-1");
  }

  @Test
  void a_push_another_instance_announces_makes_the_order_read_again() {
    pushRange(queen, "q", "p1", 1, 1);
    assertThat(page(queen, "q")).containsExactly("tx-1");
    var other = newManager(b -> b);

    pushRange(other, "q", "p2", 2, 2);

    Conditions.await("the announced push to show in the page", Duration.ofSeconds(10),
        () -> page(queen, "q").equals(List.of("tx-2", "tx-1")));
  }

  @Test
  void pages_past_the_remembered_partitions_agree_with_the_walk_of_every_message() {
    // more partitions than an order remembers, so pages far enough back must read the others
    int partitions = MessageBrowser.REMEMBERED_PARTITIONS + 44;
    for (int p = 0; p < partitions; p++) {
      pushRange(queen, "q", "p" + p, 2 * p + 1, 2 * p + 2);
      clock.advance(Duration.ofMillis(3));
    }
    for (int i = 0; i < 30; i++) { // queue mode leases one partition per pop
      queen.ackSync(pop(queen, "q", 2).messages().stream().map(AckItem::completed).toList());
    }
    var now = clock.instant();
    for (var status : new MessageStatus[] {null, MessageStatus.PENDING, MessageStatus.COMPLETED}) {
      var expected = queen.admin().messages(new MessageQuery(null, null, null, null, status,
          now.minus(Duration.ofHours(1)), now.plusSeconds(60), 10_000, 0)).join().messages()
          .stream().map(BrowsedMessage::id).toList();
      var paged = new ArrayList<UUID>();
      for (int offset = 0; offset < expected.size() + 97; offset += 97) {
        paged.addAll(queen.admin().messages(new MessageQuery("q", null, null, null, status,
            now.minus(Duration.ofHours(1)), now.plusSeconds(60), 97, offset)).join().messages()
            .stream().map(BrowsedMessage::id).toList());
      }
      assertThat(paged).as("status %s", status).isEqualTo(expected);
      assertThat(expected).as("status %s", status).isNotEmpty();
    }
  }
}
