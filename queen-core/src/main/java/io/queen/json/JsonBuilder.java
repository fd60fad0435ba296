package io.queen.json;

import java.nio.charset.StandardCharsets;

/**
 * A streaming JSON writer into a {@link StringBuilder}, with the subset of gson's
 * {@code JsonWriter} API that Queen's hot paths use (so call sites read the same). It exists for
 * speed: gson's writer escapes every name, checks HTML-safety and tracks lenient-mode state, and
 * under load its {@code string} method was the largest frame of the server's profile (see
 * docs/benchmarks.md). Here names are written as given (they are constants of our wire format,
 * checked once by an assertion), strings are escaped with a scan that copies clean runs whole, and
 * {@link #jsonValue} appends JSON text (stored payloads) unchanged.
 *
 * <p>Nulls are written ({@code "name":null}), as gson with {@code serializeNulls} does. Nesting is
 * tracked in a bit set, up to 64 levels (our documents are at most a few deep; deeper JSON only
 * ever arrives as already-validated {@code jsonValue} text).
 *
 * <p>Not thread-safe: one document, one thread.
 */
public final class JsonBuilder {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final StringBuilder sb;
  /** Bit d set: the container at depth d already has an element (the next needs a comma). */
  private long hasElement;
  private int depth;
  /** A name was just written; the value follows without a comma. */
  private boolean afterName;

  /**
   * An empty writer.
   *
   * @param capacity the initial capacity of the buffer, in characters (a guess at the document's
   *     size saves copying)
   */
  public JsonBuilder(int capacity) {
    this.sb = new StringBuilder(capacity);
  }

  /**
   * Opens an object (as a value: after a name, in an array, or at the top).
   *
   * @return this writer
   * @throws IllegalStateException when 64 containers are open already
   */
  public JsonBuilder beginObject() {
    beforeValue();
    sb.append('{');
    push();
    return this;
  }

  /**
   * Closes the innermost open container, as <code>}</code>. The nesting is not checked further:
   * closing an array with it writes invalid JSON.
   *
   * @return this writer
   * @throws IllegalStateException when no container is open
   */
  public JsonBuilder endObject() {
    pop();
    sb.append('}');
    return this;
  }

  /**
   * Opens an array (as a value: after a name, in an array, or at the top).
   *
   * @return this writer
   * @throws IllegalStateException when 64 containers are open already
   */
  public JsonBuilder beginArray() {
    beforeValue();
    sb.append('[');
    push();
    return this;
  }

  /**
   * Closes the innermost open container, as {@code ]}. The nesting is not checked further:
   * closing an object with it writes invalid JSON.
   *
   * @return this writer
   * @throws IllegalStateException when no container is open
   */
  public JsonBuilder endArray() {
    pop();
    sb.append(']');
    return this;
  }

  /**
   * A member name: a constant of the wire format, written as is (no escaping needed). The value
   * written next belongs to it.
   *
   * @param name printable ASCII without {@code "} or {@code \} (checked only with assertions
   *     on); not null
   * @return this writer
   */
  public JsonBuilder name(String name) {
    assert isPlain(name) : "member names are plain constants: " + name;
    comma();
    sb.append('"').append(name).append("\":");
    afterName = true;
    return this;
  }

  /**
   * A string value, quoted and escaped.
   *
   * @param value the string, or null for {@code null}
   * @return this writer
   */
  public JsonBuilder value(String value) {
    if (value == null) {
      return nullValue();
    }
    beforeValue();
    string(sb, value);
    return this;
  }

  /**
   * A number value.
   *
   * @param value the number
   * @return this writer
   */
  public JsonBuilder value(long value) {
    beforeValue();
    sb.append(value);
    return this;
  }

  /**
   * A boolean value.
   *
   * @param value {@code true} or {@code false}
   * @return this writer
   */
  public JsonBuilder value(boolean value) {
    beforeValue();
    sb.append(value);
    return this;
  }

  /**
   * A boolean value, or {@code null}.
   *
   * @param value the boolean, or null for {@code null}
   * @return this writer
   */
  public JsonBuilder value(Boolean value) {
    return value == null ? nullValue() : value(value.booleanValue());
  }

  /**
   * A number value, as {@link StringBuilder#append(double)} writes it.
   *
   * @param value a finite number
   * @return this writer
   * @throws IllegalArgumentException when {@code value} is NaN or infinite (JSON has neither)
   */
  public JsonBuilder value(double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("JSON has no " + value);
    }
    beforeValue();
    sb.append(value);
    return this;
  }

  /**
   * A number value: a {@link Double} or {@link Float} as {@link #value(double)}, any other number
   * as its {@code toString()}.
   *
   * @param value the number, or null for {@code null}
   * @return this writer
   * @throws IllegalArgumentException when {@code value} is a NaN or infinite floating-point
   */
  public JsonBuilder value(Number value) {
    if (value == null) {
      return nullValue();
    }
    if (value instanceof Double || value instanceof Float) {
      return value(value.doubleValue());
    }
    beforeValue();
    sb.append(value);
    return this;
  }

  /**
   * A {@code null} value.
   *
   * @return this writer
   */
  public JsonBuilder nullValue() {
    beforeValue();
    sb.append("null");
    return this;
  }

  /**
   * Appends {@code json}, which must already be one valid JSON value (a stored payload). It is not
   * checked: check untrusted text with {@link JsonText#problem} first.
   *
   * @param json one JSON value as text, or null for {@code null}
   * @return this writer
   */
  public JsonBuilder jsonValue(String json) {
    if (json == null) {
      return nullValue();
    }
    beforeValue();
    sb.append(json);
    return this;
  }

  /**
   * The document so far.
   *
   * @return the JSON text written so far (complete once every container is closed)
   */
  @Override
  public String toString() {
    return sb.toString();
  }

  /**
   * The document so far, encoded.
   *
   * @return the JSON text written so far, in UTF-8
   */
  public byte[] toUtf8() {
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Appends {@code s} as a JSON string literal (quoted, escaped as RFC 8259 requires).
   *
   * @param sb where to append
   * @param s the string; not null
   */
  public static void string(StringBuilder sb, String s) {
    sb.append('"');
    int n = s.length();
    int run = 0;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\') {
        continue;
      }
      sb.append(s, run, i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        default -> sb.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
      run = i + 1;
    }
    sb.append(s, run, n).append('"');
  }

  private void beforeValue() {
    if (afterName) {
      afterName = false;
    } else {
      comma();
    }
  }

  private void comma() {
    if (depth > 0) {
      long bit = 1L << (depth - 1);
      if ((hasElement & bit) != 0) {
        sb.append(',');
      } else {
        hasElement |= bit;
      }
    }
  }

  private void push() {
    if (depth == 64) {
      throw new IllegalStateException("JsonBuilder nests at most 64 levels");
    }
    depth++;
    hasElement &= ~(1L << (depth - 1));
  }

  private void pop() {
    if (depth == 0) {
      throw new IllegalStateException("nothing to close");
    }
    depth--;
  }

  private static boolean isPlain(String name) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < 0x20 || c == '"' || c == '\\' || c > 0x7e) {
        return false;
      }
    }
    return true;
  }
}
