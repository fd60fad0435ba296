package io.queen.server.wire;

import com.google.gson.stream.JsonReader;
import io.queen.model.AckItem;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code POST /api/v1/ack} (the body is one {@link AckFields} object) and
 * {@code POST /api/v1/ack/batch} ({@code {acknowledgments: [ack, ...], consumerGroup?}}) bodies.
 * Stateless; called on the request's IO thread.
 */
public final class AckBody {
  private AckBody() {}

  /** A single ack; its fields are named bare ({@code partitionId is required}). */
  public static AckItem single(byte[] body) {
    var fields = new AckFields();
    JsonIn.body(body, fields);
    return fields.toItem("");
  }

  /**
   * A batch of acks in wire order. A top-level {@code consumerGroup} replaces every entry's own, as
   * in the original. Entries are checked only once the whole body has parsed, so malformed JSON
   * anywhere is reported before a missing field.
   */
  public static List<AckItem> batch(byte[] body) {
    var members = new Batch();
    JsonIn.body(body, members);
    if (!members.entriesSeen) {
      throw JsonIn.required("acknowledgments");
    }
    var items = new ArrayList<AckItem>(members.entries.size());
    for (int i = 0; i < members.entries.size(); i++) {
      var entry = members.entries.get(i);
      if (members.groupSeen) {
        entry.consumerGroup = members.group;
      }
      items.add(entry.toItem("acknowledgments[" + i + "]"));
    }
    return items;
  }

  private static final class Batch implements JsonIn.MemberReader {
    final ArrayList<AckFields> entries = new ArrayList<>();
    String group;
    boolean entriesSeen;
    boolean groupSeen;

    @Override
    public void read(JsonReader r, String name, String path) throws IOException {
      switch (name) {
        case "acknowledgments" -> entriesSeen = JsonIn.arrayOrNull(r, path, (reader, i, entryPath) -> {
          var fields = new AckFields();
          if (!JsonIn.objectOrNull(reader, entryPath, fields)) {
            throw JsonIn.required(entryPath);
          }
          entries.add(fields);
        });
        case "consumerGroup" -> {
          group = JsonIn.string(r, path);
          groupSeen = group != null;
        }
        default -> JsonIn.skip(r);
      }
    }
  }
}
