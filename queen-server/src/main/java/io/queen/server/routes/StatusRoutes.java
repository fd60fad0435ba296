package io.queen.server.routes;

import static io.queen.server.routes.ConsumerGroupRoutes.ok;
import static io.queen.server.routes.ResourceRoutes.counts;
import static io.queen.server.routes.ResourceRoutes.summary;

import io.queen.QueueManager;
import io.queen.admin.InstanceMinute;
import io.queen.admin.MessageCounts;
import io.queen.server.http.ApiRequest;
import io.queen.server.http.ApiResponse;
import io.queen.server.http.Futures;
import io.queen.server.http.JsonOut;
import io.queen.server.http.Router.Route;
import io.queen.server.wire.QueryParams;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The status pages under {@code /api/v1/status}: the system over a time range (throughput per
 * minute from the history, counts, leases, dead letters, instances), queues with paging, one
 * queue in detail, and messages pushed per minute, hour or day. Handlers run on the request's IO
 * thread and never block. Thread-safe (immutable).
 */
public final class StatusRoutes {
  private final QueueManager queen;
  private final Clock clock;

  public StatusRoutes(QueueManager queen, Clock clock) {
    this.queen = queen;
    this.clock = clock;
  }

  public List<Route> routes() {
    return List.of(
        new Route("GET", "/api/v1/status", "status", false, this::status),
        new Route("GET", "/api/v1/status/queues", "status", false, this::queues),
        new Route("GET", "/api/v1/status/queues/:queue", "status", false, this::queue),
        new Route("GET", "/api/v1/status/analytics", "status", false, this::analytics));
  }

  private CompletableFuture<ApiResponse> status(ApiRequest req) {
    var q = new QueryParams(req.query());
    var range = TimeRange.of(q, clock.instant(), Duration.ofHours(1));
    var queue = q.string("queue");
    var namespace = q.string("namespace");
    var task = q.string("task");
    var admin = queen.admin();
    var history = admin.instanceHistory(range.from(), range.to(), null);
    var queues = admin.queues(namespace, task);
    var snapshot = admin.statusSnapshot(queue, namespace, task);
    var overview = admin.overview(); // the summaries' age
    var all = CompletableFuture.allOf(history, queues, snapshot, overview);
    return Futures.map(all, ignored -> {
      var minutes = history.join();
      var chosen = queues.join().stream().filter(s -> queue == null || s.name().equals(queue))
          .toList();
      var snap = snapshot.join();
      return ok(w -> {
        w.beginObject();
        range.write(w);
        Map<Instant, List<InstanceMinute>> byMinute = new LinkedHashMap<>();
        for (var m : minutes) {
          byMinute.computeIfAbsent(m.bucket(), k -> new ArrayList<>()).add(m);
        }
        w.name("pointCount").value(byMinute.size());
        w.name("statsAge").value(ResourceRoutes.statsAge(overview.join(), clock.instant()));
        long push = 0;
        long pushRequests = 0;
        long pop = 0;
        long popRequests = 0;
        long ack = 0;
        long ackRequests = 0;
        long ackFailed = 0;
        long dbErrors = 0;
        long dlq = 0;
        w.name("throughput").beginArray();
        for (var e : byMinute.entrySet()) {
          var s = AnalyticsRoutes.sum(e.getValue());
          push += s.pushMessages();
          pushRequests += s.pushRequests();
          pop += s.popMessages();
          popRequests += s.popRequests();
          ack += s.ackSuccess();
          ackRequests += s.ackRequests();
          ackFailed += s.ackFailed();
          dbErrors += s.dbErrors();
          dlq += s.dlqMessages();
          w.beginObject().name("timestamp").value(JsonOut.millis(e.getKey()))
              .name("ingested").value(s.pushMessages())
              .name("ingestedPerSecond").value(s.pushMessages() / 60.0)
              .name("processed").value(s.popMessages())
              .name("processedPerSecond").value(s.popMessages() / 60.0)
              .name("popMessages").value(s.popMessages())
              .name("popPerSecond").value(s.popMessages() / 60.0)
              .name("avgLagMs").value(s.lagCount() == 0 ? 0 : s.lagSumMs() / s.lagCount())
              .name("maxLagMs").value(s.lagMaxMs())
              .name("ackFailed").value(s.ackFailed()).name("dbErrors").value(s.dbErrors())
              .name("dlqCount").value(s.dlqMessages())
              .name("dbPoolSize").value(s.poolSize()).name("dbPoolActive").value(s.poolActiveMax())
              .name("parkedLongPolls").value(s.parkedMax())
              .name("queenCpuUserPct").value(s.cpuUserPct())
              .name("queenCpuSysPct").value(s.cpuSysPct())
              .name("queenRssMb").value(s.rssMb()).endObject();
        }
        w.endArray();
        w.name("queues").beginArray();
        var counts = MessageCounts.ZERO;
        for (var s : chosen) {
          counts = counts.plus(s.messages());
          w.beginObject().name("id").value(JsonOut.text(s.id())).name("name").value(s.name())
              .name("namespace").value(s.namespace()).name("task").value(s.task())
              .name("partitions").value(s.partitions())
              .name("totalConsumed").value(s.messages().completed()).endObject();
        }
        w.endArray();
        var c = counts;
        w.name("messages").beginObject();
        w.name("total").value(c.total()).name("pending").value(c.pending())
            .name("processing").value(c.processing()).name("completed").value(c.completed())
            .name("failed").value(c.failed()).name("deadLetter").value(c.deadLetter());
        w.name("requests").beginObject().name("push").value(pushRequests).name("pop")
            .value(popRequests).name("ack").value(ackRequests).endObject();
        w.name("batchEfficiency").beginObject()
            .name("push").value(pushRequests == 0 ? 0 : (double) push / pushRequests)
            .name("pop").value(popRequests == 0 ? 0 : (double) pop / popRequests)
            .name("ack").value(ackRequests == 0 ? 0 : (double) ack / ackRequests).endObject();
        w.endObject();
        w.name("leases").beginObject().name("active").value(snap.activeLeases())
            .name("partitionsWithLeases").value(snap.partitionsWithLeases())
            .name("totalAcked").value(snap.totalAcked())
            .name("totalBatchSize").value(snap.totalBatchSize()).endObject();
        w.name("deadLetterQueue").beginObject().name("totalMessages").value(snap.deadLetters())
            .name("affectedPartitions").value(snap.deadLetterPartitions())
            .name("topErrors").beginArray();
        for (var e : snap.topErrors()) {
          w.beginObject().name("error").value(e.error()).name("count").value(e.count()).endObject();
        }
        w.endArray().endObject();
        w.name("errors").beginObject().name("ackFailed").value(ackFailed)
            .name("dbErrors").value(dbErrors).name("dlqMessages").value(dlq).endObject();
        w.name("workers").beginArray();
        Map<String, InstanceMinute> last = new LinkedHashMap<>();
        for (var m : minutes) {
          last.put(m.instanceId(), m);
        }
        for (var m : last.values()) {
          w.beginObject().name("hostname").value(m.hostname()).name("workerId")
              .value(m.instanceId()).name("port").value(m.port())
              .name("lastSeen").value(JsonOut.millis(m.bucket())).endObject();
        }
        w.endArray();
        w.endObject();
      });
    });
  }

  private CompletableFuture<ApiResponse> queues(ApiRequest req) {
    var q = new QueryParams(req.query());
    int limit = q.integer("limit", 100, 1, 10_000);
    int offset = q.integer("offset", 0, 0, Integer.MAX_VALUE);
    return Futures.map(queen.admin().queues(q.string("namespace"), q.string("task")),
        all -> ok(w -> {
          w.beginObject().name("queues").beginArray();
          for (int i = offset; i < all.size() && i < (long) offset + limit; i++) {
            summary(w, all.get(i));
          }
          w.endArray();
          Pagination.write(w, limit, offset);
          w.name("total").value(all.size());
          w.endObject();
        }));
  }

  private CompletableFuture<ApiResponse> queue(ApiRequest req) {
    var page = PartitionPage.of(new QueryParams(req.query()));
    return Futures.map(queen.admin().queue(req.pathParam(0)), found -> {
      if (found.isEmpty()) {
        return ApiResponse.error(404, "Queue not found");
      }
      var d = found.get();
      var s = d.queue();
      var matched = page.filter(d.partitions());
      var shown = page.apply(matched);
      var o = d.options();
      return ok(w -> {
        w.beginObject();
        w.name("queue").beginObject();
        w.name("id").value(JsonOut.text(s.id())).name("name").value(s.name())
            .name("namespace").value(s.namespace()).name("task").value(s.task())
            .name("priority").value(s.priority()).name("createdAt").value(JsonOut.millis(s.createdAt()));
        w.name("config").beginObject().name("leaseTime").value(o.leaseTime())
            .name("retryLimit").value(o.retryLimit()).name("retryDelay").value(o.retryDelay())
            .name("ttl").value(o.ttl()).name("maxQueueSize").value(o.maxSize())
            .name("deadLetterQueue").value(o.deadLetterQueue()).endObject();
        w.endObject();
        w.name("partitionCount").value(d.partitions().size());
        w.name("partitionsMatched").value(matched.size());
        w.name("partitions").beginArray();
        for (var p : shown) {
          w.beginObject();
          w.name("id").value(JsonOut.text(p.id())).name("name").value(p.name())
              .name("createdAt").value(JsonOut.millis(p.createdAt()));
          w.name("messages");
          counts(w, p.messages());
          w.name("stats");
          counts(w, p.messages());
          w.name("cursor").beginObject().name("totalConsumed").value(p.totalConsumed())
              .name("batchesConsumed").value(p.batchesConsumed()).endObject();
          w.name("lastActivity").value(JsonOut.millis(p.lastActivity()));
          w.name("oldestMessage").value(JsonOut.millis(p.oldestMessage()));
          w.name("newestMessage").value(JsonOut.millis(p.newestMessage()));
          w.endObject();
        }
        w.endArray();
        w.name("totals").beginObject().name("messages");
        counts(w, s.messages());
        w.endObject();
        w.endObject();
      });
    });
  }

  private CompletableFuture<ApiResponse> analytics(ApiRequest req) {
    var q = new QueryParams(req.query());
    var interval = q.string("interval");
    if (interval == null) {
      interval = "hour";
    }
    var unit = interval;
    var range = TimeRange.of(q, clock.instant(), Duration.ofHours(24));
    var pushed = queen.admin().pushedPerBucket(unit, range.from(), range.to(), q.string("queue"));
    return Futures.map(pushed,
        buckets -> ok(w -> {
          w.beginObject().name("dataPoints").beginArray();
          for (var b : buckets) {
            w.beginObject().name("timestamp").value(JsonOut.millis(b.start()))
                .name("messages").value(b.count()).endObject();
          }
          w.endArray();
          w.name("interval").value(unit).name("from").value(JsonOut.millis(range.from()))
              .name("to").value(JsonOut.millis(range.to()));
          w.endObject();
        }));
  }
}
