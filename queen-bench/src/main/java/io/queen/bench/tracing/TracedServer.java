package io.queen.bench.tracing;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.queen.server.QueenServer;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicLong;

/**
 * queen-server with an OpenTelemetry SDK registered globally: every span sampled, batched by the
 * SDK's BatchSpanProcessor and handed to an exporter that counts and drops them. What tracing
 * costs the server apart from the network export (run with {@code TRACING_ENABLED=true}; the
 * matrix does with {@code SERVER_MAIN=io.queen.bench.tracing.TracedServer}). Prints the spans
 * exported at shutdown, so a run shows that spans were made.
 */
public final class TracedServer {
  private TracedServer() {}

  public static void main(String[] args) {
    var exported = new AtomicLong();
    var provider = SdkTracerProvider.builder()
        .addSpanProcessor(BatchSpanProcessor.builder(new CountingExporter(exported)).build())
        .build();
    GlobalOpenTelemetry.set(OpenTelemetrySdk.builder().setTracerProvider(provider)
        .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
        .build());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      provider.shutdown().join(5, java.util.concurrent.TimeUnit.SECONDS);
      System.err.println("traced-server: " + exported.get() + " spans exported (dropped)");
    }, "traced-server-shutdown"));
    QueenServer.main(args);
  }

  private static final class CountingExporter implements SpanExporter {
    private final AtomicLong exported;

    CountingExporter(AtomicLong exported) {
      this.exported = exported;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      exported.addAndGet(spans.size());
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
