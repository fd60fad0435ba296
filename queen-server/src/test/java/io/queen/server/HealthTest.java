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
      var push = h.post("/api/v1/push", "{\"items\":[{\"queue\":\"q\",\"payload\":1}]}");
      assertThat(push.status()).as(push.toString()).isEqualTo(503);
      assertThat(push.headers().firstValue("Retry-After")).isPresent();
    }
  }
}
