package io.queen.server.routes;

import io.queen.server.BuildInfo;
import io.queen.server.http.ApiRequest;
import io.queen.server.http.ApiResponse;
import io.queen.server.http.JsonOut;
import io.queen.server.http.Router.Route;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What a console needs to know about this server and its caller (ours; the original has neither):
 * {@code GET /api/v1/session}, the caller's access level, so the dashboard can hide what a token
 * may not do (the routes check again: hiding is a courtesy, not the control), and
 * {@code GET /api/v1/system/config}, the effective configuration with every secret masked.
 * Handlers run on the request's IO thread and never block. Thread-safe (immutable).
 */
public final class ServerInfoRoutes {
  private final boolean authEnabled;
  private final Map<String, Object> config; // describe()'s order: grouped as the docs group them

  /**
   * @param authEnabled whether requests pass the JWT gate (else every caller may do everything)
   * @param config the effective settings, secrets already masked ({@code ServerConfig.describe()})
   */
  public ServerInfoRoutes(boolean authEnabled, Map<String, Object> config) {
    this.authEnabled = authEnabled;
    // a copy that keeps the order and allows a null (a setting without a value)
    this.config = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(config));
  }

  public List<Route> routes() {
    return List.of(
        new Route("GET", "/api/v1/session", "session", false, this::session),
        new Route("GET", "/api/v1/system/config", "system", false, this::config));
  }

  private CompletableFuture<ApiResponse> session(ApiRequest req) {
    var principal = req.principal();
    return CompletableFuture.completedFuture(ApiResponse.json(200, JsonOut.write(w -> {
      w.beginObject();
      w.name("authEnabled").value(authEnabled);
      w.name("subject").value(principal == null ? null : principal.subject());
      // without authentication anyone may do anything, and the page should say so
      w.name("access").value(!authEnabled ? "admin"
          : principal == null || principal.access() == null ? "read-only" : principal.access());
      w.name("version").value(BuildInfo.version());
      w.endObject();
    })));
  }

  private CompletableFuture<ApiResponse> config(ApiRequest req) {
    return CompletableFuture.completedFuture(ApiResponse.json(200, JsonOut.write(w -> {
      w.beginObject();
      w.name("version").value(BuildInfo.version());
      w.name("config").beginObject();
      for (var setting : config.entrySet()) {
        var value = setting.getValue();
        w.name(setting.getKey());
        if (value == null) {
          w.nullValue();
        } else if (value instanceof Boolean b) {
          w.value(b.booleanValue());
        } else if (value instanceof Number n) {
          w.value(n);
        } else {
          w.value(String.valueOf(value));
        }
      }
      w.endObject();
      w.endObject();
    })));
  }
}
