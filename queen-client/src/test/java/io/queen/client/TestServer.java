package io.queen.client;

import io.queen.server.QueenServer;
import io.queen.server.ServerConfig;
import io.queen.testing.TestDatabase;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/** Our real server on 127.0.0.1 (ephemeral port) over a fresh scratch database; closing drops both. */
final class TestServer implements AutoCloseable {
  private static final Pattern URL = Pattern.compile(
      "^jdbc:postgresql://([^:/]+)(?::(\\d+))?/([^?]+)(?:\\?(.*))?$");

  final TestDatabase database;
  final QueenServer server;
  final String url;

  private TestServer(TestDatabase database, QueenServer server) {
    this.database = database;
    this.server = server;
    this.url = "http://127.0.0.1:" + server.port();
  }

  static TestServer start() {
    return start(Map.of());
  }

  /** Starts with the test database's connection and {@code extra} variables on top. */
  static TestServer start(Map<String, String> extra) {
    var db = TestDatabase.create();
    try {
      var m = URL.matcher(db.url());
      if (!m.matches()) {
        throw new IllegalStateException("cannot parse test database URL " + db.url());
      }
      var env = new HashMap<String, String>();
      env.put("PORT", "0");
      env.put("HOST", "127.0.0.1");
      env.put("NUM_WORKERS", "2");
      env.put("STATS_INTERVAL_MS", "0");
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
      env.put("FILE_BUFFER_DIR", db.scratch().resolve("file-buffer-" + UUID.randomUUID()).toString());
      env.putAll(extra);
      return new TestServer(db, QueenServer.start(ServerConfig.fromEnvironment(env)));
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }

  QueenClient client() {
    return QueenClient.builder().urls(url).build();
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
