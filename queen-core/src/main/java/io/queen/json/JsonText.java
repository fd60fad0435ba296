package io.queen.json;

/**
 * Checks JSON text without building anything: a single pass over the characters. Thread-safe
 * (stateless).
 *
 * <p>Hand-written rather than gson's {@code JsonReader.skipValue}, which needs a
 * {@code StringReader} and a token state machine and was the largest validation cost in the
 * server's push profile. What it accepts is exactly RFC 8259 (strict: no comments, single quotes,
 * trailing commas, NaN or unquoted names), minus what PostgreSQL's {@code jsonb} cannot store
 * (the escape {@code \u0000}, escaped surrogates that do not pair), so that a payload accepted here
 * can never fail a whole group-commit batch in the database. Nesting is limited to
 * {@value #MAX_DEPTH} levels.
 */
public final class JsonText {
  /** Deepest nesting accepted. */
  public static final int MAX_DEPTH = 512;

  private JsonText() {}

  /**
   * Returns null when {@code json} is exactly one valid JSON value that PostgreSQL's jsonb can
   * store, or a message saying what is wrong (and where).
   *
   * @param json the text to check; not null
   * @return null when valid, else what is wrong and at which offset (phrased to follow a field
   *     name, for example {@code is not valid JSON: ...})
   */
  public static String problem(String json) {
    var p = new Parser(json);
    try {
      p.ws();
      p.value(0);
      p.ws();
      if (p.i < json.length()) {
        return "must be a single JSON value, found more after it at offset " + p.i;
      }
      return null;
    } catch (Invalid e) {
      return e.getMessage();
    }
  }

  private static final class Invalid extends Exception {
    Invalid(String message) {
      super(message, null, false, false);
    }
  }

  private static final class Parser {
    final String s;
    final int n;
    int i;

    Parser(String s) {
      this.s = s;
      this.n = s.length();
    }

    Invalid invalid(String what) {
      return new Invalid("is not valid JSON: " + what + " at offset " + i);
    }

    void ws() {
      while (i < n) {
        char c = s.charAt(i);
        if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
          return;
        }
        i++;
      }
    }

    void value(int depth) throws Invalid {
      if (i >= n) {
        throw invalid("unexpected end of input");
      }
      char c = s.charAt(i);
      switch (c) {
        case '{' -> object(depth + 1);
        case '[' -> array(depth + 1);
        case '"' -> string();
        case 't' -> literal("true");
        case 'f' -> literal("false");
        case 'n' -> literal("null");
        default -> {
          if (c == '-' || (c >= '0' && c <= '9')) {
            number();
          } else {
            throw invalid("unexpected character '" + printable(c) + "'");
          }
        }
      }
    }

    void object(int depth) throws Invalid {
      checkDepth(depth);
      i++; // {
      ws();
      if (i < n && s.charAt(i) == '}') {
        i++;
        return;
      }
      while (true) {
        if (i >= n || s.charAt(i) != '"') {
          throw invalid(i >= n ? "unexpected end of input" : "expected a quoted member name");
        }
        string();
        ws();
        if (i >= n || s.charAt(i) != ':') {
          throw invalid("expected ':' after a member name");
        }
        i++;
        ws();
        value(depth);
        ws();
        if (i >= n) {
          throw invalid("unexpected end of input, expected ',' or '}'");
        }
        char c = s.charAt(i++);
        if (c == '}') {
          return;
        }
        if (c != ',') {
          i--;
          throw invalid("expected ',' or '}'");
        }
        ws();
      }
    }

    void array(int depth) throws Invalid {
      checkDepth(depth);
      i++; // [
      ws();
      if (i < n && s.charAt(i) == ']') {
        i++;
        return;
      }
      while (true) {
        value(depth);
        ws();
        if (i >= n) {
          throw invalid("unexpected end of input, expected ',' or ']'");
        }
        char c = s.charAt(i++);
        if (c == ']') {
          return;
        }
        if (c != ',') {
          i--;
          throw invalid("expected ',' or ']'");
        }
        ws();
      }
    }

    void checkDepth(int depth) throws Invalid {
      if (depth > MAX_DEPTH) {
        throw invalid("nested deeper than " + MAX_DEPTH + " levels");
      }
    }

    void string() throws Invalid {
      i++; // opening quote
      boolean pendingHigh = false; // an escaped high surrogate that needs an escaped low one next
      while (i < n) {
        char c = s.charAt(i);
        if (c == '"') {
          if (pendingHigh) {
            throw invalid("an escaped high surrogate without its low surrogate");
          }
          i++;
          return;
        }
        if (c < 0x20) {
          throw invalid("unescaped control character U+" + hex4(c) + " in a string");
        }
        if (c != '\\') {
          if (pendingHigh) {
            throw invalid("an escaped high surrogate without its low surrogate");
          }
          i++;
          continue;
        }
        if (i + 1 >= n) {
          break;
        }
        char e = s.charAt(i + 1);
        if (e == 'u') {
          if (i + 6 > n) {
            throw invalid("a truncated \\u escape");
          }
          int cp = 0;
          for (int k = i + 2; k < i + 6; k++) {
            int d = Character.digit(s.charAt(k), 16);
            if (d < 0) {
              throw invalid("a \\u escape needs four hex digits");
            }
            cp = cp * 16 + d;
          }
          if (cp == 0) {
            throw new Invalid("must not contain the character \\u0000 (PostgreSQL jsonb cannot store it)");
          }
          if (pendingHigh) {
            if (!Character.isLowSurrogate((char) cp)) {
              throw invalid("an escaped high surrogate without its low surrogate");
            }
            pendingHigh = false;
          } else if (Character.isHighSurrogate((char) cp)) {
            pendingHigh = true;
          } else if (Character.isLowSurrogate((char) cp)) {
            throw invalid("an escaped low surrogate without its high surrogate");
          }
          i += 6;
          continue;
        }
        if (pendingHigh) {
          throw invalid("an escaped high surrogate without its low surrogate");
        }
        if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' && e != 'r'
            && e != 't') {
          throw invalid("an invalid escape '\\" + printable(e) + "'");
        }
        i += 2;
      }
      throw invalid("unterminated string");
    }

    void number() throws Invalid {
      if (s.charAt(i) == '-') {
        i++;
      }
      if (i >= n) {
        throw invalid("a number without digits");
      }
      char c = s.charAt(i);
      if (c == '0') {
        i++;
      } else if (c >= '1' && c <= '9') {
        digits();
      } else {
        throw invalid("a number without digits");
      }
      if (i < n && s.charAt(i) == '.') {
        i++;
        if (i >= n || !isDigit(s.charAt(i))) {
          throw invalid("a fraction needs digits");
        }
        digits();
      }
      if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
        i++;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
          i++;
        }
        if (i >= n || !isDigit(s.charAt(i))) {
          throw invalid("an exponent needs digits");
        }
        digits();
      }
    }

    void digits() {
      while (i < n && isDigit(s.charAt(i))) {
        i++;
      }
    }

    void literal(String word) throws Invalid {
      if (!s.startsWith(word, i)) {
        throw invalid("unexpected characters (expected " + word + ")");
      }
      i += word.length();
    }

    static boolean isDigit(char c) {
      return c >= '0' && c <= '9';
    }

    static String printable(char c) {
      return c < 0x20 || c > 0x7e ? "U+" + hex4(c) : String.valueOf(c);
    }

    static String hex4(char c) {
      return String.format("%04X", (int) c);
    }
  }
}
