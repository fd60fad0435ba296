package io.queen.server.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.queen.metrics.QueenMetrics;
import io.queen.metrics.micrometer.MicrometerMetrics;
import io.queen.server.http.ApiResponse;
import io.queen.server.http.Router.Route;
import io.queen.server.worker.OperationMetrics;
import io.queen.server.worker.WorkerStats;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * {@code GET /metrics/prometheus}: the engine's meters ({@link MicrometerMetrics}), the HTTP
 * requests per operation, the IO threads' response paths, and JVM and process metrics, in
 * Prometheus text format 0.0.4. The scrape is rendered on a task thread, never an IO thread; it
 * reads memory only (per-queue gauges come from the engine's latest summaries). Thread-safe.
 */
public final class PrometheusEndpoint implements AutoCloseable {
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  private static final Path STATM = Path.of("/proc/self/statm");
  /** Linux's page size; statm counts pages. */
  private static final long PAGE_BYTES = 4096;

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final MicrometerMetrics engine = new MicrometerMetrics(registry);
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final long startMillis = System.currentTimeMillis();
  /** The size of the last scrape's text (a hint; scrapes may race, any value is fine). */
  private volatile int lastScrapeBytes = 64 * 1024;

  public PrometheusEndpoint() {
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    Gauge.builder("queen.uptime.seconds", this,
            e -> (System.currentTimeMillis() - e.startMillis) / 1000.0)
        .description("Seconds since the server started").register(registry);
    if (Files.isReadable(STATM)) {
      Gauge.builder("queen.process.resident.memory.bytes", () -> statm(1))
          .description("Resident set size of the process").register(registry);
      Gauge.builder("queen.process.virtual.memory.bytes", () -> statm(0))
          .description("Virtual memory size of the process").register(registry);
    }
  }

  /** What the engine reports into (hand it to {@code QueenConfig.Builder.metrics}). */
  public QueenMetrics engineMetrics() {
    return engine;
  }

  /** Counts the HTTP answers of these operations (the routes' operation names). */
  public void bindHttp(OperationMetrics http, Collection<String> operations) {
    for (var op : new TreeSet<>(operations)) {
      var c = http.counters(op);
      FunctionCounter.builder("queen.http.requests", c, x -> x.requests.sum()).tag("operation", op)
          .description("HTTP requests answered").register(registry);
      FunctionCounter.builder("queen.http.client.errors", c, x -> x.clientErrors.sum())
          .tag("operation", op).description("HTTP requests answered 4xx").register(registry);
      FunctionCounter.builder("queen.http.server.errors", c, x -> x.serverErrors.sum())
          .tag("operation", op).description("HTTP requests answered 5xx").register(registry);
      FunctionCounter.builder("queen.http.messages", c, x -> x.messages.sum()).tag("operation", op)
          .description("Messages carried by the HTTP answers").register(registry);
    }
  }

  /** Gauges of each IO thread's response path. */
  public void bindWorkers(Supplier<List<WorkerStats>> workers, int count) {
    for (int i = 0; i < count; i++) {
      int w = i;
      var tag = Integer.toString(i);
      Gauge.builder("queen.response.registry.size", workers, s -> s.get().get(w).parkedExchanges())
          .tag("worker_id", tag).description("Requests parked on the IO thread, waiting for a result")
          .register(registry);
      Gauge.builder("queen.response.queue.depth", workers, s -> s.get().get(w).responseQueueDepth())
          .tag("worker_id", tag).description("Results waiting for the IO thread to write them")
          .register(registry);
    }
  }

  /** The route; the scrape runs on {@code tasks}. */
  public Route route(Executor tasks) {
    return new Route("GET", "/metrics/prometheus", "metrics", false,
        req -> CompletableFuture.supplyAsync(this::scrape, tasks));
  }

  ApiResponse scrape() {
    engine.refreshQueueGauges();
    // written straight into bytes sized by the last scrape: no String of the whole text between
    var out = new ByteArrayOutputStream(lastScrapeBytes + 4096);
    try {
      registry.scrape(out, CONTENT_TYPE);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array does not fail
    }
    lastScrapeBytes = out.size();
    return ApiResponse.text(200, CONTENT_TYPE, out.toByteArray());
  }

  private static double statm(int field) {
    try {
      var parts = Files.readString(STATM).trim().split(" ");
      return Long.parseLong(parts[field]) * PAGE_BYTES;
    } catch (Exception e) {
      return Double.NaN;
    }
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
