package io.queen.server.http;

import io.queen.server.http.Router.Route;

/**
 * A step between request intake and the route, for rules that apply across routes (the JWT
 * gate, a maintenance gate): it sees the matched {@link Route} (method, pattern, operation name)
 * and the complete {@link ApiRequest} (body read), and passes the request on, possibly replaced
 * (for example carrying its {@link ApiRequest#principal()}), or answers it, in which case the route
 * never runs, or decides later ({@link Decision#later}) when it must wait for I/O.
 *
 * <p>Runs on the request's IO thread, before the request counts as in flight: it must not block
 * (no I/O, no locks that an IO thread could wait on), and should not allocate when it passes
 * unchanged. One instance serves every IO thread, so implementations must be thread-safe. A
 * decorator that throws answers the request as a throwing handler would ({@link ErrorMapper}).
 */
@FunctionalInterface
public interface RequestDecorator {
  /** Decides one request; never null. */
  Decision decide(Route route, ApiRequest request);
}
