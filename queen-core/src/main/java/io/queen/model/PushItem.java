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
 * @param producerSub who produced the message (returned on pop as {@code producerSub}); {@code null}
 *     for nobody in particular, and an empty string means the same. The server stamps it from the
 *     authenticated token's subject; an application sets its own (a user or service id).
 */
public record PushItem(
    String queue, String partition, String payloadJson, String transactionId, String traceId,
    TraceContext traceContext, String producerSub) {

  /** The partition a message without one goes to. */
  public static final String DEFAULT_PARTITION = "Default";

  public PushItem {
    if (producerSub != null && producerSub.isEmpty()) {
      producerSub = null;
    }
  }

  /** An item without a producer identity. */
  public PushItem(String queue, String partition, String payloadJson, String transactionId,
      String traceId, TraceContext traceContext) {
    this(queue, partition, payloadJson, transactionId, traceId, traceContext, null);
  }

  /** An item without a trace context or producer identity. */
  public PushItem(
      String queue, String partition, String payloadJson, String transactionId, String traceId) {
    this(queue, partition, payloadJson, transactionId, traceId, null, null);
  }

  /** A message for the {@code Default} partition with a Queen-chosen transaction id. */
  public static PushItem of(String queue, String payloadJson) {
    return new PushItem(queue, null, payloadJson, null, null, null, null);
  }

  public PushItem withPartition(String newPartition) {
    return new PushItem(queue, newPartition, payloadJson, transactionId, traceId, traceContext,
        producerSub);
  }

  public PushItem withTransactionId(String newTransactionId) {
    return new PushItem(queue, partition, payloadJson, newTransactionId, traceId, traceContext,
        producerSub);
  }

  public PushItem withTraceId(String newTraceId) {
    return new PushItem(queue, partition, payloadJson, transactionId, newTraceId, traceContext,
        producerSub);
  }

  public PushItem withTraceContext(TraceContext newTraceContext) {
    return new PushItem(queue, partition, payloadJson, transactionId, traceId, newTraceContext,
        producerSub);
  }

  public PushItem withProducerSub(String newProducerSub) {
    return new PushItem(queue, partition, payloadJson, transactionId, traceId, traceContext,
        newProducerSub);
  }

  /** The partition name with the default applied. */
  public String partitionOrDefault() {
    return partition == null ? DEFAULT_PARTITION : partition;
  }
}
