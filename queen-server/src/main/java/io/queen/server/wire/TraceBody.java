package io.queen.server.wire;

import com.google.gson.stream.JsonReader;
import io.queen.model.TraceEvent;
import java.io.IOException;
import java.util.ArrayList;

/**
 * Reads {@code POST /api/v1/traces} bodies: {@code {transactionId, partitionId, data,
 * consumerGroup?, eventType?, traceNames?}}; {@code traceNames} may be one string or an array.
 * Stateless; called on the request's IO thread.
 */
public final class TraceBody {
  private TraceBody() {}

  /** The event; {@code data} is kept as raw JSON text and JSON null counts as missing. */
  public static TraceEvent read(byte[] body) {
    var fields = new Fields();
    JsonIn.body(body, fields);
    if (fields.transactionId == null) {
      throw JsonIn.required("transactionId");
    }
    if (fields.partitionId == null) {
      throw JsonIn.required("partitionId");
    }
    if (fields.data == null) {
      throw JsonIn.required("data");
    }
    return new TraceEvent(fields.transactionId, fields.partitionId,
        WireNames.group(fields.consumerGroup), fields.eventType, fields.data, fields.traceNames);
  }

  private static final class Fields implements JsonIn.MemberReader {
    final ArrayList<String> traceNames = new ArrayList<>();
    String transactionId;
    String partitionId;
    String consumerGroup;
    String eventType;
    String data;

    @Override
    public void read(JsonReader r, String name, String path) throws IOException {
      switch (name) {
        case "transactionId" -> transactionId = JsonIn.string(r, path);
        case "partitionId" -> partitionId = JsonIn.string(r, path);
        case "consumerGroup" -> consumerGroup = JsonIn.string(r, path);
        case "eventType" -> eventType = JsonIn.string(r, path);
        case "data" -> {
          var raw = JsonIn.raw(r);
          data = raw.equals("null") ? null : raw;
        }
        case "traceNames" -> {
          var list = JsonIn.strings(r, path);
          if (list != null) {
            traceNames.addAll(list);
          }
        }
        default -> JsonIn.skip(r);
      }
    }
  }
}
