package io.queen.server.routes;

import io.queen.QueueManager;
import io.queen.json.JsonBuilder;
import io.queen.model.BufferStatus;
import io.queen.model.MaintenanceStatus;
import io.queen.server.http.ApiRequest;
import io.queen.server.http.ApiResponse;
import io.queen.server.http.Futures;
import io.queen.server.http.JsonOut;
import io.queen.server.http.Router.Route;
import io.queen.server.wire.EnabledBody;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.xnio.XnioIoThread;

/**
 * The maintenance switches and the file buffer, with the original's shapes:
 * {@code GET/POST /api/v1/system/maintenance} (push maintenance),
 * {@code GET/POST /api/v1/system/maintenance/pop} and {@code GET /api/v1/status/buffers}. A switch
 * holds for every instance on the database. Handlers run on the request's IO thread and never
 * block. Thread-safe (immutable).
 */
public final class SystemRoutes {
  private final QueueManager queen;

  public SystemRoutes(QueueManager queen) {
    this.queen = queen;
  }

  public List<Route> routes() {
    return List.of(
        new Route("GET", "/api/v1/system/maintenance", "system", false, this::pushMode),
        new Route("POST", "/api/v1/system/maintenance", "system", true, this::setPushMode),
        new Route("GET", "/api/v1/system/maintenance/pop", "system", false, this::popMode),
        new Route("POST", "/api/v1/system/maintenance/pop", "system", true, this::setPopMode),
        new Route("GET", "/api/v1/status/buffers", "system", false, this::buffers));
  }

  private CompletableFuture<ApiResponse> pushMode(ApiRequest req) {
    var m = queen.maintenance();
    var b = queen.bufferStatus();
    return CompletableFuture.completedFuture(ApiResponse.json(200, JsonOut.write(w -> {
      w.beginObject();
      w.name("maintenanceMode").value(m.pushMaintenance());
      w.name("popMaintenanceMode").value(m.popMaintenance());
      bufferFields(w, b);
      w.name("bufferStats").beginObject();
      w.name("pendingCount").value(b.pendingMessages());
      w.name("failedCount").value(b.rejectedMessages());
      w.name("dbHealthy").value(b.databaseHealthy());
      w.name("failedFiles").beginObject().name("count").value(b.rejectedMessages() > 0 ? 1 : 0)
          .name("totalBytes").value(0).name("totalMB").value(0).name("failoverCount")
          .value(b.pendingPushes()).name("qos0Count").value(0).endObject();
      w.endObject();
      w.name("buffer");
      buffer(w, b);
      w.endObject();
    })));
  }

  private CompletableFuture<ApiResponse> setPushMode(ApiRequest req) {
    boolean enabled = EnabledBody.enabled(req.body());
    return Futures.map(queen.setPushMaintenance(enabled), m -> {
      var b = queen.bufferStatus();
      return ApiResponse.json(200, JsonOut.write(w -> {
        w.beginObject();
        w.name("maintenanceMode").value(m.pushMaintenance());
        bufferFields(w, b);
        w.name("message").value(m.pushMaintenance()
            ? "Maintenance mode ON: pushes go to the file buffer of every instance, which replays"
                + " when it is switched off"
            : "Maintenance mode OFF: pushes go to PostgreSQL; the file buffers replay ("
                + b.pendingMessages() + " message(s) waiting here)");
        w.endObject();
      }));
    });
  }

  private CompletableFuture<ApiResponse> popMode(ApiRequest req) {
    return CompletableFuture.completedFuture(popReply(queen.maintenance()));
  }

  private CompletableFuture<ApiResponse> setPopMode(ApiRequest req) {
    boolean enabled = EnabledBody.enabled(req.body());
    return Futures.map(queen.setPopMaintenance(enabled), SystemRoutes::popReply);
  }

  private static ApiResponse popReply(MaintenanceStatus m) {
    return ApiResponse.json(200, JsonOut.write(w -> {
      w.beginObject();
      w.name("popMaintenanceMode").value(m.popMaintenance());
      w.name("message").value(m.popMaintenance()
          ? "Pop maintenance mode ON: pops answer at once with no messages"
          : "Pop maintenance mode OFF: pops deliver messages");
      w.endObject();
    }));
  }

  private CompletableFuture<ApiResponse> buffers(ApiRequest req) {
    int worker = Thread.currentThread() instanceof XnioIoThread
        ? ((XnioIoThread) Thread.currentThread()).getNumber() : -1;
    var b = queen.bufferStatus();
    return CompletableFuture.completedFuture(ApiResponse.json(200, JsonOut.write(w -> {
      w.beginObject();
      w.name("pending").value(b.pendingMessages());
      w.name("failed").value(b.rejectedMessages());
      w.name("dbHealthy").value(b.databaseHealthy());
      w.name("worker").value(worker);
      w.name("buffer");
      buffer(w, b);
      w.endObject();
    })));
  }

  private static void bufferFields(JsonBuilder w, BufferStatus b) {
    w.name("bufferedMessages").value(b.pendingMessages());
    w.name("bufferHealthy").value(b.enabled() && b.bytesOnDisk() < b.maxBytes());
  }

  /** Ours, beyond the original's fields: the whole status. */
  private static void buffer(JsonBuilder w, BufferStatus b) {
    w.beginObject();
    w.name("enabled").value(b.enabled());
    w.name("directory").value(b.directory());
    w.name("pendingPushes").value(b.pendingPushes());
    w.name("pendingMessages").value(b.pendingMessages());
    w.name("bytesOnDisk").value(b.bytesOnDisk());
    w.name("maxBytes").value(b.maxBytes());
    w.name("replayedMessages").value(b.replayedMessages());
    w.name("rejectedMessages").value(b.rejectedMessages());
    w.name("damagedBytes").value(b.damagedBytes());
    w.name("databaseHealthy").value(b.databaseHealthy());
    w.name("replaying").value(b.replaying());
    w.endObject();
  }
}
