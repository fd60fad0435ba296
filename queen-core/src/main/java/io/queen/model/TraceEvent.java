package io.queen.model;

import java.util.List;

/**
 * A trace event to record against a message.
 *
 * @param transactionId the message's transaction id
 * @param partitionId the message's partition id (UUID text)
 * @param consumerGroup the group recording it; null means queue mode
 * @param eventType a free label; null means {@code info}
 * @param dataJson the event's data as JSON text (required)
 * @param traceNames names to find the event by later; may be empty
 */
public record TraceEvent(
    String transactionId, String partitionId, String consumerGroup, String eventType,
    String dataJson, List<String> traceNames) {
  /**
   * Copies the list of names (the rest is checked when the event is recorded).
   *
   * @param transactionId the message's transaction id
   * @param partitionId the message's partition id (UUID text)
   * @param consumerGroup the group recording it, or null
   * @param eventType a free label, or null
   * @param dataJson the event's data as JSON text
   * @param traceNames names to find the event by later; not null, may be empty
   */
  public TraceEvent {
    traceNames = List.copyOf(traceNames);
  }
}
