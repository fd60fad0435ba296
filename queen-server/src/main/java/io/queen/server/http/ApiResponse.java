package io.queen.server.http;

import io.queen.model.PopResult;

/**
 * A finished response as plain data, built on whatever thread completed the work and written by the
 * owning IO thread.
 *
 * @param status the HTTP status
 * @param body JSON bytes, or null for no body
 * @param retryAfterSeconds the {@code Retry-After} value, or 0 for none
 * @param undelivered the pop result this response hands to the client; when the response cannot
 *     be delivered, the owning IO thread gives it back ({@code QueueManager.returnUndelivered}) so
 *     its messages are redelivered (lease released, or auto-acked messages unsettled)
 * @param items messages carried (pushed, popped, acked), for metrics
 * @param contentType the body's type, or null for JSON
 */
public record ApiResponse(
    int status, byte[] body, int retryAfterSeconds, PopResult undelivered, int items,
    String contentType) {

  public static ApiResponse json(int status, byte[] body) {
    return new ApiResponse(status, body, 0, null, 0, null);
  }

  /** A body that is not JSON (a Prometheus scrape); such answers are sent as not to be cached. */
  public static ApiResponse text(int status, String contentType, byte[] body) {
    return new ApiResponse(status, body, 0, null, 0, contentType);
  }

  public static ApiResponse noContent() {
    return new ApiResponse(204, null, 0, null, 0, null);
  }

  public static ApiResponse error(int status, String message) {
    return json(status, JsonOut.error(message));
  }

  public ApiResponse withRetryAfter(int seconds) {
    return new ApiResponse(status, body, seconds, undelivered, items, contentType);
  }

  public ApiResponse withPopResult(PopResult result) {
    return new ApiResponse(status, body, retryAfterSeconds, result, items, contentType);
  }

  public ApiResponse withItems(int count) {
    return new ApiResponse(status, body, retryAfterSeconds, undelivered, count, contentType);
  }
}
