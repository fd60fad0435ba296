package io.queen.server.routes;

import io.queen.QueueManager;
import io.queen.json.JsonBuilder;
import io.queen.model.PushResult;
import io.queen.server.http.ApiRequest;
import io.queen.server.http.ApiResponse;
import io.queen.server.http.Futures;
import io.queen.server.http.JsonOut;
import io.queen.server.http.Router.Route;
import io.queen.server.wire.PushBody;
import io.queen.server.wire.TraceHeaders;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /api/v1/push}: 201 with one snake_case result per item, in item order.
 * Handlers run on the request's IO thread and never block; reply bodies are written on the
 * thread that completes the core's future. Thread-safe (immutable).
 */
public final class PushRoutes {
  private final QueueManager queen;

  public PushRoutes(QueueManager queen) {
    this.queen = queen;
  }

  public List<Route> routes() {
    return List.of(new Route("POST", "/api/v1/push", "push", true, this::push));
  }

  private CompletableFuture<ApiResponse> push(ApiRequest req) {
    var items = ProducerStamp.stamp(TraceHeaders.apply(PushBody.read(req.body()),
        req.header(TraceHeaders.TRACEPARENT), req.header(TraceHeaders.TRACESTATE)),
        req.principal());
    return Futures.map(queen.push(items), results -> ApiResponse.json(201, JsonOut.write(w -> {
      w.beginArray();
      for (int i = 0; i < results.size(); i++) {
        pushResult(w, i, results.get(i));
      }
      w.endArray();
    })).withItems(results.size()));
  }

  private static void pushResult(JsonBuilder w, int index, PushResult r) {
    w.beginObject();
    w.name("index").value(index);
    w.name("transaction_id").value(r.transactionId());
    w.name("status").value(r.status().wireName());
    w.name("message_id").value(JsonOut.text(r.messageId()));
    w.name("partition_id").value(JsonOut.text(r.partitionId()));
    w.name("trace_id").value(r.traceId());
    w.name("queueName").value(r.queue());
    if (r.error() != null) {
      w.name("error").value(r.error());
    }
    w.endObject();
  }
}
