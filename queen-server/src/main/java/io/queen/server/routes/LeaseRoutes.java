package io.queen.server.routes;

import io.queen.QueueManager;
import io.queen.server.http.ApiRequest;
import io.queen.server.http.ApiResponse;
import io.queen.server.http.Futures;
import io.queen.server.http.JsonOut;
import io.queen.server.http.Router.Route;
import io.queen.server.wire.LeaseExtendBody;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /api/v1/lease/:leaseId/extend}: one result in an array, as the original.
 * Handlers run on the request's IO thread and never block; reply bodies are written on the
 * thread that completes the core's future. Thread-safe (immutable).
 */
public final class LeaseRoutes {
  private static final int DEFAULT_EXTEND_SECONDS = 60;

  private final QueueManager queen;

  public LeaseRoutes(QueueManager queen) {
    this.queen = queen;
  }

  public List<Route> routes() {
    return List.of(new Route("POST", "/api/v1/lease/:leaseId/extend", "lease", true, this::extendLease));
  }

  private CompletableFuture<ApiResponse> extendLease(ApiRequest req) {
    var leaseId = req.pathParam(0);
    int s = LeaseExtendBody.seconds(req.body(), DEFAULT_EXTEND_SECONDS);
    return Futures.map(queen.extendLease(leaseId, s), ext -> ApiResponse.json(200, JsonOut.write(w -> {
      w.beginArray().beginObject();
      w.name("index").value(0);
      w.name("leaseId").value(ext.leaseId());
      w.name("success").value(ext.success());
      w.name("error").value(ext.error());
      w.name("expiresAt").value(JsonOut.millis(ext.expiresAt()));
      w.endObject().endArray();
    })));
  }
}
