package io.queen.server.http;

import io.queen.error.DatabaseUnavailableException;
import io.queen.error.EncryptionException;
import io.queen.error.InvalidRequestException;
import io.queen.error.NotFoundException;
import io.queen.error.OverloadedException;
import io.queen.error.QueenDatabaseException;
import io.queen.error.ShutdownException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that turns failures into HTTP responses (semantics.md §12): bad input 400, unknown
 * resource 404, overload / database unreachable / shutting down 503 with {@code Retry-After}, and
 * 500 only for what must be a bug. Thread-safe.
 */
public final class ErrorMapper {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);

  private ErrorMapper() {}

  public static ApiResponse toResponse(Throwable failure) {
    var t = unwrap(failure);
    if (t instanceof InvalidRequestException || t instanceof IllegalArgumentException) {
      return ApiResponse.error(400, t.getMessage());
    }
    if (t instanceof NotFoundException) {
      return ApiResponse.error(404, t.getMessage());
    }
    if (t instanceof OverloadedException) {
      var after = ((OverloadedException) t).retryAfter();
      int seconds = after == null ? 1 : (int) Math.max(1, (after.toMillis() + 999) / 1000);
      return ApiResponse.error(503, t.getMessage()).withRetryAfter(seconds);
    }
    if (t instanceof DatabaseUnavailableException) {
      LOG.warn("database unavailable: {}", t.getMessage());
      return ApiResponse.error(503, "Database unavailable: " + t.getMessage()).withRetryAfter(1);
    }
    if (t instanceof ShutdownException) {
      return ApiResponse.error(503, t.getMessage()).withRetryAfter(1);
    }
    if (t instanceof EncryptionException) {
      // the server's keys, not the request: nothing was stored plain or delivered undecrypted
      LOG.error("encryption: {}", t.getMessage());
      return ApiResponse.error(500, "Encryption: " + t.getMessage());
    }
    if (t instanceof QueenDatabaseException) {
      LOG.error("database rejected an operation (SQLState {})",
          ((QueenDatabaseException) t).sqlState(), t);
      return ApiResponse.error(500, "Database error: " + t.getMessage());
    }
    LOG.error("unexpected failure while handling a request", t);
    return ApiResponse.error(500, "Internal server error: " + t);
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
