package io.queen.semantics;

import static io.queen.testing.Fixtures.ack;
import static io.queen.testing.Fixtures.n;
import static io.queen.testing.Fixtures.pop;
import static io.queen.testing.Fixtures.rows;
import static io.queen.testing.Fixtures.scalarLong;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonParser;
import io.queen.EncryptionKeys;
import io.queen.QueueManager;
import io.queen.error.EncryptionException;
import io.queen.error.InvalidRequestException;
import io.queen.internal.crypto.PayloadCipher;
import io.queen.model.AckStatus;
import io.queen.model.DlqQuery;
import io.queen.model.PopRequest;
import io.queen.model.PushItem;
import io.queen.model.PushStatus;
import io.queen.model.QueueOptions;
import io.queen.model.TransactionRequest;
import io.queen.testing.QueenTestSupport;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Payload encryption (AES-256-GCM) of queues with {@code encryptionEnabled}: stored encrypted in
 * the original's format, read back plain wherever a payload is shown, never stored plain, never
 * delivered undecrypted.
 */
class EncryptionTest extends QueenTestSupport {
  private static final String KEY =
      "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
  private static final String OLD_KEY =
      "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";
  private static final QueueOptions ENCRYPTED =
      QueueOptions.builder().encryptionEnabled(true).retryLimit(0).build();
  private static final String SECRET = "{\"n\":1,\"card\":\"4111-1111\"}";

  private QueueManager keyed(String current, String... previous) {
    return newManager(b -> b.encryption(new EncryptionKeys(current, List.of(previous))));
  }

  private String stored(String transactionId) {
    return (String) rows(database, "SELECT payload::text AS p FROM queen.messages"
        + " WHERE transaction_id = ?", transactionId).get(0).get("p");
  }

  private boolean storedEncrypted(String transactionId) {
    return (Boolean) rows(database, "SELECT is_encrypted AS e FROM queen.messages"
        + " WHERE transaction_id = ?", transactionId).get(0).get("e");
  }

  private static String decrypt(String key, String stored) {
    return PayloadCipher.of(EncryptionKeys.of(key)).decrypt(stored);
  }

  @Test
  void a_payload_of_an_encrypted_queue_is_stored_encrypted_and_read_back_plain_everywhere() {
    var q = keyed(KEY);
    q.configureQueueSync("vault", ENCRYPTED);
    q.pushSync(List.of(new PushItem("vault", null, SECRET, "secret-1", null),
        new PushItem("open", null, SECRET, "plain-1", null)));

    var stored = JsonParser.parseString(stored("secret-1")).getAsJsonObject();
    assertThat(stored.keySet()).containsExactlyInAnyOrder("encrypted", "iv", "authTag");
    assertThat(stored.toString()).doesNotContain("4111");
    assertThat(storedEncrypted("secret-1")).isTrue();
    assertThat(JsonParser.parseString(decrypt(KEY, stored.toString())))
        .isEqualTo(JsonParser.parseString(SECRET));
    assertThat(stored("plain-1")).contains("4111");
    assertThat(storedEncrypted("plain-1")).isFalse();

    var m = pop(q, "vault", 1).messages().get(0);
    assertThat(JsonParser.parseString(m.payloadJson())).isEqualTo(JsonParser.parseString(SECRET));
    var detail = q.admin().message(m.partitionId(), "secret-1").join().orElseThrow();
    assertThat(detail.encrypted()).isTrue();
    assertThat(JsonParser.parseString(detail.payloadJson()))
        .isEqualTo(JsonParser.parseString(SECRET));

    q.ackSync(ack(m, AckStatus.DLQ, "refused"));
    var dead = q.listDlq(DlqQuery.forQueue("vault")).join().entries();
    assertThat(dead).hasSize(1);
    assertThat(JsonParser.parseString(dead.get(0).payloadJson()))
        .isEqualTo(JsonParser.parseString(SECRET));
  }

  @Test
  void a_transaction_stores_its_push_to_an_encrypted_queue_encrypted_exactly_once() {
    var q = keyed(KEY);
    q.configureQueueSync("vault", ENCRYPTED);
    var result = q.transactionSync(new TransactionRequest(List.of(),
        List.of(new PushItem("vault", null, SECRET, "tx-secret", null)), List.of()));
    assertThat(result.success()).isTrue();

    // one decryption gives the payload: not sealed twice
    assertThat(JsonParser.parseString(decrypt(KEY, stored("tx-secret"))))
        .isEqualTo(JsonParser.parseString(SECRET));
    assertThat(n(pop(q, "vault", 1).messages().get(0))).isEqualTo(1);
  }

  @Test
  void an_instance_that_has_not_heard_the_queue_is_encrypted_still_never_stores_plain_text() {
    var early = keyed(KEY); // started before the queue was encrypted: it does not know
    var configurer = keyed(KEY);
    configurer.configureQueueSync("vault", ENCRYPTED);

    var pushed = early.pushSync(List.of(new PushItem("open", null, "{\"n\":0}", "p-0", null),
        new PushItem("vault", "a", "{\"n\":1}", "v-1", null),
        new PushItem("vault", "a", "{\"n\":2}", "v-2", null)));
    var other = keyed(KEY);
    var inTransaction = other.transactionSync(new TransactionRequest(List.of(),
        List.of(new PushItem("vault", "a", "{\"n\":3}", "v-3", null)), List.of()));
    // and one that learns it from a transaction
    var late = keyed(KEY);
    configurer.configureQueueSync("vault2", ENCRYPTED);
    var lateTx = late.transactionSync(new TransactionRequest(List.of(),
        List.of(new PushItem("vault2", null, "{\"n\":4}", "v-4", null)), List.of()));

    assertThat(pushed).extracting(r -> r.status()).containsOnly(PushStatus.QUEUED);
    assertThat(inTransaction.success()).isTrue();
    assertThat(lateTx.success()).isTrue();
    for (var tx : List.of("v-1", "v-2", "v-3", "v-4")) {
      assertThat(storedEncrypted(tx)).as(tx).isTrue();
      assertThat(decrypt(KEY, stored(tx))).as(tx).startsWith("{\"n\":");
    }
    assertThat(storedEncrypted("p-0")).isFalse();
    // the resent items kept their order in the partition
    var popped = early.popSync(PopRequest.fromQueue("vault").partition("a").batch(10).build());
    assertThat(popped.messages()).extracting(m -> n(m)).containsExactly(1, 2, 3);
  }

  @Test
  void a_push_in_the_applications_transaction_by_an_instance_that_has_not_heard_is_stored_encrypted()
      throws Exception {
    var early = keyed(KEY); // does not know the queue is encrypted: push_v1 refuses, it seals
    keyed(KEY).configureQueueSync("vault", ENCRYPTED);
    try (var app = database.connect()) {
      app.setAutoCommit(false);
      var pushed = early.push(app, List.of(new PushItem("open", null, "{\"n\":0}", "p-0", null),
          new PushItem("vault", "a", "{\"n\":1}", "v-1", null),
          new PushItem("vault", "a", "{\"n\":2}", "v-2", null)));
      assertThat(pushed).extracting(r -> r.status()).containsOnly(PushStatus.QUEUED);
      app.commit();
    }
    assertThat(storedEncrypted("p-0")).isFalse();
    for (var tx : List.of("v-1", "v-2")) {
      assertThat(storedEncrypted(tx)).as(tx).isTrue();
      assertThat(decrypt(KEY, stored(tx))).as(tx).startsWith("{\"n\":");
    }
    assertThat(pop(early, "vault", 10).messages()).extracting(m -> n(m)).containsExactly(1, 2);
  }

  @Test
  void without_a_key_an_encrypted_queue_is_refused_clearly_and_nothing_is_stored_plain() {
    var unaware = newManager(b -> b); // no key, started before the queue was encrypted
    var unawareReader = newManager(b -> b); // the same, and it never pushes
    assertThatThrownBy(() -> queen.configureQueueSync("vault", ENCRYPTED))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("encryptionEnabled")
        .hasMessageContaining("no encryption key")
        .hasMessageContaining("QUEEN_ENCRYPTION_KEY");

    var keyed = keyed(KEY);
    keyed.configureQueueSync("vault", ENCRYPTED);
    keyed.pushSync(new PushItem("vault", null, SECRET, "secret-1", null));
    var aware = newManager(b -> b); // no key, started after: knows the queue is encrypted

    for (var manager : List.of(aware, unaware)) {
      var r = manager.pushSync(new PushItem("vault", null, "{\"n\":2}", null, null));
      assertThat(r.status()).isEqualTo(PushStatus.FAILED);
      assertThat(r.error()).contains("encryptionEnabled").contains("no encryption key");
    }
    assertThat(scalarLong(database, "SELECT count(*) FROM queen.messages")).isEqualTo(1);
    var tx = aware.transactionSync(new TransactionRequest(List.of(),
        List.of(new PushItem("vault", null, "{\"n\":3}", null, null)), List.of()));
    assertThat(tx.success()).isFalse();
    assertThat(tx.error()).contains("no encryption key");

    assertThatThrownBy(() -> aware.popSync(PopRequest.fromQueue("vault").build()))
        .isInstanceOf(EncryptionException.class)
        .hasMessage("Queue 'vault' has encryptionEnabled and this server has no encryption key"
            + " (QUEEN_ENCRYPTION_KEY) to decrypt its messages");
    // one that never heard finds out only when it reads the payload: its pop (auto-ack even)
    // rolls back, so the message was neither leased nor settled
    var id = rows(database, "SELECT id FROM queen.messages").get(0).get("id");
    assertThatThrownBy(
        () -> unawareReader.popSync(PopRequest.fromQueue("vault").autoAck(true).build()))
        .isInstanceOf(EncryptionException.class)
        .hasMessage("message " + id + " of queue 'vault' is stored encrypted and this server has"
            + " no encryption key (QUEEN_ENCRYPTION_KEY)");
    var delivered = pop(keyed, "vault", 1).messages();
    assertThat(delivered).hasSize(1);
    assertThat(delivered.get(0).transactionId()).isEqualTo("secret-1");
  }

  @Test
  void a_rotated_key_still_decrypts_what_the_previous_key_encrypted_and_encrypts_the_new() {
    var before = keyed(OLD_KEY);
    before.configureQueueSync("vault", ENCRYPTED);
    before.pushSync(new PushItem("vault", "a", "{\"n\":1}", "old-1", null));
    before.close();

    var rotated = keyed(KEY, OLD_KEY);
    rotated.pushSync(new PushItem("vault", "a", "{\"n\":2}", "new-2", null));

    assertThat(rotated.popSync(PopRequest.fromQueue("vault").partition("a").batch(10).build())
        .messages()).extracting(m -> n(m)).containsExactly(1, 2);
    assertThat(decrypt(KEY, stored("new-2"))).isEqualTo("{\"n\":2}");
    assertThatThrownBy(() -> decrypt(OLD_KEY, stored("new-2")))
        .isInstanceOf(PayloadCipher.PayloadCipherException.class);

    // without the previous key the old message cannot be opened: a clear error, not ciphertext
    var withoutTheOldKey = keyed(KEY);
    var partition = (java.util.UUID) rows(database, "SELECT partition_id FROM queen.messages"
        + " WHERE transaction_id = 'old-1'").get(0).get("partition_id");
    assertThatThrownBy(() -> withoutTheOldKey.admin().message(partition, "old-1").join())
        .hasRootCauseInstanceOf(EncryptionException.class)
        .rootCause().hasMessageContaining("of queue 'vault' cannot be decrypted: no configured key"
            + " opens the stored payload");
  }
}
