package io.queen.server.wire;

import com.google.gson.JsonParseException;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import io.queen.error.InvalidRequestException;
import io.queen.json.JsonBuilder;
import io.queen.json.JsonText;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Strict streaming reads of request bodies with gson's {@link JsonReader}. Every type mismatch is
 * an {@link InvalidRequestException} naming the field as the client wrote it
 * ({@code items[0].queue must be a string}); malformed JSON is {@code Invalid JSON: ...}. JSON
 * {@code null} reads as "absent" everywhere. The typed readers of this package build on it.
 * Stateless; one {@link JsonReader} per request, used by the one thread parsing that request.
 */
final class JsonIn {
  private JsonIn() {}

  /**
   * Handles one member of an object; must consume its value. The reader is passed in so that a
   * field holder can implement this itself, without a capturing lambda per object.
   */
  @FunctionalInterface
  interface MemberReader {
    void read(JsonReader r, String name, String path) throws IOException;
  }

  /** Handles one element of an array; must consume it. */
  @FunctionalInterface
  interface ElementReader {
    void read(JsonReader r, int index, String path) throws IOException;
  }

  /** The body of a request as one JSON object; {@code Empty request body} when there is none. */
  static void body(byte[] body, MemberReader members) {
    if (isBlank(body)) {
      throw new InvalidRequestException("body", "Empty request body");
    }
    var r = new JsonReader(new InputStreamReader(new ByteArrayInputStream(body), StandardCharsets.UTF_8));
    r.setStrictness(Strictness.STRICT);
    // room for a payload nested as deep as the engine accepts, inside the request's own levels
    r.setNestingLimit(JsonText.MAX_DEPTH + 8);
    try {
      if (r.peek() != JsonToken.BEGIN_OBJECT) {
        throw new InvalidRequestException("body", "request body must be a JSON object");
      }
      object(r, "", members);
      if (r.peek() != JsonToken.END_DOCUMENT) {
        throw new InvalidRequestException("body", "Invalid JSON: more data after the request object");
      }
    } catch (IOException | JsonParseException | IllegalStateException e) {
      throw new InvalidRequestException("body", "Invalid JSON: " + parserMessage(e));
    }
  }

  /** gson's message without its exception-class prefix and troubleshooting link. */
  private static String parserMessage(Exception e) {
    var m = e.getMessage() == null ? e.toString() : e.getMessage();
    int colon = m.indexOf("Exception: ");
    if (colon >= 0) {
      m = m.substring(colon + "Exception: ".length());
    }
    int see = m.indexOf("\nSee ");
    if (see >= 0) {
      m = m.substring(0, see);
    }
    return m.replace("Use JsonReader.setStrictness(Strictness.LENIENT) to accept malformed JSON",
        "malformed JSON");
  }

  static boolean isBlank(byte[] body) {
    for (byte b : body) {
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        return false;
      }
    }
    return true;
  }

  /** Reads an object's members; {@code path} is the object's own path ("" for the root). */
  static void object(JsonReader r, String path, MemberReader members) throws IOException {
    r.beginObject();
    while (r.hasNext()) {
      var name = r.nextName();
      members.read(r, name, path.isEmpty() ? name : path + "." + name);
    }
    r.endObject();
  }

  /** An object value; false (consumed) when null. */
  static boolean objectOrNull(JsonReader r, String path, MemberReader members) throws IOException {
    if (skipNull(r)) {
      return false;
    }
    expect(r, JsonToken.BEGIN_OBJECT, path, "an object");
    object(r, path, members);
    return true;
  }

  /** An array value; false (consumed) when null. */
  static boolean arrayOrNull(JsonReader r, String path, ElementReader elements) throws IOException {
    if (skipNull(r)) {
      return false;
    }
    expect(r, JsonToken.BEGIN_ARRAY, path, "an array");
    r.beginArray();
    int i = 0;
    while (r.hasNext()) {
      elements.read(r, i, path + "[" + i + "]");
      i++;
    }
    r.endArray();
    return true;
  }

  static String string(JsonReader r, String path) throws IOException {
    if (skipNull(r)) {
      return null;
    }
    expect(r, JsonToken.STRING, path, "a string");
    return r.nextString();
  }

  static Boolean bool(JsonReader r, String path) throws IOException {
    if (skipNull(r)) {
      return null;
    }
    expect(r, JsonToken.BOOLEAN, path, "a boolean");
    return r.nextBoolean();
  }

  /** A JSON number that is an integer within int range. */
  static Integer integer(JsonReader r, String path) throws IOException {
    if (skipNull(r)) {
      return null;
    }
    expect(r, JsonToken.NUMBER, path, "an integer");
    var text = r.nextString();
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new InvalidRequestException(path, path + " must be an integer, was " + text);
    }
  }

  /** A finite JSON number. */
  static Double number(JsonReader r, String path) throws IOException {
    if (skipNull(r)) {
      return null;
    }
    expect(r, JsonToken.NUMBER, path, "a number");
    var text = r.nextString();
    try {
      double d = Double.parseDouble(text);
      if (Double.isFinite(d)) {
        return d;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw new InvalidRequestException(path, path + " must be a finite number, was " + text);
  }

  /** Strings; a single string is a list of one (as the original's {@code traceNames}). */
  static List<String> strings(JsonReader r, String path) throws IOException {
    var out = new ArrayList<String>();
    if (r.peek() == JsonToken.STRING) {
      out.add(r.nextString());
      return out;
    }
    if (!arrayOrNull(r, path, (reader, i, p) -> {
      var s = string(reader, p);
      if (s == null) {
        throw new InvalidRequestException(p, p + " must be a string");
      }
      out.add(s);
    })) {
      return null;
    }
    return out;
  }

  /**
   * Any JSON value as compact JSON text (the payload path; null stays the text "null"), copied
   * token by token: no tree is built (the tree and its re-serialisation were a tenth of the
   * server's push profile). Numbers keep their literal text. Nesting is limited as
   * {@link JsonText#MAX_DEPTH}, which the engine enforces anyway.
   */
  static String raw(JsonReader r) throws IOException {
    var sb = new StringBuilder(128);
    copy(r, sb, 0);
    return sb.toString();
  }

  private static void copy(JsonReader r, StringBuilder sb, int depth) throws IOException {
    switch (r.peek()) {
      case BEGIN_OBJECT -> {
        checkDepth(depth);
        r.beginObject();
        sb.append('{');
        boolean first = true;
        while (r.hasNext()) {
          if (!first) {
            sb.append(',');
          }
          first = false;
          JsonBuilder.string(sb, r.nextName());
          sb.append(':');
          copy(r, sb, depth + 1);
        }
        r.endObject();
        sb.append('}');
      }
      case BEGIN_ARRAY -> {
        checkDepth(depth);
        r.beginArray();
        sb.append('[');
        boolean first = true;
        while (r.hasNext()) {
          if (!first) {
            sb.append(',');
          }
          first = false;
          copy(r, sb, depth + 1);
        }
        r.endArray();
        sb.append(']');
      }
      case STRING -> JsonBuilder.string(sb, r.nextString());
      case NUMBER -> sb.append(r.nextString());
      case BOOLEAN -> sb.append(r.nextBoolean());
      case NULL -> {
        r.nextNull();
        sb.append("null");
      }
      default -> throw new IllegalStateException("expected a JSON value but was " + r.peek());
    }
  }

  private static void checkDepth(int depth) {
    if (depth >= JsonText.MAX_DEPTH) {
      throw new IllegalStateException("a value nested deeper than " + JsonText.MAX_DEPTH + " levels");
    }
  }

  static void skip(JsonReader r) throws IOException {
    r.skipValue();
  }

  private static boolean skipNull(JsonReader r) throws IOException {
    if (r.peek() == JsonToken.NULL) {
      r.nextNull();
      return true;
    }
    return false;
  }

  private static void expect(JsonReader r, JsonToken token, String path, String what)
      throws IOException {
    if (r.peek() != token) {
      throw new InvalidRequestException(path, path + " must be " + what);
    }
  }

  static InvalidRequestException required(String path) {
    return new InvalidRequestException(path, path + " is required");
  }
}
