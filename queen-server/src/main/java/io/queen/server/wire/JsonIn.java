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
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Strict streaming reads of request bodies with gson's {@link JsonReader}. Every type mismatch is
 * an {@link InvalidRequestException} naming the field as the client wrote it
 * ({@code items[0].queue must be a string}); malformed JSON is {@code Invalid JSON: ...}. JSON
 * {@code null} reads as "absent" everywhere. The typed readers of this package build on it.
 *
 * <p>Text must be text: a body that is not UTF-8, and a string with an unpaired surrogate (the
 * escape {@code "\\ud800"} alone), are refused, since either was stored as something other than
 * what was sent (U+FFFD or {@code ?}: a queue so named became the queue {@code ?}). A string
 * field holding NUL is refused too: PostgreSQL's text cannot store it.
 *
 * <p>Stateless; one {@link JsonReader} per request, used by the one thread parsing that request.
 */
final class JsonIn {
  /** Parser messages are cut to this many characters. */
  private static final int MAX_MESSAGE = 200;

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
    // REPORT, not the reader's default REPLACE: bytes that are not UTF-8 are an error
    var utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    var r = new JsonReader(new InputStreamReader(new ByteArrayInputStream(body), utf8));
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
    } catch (CharacterCodingException e) {
      throw new InvalidRequestException("body", "Invalid JSON: the body is not valid UTF-8 ("
          + notUtf8(body) + ")");
    } catch (IOException | JsonParseException | IllegalStateException e) {
      throw new InvalidRequestException("body", "Invalid JSON: " + parserMessage(e));
    }
  }

  /** Where the first byte that is not UTF-8 is, for the error message. */
  private static String notUtf8(byte[] body) {
    var decoder = StandardCharsets.UTF_8.newDecoder();
    var in = ByteBuffer.wrap(body);
    var out = CharBuffer.allocate(4096);
    while (true) {
      var result = decoder.decode(in, out, true);
      if (result.isError()) {
        return String.format("byte 0x%02X at offset %d", body[in.position()] & 0xff, in.position());
      }
      if (result.isUnderflow()) {
        return "at the end";
      }
      out.clear();
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
    m = m.replace("Use JsonReader.setStrictness(Strictness.LENIENT) to accept malformed JSON",
        "malformed JSON");
    // the path of 100 000 nested arrays is no message
    return m.length() <= MAX_MESSAGE ? m : m.substring(0, MAX_MESSAGE - 3) + "...";
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
    var s = r.nextString();
    checkText(s, path, r);
    if (s.indexOf('\0') >= 0) {
      throw new InvalidRequestException(path, path + " must not contain the NUL character");
    }
    return s;
  }

  /**
   * A string's UTF-16 must be well formed; gson decodes {@code \\uD800} escapes as they come.
   *
   * @param path the field, or null inside a raw value (then gson's path names it)
   */
  private static void checkText(String s, String path, JsonReader r) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!Character.isSurrogate(c)) {
        continue;
      }
      if (Character.isHighSurrogate(c) && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
        continue;
      }
      var what = String.format("an unpaired surrogate \\u%04x at %d, not valid Unicode",
          (int) c, i);
      if (path == null) {
        // inside a payload: gson's path of the string is the field ($.items[0].payload.s)
        throw new IllegalStateException("a string holds " + what + ", at " + where(r));
      }
      throw new InvalidRequestException(path, path + " holds " + what);
    }
  }

  /** gson's path of the reader, cut short (deep in 100 000 arrays it is long). */
  private static String where(JsonReader r) {
    var p = r.getPath();
    return p.length() <= 80 ? p : p.substring(0, 77) + "...";
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
      out.add(string(r, path));
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
        checkDepth(depth, r);
        r.beginObject();
        sb.append('{');
        boolean first = true;
        while (r.hasNext()) {
          if (!first) {
            sb.append(',');
          }
          first = false;
          var name = r.nextName();
          checkText(name, null, r);
          JsonBuilder.string(sb, name);
          sb.append(':');
          copy(r, sb, depth + 1);
        }
        r.endObject();
        sb.append('}');
      }
      case BEGIN_ARRAY -> {
        checkDepth(depth, r);
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
      case STRING -> {
        var s = r.nextString();
        checkText(s, null, r);
        JsonBuilder.string(sb, s);
      }
      case NUMBER -> sb.append(r.nextString());
      case BOOLEAN -> sb.append(r.nextBoolean());
      case NULL -> {
        r.nextNull();
        sb.append("null");
      }
      default -> throw new IllegalStateException("expected a JSON value but was " + r.peek());
    }
  }

  private static void checkDepth(int depth, JsonReader r) {
    if (depth >= JsonText.MAX_DEPTH) {
      throw new IllegalStateException("a value nested deeper than " + JsonText.MAX_DEPTH
          + " levels, at " + where(r));
    }
  }

  /**
   * Skips a value (an unknown member) as strictly as a field is read: gson's own skipValue lets
   * a string with unescaped control characters pass, which is not JSON. Recursion is bounded by
   * the reader's nesting limit.
   */
  static void skip(JsonReader r) throws IOException {
    switch (r.peek()) {
      case BEGIN_OBJECT -> {
        r.beginObject();
        while (r.hasNext()) {
          r.nextName();
          skip(r);
        }
        r.endObject();
      }
      case BEGIN_ARRAY -> {
        r.beginArray();
        while (r.hasNext()) {
          skip(r);
        }
        r.endArray();
      }
      case STRING -> r.nextString();
      default -> r.skipValue();
    }
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
