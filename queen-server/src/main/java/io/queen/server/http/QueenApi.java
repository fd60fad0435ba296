package io.queen.server.http;

import io.queen.QueueManager;
import io.queen.error.InvalidRequestException;
import io.queen.json.JsonBuilder;
import io.queen.model.AckResult;
import io.queen.model.DlqEntry;
import io.queen.model.DlqQuery;
import io.queen.model.Message;
import io.queen.model.PopRequest;
import io.queen.model.PopResult;
import io.queen.model.PushResult;
import io.queen.model.PushStatus;
import io.queen.model.QueueInfo;
import io.queen.model.SubscriptionMode;
import io.queen.model.TraceRecord;
import io.queen.model.TransactionResult;
import io.queen.server.wire.AckBody;
import io.queen.server.wire.ConfigureBody;
import io.queen.server.wire.DlqRequeueBody;
import io.queen.server.wire.LeaseExtendBody;
import io.queen.server.wire.PushBody;
import io.queen.server.wire.QueryParams;
import io.queen.server.wire.TraceBody;
import io.queen.server.wire.TransactionBody;
import io.queen.server.wire.WireNames;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Queen's endpoints: parse the wire format, call {@link QueueManager}, shape the reply as the
 * original does (queen-http-api.md). Handlers run on the request's IO thread and never block;
 * reply bodies are built on the thread that completes the core's future. Thread-safe (stateless
 * apart from immutable settings).
 */
public final class QueenApi {
  private static final int DEFAULT_EXTEND_SECONDS = 60;

  private final QueueManager queen;
  private final int defaultBatch;
  private final int defaultTimeoutMs;
  private final int maxTimeoutMs;

  public QueenApi(QueueManager queen, int defaultBatch, int defaultTimeoutMs, int maxTimeoutMs) {
    this.queen = queen;
    this.defaultBatch = defaultBatch;
    this.defaultTimeoutMs = defaultTimeoutMs;
    this.maxTimeoutMs = maxTimeoutMs;
  }

  /** Every Queen endpoint (health and metrics are added by the server). */
  public List<Router.Route> routes() {
    return List.of(
        new Router.Route("POST", "/api/v1/configure", "configure", true, this::configure),
        new Router.Route("DELETE", "/api/v1/resources/queues/:queue", "delete", false, this::deleteQueue),
        new Router.Route("POST", "/api/v1/push", "push", true, this::push),
        new Router.Route("GET", "/api/v1/pop/queue/:queue", "pop", false, this::pop),
        new Router.Route("GET", "/api/v1/pop/queue/:queue/partition/:partition", "pop", false, this::pop),
        new Router.Route("GET", "/api/v1/pop", "pop", false, this::pop),
        new Router.Route("POST", "/api/v1/ack", "ack", true, this::ack),
        new Router.Route("POST", "/api/v1/ack/batch", "ack", true, this::ackBatch),
        new Router.Route("POST", "/api/v1/transaction", "transaction", true, this::transaction),
        new Router.Route("POST", "/api/v1/lease/:leaseId/extend", "lease", true, this::extendLease),
        new Router.Route("POST", "/api/v1/traces", "traces", true, this::recordTrace),
        new Router.Route("GET", "/api/v1/traces/names", "traces", false, this::traceNames),
        new Router.Route("GET", "/api/v1/traces/by-name/:traceName", "traces", false, this::tracesByName),
        new Router.Route("GET", "/api/v1/traces/:partitionId/:transactionId", "traces", false, this::traces),
        new Router.Route("GET", "/api/v1/dlq", "dlq", false, this::listDlq),
        new Router.Route("POST", "/api/v1/dlq/requeue", "dlq", true, this::requeueDlq));
  }

  // ---- configure / delete -----------------------------------------------------------------

  CompletableFuture<ApiResponse> configure(ApiRequest req) {
    var body = ConfigureBody.read(req.body());
    return Futures.map(queen.configureQueue(body.queue(), body.namespace(), body.task(), body.options()),
        info -> ApiResponse.json(200, JsonOut.write(w -> configured(w, info))));
  }

  private static void configured(JsonBuilder w, QueueInfo info) {
    var o = info.options();
    w.beginObject();
    w.name("configured").value(true);
    w.name("queueId").value(JsonOut.text(info.queueId()));
    w.name("partitionId").value(JsonOut.text(info.defaultPartitionId()));
    w.name("queue").value(info.name());
    w.name("namespace").value(info.namespace());
    w.name("task").value(info.task());
    w.name("options").beginObject();
    w.name("priority").value(o.priority());
    w.name("leaseTime").value(o.leaseTime());
    w.name("retryLimit").value(o.retryLimit());
    w.name("retryDelay").value(o.retryDelay());
    w.name("maxSize").value(o.maxSize());
    w.name("ttl").value(o.ttl());
    w.name("deadLetterQueue").value(o.deadLetterQueue());
    w.name("dlqAfterMaxRetries").value(o.dlqAfterMaxRetries());
    w.name("delayedProcessing").value(o.delayedProcessing());
    w.name("windowBuffer").value(o.windowBuffer());
    w.name("retentionSeconds").value(o.retentionSeconds());
    w.name("completedRetentionSeconds").value(o.completedRetentionSeconds());
    w.name("retentionEnabled").value(o.retentionEnabled());
    w.name("encryptionEnabled").value(o.encryptionEnabled());
    w.name("maxWaitTimeSeconds").value(o.maxWaitTimeSeconds());
    w.endObject();
    w.endObject();
  }

  CompletableFuture<ApiResponse> deleteQueue(ApiRequest req) {
    var queue = req.pathParam(0);
    return Futures.map(queen.deleteQueue(queue), existed -> ApiResponse.json(200, JsonOut.write(w ->
        w.beginObject().name("deleted").value(true).name("queue").value(queue)
            .name("existed").value(existed).endObject())));
  }

  // ---- push ----------------------------------------------------------------------------------

  CompletableFuture<ApiResponse> push(ApiRequest req) {
    var items = PushBody.read(req.body());
    return Futures.map(queen.push(items), results -> ApiResponse.json(201, JsonOut.write(w -> {
      w.beginArray();
      for (int i = 0; i < results.size(); i++) {
        pushResult(w, i, results.get(i));
      }
      w.endArray();
    })).withItems(results.size()));
  }

  private static void pushResult(JsonBuilder w, int index, PushResult r) {
    w.beginObject();
    w.name("index").value(index);
    w.name("transaction_id").value(r.transactionId());
    w.name("status").value(r.status().wireName());
    w.name("message_id").value(JsonOut.text(r.messageId()));
    w.name("partition_id").value(JsonOut.text(r.partitionId()));
    w.name("trace_id").value(r.traceId());
    w.name("queueName").value(r.queue());
    if (r.error() != null) {
      w.name("error").value(r.error());
    }
    w.endObject();
  }

  // ---- pop -----------------------------------------------------------------------------------

  CompletableFuture<ApiResponse> pop(ApiRequest req) {
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
    var target = waitMillis > 0 ? new LongPollFuture(waitMillis) : new CompletableFuture<ApiResponse>();
    return Futures.map(core, target, QueenApi::popped);
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
    w.endObject();
  }

  // ---- ack -----------------------------------------------------------------------------------

  CompletableFuture<ApiResponse> ack(ApiRequest req) {
    var item = AckBody.single(req.body());
    CompletableFuture<List<AckResult>> core;
    try {
      core = queen.ack(List.of(item));
    } catch (InvalidRequestException e) {
      throw WireNames.rename(e, "acknowledgments[0]", "");
    }
    return Futures.map(core, QueenApi::acked);
  }

  CompletableFuture<ApiResponse> ackBatch(ApiRequest req) {
    return Futures.map(queen.ack(AckBody.batch(req.body())), QueenApi::acked);
  }

  private static ApiResponse acked(List<AckResult> results) {
    return ApiResponse.json(200, JsonOut.write(w -> {
      w.beginArray();
      for (int i = 0; i < results.size(); i++) {
        var r = results.get(i);
        w.beginObject();
        w.name("index").value(i);
        w.name("transactionId").value(r.transactionId());
        w.name("success").value(r.success());
        w.name("error").value(r.error());
        w.name("queueName").value(r.queue());
        w.name("partitionName").value(r.partition());
        w.name("leaseReleased").value(r.leaseReleased());
        w.name("dlq").value(r.dlq());
        w.endObject();
      }
      w.endArray();
    })).withItems(results.size());
  }

  // ---- lease ---------------------------------------------------------------------------------

  CompletableFuture<ApiResponse> extendLease(ApiRequest req) {
    var leaseId = req.pathParam(0);
    int s = LeaseExtendBody.seconds(req.body(), DEFAULT_EXTEND_SECONDS);
    return Futures.map(queen.extendLease(leaseId, s), ext -> ApiResponse.json(200, JsonOut.write(w -> {
      w.beginArray().beginObject();
      w.name("index").value(0);
      w.name("leaseId").value(ext.leaseId());
      w.name("success").value(ext.success());
      w.name("error").value(ext.error());
      w.name("expiresAt").value(JsonOut.millis(ext.expiresAt()));
      w.endObject().endArray();
    })));
  }

  // ---- transaction ---------------------------------------------------------------------------

  CompletableFuture<ApiResponse> transaction(ApiRequest req) {
    var body = TransactionBody.read(req.body());
    CompletableFuture<TransactionResult> core;
    try {
      core = queen.transaction(body.request());
    } catch (InvalidRequestException e) {
      throw body.renameCoreField(e);
    }
    return Futures.map(core, result -> ApiResponse.json(200, JsonOut.write(w -> {
      w.beginObject();
      w.name("transactionId").value(JsonOut.text(result.transactionId()));
      w.name("success").value(result.success());
      if (result.error() != null) {
        w.name("error").value(result.error());
      }
      w.name("results").beginArray();
      if (result.success()) {
        int index = 0;
        for (var ref : body.operations()) {
          if (ref.ack()) {
            transactionAck(w, index++, result.ackResults().get(ref.first()));
          } else {
            for (int j = 0; j < ref.count(); j++) {
              transactionPush(w, index++, result.pushResults().get(ref.first() + j));
            }
          }
        }
      }
      w.endArray();
      w.endObject();
    })));
  }

  private static void transactionAck(JsonBuilder w, int index, AckResult r) {
    w.beginObject();
    w.name("index").value(index);
    w.name("type").value("ack");
    w.name("success").value(r.success());
    w.name("transactionId").value(r.transactionId());
    w.name("error").value(r.error());
    w.name("queueName").value(r.queue());
    w.name("partitionName").value(r.partition());
    w.name("leaseReleased").value(r.leaseReleased());
    w.name("dlq").value(r.dlq());
    w.endObject();
  }

  private static void transactionPush(JsonBuilder w, int index, PushResult r) {
    w.beginObject();
    w.name("index").value(index);
    w.name("type").value("push");
    w.name("success").value(r.status() != PushStatus.FAILED);
    w.name("status").value(r.status().wireName());
    w.name("transactionId").value(r.transactionId());
    w.name("messageId").value(JsonOut.text(r.messageId()));
    w.name("partitionId").value(JsonOut.text(r.partitionId()));
    w.name("queueName").value(r.queue());
    if (r.error() != null) {
      w.name("error").value(r.error());
    }
    w.endObject();
  }

  // ---- traces --------------------------------------------------------------------------------

  CompletableFuture<ApiResponse> recordTrace(ApiRequest req) {
    var event = TraceBody.read(req.body());
    return Futures.map(queen.recordTrace(event), id -> ApiResponse.json(201, JsonOut.write(w ->
        w.beginObject().name("success").value(true).name("traceId").value(id.toString())
            .endObject())));
  }

  CompletableFuture<ApiResponse> traces(ApiRequest req) {
    return Futures.map(queen.traces(req.pathParam(0), req.pathParam(1)),
        list -> ApiResponse.json(200, JsonOut.write(w -> {
          w.beginObject();
          w.name("traces").beginArray();
          for (var t : list) {
            trace(w, t, false);
          }
          w.endArray();
          w.name("count").value(list.size());
          w.endObject();
        })));
  }

  CompletableFuture<ApiResponse> tracesByName(ApiRequest req) {
    var q = new QueryParams(req.query());
    int limit = q.integer("limit", 100, 1, 10_000);
    int offset = q.integer("offset", 0, 0, Integer.MAX_VALUE);
    return Futures.map(queen.tracesByName(req.pathParam(0), limit, offset),
        page -> ApiResponse.json(200, JsonOut.write(w -> {
          w.beginObject();
          w.name("traces").beginArray();
          for (var t : page.traces()) {
            trace(w, t, true);
          }
          w.endArray();
          w.name("total").value(page.total());
          pagination(w, page.limit(), page.offset());
          w.endObject();
        })));
  }

  private static void trace(JsonBuilder w, TraceRecord t, boolean withMessage) {
    w.beginObject();
    w.name("id").value(JsonOut.text(t.id()));
    w.name("transaction_id").value(t.transactionId());
    w.name("partition_id").value(JsonOut.text(t.partitionId()));
    w.name("event_type").value(t.eventType());
    w.name("data").jsonValue(t.dataJson() == null ? "null" : t.dataJson());
    w.name("consumer_group").value(t.consumerGroup());
    w.name("worker_id").value(t.workerId());
    w.name("created_at").value(JsonOut.millis(t.createdAt()));
    if (withMessage) {
      w.name("queue_name").value(t.queue());
      w.name("partition_name").value(t.partition());
      w.name("message_payload").jsonValue(
          t.messagePayloadJson() == null ? "null" : t.messagePayloadJson());
    }
    w.name("trace_names").beginArray();
    for (var n : t.traceNames()) {
      w.value(n);
    }
    w.endArray();
    w.endObject();
  }

  CompletableFuture<ApiResponse> traceNames(ApiRequest req) {
    var q = new QueryParams(req.query());
    int limit = q.integer("limit", 50, 1, 10_000);
    int offset = q.integer("offset", 0, 0, Integer.MAX_VALUE);
    return Futures.map(queen.traceNames(limit, offset), page -> ApiResponse.json(200, JsonOut.write(w -> {
      w.beginObject();
      w.name("trace_names").beginArray();
      for (var n : page.names()) {
        w.beginObject();
        w.name("trace_name").value(n.name());
        w.name("trace_count").value(n.traceCount());
        w.name("message_count").value(n.messageCount());
        w.name("last_seen").value(JsonOut.millis(n.lastSeen()));
        w.endObject();
      }
      w.endArray();
      w.name("total").value(page.total());
      pagination(w, page.limit(), page.offset());
      w.endObject();
    })));
  }

  private static void pagination(JsonBuilder w, int limit, int offset) {
    w.name("pagination").beginObject().name("limit").value(limit).name("offset").value(offset)
        .endObject();
  }

  // ---- dead-letter queue ---------------------------------------------------------------------

  CompletableFuture<ApiResponse> listDlq(ApiRequest req) {
    var q = new QueryParams(req.query());
    var query = new DlqQuery(q.string("queue"), q.string("partition"),
        q.string("consumerGroup"),
        q.instant("from"), q.instant("to"), q.integer("limit", 100, 1, 10_000),
        q.integer("offset", 0, 0, Integer.MAX_VALUE));
    return Futures.map(queen.listDlq(query), page -> ApiResponse.json(200, JsonOut.write(w -> {
      w.beginObject();
      w.name("messages").beginArray();
      for (var e : page.entries()) {
        dlqEntry(w, e);
      }
      w.endArray();
      w.name("total").value(page.total());
      pagination(w, page.limit(), page.offset());
      w.endObject();
    })));
  }

  private static void dlqEntry(JsonBuilder w, DlqEntry e) {
    w.beginObject();
    w.name("id").value(JsonOut.text(e.messageId()));
    w.name("transactionId").value(e.transactionId());
    w.name("partitionId").value(JsonOut.text(e.partitionId()));
    w.name("queue").value(e.queue());
    w.name("partition").value(e.partition());
    w.name("consumerGroup").value(e.consumerGroup());
    w.name("errorMessage").value(e.errorMessage());
    w.name("retryCount").value(e.retryCount());
    w.name("data").jsonValue(e.payloadJson() == null ? "null" : e.payloadJson());
    w.name("producerSub").value(e.producerSub());
    w.name("createdAt").value(JsonOut.millis(e.createdAt()));
    w.name("failedAt").value(JsonOut.millis(e.failedAt()));
    w.endObject();
  }

  CompletableFuture<ApiResponse> requeueDlq(ApiRequest req) {
    return Futures.map(queen.requeueDlq(DlqRequeueBody.read(req.body())),
        n -> ApiResponse.json(200, JsonOut.write(w ->
            w.beginObject().name("requeued").value(n).endObject())));
  }
}
