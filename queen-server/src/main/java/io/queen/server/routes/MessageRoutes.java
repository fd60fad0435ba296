package io.queen.server.routes;

import static io.queen.server.routes.ConsumerGroupRoutes.ok;

import io.queen.QueueManager;
import io.queen.admin.BrowsedMessage;
import io.queen.admin.MessageQuery;
import io.queen.admin.MessageStatus;
import io.queen.error.InvalidRequestException;
import io.queen.json.JsonBuilder;
import io.queen.server.http.ApiRequest;
import io.queen.server.http.ApiResponse;
import io.queen.server.http.Futures;
import io.queen.server.http.JsonOut;
import io.queen.server.http.Router.Route;
import io.queen.server.wire.QueryParams;
import io.queen.server.wire.WireNames;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The message browser and the operator's deletions: {@code GET /api/v1/messages} (filtered,
 * paginated), one message by partition and transaction id (read, delete), a queue's newest
 * messages ({@code GET /api/v1/status/queues/:queue/messages}), and the queue purge
 * {@code DELETE /api/v1/queues/:queue/clear[?partition=]}. Handlers run on the request's IO thread
 * and never block. Thread-safe (immutable).
 */
public final class MessageRoutes {
  static final int DEFAULT_LIMIT = 200;
  private static final Instant FAR_PAST = Instant.EPOCH;

  private final QueueManager queen;
  private final Clock clock;

  public MessageRoutes(QueueManager queen, Clock clock) {
    this.queen = queen;
    this.clock = clock;
  }

  public List<Route> routes() {
    return List.of(
        new Route("GET", "/api/v1/messages", "messages", false, this::list),
        new Route("GET", "/api/v1/messages/:partitionId/:transactionId", "messages", false,
            this::get),
        new Route("DELETE", "/api/v1/messages/:partitionId/:transactionId", "messages", false,
            this::delete),
        new Route("GET", "/api/v1/status/queues/:queue/messages", "messages", false,
            this::queueMessages),
        new Route("DELETE", "/api/v1/queues/:queue/clear", "purge", false, this::purge));
  }

  private CompletableFuture<ApiResponse> list(ApiRequest req) {
    var q = new QueryParams(req.query());
    // to: now rounded up to the next minute (the original's), from: an hour before it
    var range = TimeRange.of(q, clock.instant().truncatedTo(ChronoUnit.MINUTES)
        .plus(Duration.ofMinutes(1)), Duration.ofHours(1));
    var status = q.string("status");
    MessageStatus parsed;
    try {
      parsed = status == null ? null : MessageStatus.parse(status);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("status", e.getMessage());
    }
    var partition = q.string("partition");
    var queue = q.string("queue");
    if (partition != null && queue == null) {
      throw new InvalidRequestException("partition", "partition needs queue");
    }
    var query = new MessageQuery(queue, partition, q.string("ns"), q.string("task"), parsed, range.from(),
        range.to(), q.integer("limit", DEFAULT_LIMIT, 1, 10_000), q.integer("offset", 0, 0, 1_000_000));
    return Futures.map(queen.admin().messages(query), page -> ok(w -> {
      w.beginObject().name("messages").beginArray();
      for (var m : page.messages()) {
        w.beginObject();
        fields(w, m);
        w.endObject();
      }
      w.endArray();
      w.name("mode").beginObject().name("hasQueueMode").value(page.hasQueueMode())
          .name("busGroupsCount").value(page.busGroups()).name("type").value(page.modeType())
          .endObject();
      w.endObject();
    }));
  }

  private static void fields(JsonBuilder w, BrowsedMessage m) {
    w.name("id").value(JsonOut.text(m.id()));
    w.name("transactionId").value(m.transactionId());
    w.name("partitionId").value(JsonOut.text(m.partitionId()));
    w.name("queuePath").value(m.queue() + "/" + m.partition());
    w.name("queue").value(m.queue());
    w.name("partition").value(m.partition());
    w.name("namespace").value(m.namespace());
    w.name("task").value(m.task());
    w.name("status").value(m.status().wireName());
    w.name("queueStatus").value(m.status().wireName());
    w.name("busStatus").beginObject().name("consumedBy").value(m.consumedBy())
        .name("totalGroups").value(m.totalGroups()).endObject();
    w.name("traceId").value(JsonOut.text(m.traceId()));
    w.name("producerSub").value(m.producerSub());
    w.name("queuePriority").value(m.priority());
    w.name("createdAt").value(JsonOut.millis(m.createdAt()));
    w.name("leaseExpiresAt").value(JsonOut.millis(m.leaseExpiresAt()));
  }

  private CompletableFuture<ApiResponse> get(ApiRequest req) {
    var partitionId = partitionId(req);
    return Futures.map(queen.admin().message(partitionId, req.pathParam(1)), found -> {
      if (found.isEmpty()) {
        return ApiResponse.error(404, "Message not found");
      }
      var d = found.get();
      var m = d.message();
      var o = d.options();
      return ok(w -> {
        w.beginObject();
        fields(w, m);
        w.name("payload").jsonValue(d.payloadJson());
        w.name("isEncrypted").value(d.encrypted());
        w.name("errorMessage").value(d.errorMessage());
        w.name("retryCount").value(d.retryCount());
        w.name("queueConfig").beginObject().name("leaseTime").value(o.leaseTime())
            .name("retryLimit").value(o.retryLimit()).name("retryDelay").value(o.retryDelay())
            .name("ttl").value(o.ttl()).name("priority").value(o.priority()).endObject();
        long named = d.groups().stream().filter(g -> !g.group().equals("__QUEUE_MODE__")).count();
        long consumedBy = d.groups().stream()
            .filter(g -> !g.group().equals("__QUEUE_MODE__") && g.consumed()).count();
        boolean queueMode = d.groups().stream().anyMatch(g -> g.group().equals("__QUEUE_MODE__"));
        w.name("mode").beginObject().name("hasQueueMode").value(queueMode)
            .name("busGroupsCount").value(named).name("consumedByGroups").value(consumedBy)
            .name("type").value(queueMode ? (named > 0 ? "hybrid" : "queue")
                : named > 0 ? "bus" : "none")
            .endObject();
        w.name("consumerGroups").beginArray();
        for (var g : d.groups()) {
          w.beginObject().name("name").value(g.group()).name("consumed").value(g.consumed())
              .name("leaseExpiresAt").value(JsonOut.millis(g.leaseExpiresAt())).endObject();
        }
        w.endArray();
        w.endObject();
      });
    });
  }

  private CompletableFuture<ApiResponse> delete(ApiRequest req) {
    var partitionId = partitionId(req);
    var transactionId = req.pathParam(1);
    return Futures.map(queen.admin().deleteMessage(partitionId, transactionId), existed -> {
      var body = JsonOut.write(w -> {
        w.beginObject().name("success").value(existed)
            .name("partitionId").value(partitionId.toString())
            .name("transactionId").value(transactionId)
            .name("message").value(existed ? "Message deleted successfully" : "Message not found");
        if (!existed) {
          w.name("error").value("Message not found");
        }
        w.endObject();
      });
      return ApiResponse.json(existed ? 200 : 404, body);
    });
  }

  private CompletableFuture<ApiResponse> queueMessages(ApiRequest req) {
    var q = new QueryParams(req.query());
    var queue = req.pathParam(0);
    var query = new MessageQuery(queue, null, null, null, null, FAR_PAST,
        clock.instant().plus(Duration.ofMinutes(1)), q.integer("limit", 50, 1, 10_000),
        q.integer("offset", 0, 0, 1_000_000));
    return Futures.map(queen.admin().queue(queue).thenCompose(found -> {
      if (found.isEmpty()) {
        return CompletableFuture.completedFuture(null);
      }
      return queen.admin().messages(query);
    }), page -> {
      if (page == null) {
        return ApiResponse.error(404, "Queue not found");
      }
      return ok(w -> {
        w.beginArray();
        for (var m : page.messages()) {
          w.beginObject();
          w.name("id").value(JsonOut.text(m.id()));
          w.name("transactionId").value(m.transactionId());
          w.name("partitionId").value(JsonOut.text(m.partitionId()));
          w.name("queuePath").value(m.queue() + "/" + m.partition());
          w.name("queue").value(m.queue());
          w.name("partition").value(m.partition());
          w.name("status").value(m.status().wireName());
          w.name("createdAt").value(JsonOut.millis(m.createdAt()));
          w.endObject();
        }
        w.endArray();
      });
    });
  }

  private CompletableFuture<ApiResponse> purge(ApiRequest req) {
    var queue = req.pathParam(0);
    var partition = new QueryParams(req.query()).string("partition");
    return Futures.map(queen.admin().purge(queue, partition), n -> ok(w -> {
      w.beginObject().name("success").value(true).name("queue").value(queue);
      w.name("partition").value(partition);
      w.name("deleted").value(n);
      w.endObject();
    }));
  }

  private static UUID partitionId(ApiRequest req) {
    var v = req.pathParam(0);
    try {
      if (v.length() != 36) {
        throw new IllegalArgumentException();
      }
      return UUID.fromString(v);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("partitionId",
          "partitionId must be a UUID such as 0190a3c4-0000-7000-8000-000000000000, was '"
              + WireNames.abbreviate(v) + "'");
    }
  }
}
