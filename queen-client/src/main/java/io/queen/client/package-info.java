/**
 * A Java client of Queen's HTTP API, on {@code java.net.http} with no other dependency.
 *
 * <p>Start at {@link io.queen.client.QueenClient}. Conventions of the package: payloads are JSON
 * text ({@code String}); builders of queue operations are immutable, builders of settings are
 * for one thread; every operation has a blocking form (waits on the calling thread) and an
 * {@code ...Async} form whose future completes on the client's HTTP pool
 * ({@code queen-client-http-N}); invalid arguments are {@link java.lang.IllegalArgumentException}s
 * listing every problem, refusals by the server {@link io.queen.client.QueenClientException}s.
 */
package io.queen.client;
