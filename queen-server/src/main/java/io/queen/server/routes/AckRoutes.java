package io.queen.server.routes;

import io.queen.QueueManager;
import io.queen.error.InvalidRequestException;
import io.queen.model.AckResult;
import io.queen.server.http.ApiRequest;
import io.queen.server.http.ApiResponse;
import io.queen.server.http.Futures;
import io.queen.server.http.JsonOut;
import io.queen.server.http.Router.Route;
import io.queen.server.wire.AckBody;
import io.queen.server.wire.WireNames;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /api/v1/ack} (one ack, its fields named bare in errors) and {@code POST
 * /api/v1/ack/batch}: 200 with one result per ack, in order.
 * Handlers run on the request's IO thread and never block; reply bodies are written on the
 * thread that completes the core's future. Thread-safe (immutable).
 */
public final class AckRoutes {
  private final QueueManager queen;

  public AckRoutes(QueueManager queen) {
    this.queen = queen;
  }

  public List<Route> routes() {
    return List.of(
        new Route("POST", "/api/v1/ack", "ack", true, this::ack),
        new Route("POST", "/api/v1/ack/batch", "ack", true, this::ackBatch));
  }

  private CompletableFuture<ApiResponse> ack(ApiRequest req) {
    var item = AckBody.single(req.body());
    CompletableFuture<List<AckResult>> core;
    try {
      core = queen.ack(List.of(item));
    } catch (InvalidRequestException e) {
      throw WireNames.rename(e, "acknowledgments[0]", "");
    }
    return Futures.map(core, AckRoutes::acked);
  }

  private CompletableFuture<ApiResponse> ackBatch(ApiRequest req) {
    return Futures.map(queen.ack(AckBody.batch(req.body())), AckRoutes::acked);
  }

  private static ApiResponse acked(List<AckResult> results) {
    return ApiResponse.json(200, JsonOut.write(w -> {
      w.beginArray();
      for (int i = 0; i < results.size(); i++) {
        var r = results.get(i);
        w.beginObject();
        w.name("index").value(i);
        w.name("transactionId").value(r.transactionId());
        w.name("success").value(r.success());
        w.name("error").value(r.error());
        w.name("queueName").value(r.queue());
        w.name("partitionName").value(r.partition());
        w.name("leaseReleased").value(r.leaseReleased());
        w.name("dlq").value(r.dlq());
        w.endObject();
      }
      w.endArray();
    })).withItems(results.size());
  }
}
