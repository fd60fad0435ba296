package io.queen.client;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClientSettingsTest {

  @Test
  void every_invalid_client_setting_is_reported_at_once_with_its_value() {
    assertThatThrownBy(() -> QueenClient.builder()
        .urls("ftp://example.org", "http://127.0.0.1:6632")
        .retryAttempts(0)
        .requestTimeout(Duration.ZERO)
        .retryDelay(Duration.ofSeconds(2), Duration.ofSeconds(1))
        .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("urls[0] must be an http or https URL with a host, was 'ftp://example.org'")
        .hasMessageContaining("retryAttempts must be between 1 and 100, was 0")
        .hasMessageContaining("requestTimeout must be positive, was 0 ms")
        .hasMessageContaining("maxRetryDelay must be at least retryDelay (2000 ms), was 1000 ms");
  }

  @Test
  void a_client_needs_a_url() {
    assertThatThrownBy(() -> QueenClient.builder().build())
        .hasMessageContaining("at least one server URL is required");
  }

  @Test
  void every_invalid_consumer_setting_is_reported_at_once_before_any_thread_starts() {
    try (var client = QueenClient.builder().urls("http://127.0.0.1:1").build()) {
      assertThatThrownBy(() -> client.queue("q").batch(0).concurrency(0).partitions(2000)
          .renewLease(true, 0).consume(m -> { }))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("batch must be between 1 and 10000, was 0")
          .hasMessageContaining("concurrency must be between 1 and 1000, was 0")
          .hasMessageContaining("partitions must be between 1 and 1000, was 2000")
          .hasMessageContaining("renewLease needs a positive interval, was 0 ms");
    }
  }

  @Test
  void a_payload_that_is_not_json_is_refused_naming_the_item() {
    try (var client = QueenClient.builder().urls("http://127.0.0.1:1").build()) {
      assertThatThrownBy(() -> client.queue("q").push("{\"ok\":1}", "{oops"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("items[1].payload is not JSON");
    }
  }

  @Test
  void an_ack_needs_the_partition_id() {
    try (var client = QueenClient.builder().urls("http://127.0.0.1:1").build()) {
      var m = new Message("id", "tx", null, "p", "q", null, null, 0, null, "null", null);
      assertThatThrownBy(() -> client.ack(m))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("message has no partitionId");
    }
  }
}
