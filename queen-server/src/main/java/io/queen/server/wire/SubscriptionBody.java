package io.queen.server.wire;

import com.google.gson.stream.JsonReader;
import io.queen.error.InvalidRequestException;
import java.io.IOException;
import java.time.Instant;

/**
 * Reads {@code POST /api/v1/consumer-groups/:group/subscription} bodies:
 * {@code {"subscriptionTimestamp": "<ISO-8601>"}}. Stateless; called on the request's IO thread.
 */
public final class SubscriptionBody {
  private SubscriptionBody() {}

  public static Instant timestamp(byte[] body) {
    var fields = new Fields();
    if (!JsonIn.isBlank(body)) {
      JsonIn.body(body, fields);
    }
    if (fields.timestamp == null) {
      throw new InvalidRequestException("subscriptionTimestamp",
          "Missing subscriptionTimestamp in request body");
    }
    return QueryParams.parseInstant("subscriptionTimestamp", fields.timestamp);
  }

  private static final class Fields implements JsonIn.MemberReader {
    String timestamp;

    @Override
    public void read(JsonReader r, String name, String path) throws IOException {
      if (name.equals("subscriptionTimestamp")) {
        timestamp = JsonIn.string(r, path);
      } else {
        JsonIn.skip(r);
      }
    }
  }
}
