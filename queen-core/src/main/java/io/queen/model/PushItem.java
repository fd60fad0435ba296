package io.queen.model;

/**
 * One message to push.
 *
 * @param queue the queue's name (required; created on first push unless auto-creation is off)
 * @param partition the partition's name; {@code null} means {@code Default}
 * @param payloadJson the payload as JSON text; any JSON value, {@code null} means JSON {@code null}
 * @param transactionId the idempotency key, unique per partition; {@code null} lets Queen pick one
 * @param traceId an optional UUID (as text) to correlate the message with; {@code null} for none
 * @param traceContext the W3C trace context of the code that pushes it, stored with the message and
 *     returned on pop; {@code null} for none. With tracing on (see {@code QueenTracing}) the
 *     message stores its producer span's context instead, a child of this one (or of the current
 *     context when this is null).
 */
public record PushItem(
    String queue, String partition, String payloadJson, String transactionId, String traceId,
    TraceContext traceContext) {

  /** The partition a message without one goes to. */
  public static final String DEFAULT_PARTITION = "Default";

  /** An item without a trace context. */
  public PushItem(
      String queue, String partition, String payloadJson, String transactionId, String traceId) {
    this(queue, partition, payloadJson, transactionId, traceId, null);
  }

  /** A message for the {@code Default} partition with a Queen-chosen transaction id. */
  public static PushItem of(String queue, String payloadJson) {
    return new PushItem(queue, null, payloadJson, null, null, null);
  }

  public PushItem withPartition(String newPartition) {
    return new PushItem(queue, newPartition, payloadJson, transactionId, traceId, traceContext);
  }

  public PushItem withTransactionId(String newTransactionId) {
    return new PushItem(queue, partition, payloadJson, newTransactionId, traceId, traceContext);
  }

  public PushItem withTraceId(String newTraceId) {
    return new PushItem(queue, partition, payloadJson, transactionId, newTraceId, traceContext);
  }

  public PushItem withTraceContext(TraceContext newTraceContext) {
    return new PushItem(queue, partition, payloadJson, transactionId, traceId, newTraceContext);
  }

  /** The partition name with the default applied. */
  public String partitionOrDefault() {
    return partition == null ? DEFAULT_PARTITION : partition;
  }
}
