package io.queen.server.routes;

import io.queen.QueueManager;
import io.queen.json.JsonBuilder;
import io.queen.model.TraceRecord;
import io.queen.server.http.ApiRequest;
import io.queen.server.http.ApiResponse;
import io.queen.server.http.Futures;
import io.queen.server.http.JsonOut;
import io.queen.server.http.Router.Route;
import io.queen.server.wire.QueryParams;
import io.queen.server.wire.TraceBody;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Message traces: {@code POST /api/v1/traces} records one; {@code GET /api/v1/traces/names},
 * {@code /by-name/:traceName} and {@code /:partitionId/:transactionId} read them (the first two
 * paginated). Route order matters: {@code by-name} must be tried before the two-parameter path.
 * Handlers run on the request's IO thread and never block; reply bodies are written on the
 * thread that completes the core's future. Thread-safe (immutable).
 */
public final class TraceRoutes {
  private final QueueManager queen;

  public TraceRoutes(QueueManager queen) {
    this.queen = queen;
  }

  public List<Route> routes() {
    return List.of(
        new Route("POST", "/api/v1/traces", "traces", true, this::recordTrace),
        new Route("GET", "/api/v1/traces/names", "traces", false, this::traceNames),
        new Route("GET", "/api/v1/traces/by-name/:traceName", "traces", false, this::tracesByName),
        new Route("GET", "/api/v1/traces/:partitionId/:transactionId", "traces", false, this::traces));
  }

  private CompletableFuture<ApiResponse> recordTrace(ApiRequest req) {
    var event = TraceBody.read(req.body());
    return Futures.map(queen.recordTrace(event), id -> ApiResponse.json(201, JsonOut.write(w ->
        w.beginObject().name("success").value(true).name("traceId").value(id.toString())
            .endObject())));
  }

  private CompletableFuture<ApiResponse> traces(ApiRequest req) {
    return Futures.map(queen.traces(req.pathParam(0), req.pathParam(1)),
        list -> ApiResponse.json(200, JsonOut.write(w -> {
          w.beginObject();
          w.name("traces").beginArray();
          for (var t : list) {
            trace(w, t, false);
          }
          w.endArray();
          w.name("count").value(list.size());
          w.endObject();
        })));
  }

  private CompletableFuture<ApiResponse> tracesByName(ApiRequest req) {
    var q = new QueryParams(req.query());
    int limit = q.integer("limit", 100, 1, 10_000);
    int offset = q.integer("offset", 0, 0, Integer.MAX_VALUE);
    return Futures.map(queen.tracesByName(req.pathParam(0), limit, offset),
        page -> ApiResponse.json(200, JsonOut.write(w -> {
          w.beginObject();
          w.name("traces").beginArray();
          for (var t : page.traces()) {
            trace(w, t, true);
          }
          w.endArray();
          w.name("total").value(page.total());
          Pagination.write(w, page.limit(), page.offset());
          w.endObject();
        })));
  }

  private static void trace(JsonBuilder w, TraceRecord t, boolean withMessage) {
    w.beginObject();
    w.name("id").value(JsonOut.text(t.id()));
    w.name("transaction_id").value(t.transactionId());
    w.name("partition_id").value(JsonOut.text(t.partitionId()));
    w.name("event_type").value(t.eventType());
    w.name("data").jsonValue(t.dataJson() == null ? "null" : t.dataJson());
    w.name("consumer_group").value(t.consumerGroup());
    w.name("worker_id").value(t.workerId());
    w.name("created_at").value(JsonOut.millis(t.createdAt()));
    if (withMessage) {
      w.name("queue_name").value(t.queue());
      w.name("partition_name").value(t.partition());
      w.name("message_payload").jsonValue(
          t.messagePayloadJson() == null ? "null" : t.messagePayloadJson());
    }
    w.name("trace_names").beginArray();
    for (var n : t.traceNames()) {
      w.value(n);
    }
    w.endArray();
    w.endObject();
  }

  private CompletableFuture<ApiResponse> traceNames(ApiRequest req) {
    var q = new QueryParams(req.query());
    int limit = q.integer("limit", 50, 1, 10_000);
    int offset = q.integer("offset", 0, 0, Integer.MAX_VALUE);
    return Futures.map(queen.traceNames(limit, offset), page -> ApiResponse.json(200, JsonOut.write(w -> {
      w.beginObject();
      w.name("trace_names").beginArray();
      for (var n : page.names()) {
        w.beginObject();
        w.name("trace_name").value(n.name());
        w.name("trace_count").value(n.traceCount());
        w.name("message_count").value(n.messageCount());
        w.name("last_seen").value(JsonOut.millis(n.lastSeen()));
        w.endObject();
      }
      w.endArray();
      w.name("total").value(page.total());
      Pagination.write(w, page.limit(), page.offset());
      w.endObject();
    })));
  }
}
