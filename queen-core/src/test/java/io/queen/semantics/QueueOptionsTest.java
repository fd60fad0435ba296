package io.queen.semantics;

import static io.queen.semantics.AckTest.assertInvalid;
import static io.queen.testing.Fixtures.item;
import static io.queen.testing.Fixtures.ns;
import static io.queen.testing.Fixtures.pop;
import static io.queen.testing.Fixtures.popPartition;
import static io.queen.testing.Fixtures.pushRange;
import static io.queen.testing.Fixtures.rows;
import static io.queen.testing.Fixtures.scalarLong;
import static io.queen.testing.Fixtures.storedMessages;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.queen.EncryptionKeys;
import io.queen.QueenConfig;
import io.queen.model.AckItem;
import io.queen.model.PopOutcome;
import io.queen.model.PopRequest;
import io.queen.model.PushResult;
import io.queen.model.PushStatus;
import io.queen.model.QueueOptions;
import io.queen.testing.QueenTestSupport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** semantics.md section 11 (Queue options), with the option rules of sections 3 and 4. */
class QueueOptionsTest extends QueenTestSupport {
  @Override
  protected QueenConfig.Builder configure(QueenConfig.Builder defaults) {
    // ALL_SET has encryptionEnabled, which needs a key
    return defaults.encryption(EncryptionKeys.of("ab".repeat(32)));
  }


  private static final QueueOptions ALL_SET = QueueOptions.builder()
      .leaseTime(45).retryLimit(7).retryDelay(2500).retryBackoff(1.5).retryDelayMax(60_000)
      .priority(9).delayedProcessing(11)
      .windowBuffer(13).maxSize(1000).ttl(7200).deadLetterQueue(true).dlqAfterMaxRetries(true)
      .retentionSeconds(86400).completedRetentionSeconds(3600).retentionEnabled(true)
      .encryptionEnabled(true).maxWaitTimeSeconds(120).build();

  private Map<String, Object> queueRow(String name) {
    var r = rows(database, "SELECT * FROM queen.queues WHERE name = ?", name);
    assertThat(r).hasSize(1);
    return r.get(0);
  }

  private static void assertStored(Map<String, Object> row, QueueOptions o) {
    assertThat(row).containsEntry("lease_time", o.leaseTime())
        .containsEntry("retry_limit", o.retryLimit())
        .containsEntry("retry_delay", o.retryDelay())
        .containsEntry("retry_backoff", o.retryBackoff())
        .containsEntry("retry_delay_max", o.retryDelayMax())
        .containsEntry("priority", o.priority())
        .containsEntry("delayed_processing", o.delayedProcessing())
        .containsEntry("window_buffer", o.windowBuffer())
        .containsEntry("max_queue_size", o.maxSize())
        .containsEntry("ttl", o.ttl())
        .containsEntry("dead_letter_queue", o.deadLetterQueue())
        .containsEntry("dlq_after_max_retries", o.dlqAfterMaxRetries())
        .containsEntry("retention_seconds", o.retentionSeconds())
        .containsEntry("completed_retention_seconds", o.completedRetentionSeconds())
        .containsEntry("retention_enabled", o.retentionEnabled())
        .containsEntry("encryption_enabled", o.encryptionEnabled())
        .containsEntry("max_wait_time_seconds", o.maxWaitTimeSeconds());
  }

  // ---- configure -----------------------------------------------------------------------------

  @Test
  void every_option_is_accepted_and_stored() {
    var info = queen.configureQueue("orders", "shop", "billing", ALL_SET).join();
    assertThat(info.name()).isEqualTo("orders");
    assertThat(info.namespace()).isEqualTo("shop");
    assertThat(info.task()).isEqualTo("billing");
    assertThat(info.options()).isEqualTo(ALL_SET);
    assertThat(info.defaultPartitionId()).isNotNull();
    var row = queueRow("orders");
    assertStored(row, ALL_SET);
    assertThat(row).containsEntry("namespace", "shop").containsEntry("task", "billing")
        .containsEntry("id", info.queueId());
    assertThat(scalarLong(database, "SELECT count(*) FROM queen.partitions WHERE id = ?"
        + " AND name = 'Default'", info.defaultPartitionId())).isEqualTo(1);
  }

  @Test
  void configure_is_an_upsert_that_replaces_the_whole_configuration() {
    var first = queen.configureQueue("orders", "shop", "billing", ALL_SET).join();
    pushRange(queen, "orders", null, 1, 1);
    var onlyLease = QueueOptions.builder().leaseTime(20).build();
    var second = queen.configureQueue("orders", null, null, onlyLease).join();

    assertThat(second.queueId()).isEqualTo(first.queueId());
    assertThat(second.defaultPartitionId()).isEqualTo(first.defaultPartitionId());
    var row = queueRow("orders");
    assertStored(row, onlyLease);
    assertThat(row).containsEntry("retry_limit", QueueOptions.DEFAULT_RETRY_LIMIT)
        .containsEntry("ttl", QueueOptions.DEFAULT_TTL).containsEntry("priority", 0)
        .containsEntry("namespace", "").containsEntry("task", "");
    // the queue's messages survive a reconfiguration (delayedProcessing 11 s no longer applies)
    assertThat(ns(pop(queen, "orders", 10))).containsExactly(1);
  }

  @Test
  void configuring_a_queue_created_by_a_push_keeps_its_messages_and_applies_the_options() {
    pushRange(queen, "auto.task.x", null, 1, 2);
    assertThat(queueRow("auto.task.x")).containsEntry("namespace", "auto").containsEntry("task", "task");
    queen.configureQueueSync("auto.task.x", QueueOptions.builder().maxSize(2).build());
    assertThat(queen.pushSync(item("auto.task.x", null, 3)).status()).isEqualTo(PushStatus.FAILED);
    assertThat(ns(pop(queen, "auto.task.x", 10))).containsExactly(1, 2);
  }

  @Test
  void a_negative_value_is_refused_naming_the_option() {
    Map<String, Consumer<QueueOptions.Builder>> setters = Map.of(
        "leaseTime", b -> b.leaseTime(-1), "retryLimit", b -> b.retryLimit(-1),
        "retryDelay", b -> b.retryDelay(-1), "delayedProcessing", b -> b.delayedProcessing(-1),
        "windowBuffer", b -> b.windowBuffer(-1), "maxSize", b -> b.maxSize(-1),
        "ttl", b -> b.ttl(-1), "retentionSeconds", b -> b.retentionSeconds(-1),
        "completedRetentionSeconds", b -> b.completedRetentionSeconds(-1),
        "maxWaitTimeSeconds", b -> b.maxWaitTimeSeconds(-1));
    setters.forEach((option, setter) -> {
      var builder = QueueOptions.builder();
      setter.accept(builder);
      assertThatThrownBy(builder::build).as(option).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("option " + option + " ").hasMessageContaining("-1");
    });
    assertThatThrownBy(() -> QueueOptions.builder().retryDelayMax(-1).build())
        .hasMessageContaining("option retryDelayMax must be zero or positive, was -1");
    assertThatThrownBy(() -> QueueOptions.builder().retryBackoff(0.5).build())
        .hasMessageContaining("option retryBackoff must be between 1 and 100, was 0.5");
    // zero is a valid value for every one of them
    var zeros = QueueOptions.builder();
    assertThat(zeros.leaseTime(0).retryLimit(0).retryDelay(0).delayedProcessing(0).windowBuffer(0)
        .maxSize(0).ttl(0).retentionSeconds(0).completedRetentionSeconds(0).maxWaitTimeSeconds(0)
        .build().effectiveLeaseSeconds()).isEqualTo(60);
  }

  @Test
  void invalid_configure_inputs_are_refused_naming_the_field() {
    assertInvalid(() -> queen.configureQueue(null, null, null, QueueOptions.DEFAULTS), "queue");
    assertInvalid(() -> queen.configureQueue("", null, null, QueueOptions.DEFAULTS), "queue");
    assertInvalid(() -> queen.configureQueue("a\nb", null, null, QueueOptions.DEFAULTS), "queue");
    assertInvalid(() -> queen.configureQueue("x".repeat(256), null, null, QueueOptions.DEFAULTS), "queue");
    assertInvalid(() -> queen.configureQueue("q", null, null, null), "options");
    assertThat(scalarLong(database, "SELECT count(*) FROM queen.queues")).isZero();
  }

  // ---- leaseTime -----------------------------------------------------------------------------

  @Test
  void lease_time_sets_how_long_a_pop_holds_the_partition_and_zero_means_sixty_seconds() {
    queen.configureQueueSync("short", QueueOptions.builder().leaseTime(10).build());
    queen.configureQueueSync("zero", QueueOptions.builder().leaseTime(0).build());
    pushRange(queen, "short", null, 1, 1);
    pushRange(queen, "zero", null, 2, 2);
    pop(queen, "short", 1);
    pop(queen, "zero", 1);
    clock.advance(Duration.ofSeconds(9));
    assertThat(popPartition(queen, "short", "Default", null, 1).outcome()).isEqualTo(PopOutcome.LEASE_HELD);
    clock.advance(Duration.ofSeconds(2));
    assertThat(ns(popPartition(queen, "short", "Default", null, 1))).containsExactly(1);
    clock.advance(Duration.ofSeconds(48)); // 59 s
    assertThat(popPartition(queen, "zero", "Default", null, 1).outcome()).isEqualTo(PopOutcome.LEASE_HELD);
    clock.advance(Duration.ofSeconds(2)); // 61 s
    assertThat(ns(popPartition(queen, "zero", "Default", null, 1))).containsExactly(2);
  }

  // ---- delayedProcessing ---------------------------------------------------------------------

  @Test
  void delayed_processing_hides_a_message_until_it_is_old_enough() {
    queen.configureQueueSync("q", QueueOptions.builder().delayedProcessing(30).build());
    pushRange(queen, "q", null, 1, 1);
    clock.advance(Duration.ofSeconds(20));
    pushRange(queen, "q", null, 2, 2);
    assertThat(pop(queen, "q", 10).outcome()).isEqualTo(PopOutcome.NO_AVAILABLE_PARTITION);
    assertThat(popPartition(queen, "q", "Default", null, 10).outcome()).isEqualTo(PopOutcome.NO_MESSAGES);
    // an empty pop took no lease
    assertThat(scalarLong(database,
        "SELECT count(*) FROM queen.partition_consumers WHERE worker_id IS NOT NULL")).isZero();

    clock.advance(Duration.ofSeconds(11)); // message 1 is 31 s old, message 2 is 11 s old
    var first = pop(queen, "q", 10);
    assertThat(ns(first)).containsExactly(1);
    queen.ackSync(AckItem.completed(first.messages().get(0)));
    assertThat(pop(queen, "q", 10).isEmpty()).isTrue();
    clock.advance(Duration.ofSeconds(20));
    assertThat(ns(pop(queen, "q", 10))).containsExactly(2);
    // named groups see the same delays: at 51 s both are visible, nothing else is
    assertThat(ns(pop(queen, "q", "g", 10))).containsExactly(1, 2);
  }

  @Test
  void a_due_message_is_popped_even_when_many_partitions_hold_only_delayed_messages() {
    queen.configureQueueSync("q", QueueOptions.builder().delayedProcessing(30).build());
    pushRange(queen, "q", "old", 1, 1);
    clock.advance(Duration.ofSeconds(31));
    var first = pop(queen, "q", 1); // leases (and so marks as recently leased) partition "old"
    assertThat(ns(first)).containsExactly(1);
    queen.ackSync(AckItem.completed(first.messages().get(0)));
    pushRange(queen, "q", "old", 2, 2);
    clock.advance(Duration.ofSeconds(31)); // message 2 is due
    var young = new java.util.ArrayList<io.queen.model.PushItem>();
    for (int i = 0; i < 25; i++) {
      young.add(item("q", "young-" + i, 100 + i)); // never-leased partitions, not due for 30 s
    }
    queen.pushSync(young);
    assertThat(ns(pop(queen, "q", 1))).containsExactly(2);
  }

  // ---- windowBuffer --------------------------------------------------------------------------

  @Test
  void window_buffer_blocks_a_partition_while_its_newest_message_is_young() {
    queen.configureQueueSync("q", QueueOptions.builder().windowBuffer(10).build());
    pushRange(queen, "q", "busy", 1, 1);
    pushRange(queen, "q", "quiet", 100, 100);
    clock.advance(Duration.ofSeconds(11));
    // "quiet" is old enough; "busy" gets a new message that reopens its window
    pushRange(queen, "q", "busy", 2, 2);
    assertThat(popPartition(queen, "q", "busy", null, 10).outcome())
        .isEqualTo(PopOutcome.WINDOW_BUFFER_ACTIVE);
    var any = queen.popSync(PopRequest.fromQueue("q").batch(10).partitions(2).build());
    assertThat(ns(any)).containsExactly(100);

    clock.advance(Duration.ofSeconds(6)); // message 1 is 17 s old but the newest only 6 s
    assertThat(popPartition(queen, "q", "busy", "g", 10).outcome())
        .isEqualTo(PopOutcome.WINDOW_BUFFER_ACTIVE);
    assertThat(pop(queen, "q", 10).outcome()).isEqualTo(PopOutcome.NO_AVAILABLE_PARTITION);
    clock.advance(Duration.ofSeconds(5));
    assertThat(ns(popPartition(queen, "q", "busy", null, 10))).containsExactly(1, 2);
  }

  // ---- maxSize -------------------------------------------------------------------------------

  @Test
  void max_size_refuses_pushes_past_the_unconsumed_depth_and_stores_nothing_of_that_queue() {
    queen.configureQueueSync("small", QueueOptions.builder().maxSize(3).build());
    pushRange(queen, "small", null, 1, 2);
    var results = queen.pushSync(List.of(item("small", null, 3), item("free", null, 50),
        item("small", "other-partition", 4)));
    assertThat(results).extracting(PushResult::status)
        .containsExactly(PushStatus.FAILED, PushStatus.QUEUED, PushStatus.FAILED);
    assertThat(results.get(0).error()).contains("small").contains("maxSize").contains("3");
    assertThat(results.get(2).error()).isEqualTo(results.get(0).error());
    assertThat(results.get(0).messageId()).isNull();
    assertThat(storedMessages(database, "small")).isEqualTo(2);
    assertThat(storedMessages(database, "free")).isEqualTo(1);

    // exactly up to the limit is fine
    assertThat(queen.pushSync(item("small", null, 3)).status()).isEqualTo(PushStatus.QUEUED);
    assertThat(queen.pushSync(item("small", null, 4)).status()).isEqualTo(PushStatus.FAILED);
    // leased but unacked messages still count; consuming one frees one slot
    var popped = pop(queen, "small", 1);
    assertThat(queen.pushSync(item("small", null, 4)).status()).isEqualTo(PushStatus.FAILED);
    queen.ackSync(AckItem.completed(popped.messages().get(0)));
    assertThat(queen.pushSync(item("small", null, 4)).status()).isEqualTo(PushStatus.QUEUED);
    assertThat(queen.pushSync(item("small", null, 5)).status()).isEqualTo(PushStatus.FAILED);
    assertThat(ns(pop(queen, "small", 10))).containsExactly(2, 3, 4);
  }

  @Test
  void max_size_counts_queue_mode_only_and_zero_is_unlimited() {
    queen.configureQueueSync("big", QueueOptions.builder().maxSize(0).build());
    pushRange(queen, "big", null, 1, 50);
    assertThat(storedMessages(database, "big")).isEqualTo(50);
    queen.configureQueueSync("small", QueueOptions.builder().maxSize(1).build());
    pushRange(queen, "small", null, 1, 1);
    var m = pop(queen, "small", "g", 1).messages().get(0);
    queen.ackSync(AckItem.completed(m));
    assertThat(queen.pushSync(item("small", null, 2)).status()).isEqualTo(PushStatus.FAILED);
  }

  @Test
  void max_size_does_not_count_messages_already_completed_out_of_order() {
    queen.configureQueueSync("small", QueueOptions.builder().maxSize(3).build());
    pushRange(queen, "small", null, 1, 3);
    var ms = pop(queen, "small", 3).messages();
    queen.ackSync(List.of(io.queen.testing.Fixtures.ack(ms.get(0), io.queen.model.AckStatus.FAILED, "x"),
        AckItem.completed(ms.get(1)), AckItem.completed(ms.get(2))));
    // only message 1 is unconsumed: two more fit under maxSize 3
    var results = queen.pushSync(List.of(item("small", null, 4), item("small", null, 5)));
    assertThat(results).extracting(PushResult::status)
        .containsExactly(PushStatus.QUEUED, PushStatus.QUEUED);
  }

  @Test
  void max_size_counts_messages_requeued_from_the_dlq_as_unconsumed() {
    queen.configureQueueSync("small", QueueOptions.builder().maxSize(2).build());
    pushRange(queen, "small", null, 1, 2);
    var ms = pop(queen, "small", 2).messages();
    queen.ackSync(List.of(io.queen.testing.Fixtures.ack(ms.get(0), io.queen.model.AckStatus.DLQ, "x"),
        AckItem.completed(ms.get(1))));
    assertThat(queen.requeueDlq(new io.queen.model.DlqRequeue("small", null, List.of())).join())
        .isEqualTo(1);
    // message 1 is unconsumed again: 1 + 2 new > 2
    var results = queen.pushSync(List.of(item("small", null, 3), item("small", null, 4)));
    assertThat(results).extracting(PushResult::status)
        .containsExactly(PushStatus.FAILED, PushStatus.FAILED);
  }

  // ---- priority ----------------------------------------------------------------------------

  @Test
  void namespace_pops_prefer_higher_priority_queues() {
    queen.configureQueue("low", "shop", "mail", QueueOptions.builder().priority(1).build()).join();
    queen.configureQueue("high", "shop", "mail", QueueOptions.builder().priority(9).build()).join();
    queen.configureQueue("mid", "shop", "sms", QueueOptions.builder().priority(5).build()).join();
    queen.configureQueue("elsewhere", "other", "mail", QueueOptions.builder().priority(99).build()).join();
    pushRange(queen, "low", null, 1, 1); // oldest message, lowest priority
    pushRange(queen, "mid", null, 2, 2);
    pushRange(queen, "high", null, 3, 3);
    pushRange(queen, "elsewhere", null, 4, 4);

    var order = new java.util.ArrayList<Integer>();
    for (int i = 0; i < 3; i++) {
      var r = queen.popSync(PopRequest.fromNamespace("shop", null).batch(1).build());
      order.addAll(ns(r));
      queen.ackSync(AckItem.completed(r.messages().get(0)));
    }
    assertThat(order).containsExactly(3, 2, 1);
    assertThat(queen.popSync(PopRequest.fromNamespace("shop", null).build()).isEmpty()).isTrue();
  }

  @Test
  void task_pops_prefer_higher_priority_queues_and_match_only_that_task() {
    queen.configureQueue("a", "n1", "mail", QueueOptions.builder().priority(2).build()).join();
    queen.configureQueue("b", "n2", "mail", QueueOptions.builder().priority(8).build()).join();
    queen.configureQueue("c", "n1", "sms", QueueOptions.builder().priority(50).build()).join();
    pushRange(queen, "a", null, 1, 1);
    pushRange(queen, "c", null, 3, 3);
    pushRange(queen, "b", null, 2, 2);
    var first = queen.popSync(PopRequest.fromNamespace(null, "mail").batch(10).build());
    assertThat(ns(first)).containsExactly(2);
    var second = queen.popSync(PopRequest.fromNamespace(null, "mail").batch(10).build());
    assertThat(ns(second)).containsExactly(1);
    assertThat(queen.popSync(PopRequest.fromNamespace(null, "mail").build()).isEmpty()).isTrue();
    var both = queen.popSync(PopRequest.fromNamespace("n1", "sms").build());
    assertThat(ns(both)).containsExactly(3);
  }
}
