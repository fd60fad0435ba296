package io.queen.internal.json;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;

/** Checks JSON text without building a tree. Thread-safe (stateless). */
public final class JsonText {
  private JsonText() {}

  /**
   * Returns null when {@code json} is exactly one valid JSON value (RFC 8259, strict) that
   * PostgreSQL's jsonb can store, or a message saying what is wrong.
   */
  public static String problem(String json) {
    if (json.indexOf("\\u0000") >= 0) {
      return "must not contain the character \\u0000 (PostgreSQL jsonb cannot store it)";
    }
    try (var reader = new JsonReader(new StringReader(json))) {
      reader.setStrictness(Strictness.STRICT);
      reader.skipValue();
      if (reader.peek() != JsonToken.END_DOCUMENT) {
        return "must be a single JSON value, found more after it";
      }
      return null;
    } catch (IOException | IllegalStateException e) {
      return "is not valid JSON: " + e.getMessage();
    }
  }
}
