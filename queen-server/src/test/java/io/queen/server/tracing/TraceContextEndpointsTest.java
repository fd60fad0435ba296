package io.queen.server.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.queen.server.testing.ServerHarness;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** W3C trace contexts over HTTP: stored on push, returned on pop (field and header). */
class TraceContextEndpointsTest {
  static final String HEADER = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  static final String ITEM = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00";

  private ServerHarness h;

  @BeforeEach
  void start() {
    h = ServerHarness.start();
  }

  @AfterEach
  void stop() {
    h.close();
  }

  private ServerHarness.Reply push(String body, String traceparent, String tracestate) {
    var b = HttpRequest.newBuilder(h.uri("/api/v1/push")).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (traceparent != null) {
      b.header("traceparent", traceparent);
    }
    if (tracestate != null) {
      b.header("tracestate", tracestate);
    }
    return h.send(b);
  }

  @Test
  void the_traceparent_header_of_a_push_comes_back_as_the_pop_header_and_message_field() {
    var pushed = push("{\"items\":[{\"queue\":\"t\",\"payload\":1},{\"queue\":\"t\",\"payload\":2}]}",
        HEADER, "rojo=00f067aa0ba902b7");
    assertThat(pushed.status()).isEqualTo(201);

    var popped = h.get("/api/v1/pop/queue/t?batch=10&wait=false");
    assertThat(popped.status()).isEqualTo(200);
    assertThat(popped.headers().firstValue("traceparent")).hasValue(HEADER);
    assertThat(popped.headers().firstValue("tracestate")).hasValue("rojo=00f067aa0ba902b7");
    var messages = popped.object().getAsJsonArray("messages");
    assertThat(messages).hasSize(2);
    messages.forEach(m -> {
      assertThat(m.getAsJsonObject().get("traceparent").getAsString()).isEqualTo(HEADER);
      assertThat(m.getAsJsonObject().get("tracestate").getAsString())
          .isEqualTo("rojo=00f067aa0ba902b7");
    });
  }

  @Test
  void an_items_own_traceparent_wins_over_the_header_and_mixed_contexts_send_no_pop_header() {
    push("{\"items\":[{\"queue\":\"m\",\"payload\":1,\"traceparent\":\"" + ITEM + "\"},"
        + "{\"queue\":\"m\",\"payload\":2}]}", HEADER, null);
    var popped = h.get("/api/v1/pop/queue/m?batch=10&wait=false");
    var messages = popped.object().getAsJsonArray("messages");
    assertThat(messages.get(0).getAsJsonObject().get("traceparent").getAsString()).isEqualTo(ITEM);
    assertThat(messages.get(1).getAsJsonObject().get("traceparent").getAsString()).isEqualTo(HEADER);
    assertThat(popped.headers().firstValue("traceparent")).isEmpty();
  }

  @Test
  void a_message_pushed_without_a_context_is_popped_without_one() {
    push("{\"items\":[{\"queue\":\"n\",\"payload\":1}]}", null, null);
    var popped = h.get("/api/v1/pop/queue/n?wait=false");
    assertThat(popped.object().getAsJsonArray("messages").get(0).getAsJsonObject()
        .has("traceparent")).isFalse();
    assertThat(popped.headers().firstValue("traceparent")).isEmpty();
  }

  @Test
  void an_invalid_trace_context_is_a_400_naming_it_and_nothing_is_stored() {
    var badHeader = push("{\"items\":[{\"queue\":\"bad\",\"payload\":1}]}", "00-nope", null);
    assertThat(badHeader.status()).isEqualTo(400);
    assertThat(badHeader.error()).startsWith("headers.traceparent '00-nope' is not a W3C traceparent");

    var badItem = push("{\"items\":[{\"queue\":\"bad\",\"payload\":1},"
        + "{\"queue\":\"bad\",\"payload\":2,\"traceparent\":\"" + ITEM + "\",\"tracestate\":\"k=\u00e9\"}]}",
        null, null);
    assertThat(badItem.status()).isEqualTo(400);
    assertThat(badItem.error())
        .isEqualTo("items[1].tracestate has a character that is not printable ASCII at index 2");

    assertThat(h.get("/api/v1/pop/queue/bad?wait=false").status()).isEqualTo(204);
  }

  @Test
  void a_transaction_applies_the_header_to_its_pushes() {
    push("{\"items\":[{\"queue\":\"src\",\"payload\":1}]}", null, null);
    var src = h.get("/api/v1/pop/queue/src?wait=false").object();
    var m = src.getAsJsonArray("messages").get(0).getAsJsonObject();
    var tx = h.send(HttpRequest.newBuilder(h.uri("/api/v1/transaction"))
        .header("Content-Type", "application/json").header("traceparent", HEADER)
        .POST(HttpRequest.BodyPublishers.ofString("{\"operations\":["
            + "{\"type\":\"ack\",\"transactionId\":\"" + m.get("transactionId").getAsString()
            + "\",\"partitionId\":\"" + m.get("partitionId").getAsString()
            + "\",\"leaseId\":\"" + src.get("leaseId").getAsString() + "\",\"status\":\"completed\"},"
            + "{\"type\":\"push\",\"items\":[{\"queue\":\"dst\",\"payload\":2}]}]}")));
    assertThat(tx.status()).as(tx.body()).isEqualTo(200);
    var dst = h.get("/api/v1/pop/queue/dst?wait=false");
    assertThat(dst.headers().firstValue("traceparent")).hasValue(HEADER);
  }

  @Test
  void tracing_enabled_without_a_registered_opentelemetry_refuses_to_start_clearly() {
    assertThatThrownBy(() -> ServerHarness.start(env -> {
      var m = new java.util.HashMap<>(env);
      m.put("TRACING_ENABLED", "true");
      return m;
    }))
        .hasStackTraceContaining("TRACING_ENABLED=true, but no OpenTelemetry is registered")
        .hasStackTraceContaining("-javaagent:opentelemetry-javaagent.jar");
  }
}
