package io.queen.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.queen.testing.Conditions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The client against our real server over loopback. */
class QueenClientTest {
  private static final Duration BOUND = Duration.ofSeconds(30);

  private static TestServer server;
  private static QueenClient queen;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    queen = server.client();
  }

  @AfterAll
  static void stop() {
    queen.close();
    server.close();
  }

  @Test
  void a_pushed_message_is_popped_with_its_payload_and_acked_once() {
    var pushed = queen.queue("round-trip").partition("p1").push("{\"id\":1,\"name\":\"caf\\u00e9\"}");
    assertThat(pushed).singleElement().satisfies(r -> {
      assertThat(r.status()).isEqualTo(PushStatus.QUEUED);
      assertThat(r.messageId()).isNotNull();
    });

    var popped = queen.queue("round-trip").batch(10).pop();
    assertThat(popped).hasSize(1);
    var m = popped.get(0);
    assertThat(m.partition()).isEqualTo("p1");
    assertThat(m.queue()).isEqualTo("round-trip");
    assertThat(m.transactionId()).isEqualTo(pushed.get(0).transactionId());
    assertThat(m.value()).isEqualTo(Map.of("id", 1L, "name", "café"));

    assertThat(queen.ack(m).success()).isTrue();
    assertThat(queen.queue("round-trip").pop()).isEmpty();
  }

  @Test
  void a_push_repeated_with_the_same_transaction_id_is_answered_duplicate() {
    var item = PushItem.of("\"once\"").withTransactionId("order-1");
    assertThat(queen.queue("dedup").push(List.of(item)).get(0).status()).isEqualTo(PushStatus.QUEUED);
    assertThat(queen.queue("dedup").push(List.of(item)).get(0).status()).isEqualTo(PushStatus.DUPLICATE);
  }

  @Test
  void pop_async_and_long_poll_complete_when_a_message_arrives() throws Exception {
    var waiting = queen.queue("long-poll").wait(true).timeout(Duration.ofSeconds(20)).popAsync();
    queen.queue("long-poll").pushAsync("42").get(10, TimeUnit.SECONDS);
    var messages = waiting.get(20, TimeUnit.SECONDS);
    assertThat(messages).singleElement().extracting(Message::data).isEqualTo("42");
    assertThat(queen.ackAsync(messages.get(0), AckStatus.COMPLETED, null).get(10, TimeUnit.SECONDS).success()).isTrue();
  }

  @Test
  void a_consumer_with_four_threads_gets_every_message_once_in_partition_order_and_acks_it() throws Exception {
    int partitions = 8;
    int perPartition = 50;
    for (int p = 0; p < partitions; p++) {
      var payloads = new ArrayList<String>();
      for (int i = 0; i < perPartition; i++) {
        payloads.add("{\"p\":" + p + ",\"seq\":" + i + "}");
      }
      queen.queue("fan").partition("part-" + p).push(payloads.toArray(String[]::new));
    }
    var seen = new ConcurrentHashMap<String, List<Long>>();
    var threads = ConcurrentHashMap.<String>newKeySet();
    var total = new AtomicInteger();
    try (var consumer = queen.queue("fan").batch(10).concurrency(4).wait(true).timeout(Duration.ofSeconds(2))
        .consume(m -> {
          threads.add(Thread.currentThread().getName());
          var seq = (Long) ((Map<?, ?>) m.value()).get("seq");
          seen.computeIfAbsent(m.partition(), k -> Collections.synchronizedList(new ArrayList<>())).add(seq);
          total.incrementAndGet();
        })) {
      Conditions.await("every message handled", BOUND, () -> total.get() >= partitions * perPartition);
      Conditions.await("every batch acked", BOUND,
          () -> queen.queue("fan").pop().isEmpty() && consumer.handled() == partitions * perPartition);
      assertThat(consumer.ackFailures()).isZero();
    }
    assertThat(total.get()).isEqualTo(partitions * perPartition);
    assertThat(seen).hasSize(partitions);
    for (var e : seen.entrySet()) {
      var expected = new ArrayList<Long>();
      for (long i = 0; i < perPartition; i++) {
        expected.add(i);
      }
      assertThat(e.getValue()).as(e.getKey()).containsExactlyElementsOf(expected);
    }
    assertThat(threads).allMatch(n -> n.startsWith("queen-client-consumer-fan-"));
  }

  @Test
  void a_handler_exception_fails_the_message_which_is_redelivered_until_the_retry_limit_then_dead_lettered() {
    queen.queue("flaky").config(QueueConfig.builder().retryLimit(2).build()).create();
    queen.queue("flaky").push("{\"poison\":true}");
    var attempts = new AtomicInteger();
    try (var consumer = queen.queue("flaky").wait(true).timeout(Duration.ofSeconds(1)).consume(m -> {
      attempts.incrementAndGet();
      throw new IllegalStateException("cannot bill order 7");
    })) {
      Conditions.await("the message dead-lettered", BOUND, () -> queen.queue("flaky").dlq().get().total() == 1);
      assertThat(consumer.failed()).isEqualTo(attempts.get());
    }
    assertThat(attempts.get()).as("delivered retryLimit + 1 times").isEqualTo(3);
    var dead = queen.queue("flaky").dlq().get().messages().get(0);
    assertThat(dead.errorMessage()).isEqualTo("cannot bill order 7");
    assertThat(dead.data()).isEqualTo("{\"poison\":true}");
    assertThat(queen.queue("flaky").dlq().requeue(dead.id())).isEqualTo(1);
    // the consumer's last long poll was aborted at close, so nothing holds the message back
    var again = queen.queue("flaky").wait(true).timeout(Duration.ofSeconds(5)).pop();
    assertThat(again).extracting(m -> m.data()).containsExactly("{\"poison\":true}");
  }

  @Test
  void a_transaction_acks_and_pushes_together_and_a_rolled_back_one_does_neither() {
    queen.queue("tx-in").push("{\"order\":1}", "{\"order\":2}");
    var batch = queen.queue("tx-in").batch(2).pop();
    assertThat(batch).hasSize(2);

    var result = queen.transaction().ack(batch.get(0)).queue("tx-out").partition("p").push("{\"invoice\":1}").commit();
    assertThat(result.acks()).singleElement().extracting(AckResult::success).isEqualTo(true);
    assertThat(result.pushes()).singleElement().extracting(PushResult::status).isEqualTo(PushStatus.QUEUED);
    assertThat(queen.queue("tx-out").pop()).singleElement().extracting(Message::data).isEqualTo("{\"invoice\":1}");

    var unknown = new Message(null, "no-such-message", java.util.UUID.randomUUID().toString(), "p", "tx-in",
        null, null, 0, null, "null", null);
    assertThatThrownBy(() -> queen.transaction().ack(batch.get(1)).ack(unknown).queue("tx-out")
        .push("{\"invoice\":2}").commit())
        .isInstanceOfSatisfying(QueenClientException.class, e -> {
          assertThat(e.getMessage()).contains("rolled back");
          assertThat(e.serverError()).isNotBlank();
        });
    assertThat(queen.queue("tx-out").pop()).as("the rolled back push").isEmpty();
    assertThat(queen.ack(batch.get(1)).success()).as("the rolled back ack left it to settle").isTrue();
  }

  @Test
  void lease_renewal_keeps_the_lease_of_a_handler_slower_than_the_lease_time() throws Exception {
    queen.queue("slow").config(QueueConfig.builder().leaseTime(1).build()).create();
    queen.queue("slow").push("{\"slow\":true}");
    var entered = new CountDownLatch(1);
    var release = new CountDownLatch(1);
    var calls = new AtomicInteger();
    try (var consumer = queen.queue("slow").wait(true).timeout(Duration.ofSeconds(1)).renewLease(true, 200)
        .consume(m -> {
          calls.incrementAndGet();
          entered.countDown();
          release.await(BOUND.toSeconds(), TimeUnit.SECONDS);
        })) {
      assertThat(entered.await(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
      Conditions.await("renewals past the 1 s lease time", BOUND, () -> consumer.leaseRenewals() >= 8);
      assertThat(queen.queue("slow").pop()).as("still leased to the slow handler").isEmpty();
      release.countDown();
      Conditions.await("the message acked", BOUND, () -> consumer.handled() == 1 && queen.queue("slow").pop().isEmpty());
      assertThat(consumer.ackFailures()).isZero();
    }
    assertThat(calls.get()).isEqualTo(1);
  }

  @Test
  void without_lease_renewal_a_slow_handlers_message_is_redelivered_after_the_lease_time() throws Exception {
    queen.queue("slow-unrenewed").config(QueueConfig.builder().leaseTime(1).build()).create();
    queen.queue("slow-unrenewed").push("{\"slow\":true}");
    var first = queen.queue("slow-unrenewed").pop();
    assertThat(first).hasSize(1);
    Conditions.await("the lease expired and the message came back", BOUND,
        () -> !queen.queue("slow-unrenewed").autoAck(true).pop().isEmpty());
  }

  @Test
  void consumer_groups_each_get_every_message() {
    queen.queue("bus").push("1", "2");
    var billing = queen.queue("bus").group("billing").batch(10).pop();
    var audit = queen.queue("bus").group("audit").batch(10).pop();
    assertThat(billing).extracting(Message::data).containsExactly("1", "2");
    assertThat(audit).extracting(Message::data).containsExactly("1", "2");
    assertThat(queen.ack(billing, AckStatus.COMPLETED)).allMatch(AckResult::success);
    assertThat(billing.get(0).consumerGroup()).isEqualTo("billing");
  }

  @Test
  void admin_configures_lists_toggles_maintenance_and_deletes_queues() {
    queen.queue("admin-q").namespace("shop").task("bill").create();
    assertThat(queen.admin().listQueues()).contains("\"admin-q\"");
    assertThat(queen.admin().getQueue("admin-q")).contains("\"shop\"");
    assertThat(queen.admin().health()).contains("healthy");

    queen.admin().setPopMaintenanceMode(true);
    try {
      assertThat(queen.admin().popMaintenanceMode()).isTrue();
    } finally {
      queen.admin().setPopMaintenanceMode(false);
    }
    assertThat(queen.admin().popMaintenanceMode()).isFalse();

    assertThat(queen.queue("admin-q").delete()).isTrue();
    assertThatThrownBy(() -> queen.admin().getQueue("admin-q"))
        .isInstanceOfSatisfying(QueenClientException.class, e -> {
          assertThat(e.status()).isEqualTo(404);
          assertThat(e.serverError()).isEqualTo("Queue not found");
        });
  }

  @Test
  void a_request_the_server_refuses_names_the_status_and_the_servers_error() {
    assertThatThrownBy(() -> queen.queue("x").subscriptionFrom("yesterday").group("g").pop())
        .isInstanceOfSatisfying(QueenClientException.class, e -> {
          assertThat(e.status()).isEqualTo(400);
          assertThat(e.serverError()).contains("subscriptionFrom");
          assertThat(e.getMessage()).contains("GET /api/v1/pop/queue/x").contains("HTTP 400");
        });
  }

  @Test
  void names_with_slashes_and_spaces_round_trip() {
    queen.queue("a/b c").partition("p q").push("true");
    assertThat(queen.queue("a/b c").partition("p q").pop()).singleElement()
        .satisfies(m -> assertThat(m.partition()).isEqualTo("p q"));
  }

  @Test
  void a_closed_client_refuses_calls() {
    var c = server.client();
    c.close();
    assertThatThrownBy(() -> c.queue("q")).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }
}
