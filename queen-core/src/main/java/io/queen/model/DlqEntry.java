package io.queen.model;

import java.time.Instant;
import java.util.UUID;

/**
 * A message that exhausted its retries (or was sent there) for one consumer group.
 *
 * @param messageId the message's id
 * @param transactionId its transaction id
 * @param partitionId its partition's id
 * @param queue its queue
 * @param partition its partition's name
 * @param consumerGroup the group it failed for
 * @param errorMessage the last error
 * @param retryCount the failures counted
 * @param payloadJson the payload as JSON text
 * @param producerSub the producer's identity, or null
 * @param createdAt when the message was pushed
 * @param failedAt when it entered the dead-letter queue
 */
public record DlqEntry(
    UUID messageId, String transactionId, UUID partitionId, String queue, String partition,
    String consumerGroup, String errorMessage, int retryCount, String payloadJson,
    String producerSub, Instant createdAt, Instant failedAt) {}
