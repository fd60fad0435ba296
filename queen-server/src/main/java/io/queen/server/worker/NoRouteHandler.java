package io.queen.server.worker;

import io.undertow.server.HttpServerExchange;

/**
 * What answers a request that matches no route before it gets the JSON 404: the dashboard's
 * static files ({@code io.queen.server.dashboard}). Called by {@link RequestIntake} on the
 * request's IO thread, so an implementation must answer from memory, never block, and answer
 * through {@link IoThreadWorker#respondNow} so the answer is counted like any other.
 */
@FunctionalInterface
public interface NoRouteHandler {
  /** Answers nothing: every request without a route gets the JSON 404. */
  NoRouteHandler NONE = (exchange, worker, method, rawPath) -> false;

  /**
   * IO thread: answers the exchange, or leaves it untouched.
   *
   * @param rawPath the path as sent, still percent-encoded, without the query
   * @return whether it answered; false leaves the exchange to the JSON 404
   */
  boolean answer(HttpServerExchange exchange, IoThreadWorker worker, String method,
      String rawPath);
}
