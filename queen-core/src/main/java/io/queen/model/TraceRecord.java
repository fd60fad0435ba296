package io.queen.model;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A recorded trace event. {@code queue}, {@code partition} and {@code messagePayloadJson} are filled
 * by name queries only.
 *
 * @param id the event's id
 * @param transactionId its message's transaction id
 * @param partitionId its message's partition id
 * @param eventType its label ({@code info} when none was given)
 * @param dataJson its data as JSON text
 * @param consumerGroup the group that recorded it ({@code __QUEUE_MODE__} for queue mode)
 * @param workerId the id of the engine instance that recorded it
 * @param createdAt when it was recorded
 * @param traceNames the names it can be found by; empty when none
 * @param queue its message's queue, or null (filled by name queries only)
 * @param partition its message's partition name, or null (likewise)
 * @param messagePayloadJson its message's payload as JSON text, decrypted, or null (likewise)
 */
public record TraceRecord(
    UUID id, String transactionId, UUID partitionId, String eventType, String dataJson,
    String consumerGroup, String workerId, Instant createdAt, List<String> traceNames,
    String queue, String partition, String messagePayloadJson) {
  /**
   * Copies the list of names.
   *
   * @param id the event's id
   * @param transactionId its message's transaction id
   * @param partitionId its message's partition id
   * @param eventType its label
   * @param dataJson its data as JSON text
   * @param consumerGroup the group that recorded it
   * @param workerId the id of the engine instance that recorded it
   * @param createdAt when it was recorded
   * @param traceNames the names it can be found by; not null
   * @param queue its message's queue
   * @param partition its message's partition name
   * @param messagePayloadJson its message's payload as JSON text, decrypted
   */
  public TraceRecord {
    traceNames = List.copyOf(traceNames);
  }
}
