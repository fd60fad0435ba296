package io.queen.server.http;

import java.util.concurrent.CompletableFuture;

/**
 * The response future of a long poll: it tells the owning IO thread how long the request may stay
 * parked, so the thread's timer can answer it (204) should the core not. Cancelling it cancels the
 * underlying pop, which drops the waiter and releases any lease taken by a result that arrives
 * afterwards.
 */
public final class LongPollFuture extends CompletableFuture<ApiResponse> {
  private final long waitMillis;

  public LongPollFuture(long waitMillis) {
    this.waitMillis = waitMillis;
  }

  public long waitMillis() {
    return waitMillis;
  }
}
