package io.queen.server.http;

import java.nio.charset.StandardCharsets;

/**
 * A finished response as plain data, built on whatever thread completed the work and written by the
 * owning IO thread.
 *
 * @param status the HTTP status
 * @param body JSON bytes, or null for no body
 * @param retryAfterSeconds the {@code Retry-After} value, or 0 for none
 * @param leaseToRelease a lease this response hands to the client (a pop result); the owning IO
 *     thread releases it when the response cannot be delivered
 * @param items messages carried (pushed, popped, acked), for metrics
 */
public record ApiResponse(
    int status, byte[] body, int retryAfterSeconds, String leaseToRelease, int items) {

  public static ApiResponse json(int status, byte[] body) {
    return new ApiResponse(status, body, 0, null, 0);
  }

  public static ApiResponse noContent() {
    return new ApiResponse(204, null, 0, null, 0);
  }

  public static ApiResponse error(int status, String message) {
    return json(status, JsonOut.error(message));
  }

  public ApiResponse withRetryAfter(int seconds) {
    return new ApiResponse(status, body, seconds, leaseToRelease, items);
  }

  public ApiResponse withLease(String leaseId) {
    return new ApiResponse(status, body, retryAfterSeconds, leaseId, items);
  }

  public ApiResponse withItems(int count) {
    return new ApiResponse(status, body, retryAfterSeconds, leaseToRelease, count);
  }

  /** The body as text, for logs and tests. */
  public String bodyText() {
    return body == null ? "" : new String(body, StandardCharsets.UTF_8);
  }
}
