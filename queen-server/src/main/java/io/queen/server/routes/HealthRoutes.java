package io.queen.server.routes;

import io.queen.QueueManager;
import io.queen.server.BuildInfo;
import io.queen.server.http.ApiRequest;
import io.queen.server.http.ApiResponse;
import io.queen.server.http.JsonOut;
import io.queen.server.http.Router.Route;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.xnio.XnioIoThread;

/**
 * {@code GET /health} and {@code /health/ready}: ask the database; 200 when it answers; when it
 * does not, 200 {@code degraded} while pushes go to the file buffer, else 503 with
 * {@code Retry-After}. Ready also needs the schema migrated and the engine not closing.
 * {@code GET /health/live}: the process answers, nothing else asked. The handlers run on the
 * request's IO thread (they report that thread's number); a reply is written on the thread that
 * completes the check. Thread-safe (immutable).
 */
public final class HealthRoutes {
  static final String SERVER = "Queen for the JVM (Undertow)";
  static final String VERSION = BuildInfo.version();

  private final QueueManager queen;

  public HealthRoutes(QueueManager queen) {
    this.queen = queen;
  }

  public List<Route> routes() {
    return List.of(new Route("GET", "/health", "health", false, this::health),
        new Route("GET", "/health/ready", "health", false, this::ready),
        new Route("GET", "/health/live", "health", false, this::live));
  }

  private static int worker() {
    return Thread.currentThread() instanceof XnioIoThread
        ? ((XnioIoThread) Thread.currentThread()).getNumber() : -1;
  }

  private CompletableFuture<ApiResponse> live(ApiRequest req) {
    int worker = worker();
    return CompletableFuture.completedFuture(ApiResponse.json(200, JsonOut.write(w -> {
      w.beginObject();
      w.name("status").value("alive");
      w.name("server").value(SERVER);
      w.name("worker_id").value(worker);
      w.name("version").value(VERSION);
      w.endObject();
    })));
  }

  private CompletableFuture<ApiResponse> ready(ApiRequest req) {
    if (!queen.isReady()) {
      int worker = worker();
      var body = JsonOut.write(w -> {
        w.beginObject();
        w.name("status").value("not_ready");
        w.name("reason").value("the schema is not migrated yet (the database has not answered "
            + "since the start) or the server is closing");
        w.name("server").value(SERVER);
        w.name("worker_id").value(worker);
        w.name("version").value(VERSION);
        w.endObject();
      });
      return CompletableFuture.completedFuture(ApiResponse.json(503, body).withRetryAfter(1));
    }
    return health(req);
  }

  private CompletableFuture<ApiResponse> health(ApiRequest req) {
    int worker = worker();
    return queen.checkDatabase().thenApply(ok -> {
      // without the database but with a file buffer the server still takes pushes: degraded
      boolean buffering = !ok && queen.bufferStatus().enabled();
      var body = JsonOut.write(w -> {
        w.beginObject();
        w.name("status").value(ok ? "healthy" : buffering ? "degraded" : "unhealthy");
        w.name("database").value(ok ? "connected" : "disconnected");
        w.name("server").value(SERVER);
        w.name("worker_id").value(worker);
        w.name("version").value(VERSION);
        w.endObject();
      });
      var response = ApiResponse.json(ok || buffering ? 200 : 503, body);
      return ok || buffering ? response : response.withRetryAfter(1);
    });
  }
}
