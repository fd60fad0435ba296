package io.queen.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import io.queen.server.testing.ServerHarness;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** Encrypted queues over HTTP: QUEEN_ENCRYPTION_KEY, the refusals without it, plain reads. */
class EncryptionEndpointsTest {
  private static final String KEY = "0123456789abcdef".repeat(4);

  @Test
  void a_server_with_a_key_stores_an_encrypted_queue_encrypted_and_answers_in_plain_text()
      throws SQLException {
    try (var h = ServerHarness.start(env -> {
      env.put("QUEEN_ENCRYPTION_KEY", KEY);
      return env;
    })) {
      var configured = h.post("/api/v1/configure",
          "{\"queue\":\"vault\",\"options\":{\"encryptionEnabled\":true}}");
      assertThat(configured.status()).as(configured.toString()).isEqualTo(200);
      var pushed = h.post("/api/v1/push", "{\"items\":[{\"queue\":\"vault\",\"transactionId\":"
          + "\"card-1\",\"payload\":{\"card\":\"4111-1111\"}}]}");
      assertThat(pushed.status()).as(pushed.toString()).isEqualTo(201);
      var partition = pushed.json().getAsJsonArray().get(0).getAsJsonObject()
          .get("partition_id").getAsString();

      try (var c = h.database.connect(); var rs = c.createStatement().executeQuery(
          "SELECT payload::text, is_encrypted FROM queen.messages")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).doesNotContain("4111").contains("\"authTag\"");
        assertThat(rs.getBoolean(2)).isTrue();
      }

      var detail = h.get("/api/v1/messages/" + partition + "/card-1");
      assertThat(detail.status()).as(detail.toString()).isEqualTo(200);
      assertThat(detail.object().get("isEncrypted").getAsBoolean()).isTrue();
      assertThat(detail.object().get("payload").toString()).contains("4111-1111");

      var popped = h.get("/api/v1/pop/queue/vault?wait=false&autoAck=true");
      assertThat(popped.status()).as(popped.toString()).isEqualTo(200);
      assertThat(popped.object().getAsJsonArray("messages").get(0).getAsJsonObject().get("data"))
          .isEqualTo(JsonParser.parseString("{\"card\":\"4111-1111\"}"));
    }
  }

  @Test
  void a_server_without_a_key_refuses_an_encrypted_queue_and_names_the_variable() {
    try (var h = ServerHarness.start()) {
      var r = h.post("/api/v1/configure",
          "{\"queue\":\"vault\",\"options\":{\"encryptionEnabled\":true}}");
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.error()).contains("encryptionEnabled").contains("QUEEN_ENCRYPTION_KEY");
      assertThat(h.get("/api/v1/resources/queues/vault").status()).isEqualTo(404);
    }
  }
}
