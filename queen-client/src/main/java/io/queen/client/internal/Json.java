package io.queen.client.internal;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON reader and writer, so that the client needs nothing beyond the JDK.
 *
 * <p>Values are plain Java objects: {@code Map<String, Object>} (insertion-ordered, unmodifiable),
 * {@code List<Object>} (unmodifiable), {@code String}, {@code Boolean}, {@code null}, and numbers as
 * {@code Long} when integral and within range, else {@code BigDecimal} (exact: a payload's numbers
 * survive a round trip). {@link Raw} embeds text already known to be JSON when writing. Stateless and
 * thread-safe.
 */
public final class Json {
  private static final int MAX_DEPTH = 512;

  private Json() {}

  /** JSON text to be written as is (validated by whoever made it). */
  public record Raw(String text) {}

  /** Parses one JSON document; throws {@link IllegalArgumentException} saying where it is not JSON. */
  public static Object parse(String text) {
    var p = new Parser(text);
    p.skipSpace();
    var v = p.value(0);
    p.skipSpace();
    if (p.pos != text.length()) {
      throw p.error("unexpected text after the value");
    }
    return v;
  }

  /** The value as JSON text. */
  public static String write(Object value) {
    var sb = new StringBuilder();
    write(sb, value);
    return sb.toString();
  }

  /** Appends the value as JSON text; maps need string keys, other types are refused. */
  public static void write(StringBuilder sb, Object value) {
    if (value == null) {
      sb.append("null");
    } else if (value instanceof Raw raw) {
      sb.append(raw.text());
    } else if (value instanceof String s) {
      quote(sb, s);
    } else if (value instanceof Boolean || value instanceof Long || value instanceof Integer
        || value instanceof Short || value instanceof Byte) {
      sb.append(value);
    } else if (value instanceof BigDecimal d) {
      sb.append(d.toString());
    } else if (value instanceof Number n) {
      var d = n.doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new IllegalArgumentException("JSON has no " + d);
      }
      sb.append(n);
    } else if (value instanceof Map<?, ?> m) {
      sb.append('{');
      var first = true;
      for (var e : m.entrySet()) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        quote(sb, String.valueOf(e.getKey()));
        sb.append(':');
        write(sb, e.getValue());
      }
      sb.append('}');
    } else if (value instanceof Iterable<?> list) {
      sb.append('[');
      var first = true;
      for (var v : list) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        write(sb, v);
      }
      sb.append(']');
    } else {
      throw new IllegalArgumentException("cannot write a " + value.getClass().getName() + " as JSON");
    }
  }

  /** Appends {@code s} as a JSON string literal. */
  public static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  private static final class Parser {
    private final String s;
    private int pos;

    Parser(String s) {
      this.s = s;
    }

    IllegalArgumentException error(String what) {
      return new IllegalArgumentException("not JSON at offset " + pos + ": " + what);
    }

    void skipSpace() {
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
          pos++;
        } else {
          break;
        }
      }
    }

    Object value(int depth) {
      if (depth > MAX_DEPTH) {
        throw error("nested deeper than " + MAX_DEPTH);
      }
      if (pos >= s.length()) {
        throw error("a value is missing");
      }
      char c = s.charAt(pos);
      switch (c) {
        case '{':
          return object(depth);
        case '[':
          return array(depth);
        case '"':
          return string();
        case 't':
          return literal("true", Boolean.TRUE);
        case 'f':
          return literal("false", Boolean.FALSE);
        case 'n':
          return literal("null", null);
        default:
          if (c == '-' || (c >= '0' && c <= '9')) {
            return number();
          }
          throw error("unexpected character '" + c + "'");
      }
    }

    Object literal(String word, Object value) {
      if (!s.startsWith(word, pos)) {
        throw error("expected " + word);
      }
      pos += word.length();
      return value;
    }

    Map<String, Object> object(int depth) {
      pos++;
      var m = new LinkedHashMap<String, Object>();
      skipSpace();
      if (peek() == '}') {
        pos++;
        return Collections.unmodifiableMap(m);
      }
      while (true) {
        skipSpace();
        if (peek() != '"') {
          throw error("expected a member name");
        }
        var key = string();
        skipSpace();
        if (peek() != ':') {
          throw error("expected ':'");
        }
        pos++;
        skipSpace();
        m.put(key, value(depth + 1));
        skipSpace();
        char c = peek();
        pos++;
        if (c == '}') {
          return Collections.unmodifiableMap(m);
        }
        if (c != ',') {
          pos--;
          throw error("expected ',' or '}'");
        }
      }
    }

    List<Object> array(int depth) {
      pos++;
      var list = new ArrayList<Object>();
      skipSpace();
      if (peek() == ']') {
        pos++;
        return Collections.unmodifiableList(list);
      }
      while (true) {
        skipSpace();
        list.add(value(depth + 1));
        skipSpace();
        char c = peek();
        pos++;
        if (c == ']') {
          return Collections.unmodifiableList(list);
        }
        if (c != ',') {
          pos--;
          throw error("expected ',' or ']'");
        }
      }
    }

    char peek() {
      if (pos >= s.length()) {
        throw error("the text ends too early");
      }
      return s.charAt(pos);
    }

    String string() {
      pos++;
      var sb = new StringBuilder();
      while (true) {
        char c = peek();
        pos++;
        if (c == '"') {
          return sb.toString();
        }
        if (c == '\\') {
          char e = peek();
          pos++;
          switch (e) {
            case '"' -> sb.append('"');
            case '\\' -> sb.append('\\');
            case '/' -> sb.append('/');
            case 'b' -> sb.append('\b');
            case 'f' -> sb.append('\f');
            case 'n' -> sb.append('\n');
            case 'r' -> sb.append('\r');
            case 't' -> sb.append('\t');
            case 'u' -> {
              if (pos + 4 > s.length()) {
                throw error("a \\u escape needs four hex digits");
              }
              try {
                sb.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
              } catch (NumberFormatException ex) {
                throw error("a \\u escape needs four hex digits");
              }
              pos += 4;
            }
            default -> throw error("unknown escape \\" + e);
          }
        } else if (c < 0x20) {
          pos--;
          throw error("a control character inside a string");
        } else {
          sb.append(c);
        }
      }
    }

    Object number() {
      int start = pos;
      if (peek() == '-') {
        pos++;
      }
      digits();
      var integral = true;
      if (pos < s.length() && s.charAt(pos) == '.') {
        integral = false;
        pos++;
        digits();
      }
      if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
        integral = false;
        pos++;
        if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
          pos++;
        }
        digits();
      }
      var text = s.substring(start, pos);
      if (integral && text.length() < 19) {
        return Long.parseLong(text);
      }
      return new BigDecimal(text);
    }

    void digits() {
      int start = pos;
      while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
        pos++;
      }
      if (pos == start) {
        throw error("expected a digit");
      }
    }
  }
}
