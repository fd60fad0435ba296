package io.queen.bench.jmh;

import io.queen.QueueManager;
import io.queen.model.Message;
import io.queen.model.PopOutcome;
import io.queen.model.PopResult;
import io.queen.server.http.ApiHandler;
import io.queen.server.http.ApiRequest;
import io.queen.server.http.ApiResponse;
import io.queen.server.routes.PopRoutes;
import io.queen.server.routes.PushRoutes;
import io.undertow.util.HeaderMap;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The server's own JSON code paths, reached through its public {@link PushRoutes} and
 * {@link PopRoutes} routes with a stub {@link QueueManager} (a {@link Proxy}), so no database and
 * no HTTP are involved:
 * <ul>
 *   <li>{@code parsePush}: the {@code POST /api/v1/push} handler parsing a body of {@code count}
 *       items (strict gson streaming, payloads kept as raw JSON text) up to the call of
 *       {@code QueueManager.push}; the stub returns a future that never completes, so the reply is
 *       not written;</li>
 *   <li>{@code writePop}: the {@code GET /api/v1/pop/queue/:queue} handler turning a
 *       {@code PopResult} of {@code count} messages into the reply bytes (payloads written as raw
 *       JSON with {@code JsonWriter.jsonValue}).</li>
 * </ul>
 * Payloads are JSON objects of about {@code payloadBytes} bytes (100 B or 4 KiB). Scores are
 * requests per millisecond; multiply by {@code count} for messages.
 *
 * <p>Run: {@code java -jar queen-bench/target/benchmarks.jar JsonBenchmark -f 2 -rf json -rff
 * json.json} (add {@code -prof gc} for bytes allocated per request).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Threads(1)
@State(Scope.Benchmark)
public class JsonBenchmark {
  @Param({"1", "10", "100"})
  public int count;

  @Param({"100", "4096"})
  public int payloadBytes;

  ApiHandler push;
  ApiHandler pop;
  ApiRequest pushRequest;
  ApiRequest popRequest;

  @Setup(Level.Trial)
  public void setUp() {
    var payload = payload(payloadBytes);
    var messages = new ArrayList<Message>();
    var partitionId = UUID.randomUUID();
    for (int i = 0; i < count; i++) {
      messages.add(new Message(UUID.randomUUID(), "tx-" + i, null, payload, null, Instant.now(),
          "bench", "p-1", partitionId, UUID.randomUUID().toString(), "__QUEUE_MODE__", 0));
    }
    var popResult = new PopResult(PopOutcome.MESSAGES, messages.isEmpty() ? null : messages.get(0).leaseId(),
        "__QUEUE_MODE__", 1, messages);
    QueueManager stub = (QueueManager) Proxy.newProxyInstance(QueueManager.class.getClassLoader(),
        new Class<?>[] {QueueManager.class}, (proxy, method, args) -> switch (method.getName()) {
          case "push" -> new CompletableFuture<>();
          case "pop" -> CompletableFuture.completedFuture(popResult);
          case "toString" -> "stub";
          case "hashCode" -> 0;
          case "equals" -> proxy == args[0];
          default -> throw new UnsupportedOperationException(method.getName());
        });
    for (var r : new PushRoutes(stub).routes()) {
      if (r.method().equals("POST") && r.pattern().equals("/api/v1/push")) {
        push = r.handler();
      }
    }
    for (var r : new PopRoutes(stub, 1, 30_000, 3_600_000).routes()) {
      if (r.method().equals("GET") && r.pattern().equals("/api/v1/pop/queue/:queue")) {
        pop = r.handler();
      }
    }
    var body = new StringBuilder("{\"items\":[");
    for (int i = 0; i < count; i++) {
      body.append(i == 0 ? "" : ",").append("{\"queue\":\"bench\",\"partition\":\"p-1\",")
          .append("\"transactionId\":\"tx-").append(i).append("\",\"payload\":").append(payload)
          .append('}');
    }
    body.append("]}");
    pushRequest = new ApiRequest("POST", "/api/v1/push", List.of(), Map.<String, Deque<String>>of(),
        new HeaderMap(), body.toString().getBytes(StandardCharsets.UTF_8));
    popRequest = new ApiRequest("GET", "/api/v1/pop/queue/bench", List.of("bench"),
        Map.<String, Deque<String>>of(), new HeaderMap(), new byte[0]);
    if (writePop().body().length < count * payloadBytes) {
      throw new IllegalStateException("pop reply too short");
    }
  }

  /** A JSON object of about {@code bytes} bytes with a few fields, as an application might send. */
  static String payload(int bytes) {
    var sb = new StringBuilder(bytes + 16)
        .append("{\"orderId\":12345,\"customer\":\"c-42\",\"amount\":19.99,\"note\":\"");
    while (sb.length() < bytes - 2) {
      sb.append((char) ('a' + sb.length() % 26));
    }
    return sb.append("\"}").toString();
  }

  @Benchmark
  public CompletableFuture<ApiResponse> parsePush() {
    return push.handle(pushRequest);
  }

  @Benchmark
  public ApiResponse writePop() {
    return pop.handle(popRequest).join();
  }
}
