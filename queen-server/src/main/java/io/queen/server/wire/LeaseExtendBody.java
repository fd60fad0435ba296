package io.queen.server.wire;

import com.google.gson.stream.JsonReader;
import java.io.IOException;

/**
 * Reads {@code POST /api/v1/lease/:leaseId/extend} bodies: {@code {seconds?}}; the body may be
 * empty. Stateless; called on the request's IO thread.
 */
public final class LeaseExtendBody {
  private LeaseExtendBody() {}

  /** The seconds asked for, or {@code fallback} when the body or the member is absent. */
  public static int seconds(byte[] body, int fallback) {
    if (JsonIn.isBlank(body)) {
      return fallback;
    }
    var fields = new Fields();
    JsonIn.body(body, fields);
    return fields.seconds == null ? fallback : fields.seconds;
  }

  private static final class Fields implements JsonIn.MemberReader {
    Integer seconds;

    @Override
    public void read(JsonReader r, String name, String path) throws IOException {
      if (name.equals("seconds")) {
        seconds = JsonIn.integer(r, path);
      } else {
        JsonIn.skip(r);
      }
    }
  }
}
