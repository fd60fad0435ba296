/**
 * Queen's endpoints, one class per resource, each exposing its {@code List<Route>}:
 * {@link io.queen.server.routes.QueueRoutes} (configure, delete),
 * {@link io.queen.server.routes.PushRoutes}, {@link io.queen.server.routes.PopRoutes},
 * {@link io.queen.server.routes.AckRoutes} (single and batch),
 * {@link io.queen.server.routes.TransactionRoutes}, {@link io.queen.server.routes.LeaseRoutes},
 * {@link io.queen.server.routes.TraceRoutes}, {@link io.queen.server.routes.DlqRoutes},
 * {@link io.queen.server.routes.HealthRoutes} and {@link io.queen.server.routes.MetricsRoutes}.
 * A handler reads its request with the {@code wire} readers, calls {@code QueueManager} and maps
 * the future to a reply written as the original shapes it; reply writers sit next to the routes
 * that use them, and the one they share, {@code Pagination}, sits here too. Handlers run on the
 * request's IO thread and never block; reply bodies are written on the thread that completes the
 * core's future. Every class is immutable and thread-safe.
 */
package io.queen.server.routes;
