/**
 * The HTTP plumbing that routes and workers share, free of Undertow exchanges: a request
 * ({@link io.queen.server.http.ApiRequest}) and a response
 * ({@link io.queen.server.http.ApiResponse}) as plain data, an endpoint
 * ({@link io.queen.server.http.ApiHandler}, run on the request's IO thread, never blocking, returning
 * a future) and its {@link io.queen.server.http.Router} entry (method, pattern, operation name),
 * the decorators that may answer a matched request before its route
 * ({@link io.queen.server.http.RequestDecorator}, run in order by
 * {@link io.queen.server.http.DecoratorChain} on the IO thread), the one mapping from failures to
 * status codes ({@link io.queen.server.http.ErrorMapper}), reply JSON helpers
 * ({@link io.queen.server.http.JsonOut}), future plumbing ({@link io.queen.server.http.Futures}) and
 * the future that marks a long poll ({@link io.queen.server.http.LongPollFuture}). Everything here
 * is immutable or stateless and may be used from any thread, except the request's header and query
 * maps, which are read on the IO thread.
 */
package io.queen.server.http;
