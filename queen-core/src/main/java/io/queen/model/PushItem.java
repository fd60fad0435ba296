package io.queen.model;

/**
 * One message to push.
 *
 * @param queue the queue's name (required; created on first push unless auto-creation is off)
 * @param partition the partition's name; {@code null} means {@code Default}
 * @param payloadJson the payload as JSON text; any JSON value, {@code null} means JSON {@code null}
 * @param transactionId the idempotency key, unique per partition; {@code null} lets Queen pick one
 * @param traceId an optional UUID (as text) to correlate the message with; {@code null} for none
 */
public record PushItem(
    String queue, String partition, String payloadJson, String transactionId, String traceId) {

  /** The partition a message without one goes to. */
  public static final String DEFAULT_PARTITION = "Default";

  /** A message for the {@code Default} partition with a Queen-chosen transaction id. */
  public static PushItem of(String queue, String payloadJson) {
    return new PushItem(queue, null, payloadJson, null, null);
  }

  public PushItem withPartition(String newPartition) {
    return new PushItem(queue, newPartition, payloadJson, transactionId, traceId);
  }

  public PushItem withTransactionId(String newTransactionId) {
    return new PushItem(queue, partition, payloadJson, newTransactionId, traceId);
  }

  public PushItem withTraceId(String newTraceId) {
    return new PushItem(queue, partition, payloadJson, transactionId, newTraceId);
  }

  /** The partition name with the default applied. */
  public String partitionOrDefault() {
    return partition == null ? DEFAULT_PARTITION : partition;
  }
}
