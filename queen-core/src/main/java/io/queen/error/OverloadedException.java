package io.queen.error;

import java.time.Duration;

/**
 * Refused fast because an internal bounded queue is full. The request was not started; it is safe
 * to retry after {@link #retryAfter()}.
 */
public final class OverloadedException extends QueenException {
  private final Duration retryAfter;

  public OverloadedException(String message, Duration retryAfter) {
    super(message);
    this.retryAfter = retryAfter;
  }

  public Duration retryAfter() {
    return retryAfter;
  }
}
