package io.queen.client;

/**
 * The answer to a lease extension; immutable.
 *
 * @param leaseId the lease
 * @param success whether it was extended
 * @param error why not ({@code "Lease not found"}, {@code "Lease already expired"}), or {@code null}
 * @param expiresAt the new expiry as the server wrote it, or {@code null}
 */
public record LeaseRenewal(String leaseId, boolean success, String error, String expiresAt) {}
