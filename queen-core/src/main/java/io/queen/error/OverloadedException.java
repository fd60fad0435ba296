package io.queen.error;

import java.time.Duration;

/**
 * Refused fast because an internal bounded queue is full. The request was not started; it is safe
 * to retry after {@link #retryAfter()}. Also how a push is refused that cannot be kept for later:
 * the file buffer is full or closed, or push maintenance is on and the engine has no file buffer.
 */
public final class OverloadedException extends QueenException {
  /** The back-off suggested to the caller. */
  private final Duration retryAfter;

  /**
   * A refusal for load.
   *
   * @param message why the request was refused, with the back-off
   * @param retryAfter the back-off suggested to the caller
   */
  public OverloadedException(String message, Duration retryAfter) {
    super(message);
    this.retryAfter = retryAfter;
  }

  /**
   * How long the caller should wait before retrying.
   *
   * @return the suggested back-off (in Queen, {@link io.queen.QueenConfig#retryAfter()}, or one
   *     second from the file buffer when it is full or closed)
   */
  public Duration retryAfter() {
    return retryAfter;
  }
}
