package io.queen.server.routes;

import io.queen.QueueManager;
import io.queen.error.InvalidRequestException;
import io.queen.json.JsonBuilder;
import io.queen.model.Message;
import io.queen.model.PopRequest;
import io.queen.model.PopResult;
import io.queen.model.SubscriptionMode;
import io.queen.server.http.ApiRequest;
import io.queen.server.http.ApiResponse;
import io.queen.server.http.Futures;
import io.queen.server.http.JsonOut;
import io.queen.server.http.LongPollFuture;
import io.queen.server.http.Router.Route;
import io.queen.server.wire.QueryParams;
import io.queen.server.wire.WireNames;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET /api/v1/pop/queue/:queue}, {@code .../partition/:partition} and {@code GET
 * /api/v1/pop?namespace=&task=}: the query parameters as the original reads them, 200 with the
 * messages or 204 when there are none. A pop with {@code wait=true} answers with a
 * {@link LongPollFuture}, which the owning IO thread parks until its deadline.
 * Handlers run on the request's IO thread and never block; reply bodies are written on the
 * thread that completes the core's future. Thread-safe (immutable).
 */
public final class PopRoutes {
  private final QueueManager queen;
  private final int defaultBatch;
  private final int defaultTimeoutMs;
  private final int maxTimeoutMs;

  /**
   * @param defaultBatch the batch when a pop names none
   * @param defaultTimeoutMs the long-poll timeout when a waiting pop names none
   * @param maxTimeoutMs the longest long-poll timeout accepted
   */
  public PopRoutes(QueueManager queen, int defaultBatch, int defaultTimeoutMs, int maxTimeoutMs) {
    this.queen = queen;
    this.defaultBatch = defaultBatch;
    this.defaultTimeoutMs = defaultTimeoutMs;
    this.maxTimeoutMs = maxTimeoutMs;
  }

  public List<Route> routes() {
    return List.of(
        new Route("GET", "/api/v1/pop/queue/:queue", "pop", false, this::pop),
        new Route("GET", "/api/v1/pop/queue/:queue/partition/:partition", "pop", false, this::pop),
        new Route("GET", "/api/v1/pop", "pop", false, this::pop));
  }

  private CompletableFuture<ApiResponse> pop(ApiRequest req) {
    var q = new QueryParams(req.query());
    PopRequest.Builder b;
    if (req.pathParams().isEmpty()) {
      var namespace = q.string("namespace");
      var task = q.string("task");
      if (namespace == null && task == null) {
        throw new InvalidRequestException("namespace",
            "namespace or task is required to pop without a queue");
      }
      b = PopRequest.fromNamespace(namespace, task);
    } else {
      b = PopRequest.fromQueue(req.pathParam(0));
      if (req.pathParams().size() > 1) {
        b.partition(req.pathParam(1));
      }
    }
    b.batch(q.integer("batch", defaultBatch, 1, PopRequest.MAX_BATCH));
    b.partitions(q.integer("partitions", 1, 1, PopRequest.MAX_PARTITIONS));
    b.consumerGroup(WireNames.group(q.string("consumerGroup")));
    b.autoAck(q.bool("autoAck"));
    var mode = q.string("subscriptionMode");
    if (mode != null) {
      b.subscriptionMode(SubscriptionMode.parse(mode));
    }
    var from = q.string("subscriptionFrom");
    if (from != null) {
      if (from.equalsIgnoreCase("now")) {
        b.subscriptionMode(SubscriptionMode.NEW);
      } else {
        b.subscriptionFrom(QueryParams.parseInstant("subscriptionFrom", from));
      }
    }
    long waitMillis = 0;
    if (q.bool("wait")) {
      waitMillis = q.integer("timeout", defaultTimeoutMs, 0, maxTimeoutMs);
      b.wait(Duration.ofMillis(waitMillis));
    }
    var core = queen.pop(b.build());
    var target = waitMillis > 0 ? new LongPollFuture(waitMillis, core)
        : new CompletableFuture<ApiResponse>();
    return Futures.map(core, target, PopRoutes::popped);
  }

  private static ApiResponse popped(PopResult result) {
    if (result.isEmpty()) {
      return ApiResponse.noContent();
    }
    var first = result.messages().get(0);
    var body = JsonOut.write(w -> {
      w.beginObject();
      w.name("success").value(true);
      w.name("queue").value(first.queue());
      w.name("partition").value(first.partition());
      w.name("partitionId").value(JsonOut.text(first.partitionId()));
      w.name("leaseId").value(result.leaseId());
      w.name("consumerGroup").value(result.consumerGroup());
      w.name("partitionsClaimed").value(result.partitionsClaimed());
      w.name("messages").beginArray();
      for (var m : result.messages()) {
        message(w, m);
      }
      w.endArray();
      w.endObject();
    });
    return ApiResponse.json(200, body).withPopResult(result).withItems(result.messages().size());
  }

  private static void message(JsonBuilder w, Message m) {
    w.beginObject();
    w.name("id").value(JsonOut.text(m.id()));
    w.name("transactionId").value(m.transactionId());
    w.name("traceId").value(m.traceId());
    w.name("data").jsonValue(m.payloadJson() == null ? "null" : m.payloadJson());
    w.name("producerSub").value(m.producerSub());
    w.name("createdAt").value(JsonOut.micros(m.createdAt()));
    w.name("queue").value(m.queue());
    w.name("partitionId").value(JsonOut.text(m.partitionId()));
    w.name("partition").value(m.partition());
    w.name("leaseId").value(m.leaseId());
    w.name("consumerGroup").value(m.consumerGroup());
    w.name("retryCount").value(m.retryCount());
    if (m.traceContext() != null) {
      w.name("traceparent").value(m.traceContext().traceparent());
      if (m.traceContext().tracestate() != null) {
        w.name("tracestate").value(m.traceContext().tracestate());
      }
    }
    w.endObject();
  }
}
