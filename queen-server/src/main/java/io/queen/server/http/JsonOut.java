package io.queen.server.http;

import io.queen.json.JsonBuilder;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Response bodies written with {@link JsonBuilder}; payloads go out as the raw JSON text they are
 * stored as ({@link JsonBuilder#jsonValue}). Stateless and thread-safe: bodies are
 * built on whichever thread completed the work, not on the IO thread.
 */
public final class JsonOut {
  /** Message timestamps: microseconds, UTC, trailing Z (as the original's pop). */
  private static final DateTimeFormatter MICROS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
  /** Other timestamps: milliseconds, UTC, trailing Z (as the original's admin procedures). */
  private static final DateTimeFormatter MILLIS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private JsonOut() {}

  /** Writes one JSON document. */
  @FunctionalInterface
  public interface Body {
    void write(JsonBuilder w);
  }

  public static byte[] write(Body body) {
    var w = new JsonBuilder(256);
    body.write(w);
    return w.toUtf8();
  }

  public static byte[] error(String message) {
    return write(w -> w.beginObject().name("error").value(message).endObject());
  }

  public static String micros(Instant t) {
    return t == null ? null : MICROS.format(t);
  }

  public static String millis(Instant t) {
    return t == null ? null : MILLIS.format(t);
  }

  public static String text(Object o) {
    return o == null ? null : o.toString();
  }
}
