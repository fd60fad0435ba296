package io.queen.server.http;

import io.queen.server.http.Router.Route;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * The installed {@link RequestDecorator}s in order; the first that answers a request wins. With
 * none installed a request costs one array-length check and no allocation. Immutable; called on
 * the IO threads.
 */
public final class DecoratorChain {
  /** No decorators: every request goes to its route. */
  public static final DecoratorChain NONE = new DecoratorChain(new RequestDecorator[0]);

  /** Where a request goes once every decorator has decided. Called on the request's IO thread. */
  public interface Outcome {
    /** Every decorator passed it: run the route with {@code request}. */
    void pass(ApiRequest request);

    /** A decorator answered it instead of the route. */
    void answer(ApiResponse response);
  }

  private final RequestDecorator[] decorators;

  private DecoratorChain(RequestDecorator[] decorators) {
    this.decorators = decorators;
  }

  public static DecoratorChain of(List<RequestDecorator> decorators) {
    return decorators.isEmpty() ? NONE : new DecoratorChain(decorators.toArray(new RequestDecorator[0]));
  }

  public boolean isEmpty() {
    return decorators.length == 0;
  }

  /**
   * IO thread: runs the decorators on a matched request and tells {@code outcome} exactly once,
   * on this thread when every decision is immediate, else on {@code ioThread} (the request's own)
   * once a deferred decision completes.
   */
  public void run(Route route, ApiRequest request, Executor ioThread, Outcome outcome) {
    continueFrom(0, route, request, ioThread, outcome);
  }

  private void continueFrom(int first, Route route, ApiRequest request, Executor ioThread,
      Outcome outcome) {
    var current = request;
    for (int i = first; i < decorators.length; i++) {
      Decision decision;
      try {
        decision = decorators[i].decide(route, current);
      } catch (RuntimeException e) {
        outcome.answer(ErrorMapper.toResponse(e));
        return;
      }
      if (decision.later() != null) {
        int decided = i;
        var waiting = current;
        decision.later().whenComplete((resolved, error) -> ioThread.execute(() ->
            resume(decided, route, waiting, resolved, error, ioThread, outcome)));
        return;
      }
      if (decision.answer() != null) {
        outcome.answer(decision.answer());
        return;
      }
      if (decision.replacement() != null) {
        current = decision.replacement();
      }
    }
    outcome.pass(current);
  }

  /** IO thread: a deferred decision of decorator {@code index} completed. */
  private void resume(int index, Route route, ApiRequest request, Decision resolved,
      Throwable error, Executor ioThread, Outcome outcome) {
    if (error != null) {
      var cause = error instanceof CompletionException && error.getCause() != null
          ? error.getCause() : error;
      outcome.answer(ErrorMapper.toResponse(cause));
      return;
    }
    if (resolved == null || resolved.later() != null) {
      outcome.answer(ErrorMapper.toResponse(new IllegalStateException(
          "a request decorator's deferred decision must be final")));
      return;
    }
    if (resolved.answer() != null) {
      outcome.answer(resolved.answer());
      return;
    }
    var next = resolved.replacement() != null ? resolved.replacement() : request;
    continueFrom(index + 1, route, next, ioThread, outcome);
  }
}
