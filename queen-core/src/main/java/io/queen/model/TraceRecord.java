package io.queen.model;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A recorded trace event. {@code queue}, {@code partition} and {@code messagePayloadJson} are filled
 * by name queries only.
 */
public record TraceRecord(
    UUID id, String transactionId, UUID partitionId, String eventType, String dataJson,
    String consumerGroup, String workerId, Instant createdAt, List<String> traceNames,
    String queue, String partition, String messagePayloadJson) {
  public TraceRecord {
    traceNames = List.copyOf(traceNames);
  }
}
