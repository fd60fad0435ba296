package io.queen.server.routes;

import io.queen.QueueManager;
import io.queen.json.JsonBuilder;
import io.queen.model.DlqEntry;
import io.queen.model.DlqQuery;
import io.queen.server.http.ApiRequest;
import io.queen.server.http.ApiResponse;
import io.queen.server.http.Futures;
import io.queen.server.http.JsonOut;
import io.queen.server.http.Router.Route;
import io.queen.server.wire.DlqRequeueBody;
import io.queen.server.wire.QueryParams;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The dead-letter queue: {@code GET /api/v1/dlq} lists entries (filtered, paginated) and {@code
 * POST /api/v1/dlq/requeue} makes them deliverable again.
 * Handlers run on the request's IO thread and never block; reply bodies are written on the
 * thread that completes the core's future. Thread-safe (immutable).
 */
public final class DlqRoutes {
  private final QueueManager queen;

  public DlqRoutes(QueueManager queen) {
    this.queen = queen;
  }

  public List<Route> routes() {
    return List.of(
        new Route("GET", "/api/v1/dlq", "dlq", false, this::listDlq),
        new Route("POST", "/api/v1/dlq/requeue", "dlq", true, this::requeueDlq));
  }

  private CompletableFuture<ApiResponse> listDlq(ApiRequest req) {
    var q = new QueryParams(req.query());
    var query = new DlqQuery(q.string("queue"), q.string("partition"),
        q.string("consumerGroup"),
        q.instant("from"), q.instant("to"), q.integer("limit", 100, 1, 10_000),
        q.integer("offset", 0, 0, Integer.MAX_VALUE));
    return Futures.map(queen.listDlq(query), page -> ApiResponse.json(200, JsonOut.write(w -> {
      w.beginObject();
      w.name("messages").beginArray();
      for (var e : page.entries()) {
        dlqEntry(w, e);
      }
      w.endArray();
      w.name("total").value(page.total());
      Pagination.write(w, page.limit(), page.offset());
      w.endObject();
    })));
  }

  private static void dlqEntry(JsonBuilder w, DlqEntry e) {
    w.beginObject();
    w.name("id").value(JsonOut.text(e.messageId()));
    w.name("transactionId").value(e.transactionId());
    w.name("partitionId").value(JsonOut.text(e.partitionId()));
    w.name("queue").value(e.queue());
    w.name("partition").value(e.partition());
    w.name("consumerGroup").value(e.consumerGroup());
    w.name("errorMessage").value(e.errorMessage());
    w.name("retryCount").value(e.retryCount());
    w.name("data").jsonValue(e.payloadJson() == null ? "null" : e.payloadJson());
    w.name("producerSub").value(e.producerSub());
    w.name("createdAt").value(JsonOut.millis(e.createdAt()));
    w.name("failedAt").value(JsonOut.millis(e.failedAt()));
    w.endObject();
  }

  private CompletableFuture<ApiResponse> requeueDlq(ApiRequest req) {
    return Futures.map(queen.requeueDlq(DlqRequeueBody.read(req.body())),
        n -> ApiResponse.json(200, JsonOut.write(w ->
            w.beginObject().name("requeued").value(n).endObject())));
  }
}
