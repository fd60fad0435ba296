package io.queen.server.wire;

import com.google.gson.stream.JsonReader;
import io.queen.error.InvalidRequestException;
import io.queen.model.DlqRequeue;
import io.queen.model.PopRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.UUID;

/**
 * Reads {@code POST /api/v1/dlq/requeue} bodies: {@code {queue, consumerGroup?, messageIds?}}.
 * Stateless; called on the request's IO thread.
 */
public final class DlqRequeueBody {
  private DlqRequeueBody() {}

  /**
   * The requeue. Unlike elsewhere, an absent group means every group and an empty one means queue
   * mode, as the original's requeue reads it.
   */
  public static DlqRequeue read(byte[] body) {
    var fields = new Fields();
    JsonIn.body(body, fields);
    if (fields.queue == null) {
      throw JsonIn.required("queue");
    }
    var g = fields.consumerGroup;
    var group = g == null ? null : g.isEmpty() ? PopRequest.QUEUE_MODE : g;
    return new DlqRequeue(fields.queue, group, fields.messageIds);
  }

  private static final class Fields implements JsonIn.MemberReader {
    final ArrayList<UUID> messageIds = new ArrayList<>();
    String queue;
    String consumerGroup;

    @Override
    public void read(JsonReader r, String name, String path) throws IOException {
      switch (name) {
        case "queue" -> queue = JsonIn.string(r, path);
        case "consumerGroup" -> consumerGroup = JsonIn.string(r, path);
        case "messageIds" -> JsonIn.arrayOrNull(r, path, (reader, i, idPath) -> {
          var s = JsonIn.string(reader, idPath);
          try {
            messageIds.add(UUID.fromString(s == null ? "" : s));
          } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(idPath, idPath + " must be a UUID string");
          }
        });
        default -> JsonIn.skip(r);
      }
    }
  }
}
