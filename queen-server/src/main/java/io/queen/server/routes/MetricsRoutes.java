package io.queen.server.routes;

import io.queen.QueueManager;
import io.queen.json.JsonBuilder;
import io.queen.server.http.ApiRequest;
import io.queen.server.http.ApiResponse;
import io.queen.server.http.JsonOut;
import io.queen.server.http.Router.Route;
import io.queen.server.worker.IoThreadWorkers;
import io.queen.server.worker.OperationMetrics;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET /metrics}: requests, messages and latencies per operation, the engine's batches and
 * queues, the connection pool, and each IO thread's response path. Answered at once on the
 * request's IO thread from counters that any thread may read. Thread-safe.
 */
public final class MetricsRoutes {
  private final QueueManager queen;
  private final IoThreadWorkers workers;
  private final OperationMetrics metrics;
  private final int poolSize;
  private final long startMillis = System.currentTimeMillis();

  public MetricsRoutes(QueueManager queen, IoThreadWorkers workers, OperationMetrics metrics,
      int poolSize) {
    this.queen = queen;
    this.workers = workers;
    this.metrics = metrics;
    this.poolSize = poolSize;
  }

  public List<Route> routes() {
    return List.of(new Route("GET", "/metrics", "metrics", false, this::metrics));
  }

  private CompletableFuture<ApiResponse> metrics(ApiRequest req) {
    return CompletableFuture.completedFuture(ApiResponse.json(200, JsonOut.write(this::writeMetrics)));
  }

  private void writeMetrics(JsonBuilder w) {
    var engine = queen.stats();
    var ops = new TreeMap<>(metrics.snapshot());
    long total = 0;
    for (var c : ops.values()) {
      total += c.requests.sum();
    }
    w.beginObject();
    w.name("uptime").value((System.currentTimeMillis() - startMillis) / 1000);
    w.name("requests").beginObject();
    w.name("total").value(total);
    w.name("byOperation").beginObject();
    for (var e : ops.entrySet()) {
      var c = e.getValue();
      long n = c.requests.sum();
      w.name(e.getKey()).beginObject();
      w.name("requests").value(n);
      w.name("clientErrors").value(c.clientErrors.sum());
      w.name("serverErrors").value(c.serverErrors.sum());
      w.name("messages").value(c.messages.sum());
      w.name("avgLatencyMs").value(n == 0 ? 0.0 : c.totalMicros.sum() / 1000.0 / n);
      w.name("maxLatencyMs").value(c.maxMicros.get() / 1000.0);
      w.endObject();
    }
    w.endObject();
    w.endObject();
    w.name("messages").beginObject();
    for (var op : List.of("push", "pop", "ack")) {
      var c = ops.get(op);
      w.name(op).value(c == null ? 0 : c.messages.sum());
    }
    w.endObject();
    w.name("engine").beginObject();
    w.name("waitingPops").value(engine.waitingPops());
    w.name("operations").beginObject();
    for (var e : new TreeMap<>(engine.operations()).entrySet()) {
      var s = e.getValue();
      w.name(e.getKey()).beginObject();
      w.name("requests").value(s.requests());
      w.name("items").value(s.items());
      w.name("batches").value(s.batches());
      w.name("failures").value(s.failures());
      w.name("rejected").value(s.rejected());
      w.name("queued").value(s.queued());
      w.name("inFlight").value(s.inFlight());
      w.name("avgLatencyMs").value(s.requests() == 0 ? 0.0
          : s.totalLatencyMicros() / 1000.0 / s.requests());
      w.name("maxLatencyMs").value(s.maxLatencyMicros() / 1000.0);
      w.endObject();
    }
    w.endObject();
    w.endObject();
    w.name("database").beginObject();
    w.name("poolSize").value(poolSize);
    w.name("activeConnections").value(engine.poolActive());
    w.name("idleConnections").value(engine.poolIdle());
    w.name("waitingRequests").value(engine.poolWaiting());
    w.endObject();
    w.name("workers").beginArray();
    for (var s : workers.stats()) {
      w.beginObject();
      w.name("worker").value(s.worker());
      w.name("thread").value(s.thread());
      w.name("parkedExchanges").value(s.parkedExchanges());
      w.name("outstanding").value(s.outstanding());
      w.name("responseQueueDepth").value(s.responseQueueDepth());
      w.name("responseQueueCapacity").value(s.responseQueueCapacity());
      w.name("wakeUps").value(s.wakeUps());
      w.name("drains").value(s.drains());
      w.name("timerDrains").value(s.timerDrains());
      w.name("responses").value(s.responses());
      w.name("disconnects").value(s.disconnects());
      w.name("undeliverable").value(s.undeliverable());
      w.name("leasesReleased").value(s.leasesReleased());
      w.name("expiredByTimer").value(s.expiredByTimer());
      w.name("refused").value(s.refused());
      w.endObject();
    }
    w.endArray();
    w.name("ownerThreadViolations").value(workers.guard().violations());
    var mem = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    w.name("memory").beginObject();
    w.name("heapUsed").value(mem.getUsed());
    w.name("heapCommitted").value(mem.getCommitted());
    w.name("heapMax").value(mem.getMax());
    w.endObject();
    w.endObject();
  }
}
