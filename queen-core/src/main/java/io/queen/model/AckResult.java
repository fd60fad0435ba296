package io.queen.model;

/**
 * The outcome of one acknowledgement, in the order they were given.
 *
 * @param transactionId as given
 * @param success whether the ack was applied (an ack of an already settled message succeeds and
 *     changes nothing)
 * @param error {@code Message not found} or {@code Invalid or expired lease} when not successful
 * @param queue the message's queue, null when not found
 * @param partition the message's partition name, null when not found
 * @param leaseReleased whether this ack completed the leased batch and freed the lease
 * @param dlq whether this ack moved the message to the dead-letter queue
 */
public record AckResult(
    String transactionId, boolean success, String error, String queue, String partition,
    boolean leaseReleased, boolean dlq) {}
