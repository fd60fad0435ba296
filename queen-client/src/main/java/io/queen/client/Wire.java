package io.queen.client;

import io.queen.client.internal.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** Encoding of paths and bodies, decoding of answers, and the blocking wait; stateless. */
final class Wire {
  private Wire() {}

  /** Percent-encodes a path segment or query value (RFC 3986 unreserved characters stay; space is %20). */
  static String encode(String s) {
    var sb = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_' || c == '~') {
        sb.append((char) c);
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return sb.toString();
  }

  static String str(Map<?, ?> m, String key) {
    var v = m.get(key);
    return v == null ? null : v instanceof String s ? s : String.valueOf(v);
  }

  static long num(Map<?, ?> m, String key, long dflt) {
    return m.get(key) instanceof Number n ? n.longValue() : dflt;
  }

  static boolean bool(Map<?, ?> m, String key) {
    return Boolean.TRUE.equals(m.get(key));
  }

  static List<Map<?, ?>> objects(Object v) {
    var out = new ArrayList<Map<?, ?>>();
    if (v instanceof List<?> list) {
      for (var e : list) {
        if (e instanceof Map<?, ?> m) {
          out.add(m);
        }
      }
    }
    return out;
  }

  /** The messages of a pop answer (ours or the original's; {@code null} for a 204). */
  static List<Message> messages(Object answer, String group) {
    if (!(answer instanceof Map<?, ?> root)) {
      return List.of();
    }
    var out = new ArrayList<Message>();
    for (var m : objects(root.get("messages"))) {
      out.add(new Message(str(m, "id"), str(m, "transactionId"), str(m, "partitionId"),
          str(m, "partition"), str(m, "queue") != null ? str(m, "queue") : str(root, "queue"),
          str(m, "leaseId") != null ? str(m, "leaseId") : str(root, "leaseId"), group,
          (int) num(m, "retryCount", 0), str(m, "createdAt"), Json.write(m.get("data")),
          str(m, "traceparent")));
    }
    return List.copyOf(out);
  }

  static List<PushResult> pushResults(Object answer) {
    var out = new ArrayList<PushResult>();
    int i = 0;
    for (var m : objects(answer)) {
      out.add(new PushResult((int) num(m, "index", i), PushStatus.of(str(m, "status")),
          first(m, "message_id", "messageId"), first(m, "transaction_id", "transactionId"),
          first(m, "partition_id", "partitionId"), str(m, "error")));
      i++;
    }
    return List.copyOf(out);
  }

  static List<AckResult> ackResults(Object answer) {
    var out = new ArrayList<AckResult>();
    for (var m : objects(answer instanceof Map<?, ?> single && !single.containsKey("results")
        ? List.of(single) : answer)) {
      out.add(new AckResult(str(m, "transactionId"), bool(m, "success"), str(m, "error"), bool(m, "dlq")));
    }
    return List.copyOf(out);
  }

  private static String first(Map<?, ?> m, String a, String b) {
    return str(m, a) != null ? str(m, a) : str(m, b);
  }

  /**
   * Waits for {@code f} on the calling thread. An interrupt cancels the request and is kept on the
   * thread; a failure is rethrown as it is (a {@link QueenClientException} or an argument error).
   */
  static <T> T await(CompletableFuture<T> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      f.cancel(true);
      Thread.currentThread().interrupt();
      throw new QueenClientException(null, null, null, 0, null, "interrupted while waiting for the server", e);
    } catch (ExecutionException e) {
      var cause = e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new QueenClientException(null, null, null, 0, null, String.valueOf(cause), cause);
    } catch (CancellationException e) {
      throw new QueenClientException(null, null, null, 0, null, "the request was cancelled", e);
    }
  }

  /** Throws one {@link IllegalArgumentException} listing every problem, if there is any. */
  static void check(String what, List<String> problems) {
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(what + ": " + String.join("; ", problems));
    }
  }
}
