package io.queen.model;

import java.util.UUID;

/**
 * The outcome of one pushed item, in the order the items were given.
 *
 * @param status queued, duplicate or failed
 * @param messageId the stored message's id (for a duplicate: the existing message's id); null when failed
 * @param partitionId the partition's id; null when failed before the partition was known
 * @param transactionId the transaction id the message carries (Queen's own when none was given)
 * @param traceId the trace id as given, or null
 * @param queue the queue's name
 * @param error why it failed, null otherwise
 */
public record PushResult(
    PushStatus status, UUID messageId, UUID partitionId, String transactionId, String traceId,
    String queue, String error) {}
