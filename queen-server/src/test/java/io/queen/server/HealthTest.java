package io.queen.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.queen.server.testing.ServerHarness;
import org.junit.jupiter.api.Test;

class HealthTest {
  @Test
  void without_the_database_health_says_degraded_and_pushes_are_buffered() {
    try (var h = ServerHarness.start()) {
      assertThat(h.get("/health").status()).isEqualTo(200);
      h.database.close(); // DROP DATABASE ... WITH (FORCE): every connection is gone for good
      var r = h.get("/health");
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.object().get("status").getAsString()).isEqualTo("degraded");
      assertThat(r.object().get("database").getAsString()).isEqualTo("disconnected");
      var ready = h.get("/health/ready");
      assertThat(ready.status()).isEqualTo(200);
      assertThat(ready.object().get("status").getAsString()).isEqualTo("degraded");
      assertThat(h.get("/health/live").object().get("status").getAsString()).isEqualTo("alive");
      var push = h.post("/api/v1/push", "{\"items\":[{\"queue\":\"q\",\"payload\":1}]}");
      assertThat(push.status()).as(push.toString()).isEqualTo(201);
      assertThat(push.json().getAsJsonArray().get(0).getAsJsonObject().get("status").getAsString())
          .isEqualTo("buffered");
      var buffers = h.get("/api/v1/status/buffers").object();
      assertThat(buffers.get("pending").getAsLong()).isEqualTo(1);
      assertThat(buffers.get("dbHealthy").getAsBoolean()).isFalse();
    }
  }

  @Test
  void without_a_file_buffer_health_answers_503_when_the_database_is_unreachable() {
    try (var h = ServerHarness.start(env -> {
      env.put("FILE_BUFFER_DIR", "none");
      return env;
    })) {
      assertThat(h.get("/health").status()).isEqualTo(200);
      h.database.close(); // DROP DATABASE ... WITH (FORCE): every connection is gone for good
      var r = h.get("/health");
      assertThat(r.status()).isEqualTo(503);
      assertThat(r.object().get("status").getAsString()).isEqualTo("unhealthy");
      assertThat(r.object().get("database").getAsString()).isEqualTo("disconnected");
      assertThat(r.headers().firstValue("Retry-After")).isPresent();
      assertThat(h.get("/health/ready").status()).isEqualTo(503);
      var live = h.get("/health/live");
      assertThat(live.status()).as("the process is up, the database is not its business")
          .isEqualTo(200);
      assertThat(live.object().get("version").getAsString()).isEqualTo(BuildInfo.version());
      var push = h.post("/api/v1/push", "{\"items\":[{\"queue\":\"q\",\"payload\":1}]}");
      assertThat(push.status()).as(push.toString()).isEqualTo(503);
      assertThat(push.headers().firstValue("Retry-After")).isPresent();
    }
  }

  @Test
  void a_server_started_without_its_database_is_live_but_not_ready_until_the_schema_is_migrated()
      throws java.io.IOException {
    int refused;
    try (var taken = new java.net.ServerSocket(0)) {
      refused = taken.getLocalPort(); // closed again: connections to it are refused
    }
    try (var h = ServerHarness.start(env -> {
      env.put("PG_PORT", String.valueOf(refused));
      return env;
    })) {
      var ready = h.get("/health/ready");
      assertThat(ready.status()).isEqualTo(503);
      assertThat(ready.object().get("status").getAsString()).isEqualTo("not_ready");
      assertThat(ready.object().get("reason").getAsString()).contains("schema");
      assertThat(ready.headers().firstValue("Retry-After")).isPresent();
      assertThat(h.get("/health/live").status()).isEqualTo(200);
    }
  }
}
