package io.queen.server.http;

import io.queen.server.http.Router.Route;
import java.util.List;

/**
 * The installed {@link RequestDecorator}s in order; the first that answers a request wins. With
 * none installed a request costs one array-length check and no allocation. Immutable; called on
 * the IO threads.
 */
public final class DecoratorChain {
  /** No decorators: every request goes to its route. */
  public static final DecoratorChain NONE = new DecoratorChain(new RequestDecorator[0]);

  private final RequestDecorator[] decorators;

  private DecoratorChain(RequestDecorator[] decorators) {
    this.decorators = decorators;
  }

  public static DecoratorChain of(List<RequestDecorator> decorators) {
    return decorators.isEmpty() ? NONE : new DecoratorChain(decorators.toArray(new RequestDecorator[0]));
  }

  /**
   * IO thread: runs the decorators on a matched request.
   *
   * @return null when every decorator passed it, else the response that answers it
   */
  public ApiResponse intercept(Route route, ApiRequest request) {
    for (var decorator : decorators) {
      ApiResponse answer;
      try {
        answer = decorator.intercept(route, request);
      } catch (RuntimeException e) {
        return ErrorMapper.toResponse(e);
      }
      if (answer != null) {
        return answer;
      }
    }
    return null;
  }
}
