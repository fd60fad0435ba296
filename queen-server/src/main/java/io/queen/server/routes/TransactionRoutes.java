package io.queen.server.routes;

import io.queen.QueueManager;
import io.queen.error.InvalidRequestException;
import io.queen.json.JsonBuilder;
import io.queen.model.AckResult;
import io.queen.model.PushResult;
import io.queen.model.PushStatus;
import io.queen.model.TransactionRequest;
import io.queen.model.TransactionResult;
import io.queen.server.http.ApiRequest;
import io.queen.server.http.ApiResponse;
import io.queen.server.http.Futures;
import io.queen.server.http.JsonOut;
import io.queen.server.http.Router.Route;
import io.queen.server.wire.TraceHeaders;
import io.queen.server.wire.TransactionBody;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /api/v1/transaction}: acks and pushes that commit together; the reply lists one
 * result per ack and per pushed item, in the order of the wire's operations.
 * Handlers run on the request's IO thread and never block; reply bodies are written on the
 * thread that completes the core's future. Thread-safe (immutable).
 */
public final class TransactionRoutes {
  private final QueueManager queen;

  public TransactionRoutes(QueueManager queen) {
    this.queen = queen;
  }

  public List<Route> routes() {
    return List.of(new Route("POST", "/api/v1/transaction", "transaction", true, this::transaction));
  }

  private CompletableFuture<ApiResponse> transaction(ApiRequest req) {
    var body = TransactionBody.read(req.body());
    CompletableFuture<TransactionResult> core;
    try {
      var request = body.request();
      var pushes = ProducerStamp.stamp(TraceHeaders.apply(request.pushes(),
          req.header(TraceHeaders.TRACEPARENT), req.header(TraceHeaders.TRACESTATE)),
          req.principal());
      core = queen.transaction(pushes == request.pushes() ? request
          : new TransactionRequest(request.acks(), pushes, request.requiredLeases()));
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
        for (var op : body.operations()) {
          if (op.ack()) {
            transactionAck(w, index++, result.ackResults().get(op.first()));
          } else {
            for (int j = 0; j < op.count(); j++) {
              transactionPush(w, index++, result.pushResults().get(op.first() + j));
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
}
