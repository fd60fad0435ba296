package io.queen.server.routes;

import static io.queen.server.routes.ConsumerGroupRoutes.ok;

import io.queen.QueueManager;
import io.queen.admin.InstanceMinute;
import io.queen.admin.QueueMinute;
import io.queen.server.http.ApiRequest;
import io.queen.server.http.ApiResponse;
import io.queen.server.http.Futures;
import io.queen.server.http.JsonOut;
import io.queen.server.http.Router.Route;
import io.queen.server.wire.QueryParams;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * Time series from the per-minute history every instance writes, under
 * {@code /api/v1/analytics}: system metrics per replica, worker (engine) metrics, per-queue
 * operations and lag, parked long polls, what the lifecycle removed; and PostgreSQL's own
 * statistics of Queen's tables. Every route takes
 * {@code from} and {@code to} (ISO-8601; default the last hour; at most 31 days). Handlers run on
 * the request's IO thread and never block. Thread-safe (immutable).
 */
public final class AnalyticsRoutes {
  private final QueueManager queen;
  private final Clock clock;

  public AnalyticsRoutes(QueueManager queen, Clock clock) {
    this.queen = queen;
    this.clock = clock;
  }

  public List<Route> routes() {
    var base = "/api/v1/analytics";
    return List.of(
        new Route("GET", base + "/system-metrics", "analytics", false, this::systemMetrics),
        new Route("GET", base + "/worker-metrics", "analytics", false, this::workerMetrics),
        new Route("GET", base + "/queue-ops", "analytics", false, this::queueOps),
        new Route("GET", base + "/queue-lag", "analytics", false, this::queueLag),
        new Route("GET", base + "/queue-parked-replicas", "analytics", false, this::parked),
        new Route("GET", base + "/retention", "analytics", false, this::retention),
        new Route("GET", base + "/postgres-stats", "analytics", false, this::postgresStats));
  }

  private TimeRange range(QueryParams q) {
    return TimeRange.of(q, clock.instant(), Duration.ofHours(1));
  }

  private CompletableFuture<ApiResponse> systemMetrics(ApiRequest req) {
    var q = new QueryParams(req.query());
    var range = range(q);
    var hostname = q.string("hostname");
    return Futures.map(queen.admin().instanceHistory(range.from(), range.to(), q.string("workerId")),
        rows -> ok(w -> {
          Map<String, List<InstanceMinute>> byInstance = new LinkedHashMap<>();
          for (var r : rows) {
            if (hostname == null || hostname.equals(r.hostname())) {
              byInstance.computeIfAbsent(r.instanceId(), k -> new ArrayList<>()).add(r);
            }
          }
          w.beginObject();
          range.write(w);
          w.name("replicas").beginArray();
          int points = 0;
          for (var minutes : byInstance.values()) {
            var first = minutes.get(0);
            w.beginObject().name("hostname").value(first.hostname()).name("port").value(first.port())
                .name("workerId").value(first.instanceId()).name("timeSeries").beginArray();
            for (var m : minutes) {
              points++;
              w.beginObject().name("timestamp").value(JsonOut.millis(m.bucket()))
                  .name("sampleCount").value(1).name("metrics").beginObject();
              w.name("cpu").beginObject().name("userPct").value(m.cpuUserPct())
                  .name("sysPct").value(m.cpuSysPct()).endObject();
              w.name("memory").beginObject().name("rssMb").value(m.rssMb())
                  .name("heapUsedMb").value(m.heapUsedMb()).endObject();
              w.name("database").beginObject().name("poolSize").value(m.poolSize())
                  .name("poolActiveMax").value(m.poolActiveMax()).endObject();
              w.name("longPolls").beginObject().name("parkedMax").value(m.parkedMax()).endObject();
              w.endObject().endObject();
            }
            w.endArray().endObject();
          }
          w.endArray();
          w.name("replicaCount").value(byInstance.size());
          w.name("pointCount").value(points);
          w.endObject();
        }));
  }

  private CompletableFuture<ApiResponse> workerMetrics(ApiRequest req) {
    var q = new QueryParams(req.query());
    var range = range(q);
    var hostname = q.string("hostname");
    var instances = queen.admin().instanceHistory(range.from(), range.to(), q.string("workerId"));
    var queues = queen.admin().queueHistory(range.from(), range.to(), null);
    record Both(List<InstanceMinute> instances, List<QueueMinute> queues) {}
    return Futures.map(instances.thenCombine(queues, Both::new), both -> {
      var rows = both.instances().stream()
          .filter(r -> hostname == null || hostname.equals(r.hostname())).toList();
      var queueRows = both.queues();
      return ok(w -> {
        w.beginObject();
        range.write(w);
        Map<Instant, List<InstanceMinute>> byMinute = new LinkedHashMap<>();
        for (var r : rows) {
          byMinute.computeIfAbsent(r.bucket(), k -> new ArrayList<>()).add(r);
        }
        long push = 0;
        long pop = 0;
        long ack = 0;
        long failed = 0;
        w.name("timeSeries").beginArray();
        for (var e : byMinute.entrySet()) {
          var s = sum(e.getValue());
          push += s.pushMessages();
          pop += s.popMessages();
          ack += s.ackSuccess();
          failed += s.ackFailed();
          w.beginObject().name("timestamp").value(JsonOut.millis(e.getKey()));
          w.name("pushRequests").value(s.pushRequests()).name("pushMessages").value(s.pushMessages())
              .name("popRequests").value(s.popRequests()).name("popEmpty").value(s.popEmpty())
              .name("popMessages").value(s.popMessages()).name("ackRequests").value(s.ackRequests())
              .name("ackSuccess").value(s.ackSuccess()).name("ackFailed").value(s.ackFailed())
              .name("dlqMessages").value(s.dlqMessages()).name("transactions").value(s.transactions())
              .name("dbErrors").value(s.dbErrors())
              .name("avgLagMs").value(s.lagCount() == 0 ? 0 : s.lagSumMs() / s.lagCount())
              .name("maxLagMs").value(s.lagMaxMs()).name("parkedMax").value(s.parkedMax())
              .name("poolActiveMax").value(s.poolActiveMax());
          w.endObject();
        }
        w.endArray();
        w.name("workers").beginArray();
        var seen = new TreeSet<String>();
        for (var r : rows) {
          if (seen.add(r.instanceId())) {
            w.beginObject().name("hostname").value(r.hostname()).name("workerId")
                .value(r.instanceId()).name("port").value(r.port()).endObject();
          }
        }
        w.endArray();
        w.name("queues").beginArray();
        new TreeSet<>(queueRows.stream().map(QueueMinute::queue).toList()).forEach(w::value);
        w.endArray();
        w.name("summary").beginObject().name("pushMessages").value(push).name("popMessages")
            .value(pop).name("ackSuccess").value(ack).name("ackFailed").value(failed)
            .name("points").value(byMinute.size()).endObject();
        w.endObject();
      });
    });
  }

  /** One minute of every instance summed (gauges: the greatest). */
  static InstanceMinute sum(List<InstanceMinute> rows) {
    var a = rows.get(0);
    for (int i = 1; i < rows.size(); i++) {
      var b = rows.get(i);
      a = new InstanceMinute(a.bucket(), "", "", 0, a.pushRequests() + b.pushRequests(),
          a.pushMessages() + b.pushMessages(), a.popRequests() + b.popRequests(),
          a.popEmpty() + b.popEmpty(), a.popMessages() + b.popMessages(),
          a.ackRequests() + b.ackRequests(), a.ackSuccess() + b.ackSuccess(),
          a.ackFailed() + b.ackFailed(), a.dlqMessages() + b.dlqMessages(),
          a.transactions() + b.transactions(), a.dbErrors() + b.dbErrors(),
          a.lagSumMs() + b.lagSumMs(), a.lagCount() + b.lagCount(),
          Math.max(a.lagMaxMs(), b.lagMaxMs()), a.parkedMax() + b.parkedMax(),
          a.poolSize() + b.poolSize(), a.poolActiveMax() + b.poolActiveMax(),
          a.cpuUserPct() + b.cpuUserPct(), a.cpuSysPct() + b.cpuSysPct(), a.rssMb() + b.rssMb(),
          a.heapUsedMb() + b.heapUsedMb());
    }
    return a;
  }

  private CompletableFuture<ApiResponse> queueOps(ApiRequest req) {
    var q = new QueryParams(req.query());
    var range = range(q);
    return Futures.map(queen.admin().queueHistory(range.from(), range.to(), q.string("queue")),
        rows -> ok(w -> {
          w.beginObject();
          range.write(w);
          w.name("queues").beginArray();
          new TreeSet<>(rows.stream().map(QueueMinute::queue).toList()).forEach(w::value);
          w.endArray();
          w.name("series").beginArray();
          for (var r : rows) {
            w.beginObject().name("bucket").value(JsonOut.millis(r.bucket()))
                .name("queueName").value(r.queue())
                .name("pushRequests").value(r.pushRequests())
                .name("pushMessages").value(r.pushMessages())
                .name("pushPerSecond").value(r.pushMessages() / 60.0)
                .name("popRequests").value(r.popRequests())
                .name("popMessages").value(r.popMessages())
                .name("popPerSecond").value(r.popMessages() / 60.0)
                .name("popEmpty").value(r.popEmpty())
                .name("ackRequests").value(r.ackRequests())
                .name("ackSuccess").value(r.ackSuccess())
                .name("ackFailed").value(r.ackFailed())
                .name("ackPerSecond").value(r.ackSuccess() / 60.0)
                .name("transactions").value(r.transactions())
                .name("avgLagMs").value(r.lagCount() == 0 ? 0 : r.lagSumMs() / r.lagCount())
                .name("maxLagMs").value(r.lagMaxMs())
                .name("parkedMax").value(r.parkedMax()).endObject();
          }
          w.endArray();
          w.endObject();
        }));
  }

  private CompletableFuture<ApiResponse> queueLag(ApiRequest req) {
    var q = new QueryParams(req.query());
    var range = range(q);
    return Futures.map(queen.admin().queueHistory(range.from(), range.to(), q.string("queue")),
        rows -> ok(w -> {
          w.beginArray();
          for (var r : rows) {
            if (r.popMessages() == 0) {
              continue;
            }
            w.beginObject().name("queueName").value(r.queue())
                .name("popCount").value(r.popMessages())
                .name("avgLagMs").value(r.lagCount() == 0 ? 0 : r.lagSumMs() / r.lagCount())
                .name("maxLagMs").value(r.lagMaxMs())
                .name("bucketTime").value(JsonOut.millis(r.bucket())).endObject();
          }
          w.endArray();
        }));
  }

  private CompletableFuture<ApiResponse> parked(ApiRequest req) {
    var q = new QueryParams(req.query());
    var range = range(q);
    return Futures.map(queen.admin().parkedHistory(range.from(), range.to(), q.string("queue")),
        rows -> ok(w -> {
          w.beginObject();
          range.write(w);
          w.name("series").beginArray();
          int i = 0;
          while (i < rows.size()) {
            var first = rows.get(i);
            w.beginObject().name("bucket").value(JsonOut.millis(first.bucket()))
                .name("queueName").value(first.queue()).name("replicas").beginArray();
            while (i < rows.size() && rows.get(i).bucket().equals(first.bucket())
                && rows.get(i).queue().equals(first.queue())) {
              var r = rows.get(i++);
              w.beginObject().name("hostname").value(r.hostname()).name("workerId")
                  .value(r.instanceId()).name("parkedCount").value(r.parked()).endObject();
            }
            w.endArray().endObject();
          }
          w.endArray();
          w.endObject();
        }));
  }

  private CompletableFuture<ApiResponse> postgresStats(ApiRequest req) {
    return Futures.map(queen.admin().postgresStatsJson(),
        json -> ApiResponse.json(200, json.getBytes(StandardCharsets.UTF_8)));
  }

  private CompletableFuture<ApiResponse> retention(ApiRequest req) {
    var q = new QueryParams(req.query());
    var range = range(q);
    return Futures.map(queen.admin().removalHistory(range.from(), range.to(), q.string("queue")),
        rows -> ok(w -> {
          long retention = 0;
          long completed = 0;
          long eviction = 0;
          long all = 0;
          w.beginObject();
          range.write(w);
          w.name("series").beginArray();
          for (var r : rows) {
            switch (r.kind()) {
              case "retention" -> retention += r.count();
              case "completed_retention" -> completed += r.count();
              case "max_wait_time_eviction" -> eviction += r.count();
              default -> { }
            }
            all += r.count();
            w.beginObject().name("bucket").value(JsonOut.millis(r.bucket()))
                .name("queueName").value(r.queue()).name("kind").value(r.kind())
                .name("count").value(r.count()).endObject();
          }
          w.endArray();
          w.name("totals").beginObject().name("retentionMsgs").value(retention)
              .name("completedRetentionMsgs").value(completed).name("evictionMsgs").value(eviction)
              .name("totalMsgs").value(all).name("eventCount").value(rows.size()).endObject();
          w.endObject();
        }));
  }
}
