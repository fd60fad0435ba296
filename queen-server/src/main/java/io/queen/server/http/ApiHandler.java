package io.queen.server.http;

import java.util.concurrent.CompletableFuture;

/**
 * One endpoint. Called on the request's IO thread, so it must not block: it parses the request,
 * starts the work on {@code QueueManager} and returns at once. It may throw (bad input) instead of
 * returning a future; {@link ErrorMapper} turns either kind of failure into a response.
 */
@FunctionalInterface
public interface ApiHandler {
  CompletableFuture<ApiResponse> handle(ApiRequest request);
}
