package io.queen.server;

import io.queen.server.security.TlsSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The HTTP listener's transport and limits. Immutable; every problem is reported in one message.
 *
 * @param maxConnections open connections at most ({@code MAX_CONNECTIONS}, 10000); past it new
 *     connections wait in the kernel's accept backlog until one closes
 * @param maxHeaderBytes the largest request head, request line and headers together
 *     ({@code MAX_HEADER_SIZE}, 65536); a larger one closes the connection
 * @param idleTimeoutMs how long a kept-alive connection may wait for its next request
 *     ({@code IDLE_TIMEOUT_MS}, 60000); a request in progress (a long poll) is not idle
 * @param requestTimeoutMs bound on reading a request ({@code REQUEST_TIMEOUT_MS}, 30000): its
 *     head must be complete this long after its first byte (else the connection is closed), its
 *     body may stop arriving for at most this long (else 408 and the connection is closed)
 * @param corsAllowedOrigins {@code CORS_ALLOWED_ORIGINS} (*): the origins whose pages may call
 *     the API, or {@code *} for any
 * @param http2 {@code HTTP2_ENABLED}: HTTP/2 besides HTTP/1.1 (by ALPN with TLS, h2c upgrade
 *     without); default on with TLS, off without
 * @param tls TLS on the listener, or null for plain HTTP
 */
public record ListenerSettings(int maxConnections, int maxHeaderBytes, int idleTimeoutMs,
    int requestTimeoutMs, List<String> corsAllowedOrigins, boolean http2, TlsSettings tls) {

  public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
  public static final int DEFAULT_MAX_HEADER_BYTES = 64 * 1024;
  public static final int DEFAULT_IDLE_TIMEOUT_MS = 60_000;
  public static final int DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

  public ListenerSettings {
    corsAllowedOrigins = List.copyOf(corsAllowedOrigins);
    var problems = new ArrayList<String>();
    between(problems, "MAX_CONNECTIONS", maxConnections, 1, 1_000_000);
    between(problems, "MAX_HEADER_SIZE", maxHeaderBytes, 1024, 16 * 1024 * 1024);
    between(problems, "IDLE_TIMEOUT_MS", idleTimeoutMs, 100, 86_400_000);
    between(problems, "REQUEST_TIMEOUT_MS", requestTimeoutMs, 100, 3_600_000);
    if (corsAllowedOrigins.isEmpty()) {
      problems.add("CORS_ALLOWED_ORIGINS must name at least one origin, or *");
    }
    for (var origin : corsAllowedOrigins) {
      Objects.requireNonNull(origin, "origin");
      if (!origin.equals("*") && !origin.matches("https?://[^/\\s]+")) {
        problems.add("CORS_ALLOWED_ORIGINS entries are * or scheme://host[:port] with no path, was '"
            + origin + "'");
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }

  private static void between(List<String> problems, String name, int value, int min, int max) {
    if (value < min || value > max) {
      problems.add(name + " must be between " + min + " and " + max + ", was " + value);
    }
  }

  /** The scheme clients use: {@code https} with TLS. */
  public String scheme() {
    return tls == null ? "http" : "https";
  }
}
