package io.queen.admin;

import java.time.Instant;
import java.util.UUID;

/**
 * A stored message as the browser lists it (no payload).
 *
 * @param id its id
 * @param transactionId its transaction id
 * @param partitionId its partition's id
 * @param queue its queue
 * @param partition its partition's name
 * @param namespace its queue's namespace
 * @param task its queue's task
 * @param status its derived state
 * @param consumedBy named groups past it
 * @param totalGroups named groups with a cursor on its partition
 * @param traceId its trace id, or null
 * @param producerSub its producer's identity, or null
 * @param priority its queue's priority
 * @param createdAt when it was pushed
 * @param leaseExpiresAt the queue-mode lease's expiry while it is processing, else null
 */
public record BrowsedMessage(
    UUID id, String transactionId, UUID partitionId, String queue, String partition,
    String namespace, String task, MessageStatus status, int consumedBy, int totalGroups,
    UUID traceId, String producerSub, int priority, Instant createdAt, Instant leaseExpiresAt) {}
