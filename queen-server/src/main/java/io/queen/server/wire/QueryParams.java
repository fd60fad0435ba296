package io.queen.server.wire;

import io.queen.error.InvalidRequestException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Typed access to the query parameters (exact names, no substring matching). An empty value
 * counts as absent. Integers that do not parse are a 400 naming the parameter (stricter than the
 * original, which silently used the default). Read by the thread running the handler (the
 * request's IO thread); the map is Undertow's own and is not copied unless a name needs decoding.
 *
 * <p>Undertow hands the parameters over still percent-encoded (the server turns its URL decoding
 * off: it decoded bytes that are not UTF-8 into U+FFFD, so {@code ?queue=%FF} silently named
 * another queue; its parser still refuses {@code %ZZ}, which is no URI). Here each value is
 * decoded when it is read, strictly as UTF-8 with {@code +} as a space, and a value that does not
 * decode is a 400 naming the parameter. A parameter given twice with different values is a 400
 * too: which one the client meant is a guess ({@code ?batch=&batch=5} is 5, an empty value being
 * absent).
 */
public final class QueryParams {
  /** ISO-8601's four-digit years; beyond them PostgreSQL and epoch arithmetic overflow. */
  private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
  private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

  private final Map<String, Deque<String>> params;

  public QueryParams(Map<String, Deque<String>> params) {
    this.params = decodedNames(params);
  }

  /** The decoded first non-empty value, or null when absent or empty. */
  public String string(String name) {
    var values = params.get(name);
    if (values == null || values.isEmpty()) {
      return null;
    }
    String found = null;
    for (var raw : values) {
      if (raw == null || raw.isEmpty()) {
        continue;
      }
      var v = decode(name, raw);
      if (v.isEmpty()) {
        continue;
      }
      if (found == null) {
        found = v;
      } else if (!found.equals(v)) {
        throw new InvalidRequestException(name, name + " is given more than once with different "
            + "values ('" + WireNames.abbreviate(found) + "', '" + WireNames.abbreviate(v)
            + "'); give it once");
      }
    }
    if (found != null && found.indexOf('\0') >= 0) {
      // PostgreSQL text cannot hold NUL: refused here rather than as a database error
      throw new InvalidRequestException(name, name + " must not contain the NUL character");
    }
    return found;
  }

  public int integer(String name, int fallback, int min, int max) {
    var v = string(name);
    if (v == null) {
      return fallback;
    }
    int n;
    try {
      n = Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new InvalidRequestException(name,
          name + " must be an integer, was '" + WireNames.abbreviate(v) + "'");
    }
    if (n < min || n > max) {
      throw new InvalidRequestException(name,
          name + " must be between " + min + " and " + max + ", was " + n);
    }
    return n;
  }

  /** True iff the value is exactly {@code true} or {@code 1}, as the original. */
  public boolean bool(String name) {
    var v = string(name);
    return "true".equals(v) || "1".equals(v);
  }

  /** An ISO-8601 instant ({@code 2026-01-01T00:00:00Z} or with an offset), or null when absent. */
  public Instant instant(String name) {
    var v = string(name);
    return v == null ? null : parseInstant(name, v);
  }

  /**
   * An ISO-8601 instant from year 1 to 9999: outside them PostgreSQL's timestamps or the
   * engine's epoch arithmetic overflow (a 500, or a year that wrapped round).
   */
  public static Instant parseInstant(String name, String v) {
    Instant t;
    try {
      t = OffsetDateTime.parse(v).toInstant();
    } catch (DateTimeParseException e) {
      try {
        t = Instant.parse(v);
      } catch (DateTimeParseException e2) {
        throw new InvalidRequestException(name, name + " must be an ISO-8601 timestamp such as "
            + "2026-01-31T12:00:00Z, was '" + WireNames.abbreviate(v) + "'");
      }
    }
    if (t.isBefore(EARLIEST) || t.isAfter(LATEST)) {
      throw new InvalidRequestException(name, name + " must be between 0001-01-01T00:00:00Z and "
          + "9999-12-31T23:59:59Z, was '" + WireNames.abbreviate(v) + "'");
    }
    return t;
  }

  /**
   * Undertow's map itself when no name is encoded (the common case), else a copy keyed by the
   * decoded names; a name that does not decode matches nothing a route reads and is dropped.
   */
  private static Map<String, Deque<String>> decodedNames(Map<String, Deque<String>> params) {
    boolean encoded = false;
    for (var name : params.keySet()) {
      if (name.indexOf('%') >= 0 || name.indexOf('+') >= 0) {
        encoded = true;
        break;
      }
    }
    if (!encoded) {
      return params;
    }
    var out = new LinkedHashMap<String, Deque<String>>();
    for (var e : params.entrySet()) {
      String name;
      try {
        name = decode("query parameter name", e.getKey());
      } catch (InvalidRequestException ignored) {
        continue;
      }
      out.computeIfAbsent(name, k -> new ArrayDeque<>()).addAll(e.getValue());
    }
    return out;
  }

  /** {@code application/x-www-form-urlencoded} decoding as UTF-8: {@code +} is a space. */
  static String decode(String name, String raw) {
    if (raw.indexOf('%') < 0 && raw.indexOf('+') < 0) {
      return raw;
    }
    var out = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '+') {
        out.write(' ');
      } else if (c == '%') {
        int hi = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
        int lo = hi < 0 ? -1 : Character.digit(raw.charAt(i + 2), 16);
        if (lo < 0) {
          throw notEncoded(name, raw);
        }
        out.write(hi * 16 + lo);
        i += 2;
      } else if (c < 0x80) {
        out.write(c);
      } else {
        // Undertow passes only ASCII here; anything else is kept, as its UTF-8
        int cp = raw.codePointAt(i);
        var bytes = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
        out.write(bytes, 0, bytes.length);
        i += Character.charCount(cp) - 1;
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(out.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw notEncoded(name, raw);
    }
  }

  private static InvalidRequestException notEncoded(String name, String raw) {
    return new InvalidRequestException(name,
        name + " is not valid percent-encoded UTF-8: '" + WireNames.abbreviate(raw) + "'");
  }
}
