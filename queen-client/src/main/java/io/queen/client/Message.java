package io.queen.client;

import io.queen.client.internal.Json;

/**
 * A message delivered by a pop or to a consumer's handler; immutable.
 *
 * @param id the message id (a UUID)
 * @param transactionId the producer's transaction id (deduplication key within the partition)
 * @param partitionId the partition's id (a UUID); with {@code transactionId} it names the message
 * @param partition the partition's name
 * @param queue the queue's name
 * @param leaseId the lease this delivery holds ({@code null} or empty for an auto-acked pop)
 * @param consumerGroup the group the message was popped for ({@code null} in queue mode); set by
 *     the client from the request, so acks go to the same group
 * @param retryCount how many times it failed before this delivery ({@code 0} where the server does
 *     not say, as the original at HEAD)
 * @param createdAt when it was pushed, as the server wrote it (ISO-8601, UTC)
 * @param data the payload as JSON text ({@code null} payloads are the text {@code null})
 * @param traceparent the W3C trace context it was pushed with, or {@code null}
 */
public record Message(
    String id,
    String transactionId,
    String partitionId,
    String partition,
    String queue,
    String leaseId,
    String consumerGroup,
    int retryCount,
    String createdAt,
    String data,
    String traceparent) {

  /**
   * The payload parsed into plain Java values: {@code Map<String, Object>}, {@code List<Object>},
   * {@code String}, {@code Boolean}, {@code Long} or {@code BigDecimal}, or {@code null}. Parses
   * {@link #data()} on every call; any thread.
   *
   * @return the payload's value
   */
  public Object value() {
    return Json.parse(data);
  }
}
