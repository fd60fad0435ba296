package io.queen.server.http;

import com.google.gson.stream.JsonReader;
import io.queen.error.InvalidRequestException;
import io.queen.model.AckItem;
import io.queen.model.AckStatus;
import io.queen.model.PopRequest;
import io.queen.model.PushItem;
import java.io.IOException;

/** Reads the items shared by several endpoints (push items, acknowledgements). Stateless. */
final class WireItems {
  private WireItems() {}

  /** {@code {queue, partition?, payload?, transactionId?, traceId?}}; a missing payload is null. */
  static PushItem pushItem(JsonReader r, String path) throws IOException {
    var f = new String[5];
    if (!JsonIn.objectOrNull(r, path, (name, p) -> {
      switch (name) {
        case "queue": f[0] = JsonIn.string(r, p); break;
        case "partition": f[1] = JsonIn.string(r, p); break;
        case "payload": f[2] = JsonIn.raw(r); break;
        case "transactionId": f[3] = JsonIn.string(r, p); break;
        case "traceId": f[4] = JsonIn.string(r, p); break;
        default: JsonIn.skip(r);
      }
    })) {
      throw JsonIn.required(path);
    }
    if (f[0] == null) {
      throw JsonIn.required(path + ".queue");
    }
    var traceId = f[4] == null || f[4].isEmpty() ? null : f[4];
    return new PushItem(f[0], f[1], f[2] == null ? "null" : f[2], f[3], traceId);
  }

  /** Builds an ack from the six fields read by {@link MemberReaderWithType}. */
  static AckItem ackFrom(String[] f, String path, String groupOverride) {
    var prefix = path.isEmpty() ? "" : path + ".";
    if (f[0] == null) {
      throw JsonIn.required(prefix + "transactionId");
    }
    if (f[1] == null) {
      throw JsonIn.required(prefix + "partitionId");
    }
    AckStatus status;
    try {
      status = f[2] == null ? AckStatus.COMPLETED : AckStatus.parse(f[2]);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(prefix + "status", prefix + e.getMessage());
    }
    var group = groupOverride != null ? groupOverride : group(f[3]);
    var lease = f[4] == null || f[4].isEmpty() ? null : f[4];
    return new AckItem(f[0], f[1], status, group, lease, f[5]);
  }

  /** The wire's group: empty or {@code __QUEUE_MODE__} mean queue mode (null). */
  static String group(String g) {
    return g == null || g.isEmpty() || PopRequest.QUEUE_MODE.equals(g) ? null : g;
  }

  /** Reads ack members into {@code f}: transactionId, partitionId, status, consumerGroup, leaseId, error. */
  static final class MemberReaderWithType implements JsonIn.MemberReader {
    private final JsonReader r;
    private final String[] f;

    MemberReaderWithType(JsonReader r, String[] f) {
      this.r = r;
      this.f = f;
    }

    @Override
    public void read(String name, String p) throws IOException {
      switch (name) {
        case "transactionId": f[0] = JsonIn.string(r, p); break;
        case "partitionId": f[1] = JsonIn.string(r, p); break;
        case "status": f[2] = JsonIn.string(r, p); break;
        case "consumerGroup": f[3] = JsonIn.string(r, p); break;
        case "leaseId": f[4] = JsonIn.string(r, p); break;
        case "error": f[5] = JsonIn.string(r, p); break;
        default: JsonIn.skip(r);
      }
    }
  }
}
