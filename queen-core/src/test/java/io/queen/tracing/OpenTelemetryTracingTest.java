package io.queen.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.queen.QueenConfig;
import io.queen.consumer.QueenConsumer;
import io.queen.model.PopRequest;
import io.queen.model.PushItem;
import io.queen.model.TraceContext;
import io.queen.testing.Conditions;
import io.queen.testing.QueenTestSupport;
import io.queen.tracing.otel.OpenTelemetryTracing;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Spans recorded by a real OpenTelemetry SDK into an in-memory exporter. */
class OpenTelemetryTracingTest extends QueenTestSupport {
  static final TraceContext CALLER =
      new TraceContext("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "vendor=x");

  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final SdkTracerProvider provider = SdkTracerProvider.builder()
      .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
  private final OpenTelemetrySdk sdk =
      OpenTelemetrySdk.builder().setTracerProvider(provider).build();

  @Override
  protected QueenConfig.Builder configure(QueenConfig.Builder defaults) {
    return defaults.tracing(new OpenTelemetryTracing(sdk));
  }

  @AfterEach
  void closeSdk() {
    sdk.close();
  }

  @Test
  void a_push_with_a_traceparent_and_the_consumer_span_that_handles_it_share_the_trace() {
    queen.pushSync(PushItem.of("orders", "{\"n\":1}").withPartition("eu").withTraceContext(CALLER));
    try (var consumer = QueenConsumer.builder(queen, "orders").waitTimeout(Duration.ofMillis(500))
        .handler(m -> { }).start()) {
      Conditions.await("the message handled", Duration.ofSeconds(30),
          () -> consumer.handledCount() == 1);
    }
    Conditions.await("the process span exported", Duration.ofSeconds(10),
        () -> spans("process orders").size() == 1);
    var send = single("send orders");
    var receive = single("receive orders");
    var process = single("process orders");

    assertThat(send.getKind()).isEqualTo(SpanKind.PRODUCER);
    assertThat(send.getTraceId()).isEqualTo(CALLER.traceId());
    assertThat(send.getParentSpanId()).isEqualTo(CALLER.spanId());
    assertThat(send.getAttributes().get(AttributeKey.stringKey("messaging.system")))
        .isEqualTo("queen");
    assertThat(send.getAttributes().get(AttributeKey.stringKey("messaging.destination.name")))
        .isEqualTo("orders");
    assertThat(send.getAttributes().get(
        AttributeKey.stringKey("messaging.destination.partition.id"))).isEqualTo("eu");

    assertThat(process.getKind()).isEqualTo(SpanKind.CONSUMER);
    assertThat(process.getTraceId()).as("the consumer continues the producer's trace")
        .isEqualTo(CALLER.traceId());
    assertThat(process.getParentSpanId()).isEqualTo(send.getSpanId());
    var messageId = process.getAttributes().get(AttributeKey.stringKey("messaging.message.id"));
    assertThat(send.getAttributes().get(AttributeKey.stringKey("messaging.message.id")))
        .isEqualTo(messageId).isNotNull();

    assertThat(receive.getLinks()).as("the receive span links the message's producer span")
        .anySatisfy(l -> assertThat(l.getSpanContext().getSpanId()).isEqualTo(send.getSpanId()));
    assertThat(send.getSpanContext().getTraceState().get("vendor")).isEqualTo("x");
  }

  @Test
  void the_stored_context_is_the_producer_spans_and_a_push_without_one_starts_a_trace() {
    queen.pushSync(List.of(PushItem.of("plain", "1"), PushItem.of("plain", "2")));
    var popped = queen.popSync(PopRequest.fromQueue("plain").batch(10).build()).messages();
    var send = single("send plain");
    assertThat(send.getParentSpanContext().isValid()).isFalse();
    assertThat(send.getAttributes().get(AttributeKey.longKey("messaging.batch.message_count")))
        .isEqualTo(2L);
    assertThat(popped).allSatisfy(m -> {
      assertThat(m.traceContext().traceId()).isEqualTo(send.getTraceId());
      assertThat(m.traceContext().spanId()).isEqualTo(send.getSpanId());
    });
    assertThat(single("receive plain").getLinks()).hasSize(2);
  }

  @Test
  void a_handler_that_throws_ends_its_span_in_error_with_the_exception() {
    queen.pushSync(PushItem.of("failing", "1"));
    try (var consumer = QueenConsumer.builder(queen, "failing").waitTimeout(Duration.ofMillis(500))
        .handler(m -> {
          throw new IllegalStateException("no stock");
        }).start()) {
      Conditions.await("a failure", Duration.ofSeconds(30), () -> consumer.failedCount() >= 1);
    }
    Conditions.await("the process span exported", Duration.ofSeconds(10),
        () -> !spans("process failing").isEmpty());
    var process = spans("process failing").get(0);
    assertThat(process.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(process.getEvents()).anySatisfy(e -> assertThat(e.getName()).isEqualTo("exception"));
  }

  @Test
  void an_empty_pop_makes_no_span_and_a_refused_push_ends_its_span_in_error() {
    queen.popSync(PopRequest.fromQueue("nothing").build());
    assertThat(exporter.getFinishedSpanItems()).isEmpty();
    assertThatThrownBy(() -> queen.push(List.of(new PushItem("q", null, "not json", null, null))))
        .isNotInstanceOf(CompletionException.class);
    assertThat(single("send q").getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
  }

  private List<SpanData> spans(String name) {
    return exporter.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).toList();
  }

  private SpanData single(String name) {
    var found = spans(name);
    assertThat(found).as("spans named " + name).hasSize(1);
    return found.get(0);
  }
}
