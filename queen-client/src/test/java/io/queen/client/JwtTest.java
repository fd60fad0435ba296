package io.queen.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bearer tokens against our server with JWT_ENABLED (HS256). */
class JwtTest {
  private static final String SECRET = "a-client-test-secret-long-enough-for-hs256!";
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(Map.of("JWT_ENABLED", "true", "JWT_ALGORITHM", "HS256", "JWT_SECRET", SECRET));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String token(String sub, String role, Instant expires) {
    try {
      var claims = new JWTClaimsSet.Builder().subject(sub).claim("role", role)
          .issueTime(Date.from(Instant.now().minusSeconds(60))).expirationTime(Date.from(expires)).build();
      var jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
      jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void a_client_with_a_valid_token_pushes_and_pops_and_the_producer_is_recorded() {
    try (var queen = QueenClient.builder().urls(server.url)
        .bearerToken(token("billing-service", "read-write", Instant.now().plusSeconds(3600))).build()) {
      assertThat(queen.queue("secure").push("{\"x\":1}").get(0).status()).isEqualTo(PushStatus.QUEUED);
      assertThat(queen.queue("secure").pop()).singleElement().extracting(Message::data).isEqualTo("{\"x\":1}");
    }
  }

  @Test
  void a_client_without_a_token_gets_a_401_naming_the_problem() {
    try (var queen = QueenClient.builder().urls(server.url).build()) {
      assertThatThrownBy(() -> queen.queue("secure").push("1"))
          .isInstanceOfSatisfying(QueenClientException.class, e -> {
            assertThat(e.status()).isEqualTo(401);
            assertThat(e.serverError()).isEqualTo("Authentication required");
            assertThat(e.getMessage()).contains("HTTP 401: Authentication required");
          });
    }
  }

  @Test
  void an_expired_token_is_refused_with_the_servers_reason() {
    try (var queen = QueenClient.builder().urls(server.url)
        .bearerToken(token("late", "read-write", Instant.now().minusSeconds(600))).build()) {
      assertThatThrownBy(() -> queen.queue("secure").pop())
          .isInstanceOfSatisfying(QueenClientException.class, e -> {
            assertThat(e.status()).isEqualTo(401);
            assertThat(e.serverError()).isEqualTo("Token has expired");
          });
    }
  }

  @Test
  void a_consumer_refused_by_the_server_stops_and_reports_why() {
    try (var queen = QueenClient.builder().urls(server.url).build()) {
      var consumer = queen.queue("secure").consume(m -> { });
      assertThat(consumer.completion()).failsWithin(java.time.Duration.ofSeconds(30))
          .withThrowableOfType(java.util.concurrent.ExecutionException.class)
          .havingCause().isInstanceOf(QueenClientException.class).withMessageContaining("401");
      assertThat(consumer.isRunning()).isFalse();
    }
  }
}
