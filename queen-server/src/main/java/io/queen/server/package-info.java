/**
 * The Queen-compatible HTTP server. {@link io.queen.server.QueenServer} reads a
 * {@link io.queen.server.ServerConfig} (environment variables named as in the original Queen),
 * starts PostgreSQL ({@link io.queen.server.EmbeddedDatabase} when no {@code PG_HOST} is set) and
 * the core's {@code QueueManager}, assembles the route list from {@code routes}, installs the
 * request decorators (none yet) between intake and routes, and runs Undertow with one
 * {@code worker.IoThreadWorker} per XNIO IO thread; it also owns the ordered, bounded shutdown. The
 * subpackages: {@code http} (request and response as plain data, routing, the decorator API, error
 * mapping), {@code wire} (typed readers of request bodies and query parameters), {@code routes}
 * (one class per resource with its reply writers) and {@code worker} (everything an IO thread
 * owns). Only {@code ResponseQueue.offer} crosses from core threads to IO threads; the server uses
 * nothing of the core but its public API ({@code ModuleBoundaryTest}).
 */
package io.queen.server;
