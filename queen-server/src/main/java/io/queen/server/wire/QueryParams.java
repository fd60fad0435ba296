package io.queen.server.wire;

import io.queen.error.InvalidRequestException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Deque;
import java.util.Map;

/**
 * Typed access to Undertow's decoded query parameters (exact names, no substring matching). An
 * empty value counts as absent. Integers that do not parse are a 400 naming the parameter
 * (stricter than the original, which silently used the default). Read by the thread running the
 * handler (the request's IO thread); the map is Undertow's own and is not copied.
 */
public final class QueryParams {
  private final Map<String, Deque<String>> params;

  public QueryParams(Map<String, Deque<String>> params) {
    this.params = params;
  }

  /** The first value, or null when absent or empty. */
  public String string(String name) {
    var values = params.get(name);
    if (values == null || values.isEmpty()) {
      return null;
    }
    var v = values.getFirst();
    return v == null || v.isEmpty() ? null : v;
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
      throw new InvalidRequestException(name, name + " must be an integer, was '" + v + "'");
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

  public static Instant parseInstant(String name, String v) {
    try {
      return OffsetDateTime.parse(v).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return Instant.parse(v);
      } catch (DateTimeParseException e2) {
        throw new InvalidRequestException(name,
            name + " must be an ISO-8601 timestamp such as 2026-01-31T12:00:00Z, was '" + v + "'");
      }
    }
  }
}
