package io.queen.server.security;

/**
 * What a route needs of a token's roles. Each level includes the ones before it: an admin may read
 * and write, a writer may read.
 */
public enum AccessLevel {
  /** Status, analytics, resources, messages, DLQ and trace reads. */
  READ_ONLY,
  /** Push, pop, ack, transactions, leases, configure, traces, message deletion, seeks. */
  READ_WRITE,
  /** Queue and group deletion, maintenance, stats refresh, internal routes. */
  ADMIN;

  /** The level as the documentation and {@code GET /api/v1/session} name it: {@code read-only}, ... */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
