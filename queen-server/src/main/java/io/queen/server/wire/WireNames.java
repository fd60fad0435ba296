package io.queen.server.wire;

import io.queen.error.InvalidRequestException;
import io.queen.model.PopRequest;

/**
 * How the wire names things that the core names differently: the consumer group of queue mode,
 * and field paths as the client wrote them. Stateless; any thread.
 */
public final class WireNames {
  private WireNames() {}

  /** Echoed values are cut to this many characters: a 100 KB value makes no 100 KB error. */
  private static final int ECHO = 64;

  /** A value as an error message echoes it: cut to 64 characters. */
  public static String abbreviate(String s) {
    return s.length() <= ECHO ? s : s.substring(0, ECHO - 3) + "...";
  }

  /** The wire's group: empty or {@code __QUEUE_MODE__} mean queue mode (null). */
  public static String group(String g) {
    return g == null || g.isEmpty() || PopRequest.QUEUE_MODE.equals(g) ? null : g;
  }

  /**
   * The same complaint with the field renamed as the client wrote it: the core names fields after
   * its own arguments, for example {@code acks[0].partitionId} for a transaction's operation 2.
   */
  public static InvalidRequestException rename(InvalidRequestException e, String from, String to) {
    var field = e.field();
    if (!field.startsWith(from)) {
      return e;
    }
    var renamed = to + field.substring(from.length());
    var message = e.getMessage();
    if (message != null && message.startsWith(from)) {
      message = to + message.substring(from.length());
    }
    if (renamed.startsWith(".")) {
      renamed = renamed.substring(1);
      message = message != null && message.startsWith(".") ? message.substring(1) : message;
    }
    return new InvalidRequestException(renamed, message);
  }
}
