package io.queen.server.http;

import io.queen.server.http.Router.Route;

/**
 * A step between request intake and the route, for rules that apply across routes (an
 * authentication gate, a maintenance gate): it sees the matched {@link Route} (method, pattern,
 * operation name) and the complete {@link ApiRequest} (body read), and either passes the request
 * on or answers it, in which case the route never runs.
 *
 * <p>Runs on the request's IO thread, before the request counts as in flight: it must not block
 * (no I/O, no locks that an IO thread could wait on), and should not allocate when it passes.
 * One instance serves every IO thread, so implementations must be thread-safe. A decorator that
 * throws answers the request as a throwing handler would ({@link ErrorMapper}).
 */
@FunctionalInterface
public interface RequestDecorator {
  /**
   * Decides one request.
   *
   * @return null to pass the request on (to the next decorator, then the route), or the response
   *     that answers it instead (for example 401, or 503 with {@code Retry-After})
   */
  ApiResponse intercept(Route route, ApiRequest request);
}
