package io.queen.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Retries, back-off and failover against a JDK HTTP server stub that answers what each test scripts. */
class RetryAndFailoverTest {
  private static final String PUSHED =
      "[{\"index\":0,\"transaction_id\":\"t\",\"status\":\"queued\",\"message_id\":\"m\",\"partition_id\":\"p\"}]";

  private record Seen(long nanos, String method, String path, String body, String authorization) {}

  private record Answer(int status, String body, String retryAfter) {}

  private HttpServer stub;
  private final List<Seen> seen = new CopyOnWriteArrayList<>();

  private String startStub(Function<Integer, Answer> script) throws IOException {
    stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    var n = new AtomicInteger();
    stub.createContext("/", (HttpExchange ex) -> {
      var body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      seen.add(new Seen(System.nanoTime(), ex.getRequestMethod(), ex.getRequestURI().toString(), body,
          ex.getRequestHeaders().getFirst("Authorization")));
      var a = script.apply(n.getAndIncrement());
      if (a.retryAfter() != null) {
        ex.getResponseHeaders().add("Retry-After", a.retryAfter());
      }
      var bytes = a.body().getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(a.status(), bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        ex.getResponseBody().write(bytes);
      }
      ex.close();
    });
    stub.start();
    return "http://127.0.0.1:" + stub.getAddress().getPort();
  }

  private static String deadUrl() throws IOException {
    try (var s = new ServerSocket(0)) {
      return "http://127.0.0.1:" + s.getLocalPort(); // nothing listens once it is closed
    }
  }

  @AfterEach
  void stopStub() {
    if (stub != null) {
      stub.stop(0);
    }
  }

  @Test
  void a_503_is_retried_after_its_retry_after_with_the_same_transaction_id() throws IOException {
    var url = startStub(i -> i == 0 ? new Answer(503, "{\"error\":\"Server overloaded\"}", "1")
        : new Answer(201, PUSHED, null));
    try (var queen = QueenClient.builder().urls(url).retryDelay(Duration.ofMillis(10), Duration.ofSeconds(5)).build()) {
      var results = queen.queue("q").push("{\"a\":1}");
      assertThat(results).singleElement().extracting(PushResult::status).isEqualTo(PushStatus.QUEUED);
    }
    assertThat(seen).hasSize(2);
    assertThat(Duration.ofNanos(seen.get(1).nanos() - seen.get(0).nanos())).as("Retry-After: 1 honoured")
        .isGreaterThanOrEqualTo(Duration.ofMillis(950));
    assertThat(seen.get(1).body()).as("the repeat carries the same transactionId").isEqualTo(seen.get(0).body());
    assertThat(seen.get(0).body()).contains("\"transactionId\":\"");
  }

  @Test
  void a_pop_is_retried_after_a_503_but_not_after_a_502_whose_outcome_is_unknown() throws IOException {
    var url = startStub(i -> i == 0 ? new Answer(503, "{\"error\":\"Too many waiting pops\"}", "0")
        : new Answer(502, "{\"error\":\"Bad gateway\"}", null));
    try (var queen = QueenClient.builder().urls(url).retryAttempts(5)
        .retryDelay(Duration.ofMillis(10), Duration.ofMillis(100)).build()) {
      assertThatThrownBy(() -> queen.queue("q").pop())
          .isInstanceOfSatisfying(QueenClientException.class, e -> {
            assertThat(e.status()).isEqualTo(502);
            assertThat(e.serverError()).isEqualTo("Bad gateway");
          });
    }
    assertThat(seen).extracting(Seen::method).containsExactly("GET", "GET");
  }

  @Test
  void retries_stop_after_the_configured_attempts_and_the_last_answer_is_reported() throws IOException {
    var url = startStub(i -> new Answer(503, "{\"error\":\"Shutting down\"}", "0"));
    try (var queen = QueenClient.builder().urls(url).retryAttempts(3)
        .retryDelay(Duration.ofMillis(5), Duration.ofMillis(20)).build()) {
      assertThatThrownBy(() -> queen.queue("q").push("1"))
          .isInstanceOfSatisfying(QueenClientException.class, e -> {
            assertThat(e.status()).isEqualTo(503);
            assertThat(e.getMessage()).contains("POST /api/v1/push").contains("Shutting down");
          });
    }
    assertThat(seen).hasSize(3);
  }

  @Test
  void a_request_to_a_dead_url_fails_over_to_the_next_and_later_requests_skip_the_dead_one() throws IOException {
    var dead = deadUrl();
    var live = startStub(i -> new Answer(201, PUSHED, null));
    try (var queen = QueenClient.builder().urls(dead, live).loadBalancing(LoadBalancing.FAILOVER)
        .retryDelay(Duration.ofSeconds(10), Duration.ofSeconds(10)).build()) {
      assertThat(queen.queue("q").push("1")).hasSize(1);
      assertThat(queen.queue("q").push("2")).hasSize(1);
    }
    assertThat(seen).as("both pushes reached the live server, the failover without a back-off").hasSize(2);
  }

  @Test
  void a_refused_connection_is_retried_even_for_a_pop_because_nothing_was_sent() throws IOException {
    var dead = deadUrl();
    var live = startStub(i -> new Answer(204, "", null));
    try (var queen = QueenClient.builder().urls(dead, live).build()) {
      assertThat(queen.queue("q").pop()).isEmpty();
    }
    assertThat(seen).singleElement().extracting(Seen::path).asString().startsWith("/api/v1/pop/queue/q?batch=1");
  }

  @Test
  void with_every_url_dead_the_failure_says_it_could_not_connect() throws IOException {
    try (var queen = QueenClient.builder().urls(deadUrl()).retryAttempts(2)
        .retryDelay(Duration.ofMillis(5), Duration.ofMillis(5)).build()) {
      assertThatThrownBy(() -> queen.queue("q").push("1"))
          .isInstanceOfSatisfying(QueenClientException.class, e -> {
            assertThat(e.status()).isZero();
            assertThat(e.getMessage()).contains("cannot connect").contains("after 2 of 2 attempts");
          });
    }
  }

  @Test
  void the_token_supplier_is_asked_for_every_attempt() throws IOException {
    var url = startStub(i -> i == 0 ? new Answer(503, "{}", "0") : new Answer(201, PUSHED, null));
    var n = new AtomicInteger();
    try (var queen = QueenClient.builder().urls(url).bearerToken(() -> "token-" + n.incrementAndGet())
        .retryDelay(Duration.ofMillis(5), Duration.ofMillis(5)).build()) {
      queen.queue("q").push("1");
    }
    assertThat(seen).extracting(Seen::authorization).containsExactly("Bearer token-1", "Bearer token-2");
  }
}
