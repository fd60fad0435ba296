package io.queen.server.routes;

import io.queen.QueueManager;
import io.queen.json.JsonBuilder;
import io.queen.model.QueueInfo;
import io.queen.server.http.ApiRequest;
import io.queen.server.http.ApiResponse;
import io.queen.server.http.Futures;
import io.queen.server.http.JsonOut;
import io.queen.server.http.Router.Route;
import io.queen.server.wire.ConfigureBody;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Queues as resources: {@code POST /api/v1/configure} (create or change a queue, answering it with
 * every option) and {@code DELETE /api/v1/resources/queues/:queue}.
 * Handlers run on the request's IO thread and never block; reply bodies are written on the
 * thread that completes the core's future. Thread-safe (immutable).
 */
public final class QueueRoutes {
  private final QueueManager queen;

  public QueueRoutes(QueueManager queen) {
    this.queen = queen;
  }

  public List<Route> routes() {
    return List.of(
        new Route("POST", "/api/v1/configure", "configure", true, this::configure),
        new Route("DELETE", "/api/v1/resources/queues/:queue", "delete", false, this::deleteQueue));
  }

  private CompletableFuture<ApiResponse> configure(ApiRequest req) {
    var body = ConfigureBody.read(req.body());
    return Futures.map(queen.configureQueue(body.queue(), body.namespace(), body.task(), body.options()),
        info -> ApiResponse.json(200, JsonOut.write(w -> configured(w, info))));
  }

  private static void configured(JsonBuilder w, QueueInfo info) {
    var o = info.options();
    w.beginObject();
    w.name("configured").value(true);
    w.name("queueId").value(JsonOut.text(info.queueId()));
    w.name("partitionId").value(JsonOut.text(info.defaultPartitionId()));
    w.name("queue").value(info.name());
    w.name("namespace").value(info.namespace());
    w.name("task").value(info.task());
    w.name("options").beginObject();
    w.name("priority").value(o.priority());
    w.name("leaseTime").value(o.leaseTime());
    w.name("retryLimit").value(o.retryLimit());
    w.name("retryDelay").value(o.retryDelay());
    w.name("retryBackoff").value(o.retryBackoff());
    w.name("retryDelayMax").value(o.retryDelayMax());
    w.name("maxSize").value(o.maxSize());
    w.name("ttl").value(o.ttl());
    w.name("deadLetterQueue").value(o.deadLetterQueue());
    w.name("dlqAfterMaxRetries").value(o.dlqAfterMaxRetries());
    w.name("delayedProcessing").value(o.delayedProcessing());
    w.name("windowBuffer").value(o.windowBuffer());
    w.name("retentionSeconds").value(o.retentionSeconds());
    w.name("completedRetentionSeconds").value(o.completedRetentionSeconds());
    w.name("retentionEnabled").value(o.retentionEnabled());
    w.name("encryptionEnabled").value(o.encryptionEnabled());
    w.name("maxWaitTimeSeconds").value(o.maxWaitTimeSeconds());
    w.endObject();
    w.endObject();
  }

  private CompletableFuture<ApiResponse> deleteQueue(ApiRequest req) {
    var queue = req.pathParam(0);
    return Futures.map(queen.deleteQueue(queue), existed -> ApiResponse.json(200, JsonOut.write(w ->
        w.beginObject().name("deleted").value(true).name("queue").value(queue)
            .name("existed").value(existed).endObject())));
  }
}
