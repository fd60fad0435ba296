package io.queen.model;

import java.time.Instant;
import java.util.UUID;

/**
 * A delivered message.
 *
 * @param id the message id (UUIDv7)
 * @param transactionId its idempotency key
 * @param traceId its trace id, or null
 * @param payloadJson the payload as JSON text, as stored
 * @param producerSub the producer's identity when authentication stamped one, or null
 * @param createdAt when it was pushed (UTC)
 * @param queue the queue's name
 * @param partition the partition's name
 * @param partitionId the partition's id
 * @param leaseId the lease this delivery holds, {@code ""} for auto-acked deliveries
 * @param consumerGroup the group it was delivered to ({@code __QUEUE_MODE__} in queue mode)
 * @param retryCount how many failures this message has had in this group so far
 * @param traceContext the W3C trace context it was pushed with (its producer span's when tracing
 *     was on), or null
 */
public record Message(
    UUID id, String transactionId, String traceId, String payloadJson, String producerSub,
    Instant createdAt, String queue, String partition, UUID partitionId, String leaseId,
    String consumerGroup, int retryCount, TraceContext traceContext) {

  /**
   * A message without a trace context.
   *
   * @param id the message id (UUIDv7)
   * @param transactionId its idempotency key
   * @param traceId its trace id, or null
   * @param payloadJson the payload as JSON text
   * @param producerSub the producer's identity, or null
   * @param createdAt when it was pushed (UTC)
   * @param queue the queue's name
   * @param partition the partition's name
   * @param partitionId the partition's id
   * @param leaseId the lease this delivery holds, {@code ""} for auto-acked deliveries
   * @param consumerGroup the group it was delivered to ({@code __QUEUE_MODE__} in queue mode)
   * @param retryCount how many failures this message has had in this group so far
   */
  public Message(
      UUID id, String transactionId, String traceId, String payloadJson, String producerSub,
      Instant createdAt, String queue, String partition, UUID partitionId, String leaseId,
      String consumerGroup, int retryCount) {
    this(id, transactionId, traceId, payloadJson, producerSub, createdAt, queue, partition,
        partitionId, leaseId, consumerGroup, retryCount, null);
  }
}
