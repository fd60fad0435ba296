package io.queen.server.http;

import io.queen.WaitingPop;
import java.util.concurrent.CompletableFuture;

/**
 * The response future of a long poll: it tells the owning IO thread how long the request may stay
 * parked, and lets that thread's backstop end the wait should the core not answer at the deadline
 * ({@link #endWaitUnlessPopping}). Cancelling it cancels the underlying pop, which drops the
 * waiter and gives back any result that arrives afterwards.
 */
public final class LongPollFuture extends CompletableFuture<ApiResponse> {
  private final long waitMillis;
  private final CompletableFuture<?> core;

  /**
   * @param waitMillis the long poll's timeout
   * @param core the core's pop future (a {@link WaitingPop} unless the pop was answered or
   *     refused at once)
   */
  public LongPollFuture(long waitMillis, CompletableFuture<?> core) {
    this.waitMillis = waitMillis;
    this.core = core;
  }

  public long waitMillis() {
    return waitMillis;
  }

  /**
   * Ends the core's wait now unless a pop for it is running in the database. Any thread.
   *
   * @return true when the core's future is complete (its answer is then on its way to this one);
   *     false when a pop is running, whose result will be the answer
   */
  public boolean endWaitUnlessPopping() {
    if (core instanceof WaitingPop) {
      return ((WaitingPop) core).endWaitUnlessPopping();
    }
    return core.isDone();
  }
}
