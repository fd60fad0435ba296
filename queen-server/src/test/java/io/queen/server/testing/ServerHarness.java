package io.queen.server.testing;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.queen.server.QueenServer;
import io.queen.server.ServerConfig;
import io.queen.server.http.RequestDecorator;
import io.queen.testing.TestDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * A real server on 127.0.0.1 (ephemeral port) over a fresh scratch database, and a JDK HTTP client
 * to talk to it. Closing it stops the server and drops the database.
 */
public final class ServerHarness implements AutoCloseable {
  private static final Pattern URL = Pattern.compile(
      "^jdbc:postgresql://([^:/]+)(?::(\\d+))?/([^?]+)(?:\\?(.*))?$");

  public final TestDatabase database;
  public final QueenServer server;
  public final HttpClient client;
  public final String base;

  private ServerHarness(TestDatabase database, QueenServer server) {
    this.database = database;
    this.server = server;
    this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    this.base = "http://127.0.0.1:" + server.port();
  }

  public static ServerHarness start() {
    return start(env -> env);
  }

  /** Starts with the test database's connection and {@code customize} applied to the variables. */
  public static ServerHarness start(UnaryOperator<Map<String, String>> customize) {
    return start(customize, List.of());
  }

  /** As {@link #start(UnaryOperator)}, with {@code decorators} installed between intake and routes. */
  public static ServerHarness start(UnaryOperator<Map<String, String>> customize,
      List<RequestDecorator> decorators) {
    var db = TestDatabase.create();
    try {
      var env = environmentFor(db);
      var config = ServerConfig.fromEnvironment(customize.apply(env));
      return new ServerHarness(db, QueenServer.start(config, decorators));
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }

  /** PORT=0 on loopback, two IO threads, PG_* taken from the test database's URL. */
  public static Map<String, String> environmentFor(TestDatabase db) {
    var m = URL.matcher(db.url());
    if (!m.matches()) {
      throw new IllegalStateException("cannot parse test database URL " + db.url());
    }
    var env = new HashMap<String, String>();
    env.put("PORT", "0");
    env.put("HOST", "127.0.0.1");
    env.put("NUM_WORKERS", "2");
    env.put("STATS_INTERVAL_MS", "0"); // the lists aggregate per read: a test sees what it just did
    env.put("PG_HOST", m.group(1));
    env.put("PG_PORT", m.group(2) == null ? "5432" : m.group(2));
    env.put("PG_DB", m.group(3));
    if (m.group(4) != null) {
      for (var kv : m.group(4).split("&")) {
        var parts = kv.split("=", 2);
        if (parts[0].equals("user")) {
          env.put("PG_USER", parts[1]);
        } else if (parts[0].equals("password")) {
          env.put("PG_PASSWORD", parts[1]);
        }
      }
    }
    env.put("SHUTDOWN_TIMEOUT_MS", "5000");
    // each server its own file buffer (a directory is one process's), removed with the database
    env.put("FILE_BUFFER_DIR", db.scratch().resolve("file-buffer-" + java.util.UUID.randomUUID()).toString());
    return env;
  }

  /** A response: status, headers and body text. */
  public record Reply(int status, String body, java.net.http.HttpHeaders headers) {
    public JsonElement json() {
      return JsonParser.parseString(body);
    }

    public JsonObject object() {
      return json().getAsJsonObject();
    }

    public String error() {
      return object().get("error").getAsString();
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  public Reply get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  public Reply delete(String path) {
    return send(HttpRequest.newBuilder(uri(path)).DELETE());
  }

  public Reply post(String path, String body) {
    return send(HttpRequest.newBuilder(uri(path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  public Reply request(String method, String path, String body) {
    return send(HttpRequest.newBuilder(uri(path)).method(method,
        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)));
  }

  public CompletableFuture<Reply> getAsync(String path) {
    return client.sendAsync(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60)).GET().build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
        .thenApply(r -> new Reply(r.statusCode(), r.body(), r.headers()));
  }

  public CompletableFuture<Reply> postAsync(String path, String body) {
    return client.sendAsync(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60))
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
        .thenApply(r -> new Reply(r.statusCode(), r.body(), r.headers()));
  }

  /** Sends a request built by the caller (for headers the helpers above do not set). */
  public Reply send(HttpRequest.Builder b) {
    try {
      var r = client.send(b.timeout(Duration.ofSeconds(60)).build(),
          HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Reply(r.statusCode(), r.body(), r.headers());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public URI uri(String path) {
    return URI.create(base + path);
  }

  /** The server's /metrics document. */
  public JsonObject metrics() {
    return get("/metrics").object();
  }

  @Override
  public void close() {
    try {
      server.stop();
    } finally {
      database.close();
    }
  }
}
