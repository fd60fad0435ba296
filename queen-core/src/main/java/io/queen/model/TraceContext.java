package io.queen.model;

import io.queen.error.InvalidRequestException;

/**
 * A W3C Trace Context (https://www.w3.org/TR/trace-context/) stored with a message: the producer's
 * {@code traceparent} and optional {@code tracestate}, returned with the message when it is popped
 * so that its consumer continues the producer's trace.
 *
 * <p>Use {@link #parse} for text from outside: it refuses what is not a valid trace context with a
 * message naming the field. The constructor checks the same rules.
 *
 * @param traceparent {@code version-traceid-parentid-flags}, lower-case hex, 55 characters
 *     ({@code 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01})
 * @param tracestate vendor entries ({@code k1=v1,k2=v2}, at most 512 printable characters), or null
 */
public record TraceContext(String traceparent, String tracestate) {
  /** The longest tracestate accepted (the limit the W3C recommendation asks propagators to keep). */
  public static final int MAX_TRACESTATE_LENGTH = 512;

  /**
   * Checks the pair by the rules of {@link #parse}.
   *
   * @param traceparent {@code version-traceid-parentid-flags}, lower-case hex, 55 characters; not
   *     version {@code ff}, not an all-zero trace id or parent id
   * @param tracestate at most {@value #MAX_TRACESTATE_LENGTH} printable ASCII characters, or null
   * @throws InvalidRequestException naming {@code traceparent} or {@code tracestate}
   */
  public TraceContext {
    String problem = problem(traceparent, tracestate);
    if (problem != null) {
      throw new InvalidRequestException(
          problem.startsWith("%s.tracestate") ? "tracestate" : "traceparent",
          problem.replace("%s.", ""));
    }
  }

  /**
   * The trace context of these header values; null when {@code traceparent} is null or empty. An
   * empty {@code tracestate} is none.
   *
   * @param field how the caller names the pair in messages (for example {@code items[2]})
   * @param traceparent the {@code traceparent} header value, or null or empty for none
   * @param tracestate the {@code tracestate} header value, or null or empty for none
   * @return the trace context, or null when there is no {@code traceparent}
   * @throws InvalidRequestException naming {@code field}.traceparent or .tracestate
   */
  public static TraceContext parse(String field, String traceparent, String tracestate) {
    if (traceparent == null || traceparent.isEmpty()) {
      if (tracestate != null && !tracestate.isEmpty()) {
        throw new InvalidRequestException(field + ".tracestate",
            field + ".tracestate is given without a traceparent");
      }
      return null;
    }
    String state = tracestate == null || tracestate.isEmpty() ? null : tracestate;
    String problem = problem(traceparent, state);
    if (problem != null) {
      String member = problem.startsWith("%s.tracestate") ? ".tracestate" : ".traceparent";
      throw new InvalidRequestException(field + member, problem.replace("%s", field));
    }
    return new TraceContext(traceparent, state);
  }

  /**
   * The 32-hex-digit trace id.
   *
   * @return the trace id part of {@code traceparent}
   */
  public String traceId() {
    return traceparent.substring(3, 35);
  }

  /**
   * The 16-hex-digit id of the span that sent the message.
   *
   * @return the parent id part of {@code traceparent}
   */
  public String spanId() {
    return traceparent.substring(36, 52);
  }

  /**
   * Whether the producer sampled its trace (flag 01).
   *
   * @return true when the sampled flag of {@code traceparent} is set
   */
  public boolean sampled() {
    return (Character.digit(traceparent.charAt(54), 16) & 1) == 1;
  }

  /**
   * The stored form: the traceparent, then a space and the tracestate when there is one.
   *
   * @return the text {@link #decode} reads back
   */
  public String encoded() {
    return tracestate == null ? traceparent : traceparent + ' ' + tracestate;
  }

  /**
   * The context of a stored form; null for null.
   *
   * @param encoded what {@link #encoded()} gave, or null
   * @return the trace context, or null when {@code encoded} is null
   * @throws InvalidRequestException when {@code encoded} is not a valid stored form
   */
  public static TraceContext decode(String encoded) {
    if (encoded == null) {
      return null;
    }
    int space = encoded.indexOf(' ');
    return space < 0 ? new TraceContext(encoded, null)
        : new TraceContext(encoded.substring(0, space), encoded.substring(space + 1));
  }

  /** What is wrong with the pair ({@code %s} stands for the field), or null when nothing is. */
  private static String problem(String traceparent, String tracestate) {
    if (traceparent == null) {
      return "%s.traceparent is required";
    }
    if (!wellFormed(traceparent)) {
      return "%s.traceparent '" + shorten(traceparent) + "' is not a W3C traceparent "
          + "(00-<32 lower-case hex trace id>-<16 hex parent id>-<2 hex flags>)";
    }
    if (traceparent.startsWith("ff")) {
      return "%s.traceparent has the forbidden version ff";
    }
    if (traceparent.regionMatches(3, "00000000000000000000000000000000", 0, 32)) {
      return "%s.traceparent has the invalid all-zero trace id";
    }
    if (traceparent.regionMatches(36, "0000000000000000", 0, 16)) {
      return "%s.traceparent has the invalid all-zero parent id";
    }
    if (tracestate != null) {
      if (tracestate.length() > MAX_TRACESTATE_LENGTH) {
        return "%s.tracestate is " + tracestate.length() + " characters, more than the "
            + MAX_TRACESTATE_LENGTH + " allowed";
      }
      for (int i = 0; i < tracestate.length(); i++) {
        char ch = tracestate.charAt(i);
        if (ch < 0x20 || ch > 0x7e) {
          return "%s.tracestate has a character that is not printable ASCII at index " + i;
        }
      }
    }
    return null;
  }

  private static boolean wellFormed(String s) {
    if (s.length() != 55 || s.charAt(2) != '-' || s.charAt(35) != '-' || s.charAt(52) != '-') {
      return false;
    }
    for (int i = 0; i < 55; i++) {
      if (i == 2 || i == 35 || i == 52) {
        continue;
      }
      char ch = s.charAt(i);
      if (!(ch >= '0' && ch <= '9' || ch >= 'a' && ch <= 'f')) {
        return false;
      }
    }
    return true;
  }

  private static String shorten(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "...";
  }
}
