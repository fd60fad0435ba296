package io.queen.server.http;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** Future plumbing shared by the route handlers. Stateless; any thread. */
public final class Futures {
  private Futures() {}

  /**
   * {@code source} mapped by {@code fn} into {@code target}, with cancellation of the target passed
   * up to the source (so cancelling a parked request's response cancels the core's operation).
   * {@code fn} runs on the thread completing {@code source}; a failure of either is the target's.
   */
  public static <T, R, F extends CompletableFuture<R>> F map(CompletableFuture<T> source, F target,
      Function<? super T, ? extends R> fn) {
    source.whenComplete((value, error) -> {
      if (error != null) {
        target.completeExceptionally(error);
        return;
      }
      try {
        target.complete(fn.apply(value));
      } catch (RuntimeException e) {
        target.completeExceptionally(e);
      }
    });
    target.whenComplete((value, error) -> {
      if (target.isCancelled()) {
        source.cancel(false);
      }
    });
    return target;
  }

  public static <T, R> CompletableFuture<R> map(CompletableFuture<T> source,
      Function<? super T, ? extends R> fn) {
    return map(source, new CompletableFuture<R>(), fn);
  }
}
