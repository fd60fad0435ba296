package io.queen.server.wire;

import com.google.gson.stream.JsonReader;
import io.queen.error.InvalidRequestException;
import java.io.IOException;

/**
 * Reads the maintenance switches' bodies: {@code {"enabled": true|false}}. Stateless; called on the
 * request's IO thread.
 */
public final class EnabledBody {
  private EnabledBody() {}

  public static boolean enabled(byte[] body) {
    var fields = new Fields();
    if (!JsonIn.isBlank(body)) {
      JsonIn.body(body, fields);
    }
    if (fields.enabled == null) {
      throw new InvalidRequestException("enabled", "enabled (boolean) is required");
    }
    return fields.enabled;
  }

  private static final class Fields implements JsonIn.MemberReader {
    Boolean enabled;

    @Override
    public void read(JsonReader r, String name, String path) throws IOException {
      if (name.equals("enabled")) {
        enabled = JsonIn.bool(r, path);
      } else {
        JsonIn.skip(r);
      }
    }
  }
}
