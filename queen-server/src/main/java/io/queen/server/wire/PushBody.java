package io.queen.server.wire;

import com.google.gson.stream.JsonReader;
import io.queen.model.PushItem;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code POST /api/v1/push} bodies: {@code {items: [item, ...]}}, each item as
 * {@link PushItemFields}. Stateless; called on the request's IO thread.
 */
public final class PushBody {
  private PushBody() {}

  /**
   * The items in wire order.
   *
   * @throws io.queen.error.InvalidRequestException naming the field ({@code items[0].queue must
   *     be a string}, {@code items is required})
   */
  public static List<PushItem> read(byte[] body) {
    var members = new Members();
    JsonIn.body(body, members);
    if (!members.itemsSeen) {
      throw JsonIn.required("items");
    }
    return members.items;
  }

  private static final class Members implements JsonIn.MemberReader {
    final ArrayList<PushItem> items = new ArrayList<>();
    boolean itemsSeen;

    @Override
    public void read(JsonReader r, String name, String path) throws IOException {
      if (name.equals("items")) {
        itemsSeen = JsonIn.arrayOrNull(r, path,
            (reader, i, itemPath) -> items.add(PushItemFields.readItem(reader, itemPath)));
      } else {
        JsonIn.skip(r);
      }
    }
  }
}
