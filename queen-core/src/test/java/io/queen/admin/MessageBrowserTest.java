package io.queen.admin;

import static io.queen.testing.Fixtures.ack;
import static io.queen.testing.Fixtures.ns;
import static io.queen.testing.Fixtures.pop;
import static io.queen.testing.Fixtures.popPartition;
import static io.queen.testing.Fixtures.pushRange;
import static io.queen.testing.Fixtures.scalarLong;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.queen.error.NotFoundException;
import io.queen.model.AckItem;
import io.queen.model.AckStatus;
import io.queen.model.QueueOptions;
import io.queen.testing.QueenTestSupport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The message browser, deleting one message, and purging a queue or a partition. */
class MessageBrowserTest extends QueenTestSupport {

  private MessagePage browse(String queue, MessageStatus status) {
    var now = clock.instant();
    return queen.admin().messages(new MessageQuery(queue, null, null, null, status,
        now.minus(Duration.ofHours(1)), now.plusSeconds(60), 100, 0)).join();
  }

  @Test
  void the_browser_lists_newest_first_with_each_message_status_in_queue_mode() {
    queen.configureQueueSync("q", QueueOptions.builder().retryLimit(5).build());
    pushRange(queen, "q", null, 1, 4);
    var ms = pop(queen, "q", 2).messages();
    queen.ackSync(List.of(AckItem.completed(ms.get(0)), ack(ms.get(1), AckStatus.DLQ, "bad")));
    assertThat(pop(queen, "q", 1).messages()).hasSize(1); // 3 leased

    var page = browse("q", null);

    assertThat(page.messages()).extracting(BrowsedMessage::transactionId)
        .containsExactly("tx-4", "tx-3", "tx-2", "tx-1");
    assertThat(page.messages()).extracting(BrowsedMessage::status).containsExactly(
        MessageStatus.PENDING, MessageStatus.PROCESSING, MessageStatus.DEAD_LETTER,
        MessageStatus.COMPLETED);
    assertThat(page.messages().get(1).leaseExpiresAt()).isAfter(clock.instant());
    assertThat(page.modeType()).isEqualTo("queue");
    assertThat(browse("q", MessageStatus.PENDING).messages())
        .extracting(BrowsedMessage::transactionId).containsExactly("tx-4");
  }

  @Test
  void in_bus_mode_a_message_is_completed_once_every_group_passed_it() {
    queen.configureQueueSync("q", QueueOptions.DEFAULTS);
    pushRange(queen, "q", null, 1, 2);
    queen.ackSync(pop(queen, "q", "a", 2).messages().stream().map(AckItem::completed).toList());
    queen.ackSync(pop(queen, "q", "b", 1).messages().stream().map(AckItem::completed).toList());

    var page = browse("q", null);

    assertThat(page.modeType()).isEqualTo("bus");
    assertThat(page.busGroups()).isEqualTo(2);
    var newest = page.messages().get(0);
    assertThat(newest.status()).isEqualTo(MessageStatus.PENDING);
    assertThat(newest.consumedBy()).isEqualTo(1);
    assertThat(newest.totalGroups()).isEqualTo(2);
    assertThat(page.messages().get(1).status()).isEqualTo(MessageStatus.COMPLETED);
  }

  @Test
  void the_time_range_and_paging_select_the_page() {
    queen.configureQueueSync("q", QueueOptions.DEFAULTS);
    pushRange(queen, "q", null, 1, 3);
    clock.advance(Duration.ofHours(2));
    pushRange(queen, "q", null, 4, 6);

    assertThat(browse("q", null).messages()).extracting(BrowsedMessage::transactionId)
        .containsExactly("tx-6", "tx-5", "tx-4");
    var now = clock.instant();
    var older = queen.admin().messages(new MessageQuery("q", null, null, null, null,
        now.minus(Duration.ofHours(3)), now.minus(Duration.ofHours(1)), 2, 1)).join();
    assertThat(older.messages()).extracting(BrowsedMessage::transactionId)
        .containsExactly("tx-2", "tx-1");
  }

  @Test
  void one_message_shows_its_payload_failures_and_what_each_group_did() {
    queen.configureQueueSync("q", QueueOptions.builder().retryLimit(3).build());
    var pushed = pushRange(queen, "q", null, 1, 1).get(0);
    var m = pop(queen, "q", 1).messages().get(0);
    queen.ackSync(ack(m, AckStatus.FAILED, "boom"));
    queen.ackSync(pop(queen, "q", "audit", 1).messages().stream().map(AckItem::completed).toList());

    var d = queen.admin().message(pushed.partitionId(), "tx-1").join().orElseThrow();

    assertThat(d.payloadJson()).contains("\"n\"");
    assertThat(d.retryCount()).isEqualTo(1);
    assertThat(d.errorMessage()).isEqualTo("boom");
    assertThat(d.message().status()).isEqualTo(MessageStatus.PENDING);
    assertThat(d.groups()).extracting(MessageDetail.GroupView::group, MessageDetail.GroupView::consumed)
        .containsExactly(tuple("__QUEUE_MODE__", false),
            tuple("audit", true));
    assertThat(queen.admin().message(pushed.partitionId(), "tx-9").join()).isEmpty();
  }

  @Test
  void deleting_a_message_removes_it_and_nothing_else() {
    queen.configureQueueSync("q", QueueOptions.DEFAULTS);
    var results = pushRange(queen, "q", null, 1, 3);
    var pid = results.get(0).partitionId();

    assertThat(queen.admin().deleteMessage(pid, "tx-2").join()).isTrue();
    assertThat(queen.admin().deleteMessage(pid, "tx-2").join()).isFalse();

    assertThat(ns(pop(queen, "q", 10))).containsExactly(1, 3);
    assertThat(queen.admin().queue("q").join().orElseThrow().queue().messages().total())
        .isEqualTo(2);
  }

  @Test
  void purging_a_partition_deletes_its_messages_in_batches_and_keeps_the_queue() {
    queen.close();
    queen = newManager(b -> b.lifecycle(new io.queen.LifecycleSettings(Duration.ofMinutes(5), 2,
        Duration.ofDays(30), Duration.ofDays(90), Duration.ofMinutes(1), 2)));
    queen.configureQueueSync("q", QueueOptions.builder().retryLimit(7).build());
    pushRange(queen, "q", "a", 1, 5);
    pushRange(queen, "q", "b", 1, 2);

    assertThat(queen.admin().purge("q", "a").join()).isEqualTo(5);

    assertThat(ns(popPartition(queen, "q", "a", null, 10))).isEmpty();
    assertThat(ns(popPartition(queen, "q", "b", null, 10))).containsExactly(1, 2);
    assertThat(scalarLong(database, "SELECT sum(count) FROM queen.retention_history"
        + " WHERE kind = 'purge'")).isEqualTo(5);
    pushRange(queen, "q", "a", 6, 6);
    assertThat(ns(popPartition(queen, "q", "a", null, 10))).as("the queue keeps working")
        .containsExactly(6);
    assertThat(queen.admin().queue("q").join().orElseThrow().options().retryLimit()).isEqualTo(7);
  }

  @Test
  void purging_an_unknown_queue_or_partition_is_not_found() {
    queen.configureQueueSync("q", QueueOptions.DEFAULTS);
    assertThatThrownBy(() -> queen.admin().purge("nope", null).join())
        .isInstanceOf(CompletionException.class).hasCauseInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> queen.admin().purge("q", "zz").join())
        .isInstanceOf(CompletionException.class).hasCauseInstanceOf(NotFoundException.class);
  }

  @Test
  void a_query_whose_range_is_empty_is_refused() {
    var t = Instant.parse("2026-01-01T00:00:00Z");
    assertThatThrownBy(() -> new MessageQuery(null, null, null, null, null, t, t, 10, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("before");
  }

  private List<BrowsedMessage> page(String queue, String partition, MessageStatus status,
      int limit, int offset) {
    var now = clock.instant();
    return queen.admin().messages(new MessageQuery(queue, partition, null, null, status,
        now.minus(Duration.ofHours(1)), now.plusSeconds(60), limit, offset)).join().messages();
  }

  @Test
  void a_filtered_page_walks_partitions_and_agrees_with_the_walk_of_every_message() {
    // two queues pushed to in turns, a few messages at a time, into many partitions
    var random = new java.util.Random(42);
    int n = 0;
    for (int round = 0; round < 60; round++) {
      var queue = random.nextBoolean() ? "a" : "b";
      var partition = "p" + random.nextInt(12);
      int size = 1 + random.nextInt(3);
      pushRange(queen, queue, partition, n + 1, n + size);
      n += size;
    }
    queen.ackSync(pop(queen, "a", 5).messages().stream().map(AckItem::completed).toList());
    assertThat(pop(queen, "a", 3).messages()).isNotEmpty(); // leased: processing

    for (var status : new MessageStatus[] {null, MessageStatus.PENDING,
        MessageStatus.PROCESSING, MessageStatus.COMPLETED}) {
      // the oracle: every message, newest first (the primary-key walk), filtered here
      var expected = page(null, null, status, 10_000, 0).stream()
          .filter(m -> m.queue().equals("a")).map(BrowsedMessage::id).toList();
      var paged = new java.util.ArrayList<java.util.UUID>();
      for (int offset = 0; offset < expected.size() + 7; offset += 7) {
        paged.addAll(page("a", null, status, 7, offset).stream().map(BrowsedMessage::id).toList());
      }
      assertThat(paged).as("status %s", status).isEqualTo(expected);
      assertThat(expected).as("status %s", status).isNotEmpty();
    }
    var all = page(null, null, null, 10_000, 0);
    var partition = all.stream().filter(m -> m.queue().equals("b")).findFirst().orElseThrow()
        .partition();
    var onePartition = all.stream()
        .filter(m -> m.queue().equals("b") && m.partition().equals(partition))
        .map(BrowsedMessage::id).toList();
    assertThat(page("b", partition, null, 10_000, 0)).extracting(BrowsedMessage::id)
        .isEqualTo(onePartition);
  }
}
