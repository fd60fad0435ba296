package io.queen.server.wire;

import com.google.gson.stream.JsonReader;
import io.queen.model.PushItem;
import io.queen.model.TraceContext;
import java.io.IOException;

/**
 * One push item as the client sent it: {@code {queue, partition?, payload?, transactionId?,
 * traceId?, traceparent?, tracestate?}}. It is its own member reader, so an item costs one holder and no lambda (the push
 * body is the server's hottest parse). One per item, used by the thread parsing the request.
 */
final class PushItemFields implements JsonIn.MemberReader {
  private String queue;
  private String partition;
  private String payload;
  private String transactionId;
  private String traceId;
  private String traceparent;
  private String tracestate;

  /** Reads the item object at {@code path}; null or missing is {@code <path> is required}. */
  static PushItem readItem(JsonReader r, String path) throws IOException {
    var fields = new PushItemFields();
    if (!JsonIn.objectOrNull(r, path, fields)) {
      throw JsonIn.required(path);
    }
    return fields.toItem(path);
  }

  @Override
  public void read(JsonReader r, String name, String path) throws IOException {
    switch (name) {
      case "queue" -> queue = JsonIn.string(r, path);
      case "partition" -> partition = JsonIn.string(r, path);
      case "payload" -> payload = JsonIn.raw(r);
      case "transactionId" -> transactionId = JsonIn.string(r, path);
      case "traceId" -> traceId = JsonIn.string(r, path);
      case "traceparent" -> traceparent = JsonIn.string(r, path);
      case "tracestate" -> tracestate = JsonIn.string(r, path);
      default -> JsonIn.skip(r);
    }
  }

  /** A missing payload is JSON null; an empty trace id is none. */
  private PushItem toItem(String path) {
    if (queue == null) {
      throw JsonIn.required(path + ".queue");
    }
    var trace = traceId == null || traceId.isEmpty() ? null : traceId;
    var context = traceparent == null && tracestate == null ? null
        : TraceContext.parse(path, traceparent, tracestate);
    return new PushItem(queue, partition, payload == null ? "null" : payload, transactionId, trace,
        context);
  }
}
