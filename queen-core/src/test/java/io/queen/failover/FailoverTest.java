package io.queen.failover;

import static io.queen.testing.Fixtures.awaitCondition;
import static io.queen.testing.Fixtures.item;
import static io.queen.testing.Fixtures.ns;
import static io.queen.testing.Fixtures.pop;
import static io.queen.testing.Fixtures.pushRange;
import static io.queen.testing.Fixtures.storedMessages;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.queen.ConnectionSettings;
import io.queen.FileBufferSettings;
import io.queen.Queen;
import io.queen.QueenConfig;
import io.queen.QueueManager;
import io.queen.error.InvalidRequestException;
import io.queen.error.OverloadedException;
import io.queen.model.PopOutcome;
import io.queen.model.PopRequest;
import io.queen.model.PushStatus;
import io.queen.testing.QueenTestSupport;
import io.queen.testing.TcpProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pushes keep being accepted while PostgreSQL is away or push maintenance is on: they are buffered
 * on disk and stored later, in order, exactly once.
 */
class FailoverTest extends QueenTestSupport {
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private QueueManager buffered(String url, String name) {
    return buffered(url, name, b -> b);
  }

  private QueueManager buffered(String url, String name,
      java.util.function.UnaryOperator<QueenConfig.Builder> customize) {
    var config = customize.apply(QueenConfig.builder().summaryInterval(Duration.ZERO)
        .fileBuffer(FileBufferSettings.at(database.scratch().resolve(name)))).build();
    var m = Queen.connect(new ConnectionSettings(url, null, null, config.dbThreads() + 1,
        Duration.ofMillis(500)), config);
    closeAfter(m);
    return m;
  }

  private final List<AutoCloseable> closing = new ArrayList<>();

  private void closeAfter(AutoCloseable c) {
    closing.add(c);
  }

  @org.junit.jupiter.api.AfterEach
  void closeOwn() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
  }

  private static void awaitDrained(QueueManager m) {
    awaitCondition(PATIENCE, () -> m.bufferStatus().pendingMessages() == 0);
  }

  @Test
  void pushes_while_the_database_is_cut_are_buffered_and_stored_once_in_order_when_it_returns()
      throws Exception {
    var proxy = new TcpProxy("127.0.0.1", 5432);
    closeAfter(proxy);
    var m = buffered(proxy.route(database.url()), "cut");
    pushRange(m, "q", "p", 1, 5);

    proxy.cut();
    for (int n = 6; n <= 10; n++) { // one producer: each push after the last one's answer
      var r = m.pushSync(item("q", "p", n));
      assertThat(r.status()).as("push %s", n).isEqualTo(PushStatus.BUFFERED);
      assertThat(r.transactionId()).isEqualTo("tx-" + n);
      assertThat(r.messageId()).isNotNull();
    }
    // a retry of a push that had committed before the cut: buffered, and not stored twice
    assertThat(m.pushSync(item("q", "p", 3)).status()).isEqualTo(PushStatus.BUFFERED);
    assertThat(m.bufferStatus().pendingMessages()).isEqualTo(6);
    assertThat(m.bufferStatus().databaseHealthy()).isFalse();
    assertThat(storedMessages(database, "q")).isEqualTo(5);

    proxy.restore();
    awaitDrained(m);
    var all = queen.popSync(PopRequest.fromQueue("q").partition("p").batch(100).build());
    assertThat(ns(all)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    assertThat(storedMessages(database, "q")).isEqualTo(10);
    assertThat(m.bufferStatus().databaseHealthy()).isTrue();
    assertThat(m.bufferStatus().replayedMessages()).isEqualTo(6);
    // and the next push goes straight to the database again
    assertThat(m.pushSync(item("q", "p", 11)).status()).isEqualTo(PushStatus.QUEUED);
  }

  @Test
  void push_maintenance_buffers_every_push_until_it_is_switched_off_then_they_replay_in_order() {
    var m = buffered(database.url(), "maintenance");
    var other = newManager(b -> b); // no file buffer of its own
    m.setPushMaintenance(true).join();

    var results = m.pushSync(List.of(item("q", "p", 1), item("q", "p", 2).withProducerSub("bob"),
        item("q", "p", 3)));
    assertThat(results).extracting(r -> r.status()).containsOnly(PushStatus.BUFFERED);
    assertThat(storedMessages(database, "q")).isZero();
    assertThat(pop(m, "q", 10).isEmpty()).isTrue();
    // every instance on the database hears of it; one without a buffer refuses pushes
    awaitCondition(PATIENCE, () -> other.maintenance().pushMaintenance());
    assertThatThrownBy(() -> other.pushSync(item("q", "p", 99)))
        .isInstanceOf(OverloadedException.class).hasMessageContaining("push maintenance is on");
    // the switch is stored: a new instance starts with it on
    assertThat(newManager(b -> b).maintenance().pushMaintenance()).isTrue();
    // still buffered while it is on, however long it stays on
    assertThat(m.bufferStatus().pendingMessages()).isEqualTo(3);

    m.setPushMaintenance(false).join();
    awaitDrained(m);
    var replayed = m.popSync(PopRequest.fromQueue("q").partition("p").batch(10).build());
    assertThat(ns(replayed)).containsExactly(1, 2, 3);
    // what the buffer kept of each message includes who produced it
    assertThat(replayed.messages()).extracting(x -> x.producerSub()).containsExactly(null, "bob", null);
  }

  @Test
  void pop_maintenance_answers_at_once_with_nothing_and_leases_nothing() {
    pushRange(queen, "q", null, 1, 1);
    queen.setPopMaintenance(true).join();
    var paused = queen.popSync(PopRequest.fromQueue("q").wait(Duration.ofSeconds(30)).build());
    assertThat(paused.outcome()).isEqualTo(PopOutcome.PAUSED);
    assertThat(paused.isEmpty()).isTrue();
    assertThat(queen.maintenance().popMaintenance()).isTrue();

    queen.setPopMaintenance(false).join();
    assertThat(ns(pop(queen, "q", 1))).containsExactly(1);
  }

  @Test
  void push_maintenance_cannot_be_switched_on_where_there_is_no_buffer_to_keep_pushes_in() {
    assertThatThrownBy(() -> queen.setPushMaintenance(true))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("needs a file buffer");
    assertThat(queen.maintenance().pushMaintenance()).isFalse();
    assertThat(queen.bufferStatus().enabled()).isFalse();
  }

  @Test
  void what_a_stopped_instance_left_in_its_buffer_replays_when_it_starts_again() {
    var m = buffered(database.url(), "restart");
    m.setPushMaintenance(true).join();
    var r = m.pushSync(List.of(item("q", "p", 1), item("q", "p", 2)));
    assertThat(r).extracting(x -> x.status()).containsOnly(PushStatus.BUFFERED);
    m.close();

    var again = buffered(database.url(), "restart");
    assertThat(again.bufferStatus().pendingMessages()).isEqualTo(2);
    again.setPushMaintenance(false).join();
    awaitDrained(again);
    assertThat(ns(pop(again, "q", 10))).containsExactly(1, 2);
  }

  @Test
  void an_instance_starts_without_the_database_takes_pushes_and_migrates_when_it_appears()
      throws Exception {
    var proxy = new TcpProxy("127.0.0.1", 5432);
    closeAfter(proxy);
    proxy.cut();
    var fresh = io.queen.testing.TestDatabase.create(); // nothing migrated yet
    closeAfter(fresh);
    var m = buffered(proxy.route(fresh.url()), "cold");
    assertThat(m.checkDatabase().join()).isFalse();
    var r = m.pushSync(List.of(item("q", "p", 1), item("q", "p", 2)));
    assertThat(r).extracting(x -> x.status()).containsOnly(PushStatus.BUFFERED);

    proxy.restore();
    awaitDrained(m);
    assertThat(ns(m.popSync(PopRequest.fromQueue("q").partition("p").batch(10).build())))
        .containsExactly(1, 2);
    assertThat(m.pushSync(item("q", "p", 3)).status()).isEqualTo(PushStatus.QUEUED);
  }

  @Test
  void a_buffered_push_the_database_refuses_for_good_is_kept_aside_and_the_rest_replays()
      throws Exception {
    var m = buffered(database.url(), "refused", b -> b.autoCreateQueues(false));
    m.configureQueueSync("known", io.queen.model.QueueOptions.builder().build());
    m.setPushMaintenance(true).join();
    m.pushSync(item("known", "p", 1));
    m.pushSync(item("unknown", "p", 2)); // validated, but only PostgreSQL knows the queue is not there
    m.pushSync(item("known", "p", 3));
    m.setPushMaintenance(false).join();
    awaitDrained(m);

    assertThat(ns(m.popSync(PopRequest.fromQueue("known").partition("p").batch(10).build())))
        .containsExactly(1, 3);
    assertThat(m.bufferStatus().rejectedMessages()).isEqualTo(1);
    var kept = java.nio.file.Files.readAllLines(database.scratch().resolve("refused")
        .resolve("rejected.jsonl"));
    assertThat(kept).hasSize(1);
    assertThat(kept.get(0)).contains("\"queue\":\"unknown\"").contains("\"transactionId\":\"tx-2\"")
        .contains("\"payload\":{\"n\":2}").contains("does not exist");
  }

  @Test
  void a_buffered_push_to_an_encrypted_queue_is_on_disk_encrypted_and_stored_encrypted_once()
      throws Exception {
    var key = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    var m = buffered(database.url(), "sealed", b -> b.encryption(io.queen.EncryptionKeys.of(key)));
    m.configureQueueSync("vault", io.queen.model.QueueOptions.builder().encryptionEnabled(true)
        .build());
    m.setPushMaintenance(true).join();
    m.pushSync(new io.queen.model.PushItem("vault", null, "{\"card\":\"4111-1111\"}", "c-1",
        null));
    try (var files = java.nio.file.Files.list(database.scratch().resolve("sealed"))) {
      for (var f : files.filter(p -> p.toString().endsWith(".qbuf")).toList()) {
        assertThat(new String(java.nio.file.Files.readAllBytes(f),
            java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("4111");
      }
    }
    m.setPushMaintenance(false).join();
    awaitDrained(m);

    var stored = (String) io.queen.testing.Fixtures.rows(database,
        "SELECT payload::text AS p FROM queen.messages WHERE transaction_id = 'c-1'").get(0).get("p");
    assertThat(io.queen.internal.crypto.PayloadCipher.of(io.queen.EncryptionKeys.of(key))
        .decrypt(stored)).isEqualTo("{\"card\":\"4111-1111\"}");
    assertThat(pop(m, "vault", 1).messages().get(0).payloadJson()).contains("4111-1111");
  }
}
