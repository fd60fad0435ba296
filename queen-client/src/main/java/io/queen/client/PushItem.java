package io.queen.client;

import java.util.UUID;

/**
 * One message to push; immutable.
 *
 * @param payload the payload as JSON text (any JSON value: {@code {"id":1}}, {@code "text"},
 *     {@code 42}, {@code null})
 * @param transactionId the deduplication key within the partition: a second push with the same one
 *     is answered {@code duplicate} and stores nothing; {@code null} lets the client generate a
 *     random UUID, so that its own retries of the request are deduplicated too
 * @param traceId a UUID to correlate the message with, or {@code null}
 */
public record PushItem(String payload, String transactionId, String traceId) {

  /**
   * A message with the client-generated transaction id and no trace id.
   *
   * @param jsonPayload the payload as JSON text
   * @return the item
   */
  public static PushItem of(String jsonPayload) {
    return new PushItem(jsonPayload, null, null);
  }

  /**
   * This item with its own transaction id (for deduplication across your retries and restarts).
   *
   * @param id the transaction id, unique within the partition
   * @return a new item
   */
  public PushItem withTransactionId(String id) {
    return new PushItem(payload, id, traceId);
  }

  /**
   * This item with a trace id.
   *
   * @param id a UUID
   * @return a new item
   */
  public PushItem withTraceId(UUID id) {
    return new PushItem(payload, transactionId, id == null ? null : id.toString());
  }
}
