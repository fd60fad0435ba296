package io.queen.model;

import java.time.Instant;

/**
 * The outcome of extending a lease.
 *
 * @param leaseId as given
 * @param success whether at least one live partition lease was extended
 * @param error {@code Lease not found} or {@code Lease already expired} when not successful
 * @param expiresAt the new expiry, null when not successful
 */
public record LeaseExtension(String leaseId, boolean success, String error, Instant expiresAt) {}
