package io.queen.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.queen.server.testing.ServerHarness;
import io.queen.testing.MutableClock;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Keys from a JWKS URL: rotation, one fetch for a new key id, made-up ids, an unreachable set. */
class JwksRotationTest {
  static final java.security.KeyPair K1 = Tokens.rsa();
  static final java.security.KeyPair K2 = Tokens.rsa();

  static ServerHarness server(JwksServer jwks) {
    return ServerHarness.start(env -> {
      env.put("JWT_ENABLED", "true");
      env.put("JWT_ALGORITHM", "RS256");
      env.put("JWT_JWKS_URL", jwks.url());
      return env;
    });
  }

  static String token(java.security.KeyPair keys, String kid) {
    return Tokens.rs256(keys, kid, Tokens.claims("svc-" + kid, "read-write").build());
  }

  static CompletableFuture<ServerHarness.Reply> push(ServerHarness h, String token) {
    return h.client.sendAsync(HttpRequest.newBuilder(h.uri("/api/v1/push"))
            .header("Authorization", "Bearer " + token)
            .POST(HttpRequest.BodyPublishers.ofString("{\"items\":[{\"queue\":\"jwks\",\"payload\":1}]}"))
            .build(), java.net.http.HttpResponse.BodyHandlers.ofString())
        .thenApply(r -> new ServerHarness.Reply(r.statusCode(), r.body(), r.headers()));
  }

  @Test
  void a_rotated_key_is_fetched_once_for_many_requests_and_the_retired_key_stops_working() {
    try (var jwks = new JwksServer()) {
      jwks.serve(List.of("k1"), List.of(K1));
      try (var h = server(jwks)) {
        assertThat(jwks.fetches()).as("fetched at start").isEqualTo(1);
        assertThat(push(h, token(K1, "k1")).join().status()).isEqualTo(201);

        jwks.serve(List.of("k2"), List.of(K2));
        var replies = new ArrayList<CompletableFuture<ServerHarness.Reply>>();
        var rotated = token(K2, "k2");
        for (int i = 0; i < 20; i++) {
          replies.add(push(h, rotated));
        }
        for (var reply : replies) {
          assertThat(reply.join().status()).as(reply.join().toString()).isEqualTo(201);
        }
        assertThat(jwks.fetches()).as("one fetch for the new key id, not one per request")
            .isEqualTo(2);

        var retired = push(h, token(K1, "k1")).join();
        assertThat(retired.status()).isEqualTo(401);
        assertThat(retired.error()).isEqualTo("Unknown key ID: k1");
        for (int i = 0; i < 10; i++) {
          assertThat(push(h, token(K1, "made-up-" + i)).join().status()).isEqualTo(401);
        }
        assertThat(jwks.fetches()).as("unknown ids fetch at most once per minimum interval")
            .isEqualTo(2);
      }
    }
  }

  @Test
  void with_the_key_set_unreachable_tokens_get_503_and_work_once_it_answers() {
    try (var jwks = new JwksServer()) {
      jwks.failWith(500);
      try (var h = ServerHarness.start(env -> {
        env.put("JWT_ENABLED", "true");
        env.put("JWT_ALGORITHM", "RS256");
        env.put("JWT_JWKS_URL", jwks.url());
        env.put("JWT_JWKS_MIN_REFRESH_INTERVAL", "0");
        return env;
      })) {
        var refused = push(h, token(K1, "k1")).join();
        assertThat(refused.status()).as(refused.toString()).isEqualTo(503);
        assertThat(refused.error()).startsWith("Cannot verify the token: no verification key")
            .contains("HTTP 500");
        assertThat(refused.headers().firstValue("Retry-After")).contains("5");

        jwks.serve(List.of("k1"), List.of(K1));
        var accepted = push(h, token(K1, "k1")).join();
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(201);
      }
    }
  }

  @Test
  void keys_older_than_the_refresh_interval_are_fetched_again_in_the_background() throws Exception {
    try (var jwks = new JwksServer()) {
      jwks.serve(List.of("k1"), List.of(K1));
      var clock = new MutableClock();
      var settings = new AuthSettings(true, "RS256", null, null, java.net.URI.create(jwks.url()),
          Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofSeconds(5), null, null,
          Duration.ofSeconds(30), AuthSettings.DEFAULT_SKIP_PATHS, "role", "roles", "admin",
          "read-write", "read-only");
      try (var keys = new JwksKeys(settings, clock, () -> {})) {
        keys.loadNow();
        assertThat(keys.verifier("k1")).isNotNull();
        assertThat(keys.fetches()).isEqualTo(1);

        jwks.serve(List.of("k2"), List.of(K2));
        clock.advance(Duration.ofSeconds(59));
        assertThat(keys.verifier("k1")).as("not stale yet").isNotNull();
        assertThat(keys.fetches()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(2));
        assertThat(keys.verifier("k1")).as("the request that notices uses what it has").isNotNull();
        keys.idle().get();
        assertThat(keys.fetches()).isEqualTo(2);
        assertThat(keys.verifier("k1")).isNull();
        assertThat(keys.verifier("k2")).isNotNull();
      }
    }
  }
}
