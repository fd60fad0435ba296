package io.queen.server.security;

/**
 * The level each route needs, by the original Queen's rules (its {@code get_route_access_level}),
 * applied to a route's method and pattern once at start-up rather than to every request's path.
 * Stateless.
 */
public final class RouteAccess {
  private RouteAccess() {}

  /** The level {@code method pattern} needs, for example {@code GET /api/v1/status}. */
  public static AccessLevel required(String method, String pattern) {
    var p = pattern;
    if (p.startsWith("/api/v1/system/") || p.startsWith("/internal/")
        || p.equals("/api/v1/stats/refresh")
        || method.equals("DELETE") && (p.startsWith("/api/v1/consumer-groups/")
            || p.startsWith("/api/v1/resources/queues/")
            // purge: ours only (the original's clients call it, its server has no such route);
            // it destroys as much as a deletion does
            || p.startsWith("/api/v1/queues/"))) {
      return AccessLevel.ADMIN;
    }
    if (method.equals("GET") && (p.startsWith("/api/v1/status") || p.startsWith("/api/v1/analytics")
        || p.startsWith("/api/v1/resources/") || p.startsWith("/api/v1/messages")
        || p.startsWith("/api/v1/consumer-groups") || p.startsWith("/api/v1/dlq")
        || p.startsWith("/api/v1/traces") || p.equals("/api/v1/session"))) {
      return AccessLevel.READ_ONLY;
    }
    if (method.equals("GET") && (p.equals("/health") || p.startsWith("/health/")
        || p.equals("/metrics") || p.startsWith("/metrics/"))) {
      // open by default through JWT_SKIP_PATHS; a reader's when an operator closes them
      return AccessLevel.READ_ONLY;
    }
    // push, pop, ack, transaction, lease, configure, subscription, seek, POST traces, message
    // deletion, and whatever a later route adds: writing is the safe default
    return AccessLevel.READ_WRITE;
  }
}
