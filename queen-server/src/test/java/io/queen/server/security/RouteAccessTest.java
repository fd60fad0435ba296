package io.queen.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.queen.server.testing.ServerHarness;
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every route the server serves needs the level of this table (the original's mapping), and over
 * HTTP a token one level short is refused with 403 while a token of the level gets through.
 */
class RouteAccessTest {
  private static final AccessLevel RO = AccessLevel.READ_ONLY;
  private static final AccessLevel RW = AccessLevel.READ_WRITE;
  private static final AccessLevel ADMIN = AccessLevel.ADMIN;

  /** Each route and its level; a route added without a line here fails the test. */
  static final Map<String, AccessLevel> TABLE = new LinkedHashMap<>();

  static {
    TABLE.put("GET /health", RO);
    TABLE.put("GET /health/live", RO);
    TABLE.put("GET /health/ready", RO);
    TABLE.put("GET /metrics", RO);
    TABLE.put("GET /metrics/prometheus", RO);
    TABLE.put("POST /api/v1/configure", RW);
    TABLE.put("POST /api/v1/push", RW);
    TABLE.put("GET /api/v1/pop", RW);
    TABLE.put("GET /api/v1/pop/queue/:queue", RW);
    TABLE.put("GET /api/v1/pop/queue/:queue/partition/:partition", RW);
    TABLE.put("POST /api/v1/ack", RW);
    TABLE.put("POST /api/v1/ack/batch", RW);
    TABLE.put("POST /api/v1/transaction", RW);
    TABLE.put("POST /api/v1/lease/:leaseId/extend", RW);
    TABLE.put("POST /api/v1/traces", RW);
    TABLE.put("GET /api/v1/traces/:partitionId/:transactionId", RO);
    TABLE.put("GET /api/v1/traces/by-name/:traceName", RO);
    TABLE.put("GET /api/v1/traces/names", RO);
    TABLE.put("GET /api/v1/resources/overview", RO);
    TABLE.put("GET /api/v1/resources/queues", RO);
    TABLE.put("GET /api/v1/resources/queues/:queue", RO);
    TABLE.put("DELETE /api/v1/resources/queues/:queue", ADMIN);
    TABLE.put("DELETE /api/v1/queues/:queue/clear", ADMIN);
    TABLE.put("GET /api/v1/resources/namespaces", RO);
    TABLE.put("GET /api/v1/resources/tasks", RO);
    TABLE.put("GET /api/v1/messages", RO);
    TABLE.put("GET /api/v1/messages/:partitionId/:transactionId", RO);
    TABLE.put("DELETE /api/v1/messages/:partitionId/:transactionId", RW);
    TABLE.put("GET /api/v1/dlq", RO);
    TABLE.put("POST /api/v1/dlq/requeue", RW);
    TABLE.put("GET /api/v1/status", RO);
    TABLE.put("GET /api/v1/status/queues", RO);
    TABLE.put("GET /api/v1/status/queues/:queue", RO);
    TABLE.put("GET /api/v1/status/queues/:queue/messages", RO);
    TABLE.put("GET /api/v1/status/analytics", RO);
    TABLE.put("GET /api/v1/status/buffers", RO);
    TABLE.put("GET /api/v1/session", RO);
    TABLE.put("GET /api/v1/system/config", ADMIN);
    TABLE.put("GET /api/v1/analytics/system-metrics", RO);
    TABLE.put("GET /api/v1/analytics/worker-metrics", RO);
    TABLE.put("GET /api/v1/analytics/queue-ops", RO);
    TABLE.put("GET /api/v1/analytics/queue-lag", RO);
    TABLE.put("GET /api/v1/analytics/queue-parked-replicas", RO);
    TABLE.put("GET /api/v1/analytics/retention", RO);
    TABLE.put("GET /api/v1/analytics/postgres-stats", RO);
    TABLE.put("GET /api/v1/consumer-groups", RO);
    TABLE.put("GET /api/v1/consumer-groups/lagging", RO);
    TABLE.put("GET /api/v1/consumer-groups/:group", RO);
    TABLE.put("DELETE /api/v1/consumer-groups/:group", ADMIN);
    TABLE.put("DELETE /api/v1/consumer-groups/:group/queues/:queue", ADMIN);
    TABLE.put("POST /api/v1/consumer-groups/:group/subscription", RW);
    TABLE.put("POST /api/v1/consumer-groups/:group/queues/:queue/seek", RW);
    TABLE.put("POST /api/v1/consumer-groups/:group/queues/:queue/partitions/:partition/seek", RW);
    TABLE.put("POST /api/v1/stats/refresh", ADMIN);
    TABLE.put("GET /api/v1/system/maintenance", ADMIN);
    TABLE.put("POST /api/v1/system/maintenance", ADMIN);
    TABLE.put("GET /api/v1/system/maintenance/pop", ADMIN);
    TABLE.put("POST /api/v1/system/maintenance/pop", ADMIN);
  }

  @Test
  void every_route_needs_the_level_of_the_table_and_over_http_one_level_less_is_403() {
    // no skip paths: health and metrics are checked like the rest
    try (var h = ServerHarness.start(env -> {
      Tokens.hs256Server().apply(env);
      env.put("JWT_SKIP_PATHS", "");
      return env;
    })) {
      var served = new TreeMap<String, AccessLevel>();
      for (var route : h.server.routes()) {
        served.put(route.method() + " " + route.pattern(),
            RouteAccess.required(route.method(), route.pattern()));
      }
      assertThat(served).containsExactlyInAnyOrderEntriesOf(TABLE);

      var problems = new StringBuilder();
      for (var entry : TABLE.entrySet()) {
        var method = entry.getKey().substring(0, entry.getKey().indexOf(' '));
        var path = concrete(entry.getKey().substring(method.length() + 1));
        var level = entry.getValue();
        String below = switch (level) {
          case READ_ONLY -> null;
          case READ_WRITE -> "read-only";
          case ADMIN -> "read-write";
        };
        String enough = switch (level) {
          case READ_ONLY -> "read-only";
          case READ_WRITE -> "read-write";
          case ADMIN -> "admin";
        };
        int refused = send(h, method, path, Tokens.hs256("u", below));
        int allowed = send(h, method, path, Tokens.hs256("u", enough));
        int anonymous = send(h, method, path, null);
        if (refused != 403 || allowed == 401 || allowed == 403 || anonymous != 401) {
          problems.append(entry.getKey()).append(": one level short ").append(refused)
              .append(", with ").append(enough).append(' ').append(allowed)
              .append(", no token ").append(anonymous).append('\n');
        }
      }
      if (problems.length() > 0) {
        fail("routes not gated as the table says:\n" + problems);
      }
    }
  }

  private static String concrete(String pattern) {
    return pattern.replace(":queue", "q").replace(":partitionId", UUID.randomUUID().toString())
        .replace(":partition", "p").replace(":transactionId", "t").replace(":group", "g")
        .replace(":leaseId", UUID.randomUUID().toString()).replace(":traceName", "n")
        + "?wait=false&timeout=1";
  }

  private static int send(ServerHarness h, String method, String path, String token) {
    var b = HttpRequest.newBuilder(h.uri(path)).header("Content-Type", "application/json")
        .method(method, method.equals("POST") ? HttpRequest.BodyPublishers.ofString("{}")
            : HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return h.send(b).status();
  }
}
