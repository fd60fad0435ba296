package io.queen.server.routes;

import io.queen.QueueManager;
import io.queen.admin.PartitionLag;
import io.queen.error.InvalidRequestException;
import io.queen.server.http.ApiRequest;
import io.queen.server.http.ApiResponse;
import io.queen.server.http.Futures;
import io.queen.server.http.JsonOut;
import io.queen.server.http.Router.Route;
import io.queen.server.wire.QueryParams;
import io.queen.server.wire.SeekBody;
import io.queen.server.wire.SubscriptionBody;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Consumer-group administration under {@code /api/v1/consumer-groups}: list, lagging partitions,
 * one group, delete (everywhere or on one queue), subscription timestamp, seek (a queue, or one
 * partition to its end). Shapes are the original's (docs/http-api.md). Handlers run on the
 * request's IO thread and never block. Thread-safe (immutable).
 */
public final class ConsumerGroupRoutes {
  /** The original's default threshold of {@code /lagging}. */
  static final int DEFAULT_MIN_LAG_SECONDS = 3600;

  private final QueueManager queen;

  public ConsumerGroupRoutes(QueueManager queen) {
    this.queen = queen;
  }

  public List<Route> routes() {
    var base = "/api/v1/consumer-groups";
    return List.of(
        new Route("GET", base, "consumer-groups", false, this::list),
        new Route("GET", base + "/lagging", "consumer-groups", false, this::lagging),
        new Route("GET", base + "/:group", "consumer-groups", false, this::group),
        new Route("DELETE", base + "/:group", "consumer-groups", false, this::delete),
        new Route("DELETE", base + "/:group/queues/:queue", "consumer-groups", false, this::deleteOnQueue),
        new Route("POST", base + "/:group/subscription", "consumer-groups", true, this::subscription),
        new Route("POST", base + "/:group/queues/:queue/seek", "consumer-groups", true, this::seek),
        new Route("POST", base + "/:group/queues/:queue/partitions/:partition/seek", "consumer-groups",
            false, this::seekPartition));
  }

  private CompletableFuture<ApiResponse> list(ApiRequest req) {
    return Futures.map(queen.admin().consumerGroups(), groups -> ok(w -> {
      w.beginArray();
      for (var g : groups) {
        w.beginObject();
        w.name("name").value(g.group());
        w.name("topics").beginArray().value(g.queue()).endArray();
        w.name("queueName").value(g.queue());
        w.name("members").value(g.members());
        w.name("partitionsWithLag").value(g.partitionsWithLag());
        w.name("totalLag").value(g.totalLag());
        w.name("maxTimeLag").value(g.maxTimeLagSeconds());
        w.name("state").value(g.state());
        w.name("subscriptionMode").value(g.subscriptionMode());
        w.name("subscriptionTimestamp").value(JsonOut.millis(g.subscriptionTimestamp()));
        w.name("subscriptionCreatedAt").value(JsonOut.millis(g.subscriptionCreatedAt()));
        w.endObject();
      }
      w.endArray();
    }));
  }

  private CompletableFuture<ApiResponse> lagging(ApiRequest req) {
    int min = new QueryParams(req.query()).integer("minLagSeconds", DEFAULT_MIN_LAG_SECONDS, 0,
        Integer.MAX_VALUE);
    return Futures.map(queen.admin().laggingPartitions(min), rows -> ok(w -> {
      w.beginArray();
      for (var p : rows) {
        w.beginObject();
        w.name("consumer_group").value(p.group());
        w.name("queue_name").value(p.queue());
        w.name("partition_name").value(p.partition());
        w.name("partition_id").value(JsonOut.text(p.partitionId()));
        w.name("worker_id").value(p.leaseId());
        w.name("offset_lag").value(p.offsetLag());
        w.name("time_lag_seconds").value(p.timeLagSeconds());
        w.name("lag_hours").value(Math.round(p.timeLagSeconds() / 36.0) / 100.0);
        w.name("oldest_unconsumed_at").value(JsonOut.millis(p.oldestUnconsumedAt()));
        w.name("last_consumed_at").value(JsonOut.millis(p.lastConsumedAt()));
        w.endObject();
      }
      w.endArray();
    }));
  }

  private CompletableFuture<ApiResponse> group(ApiRequest req) {
    return Futures.map(queen.admin().consumerGroup(req.pathParam(0)), rows -> ok(w -> {
      var byQueue = new LinkedHashMap<String, List<PartitionLag>>();
      for (var p : rows) {
        byQueue.computeIfAbsent(p.queue(), q -> new ArrayList<>()).add(p);
      }
      w.beginObject();
      byQueue.forEach((queue, parts) -> {
        w.name(queue).beginObject().name("partitions").beginArray();
        for (var p : parts) {
          w.beginObject();
          w.name("partition").value(p.partition());
          w.name("workerId").value(p.leaseId());
          w.name("lastConsumedAt").value(JsonOut.millis(p.lastConsumedAt()));
          w.name("totalConsumed").value(p.totalConsumed());
          w.name("offsetLag").value(p.offsetLag());
          w.name("timeLagSeconds").value(p.timeLagSeconds());
          w.name("leaseActive").value(p.leaseActive());
          w.endObject();
        }
        w.endArray().endObject();
      });
      w.endObject();
    }));
  }

  private CompletableFuture<ApiResponse> delete(ApiRequest req) {
    return deleted(req, null);
  }

  private CompletableFuture<ApiResponse> deleteOnQueue(ApiRequest req) {
    return deleted(req, req.pathParam(1));
  }

  private CompletableFuture<ApiResponse> deleted(ApiRequest req, String queue) {
    boolean meta = deleteMetadata(new QueryParams(req.query()));
    return Futures.map(queen.admin().deleteConsumerGroup(req.pathParam(0), queue, meta),
        d -> ok(w -> {
          w.beginObject();
          w.name("success").value(true);
          w.name("consumerGroup").value(d.group());
          if (queue != null) {
            w.name("queueName").value(queue);
          }
          w.name("deletedPartitions").value(d.deletedPartitions());
          w.name("metadataDeleted").value(meta);
          w.name("metadataRecordsDeleted").value(d.metadataDeleted());
          w.endObject();
        }));
  }

  /** {@code deleteMetadata}: true unless {@code false} or {@code 0}; anything else is refused. */
  static boolean deleteMetadata(QueryParams q) {
    var v = q.string("deleteMetadata");
    if (v == null || v.equals("true") || v.equals("1")) {
      return true;
    }
    if (v.equals("false") || v.equals("0")) {
      return false;
    }
    throw new InvalidRequestException("deleteMetadata",
        "deleteMetadata must be true or false, was '" + v + "'");
  }

  private CompletableFuture<ApiResponse> subscription(ApiRequest req) {
    var group = req.pathParam(0);
    var ts = SubscriptionBody.timestamp(req.body());
    return Futures.map(queen.admin().updateSubscription(group, ts), n -> ok(w -> w.beginObject()
        .name("success").value(true).name("consumerGroup").value(group)
        .name("newTimestamp").value(JsonOut.millis(ts)).name("rowsUpdated").value(n)
        .endObject()));
  }

  private CompletableFuture<ApiResponse> seek(ApiRequest req) {
    var target = SeekBody.read(req.body());
    return Futures.map(queen.admin().seek(req.pathParam(0), req.pathParam(1), target.timestamp()),
        s -> ok(w -> w.beginObject()
            .name("success").value(true).name("consumerGroup").value(s.group())
            .name("queueName").value(s.queue()).name("seekToEnd").value(s.toEnd())
            .name("targetTimestamp").value(JsonOut.millis(s.timestamp()))
            .name("partitionsUpdated").value(s.partitionsUpdated()).endObject()));
  }

  private CompletableFuture<ApiResponse> seekPartition(ApiRequest req) {
    return Futures.map(queen.admin().seekPartitionToEnd(req.pathParam(0), req.pathParam(1),
        req.pathParam(2)), s -> ok(w -> w.beginObject()
            .name("success").value(true).name("consumerGroup").value(s.group())
            .name("queueName").value(s.queue()).name("partitionName").value(s.partition())
            .name("updated").value(true)
            .name("cursorMovedTo").value(JsonOut.millis(s.cursorMovedTo())).endObject()));
  }

  static ApiResponse ok(JsonOut.Body body) {
    return ApiResponse.json(200, JsonOut.write(body));
  }
}
