package io.queen.server.routes;

import static io.queen.server.routes.ConsumerGroupRoutes.ok;

import io.queen.QueueManager;
import io.queen.admin.MessageCounts;
import io.queen.admin.Overview;
import io.queen.admin.QueueSummary;
import io.queen.admin.Spread;
import io.queen.admin.TagSummary;
import io.queen.json.JsonBuilder;
import io.queen.server.http.ApiRequest;
import io.queen.server.http.ApiResponse;
import io.queen.server.http.Futures;
import io.queen.server.http.JsonOut;
import io.queen.server.http.Router.Route;
import io.queen.server.wire.QueryParams;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What queues hold, under {@code /api/v1/resources}: overview, queues, one queue, namespaces,
 * tasks; and {@code POST /api/v1/stats/refresh}, which repairs the counters from a real count and
 * makes the next read aggregate anew. The lists and the overview come from the engine's summaries
 * ({@code statsAge}: how many seconds old); one queue's detail is live. Handlers run on the
 * request's IO thread and never block. Thread-safe (immutable).
 */
public final class ResourceRoutes {
  private final QueueManager queen;

  public ResourceRoutes(QueueManager queen) {
    this.queen = queen;
  }

  public List<Route> routes() {
    var base = "/api/v1/resources";
    return List.of(
        new Route("GET", base + "/overview", "resources", false, this::overview),
        new Route("GET", base + "/queues", "resources", false, this::queues),
        new Route("GET", base + "/queues/:queue", "resources", false, this::queue),
        new Route("GET", base + "/namespaces", "resources", false, this::namespaces),
        new Route("GET", base + "/tasks", "resources", false, this::tasks),
        new Route("POST", "/api/v1/stats/refresh", "resources", false, this::recount));
  }

  private CompletableFuture<ApiResponse> overview(ApiRequest req) {
    return Futures.map(queen.admin().overview(), o -> ok(w -> {
      w.beginObject();
      w.name("queues").value(o.queues());
      w.name("partitions").value(o.partitions());
      w.name("namespaces").value(o.namespaces());
      w.name("tasks").value(o.tasks());
      w.name("messages");
      counts(w, o.messages());
      w.name("lag").beginObject();
      w.name("time");
      spread(w, o.timeLagSeconds());
      w.name("offset");
      spread(w, o.offsetLag());
      w.endObject();
      w.name("throughput").beginObject()
          .name("ingestedPerSecond").value(o.ingestedPerSecond())
          .name("processedPerSecond").value(o.processedPerSecond()).endObject();
      var now = Instant.now();
      w.name("timestamp").value(JsonOut.millis(now));
      w.name("statsAge").value(statsAge(o, now));
      w.endObject();
    }));
  }

  /** Whole seconds since the overview's counts were aggregated. */
  static long statsAge(Overview o, Instant now) {
    return Math.max(0, Duration.between(o.timestamp(), now).toSeconds());
  }

  private CompletableFuture<ApiResponse> queues(ApiRequest req) {
    var q = new QueryParams(req.query());
    return Futures.map(queen.admin().queues(q.string("namespace"), q.string("task")),
        queues -> ok(w -> {
          w.beginObject().name("queues").beginArray();
          for (var s : queues) {
            summary(w, s);
          }
          w.endArray().endObject();
        }));
  }

  private CompletableFuture<ApiResponse> queue(ApiRequest req) {
    return Futures.map(queen.admin().queue(req.pathParam(0)), found -> {
      if (found.isEmpty()) {
        return ApiResponse.error(404, "Queue not found");
      }
      var d = found.get();
      var s = d.queue();
      return ok(w -> {
        w.beginObject();
        identity(w, s);
        w.name("partitions").beginArray();
        for (var p : d.partitions()) {
          w.beginObject();
          w.name("id").value(JsonOut.text(p.id()));
          w.name("name").value(p.name());
          w.name("createdAt").value(JsonOut.millis(p.createdAt()));
          w.name("lastActivity").value(JsonOut.millis(p.lastActivity()));
          w.name("stats");
          counts(w, p.messages());
          w.name("oldestMessage").value(JsonOut.millis(p.oldestMessage()));
          w.name("newestMessage").value(JsonOut.millis(p.newestMessage()));
          w.endObject();
        }
        w.endArray();
        w.name("totals");
        counts(w, s.messages());
        w.endObject();
      });
    });
  }

  /** Counts are live; this repairs them from a real count (a full scan of the message table). */
  private CompletableFuture<ApiResponse> recount(ApiRequest req) {
    return Futures.map(queen.admin().recount(), n -> ok(w -> {
      w.beginObject();
      if (n < 0) {
        w.name("skipped").value(true).name("reason").value("another_instance_running");
      } else {
        w.name("success").value(true).name("partitionsCorrected").value(n);
      }
      w.endObject();
    }));
  }

  private CompletableFuture<ApiResponse> namespaces(ApiRequest req) {
    return Futures.map(queen.admin().namespaces(), tags -> ok(w -> tags(w, "namespaces",
        "namespace", tags)));
  }

  private CompletableFuture<ApiResponse> tasks(ApiRequest req) {
    return Futures.map(queen.admin().tasks(), tags -> ok(w -> tags(w, "tasks", "task", tags)));
  }

  private static void tags(JsonBuilder w, String list, String key, List<TagSummary> tags) {
    w.beginObject().name(list).beginArray();
    for (var t : tags) {
      w.beginObject();
      w.name(key).value(t.name());
      w.name("queues").value(t.queues());
      w.name("partitions").value(t.partitions());
      w.name("messages").beginObject().name("total").value(t.total())
          .name("pending").value(t.pending()).endObject();
      w.endObject();
    }
    w.endArray().endObject();
  }

  /** A queue's id, name, namespace, task, priority and creation time, inside its object. */
  private static void identity(JsonBuilder w, QueueSummary s) {
    w.name("id").value(JsonOut.text(s.id()));
    w.name("name").value(s.name());
    w.name("namespace").value(s.namespace());
    w.name("task").value(s.task());
    w.name("priority").value(s.priority());
    w.name("createdAt").value(JsonOut.millis(s.createdAt()));
  }

  /** One queue of a queue list (resources and status). */
  static void summary(JsonBuilder w, QueueSummary s) {
    w.beginObject();
    identity(w, s);
    w.name("partitions").value(s.partitions());
    w.name("messages");
    counts(w, s.messages());
    w.name("lastActivity").value(JsonOut.millis(s.lastActivity()));
    w.endObject();
  }

  static void counts(JsonBuilder w, MessageCounts c) {
    w.beginObject();
    w.name("total").value(c.total());
    w.name("pending").value(c.pending());
    w.name("processing").value(c.processing());
    w.name("completed").value(c.completed());
    w.name("failed").value(c.failed());
    w.name("deadLetter").value(c.deadLetter());
    w.endObject();
  }

  private static void spread(JsonBuilder w, Spread s) {
    w.beginObject().name("avg").value(s.avg()).name("median").value(s.median())
        .name("min").value(s.min()).name("max").value(s.max()).endObject();
  }
}
