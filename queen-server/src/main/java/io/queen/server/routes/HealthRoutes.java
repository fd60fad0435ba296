package io.queen.server.routes;

import io.queen.QueueManager;
import io.queen.server.http.ApiRequest;
import io.queen.server.http.ApiResponse;
import io.queen.server.http.JsonOut;
import io.queen.server.http.Router.Route;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.xnio.XnioIoThread;

/**
 * {@code GET /health}: asks the database; 200 when it answers; when it does not, 200
 * {@code degraded} while pushes go to the file buffer, else 503 with {@code Retry-After}. The handler runs on the request's IO thread (it reports that thread's number); the
 * reply is written on the thread that completes the check. Thread-safe (immutable).
 */
public final class HealthRoutes {
  static final String SERVER = "Queen for the JVM (Undertow)";
  static final String VERSION = "0.1.0";

  private final QueueManager queen;

  public HealthRoutes(QueueManager queen) {
    this.queen = queen;
  }

  public List<Route> routes() {
    return List.of(new Route("GET", "/health", "health", false, this::health));
  }

  private CompletableFuture<ApiResponse> health(ApiRequest req) {
    int worker = Thread.currentThread() instanceof XnioIoThread
        ? ((XnioIoThread) Thread.currentThread()).getNumber() : -1;
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
