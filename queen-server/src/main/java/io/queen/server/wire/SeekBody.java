package io.queen.server.wire;

import com.google.gson.stream.JsonReader;
import io.queen.error.InvalidRequestException;
import java.io.IOException;
import java.time.Instant;

/**
 * Reads {@code POST /api/v1/consumer-groups/:group/queues/:queue/seek} bodies:
 * {@code {"toEnd": true}} or {@code {"timestamp": "<ISO-8601>"}}, not both. Stateless; called on
 * the request's IO thread.
 */
public final class SeekBody {
  /**
   * What a seek asks for.
   *
   * @param toEnd to the newest message
   * @param timestamp after the last message at or before it (null with {@code toEnd})
   */
  public record Target(boolean toEnd, Instant timestamp) {}

  private SeekBody() {}

  public static Target read(byte[] body) {
    var fields = new Fields();
    if (!JsonIn.isBlank(body)) {
      JsonIn.body(body, fields);
    }
    boolean toEnd = Boolean.TRUE.equals(fields.toEnd);
    if (toEnd && fields.timestamp != null) {
      throw new InvalidRequestException("toEnd",
          "Specify either 'toEnd': true or 'timestamp', not both");
    }
    if (!toEnd && fields.timestamp == null) {
      throw new InvalidRequestException("toEnd",
          "Must specify either 'toEnd': true or 'timestamp'");
    }
    return new Target(toEnd, toEnd ? null : QueryParams.parseInstant("timestamp", fields.timestamp));
  }

  private static final class Fields implements JsonIn.MemberReader {
    Boolean toEnd;
    String timestamp;

    @Override
    public void read(JsonReader r, String name, String path) throws IOException {
      switch (name) {
        case "toEnd" -> toEnd = JsonIn.bool(r, path);
        case "timestamp" -> timestamp = JsonIn.string(r, path);
        default -> JsonIn.skip(r);
      }
    }
  }
}
