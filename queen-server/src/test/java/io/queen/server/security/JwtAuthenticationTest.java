package io.queen.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import io.queen.server.testing.ServerHarness;
import io.queen.testing.Fixtures;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.Date;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A server with JWT_ENABLED: every way a request can be refused, and what a valid token gets. */
class JwtAuthenticationTest {
  static ServerHarness h;

  @BeforeAll
  static void start() {
    h = ServerHarness.start(env -> {
      Tokens.hs256Server().apply(env);
      env.put("JWT_ISSUER", "https://issuer.example");
      env.put("JWT_AUDIENCE", "queen");
      env.put("JWT_CLOCK_SKEW", "5");
      return env;
    });
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  static String token(String sub, String role) {
    return Tokens.hs256(good(sub, role).build());
  }

  static com.nimbusds.jwt.JWTClaimsSet.Builder good(String sub, String role) {
    return Tokens.claims(sub, role).issuer("https://issuer.example").audience("queen");
  }

  static ServerHarness.Reply send(String method, String path, String body, String authorization) {
    var b = HttpRequest.newBuilder(h.uri(path)).header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return h.send(b);
  }

  static ServerHarness.Reply push(String body, String authorization) {
    return send("POST", "/api/v1/push", body, authorization);
  }

  static final String ONE = "{\"items\":[{\"queue\":\"auth\",\"payload\":{\"n\":1}}]}";

  @Test
  void a_request_without_a_token_is_refused_with_401_and_a_bearer_challenge() {
    var reply = push(ONE, null);
    assertThat(reply.status()).as(reply.toString()).isEqualTo(401);
    assertThat(reply.error()).isEqualTo("Authentication required");
    assertThat(reply.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"queen\"");
    assertThat(send("GET", "/api/v1/status", null, "Bearer ").status()).isEqualTo(401);
  }

  @Test
  void each_bad_token_is_refused_with_401_naming_what_is_wrong_and_nothing_is_stored() {
    var now = Instant.now();
    expect401("Bearer not-a-jwt", "Malformed token");
    expect401("Bearer " + Tokens.sign(new JWSHeader(JWSAlgorithm.HS256), good("a", "admin").build(),
        "another-secret-that-is-long-enough-for-hs256"), "Invalid token signature");
    expect401("Bearer " + Tokens.sign(new JWSHeader(JWSAlgorithm.HS512), good("a", "admin").build(),
        Tokens.SECRET + Tokens.SECRET), "Token uses HS512, expected HS256");
    expect401("Bearer " + Tokens.hs256(good("a", "admin")
        .expirationTime(Date.from(now.minusSeconds(60))).build()), "Token has expired");
    expect401("Bearer " + Tokens.hs256(good("a", "admin")
        .notBeforeTime(Date.from(now.plusSeconds(600))).build()), "Token is not valid yet");
    expect401("Bearer " + Tokens.hs256(good("a", "admin").issuer("https://evil.example").build()),
        "Invalid token issuer");
    expect401("Bearer " + Tokens.hs256(good("a", "admin").audience("not-queen").build()),
        "Invalid token audience");
    // an unsigned token ("alg": "none") is not a JWS at all
    expect401("Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhIiwicm9sZSI6ImFkbWluIn0.", "Malformed token");
    assertThat(Fixtures.scalarLong(h.database, "SELECT count(*) FROM queen.queues WHERE name = "
        + "'refused'")).isZero();
  }

  @Test
  void a_token_within_the_clock_skew_of_its_expiry_still_passes() {
    var nearly = Tokens.hs256(good("skewed", "read-write")
        .expirationTime(Date.from(Instant.now().minusSeconds(2))).build());
    assertThat(push(ONE, "Bearer " + nearly).status()).isEqualTo(201);
  }

  private static void expect401(String authorization, String error) {
    var reply = push("{\"items\":[{\"queue\":\"refused\",\"payload\":1}]}", authorization);
    assertThat(reply.status()).as(reply.toString()).isEqualTo(401);
    assertThat(reply.error()).startsWith(error);
  }

  @Test
  void a_valid_token_without_the_role_a_route_needs_gets_403() {
    var reader = "Bearer " + token("reader", "read-only");
    var reply = push(ONE, reader);
    assertThat(reply.status()).as(reply.toString()).isEqualTo(403);
    assertThat(reply.error()).isEqualTo("Insufficient permissions");
    assertThat(send("GET", "/api/v1/status", null, reader).status()).isEqualTo(200);

    var nobody = "Bearer " + token("nobody", null);
    assertThat(send("GET", "/api/v1/status", null, nobody).status()).isEqualTo(403);
    var stranger = "Bearer " + token("stranger", "superuser");
    assertThat(send("GET", "/api/v1/status", null, stranger).status()).isEqualTo(403);

    var writer = "Bearer " + token("writer", "read-write");
    assertThat(send("POST", "/api/v1/system/maintenance", "{\"enabled\":false}", writer).status())
        .isEqualTo(403);
    var admin = "Bearer " + token("root", "admin");
    assertThat(send("POST", "/api/v1/system/maintenance", "{\"enabled\":false}", admin).status())
        .isEqualTo(200);
  }

  @Test
  void roles_may_come_as_a_list_and_the_highest_one_counts() {
    var token = Tokens.hs256(good("listed", null).claim("roles",
        java.util.List.of("read-only", "unknown", "read-write")).build());
    assertThat(push(ONE, "Bearer " + token).status()).isEqualTo(201);
  }

  @Test
  void health_and_metrics_stay_open_without_a_token_and_preflight_needs_none() {
    assertThat(send("GET", "/health", null, null).status()).isEqualTo(200);
    assertThat(send("GET", "/health/live", null, null).status()).isEqualTo(200);
    assertThat(send("GET", "/health/ready", null, null).status()).isEqualTo(200);
    assertThat(send("GET", "/metrics", null, null).status()).isEqualTo(200);
    assertThat(send("GET", "/metrics/prometheus", null, null).status()).isEqualTo(200);
    assertThat(send("OPTIONS", "/api/v1/push", null, null).status()).isEqualTo(204);
    // a skip path opens only what starts with it, not a route reached by a detour
    assertThat(send("GET", "/health/../api/v1/status", null, null).status()).isNotEqualTo(200);
  }

  @Test
  void the_producer_is_the_token_subject_and_a_body_cannot_name_another() {
    var alice = "Bearer " + token("alice-producer", "read-write");
    var pushed = push("{\"items\":[{\"queue\":\"stamped\",\"transactionId\":\"t1\",\"payload\":1,"
        + "\"producerSub\":\"attacker\"}]}", alice);
    assertThat(pushed.status()).as(pushed.toString()).isEqualTo(201);
    assertThat(Fixtures.scalar(h.database, "SELECT m.producer_sub FROM queen.messages m "
        + "WHERE m.transaction_id = 't1'")).isEqualTo("alice-producer");

    var pop = send("GET", "/api/v1/pop/queue/stamped?wait=false", null, alice);
    assertThat(pop.status()).as(pop.toString()).isEqualTo(200);
    var message = pop.object().getAsJsonArray("messages").get(0).getAsJsonObject();
    assertThat(message.get("producerSub").getAsString()).isEqualTo("alice-producer");

    var detail = send("GET", "/api/v1/messages/" + message.get("partitionId").getAsString() + "/t1",
        null, alice);
    assertThat(detail.status()).as(detail.toString()).isEqualTo(200);
    assertThat(detail.object().get("producerSub").getAsString()).isEqualTo("alice-producer");

    // the pushes of a transaction are stamped too
    var tx = send("POST", "/api/v1/transaction", "{\"operations\":[{\"type\":\"push\",\"items\":"
        + "[{\"queue\":\"stamped\",\"transactionId\":\"t2\",\"payload\":2,\"producerSub\":\"x\"}]},"
        + "{\"type\":\"ack\",\"transactionId\":\"t1\",\"partitionId\":\""
        + message.get("partitionId").getAsString() + "\",\"status\":\"completed\"}]}", alice);
    assertThat(tx.status()).as(tx.toString()).isEqualTo(200);
    assertThat(tx.object().get("success").getAsBoolean()).as(tx.toString()).isTrue();
    assertThat(Fixtures.scalar(h.database, "SELECT m.producer_sub FROM queen.messages m "
        + "WHERE m.transaction_id = 't2'")).isEqualTo("alice-producer");
  }
}
