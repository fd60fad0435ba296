package io.queen.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import io.queen.server.testing.ServerHarness;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/** A decorator installed in a real server sees the matched route and may answer instead of it. */
class RequestDecoratorTest {
  private static final String TOKEN = "Bearer let-me-in";

  @Test
  void a_decorator_refuses_a_push_before_its_route_runs_and_lets_an_authorised_one_through()
      throws Exception {
    var seen = new ConcurrentLinkedQueue<String>();
    RequestDecorator gate = (route, request) -> {
      seen.add(route.method() + " " + route.pattern() + " " + route.operation());
      if (route.operation().equals("push") && !TOKEN.equals(request.header("authorization"))) {
        return Decision.answer(ApiResponse.error(401, "Unauthorized: push needs a token"));
      }
      return Decision.pass();
    };
    try (var h = ServerHarness.start(env -> env, List.of(gate))) {
      var refused = push(h, "{\"items\":[{\"queue\":\"gated\",\"payload\":1}]}", null);
      assertThat(refused.status()).as(refused.toString()).isEqualTo(401);
      assertThat(refused.error()).isEqualTo("Unauthorized: push needs a token");
      assertThat(refused.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
      assertThat(enginePushRequests(h.metrics())).as("the refused push reached the engine").isZero();

      var allowed = push(h, "{\"items\":[{\"queue\":\"gated\",\"payload\":2}]}", TOKEN);
      assertThat(allowed.status()).as(allowed.toString()).isEqualTo(201);
      var pop = h.get("/api/v1/pop/queue/gated?batch=10&autoAck=true");
      assertThat(pop.status()).as(pop.toString()).isEqualTo(200);
      var messages = pop.object().getAsJsonArray("messages");
      assertThat(messages).hasSize(1);
      assertThat(messages.get(0).getAsJsonObject().get("data").getAsInt()).isEqualTo(2);

      var metrics = h.metrics();
      assertThat(enginePushRequests(metrics)).isEqualTo(1);
      var push = metrics.getAsJsonObject("requests").getAsJsonObject("byOperation")
          .getAsJsonObject("push");
      assertThat(push.get("requests").getAsLong()).isEqualTo(2);
      assertThat(push.get("clientErrors").getAsLong()).isEqualTo(1);
      assertThat(seen).contains("POST /api/v1/push push", "GET /api/v1/pop/queue/:queue pop");
      assertThat(h.server.ownerThreadViolations()).isZero();
    }
  }

  @Test
  void a_decorator_may_decide_later_without_holding_the_io_thread_and_pass_a_principal_on()
      throws Exception {
    var decision = new java.util.concurrent.CompletableFuture<Decision>();
    var asked = new java.util.concurrent.CountDownLatch(1);
    var waiting = new java.util.concurrent.atomic.AtomicReference<ApiRequest>();
    RequestDecorator later = (route, request) -> {
      if (!route.operation().equals("push")) {
        return Decision.pass();
      }
      waiting.set(request);
      asked.countDown();
      return Decision.later(decision);
    };
    try (var h = ServerHarness.start(env -> env, List.of(later))) {
      var pending = h.postAsync("/api/v1/push", "{\"items\":[{\"queue\":\"later\",\"payload\":1}]}");
      assertThat(asked.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      // the IO threads serve other requests meanwhile (two of them, so this may share one)
      for (int i = 0; i < 4; i++) {
        assertThat(h.get("/health").status()).isEqualTo(200);
      }
      assertThat(pending).isNotDone();
      decision.complete(Decision.pass(waiting.get().withPrincipal(new Principal("decided-later"))));
      var reply = pending.get(10, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
      var pop = h.get("/api/v1/pop/queue/later?wait=false");
      assertThat(pop.object().getAsJsonArray("messages").get(0).getAsJsonObject()
          .get("producerSub").getAsString()).isEqualTo("decided-later");
      assertThat(h.server.ownerThreadViolations()).isZero();
    }
  }

  private static ServerHarness.Reply push(ServerHarness h, String body, String authorization) {
    var b = HttpRequest.newBuilder(h.uri("/api/v1/push"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return h.send(b);
  }

  /** Push requests the engine itself received: a refused request must never get there. */
  private static long enginePushRequests(JsonObject metrics) {
    var push = metrics.getAsJsonObject("engine").getAsJsonObject("operations").getAsJsonObject("push");
    return push == null ? 0 : push.get("requests").getAsLong();
  }
}
