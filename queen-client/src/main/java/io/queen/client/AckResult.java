package io.queen.client;

/**
 * The server's answer for one acknowledgement; immutable. An ack the server refused is still an
 * answer ({@code success} false), not an exception.
 *
 * @param transactionId the message's transaction id
 * @param success whether the message was settled
 * @param error why not ({@code "Invalid or expired lease"}, {@code "Message not found"}), or {@code null}
 * @param dlq whether this ack moved the message to the dead-letter queue
 */
public record AckResult(String transactionId, boolean success, String error, boolean dlq) {}
