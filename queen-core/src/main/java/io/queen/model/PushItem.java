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

  /**
   * Normalises an empty {@code producerSub} to null; everything else is checked when the item is
   * pushed.
   *
   * @param queue the queue's name (required)
   * @param partition the partition's name; {@code null} means {@code Default}
   * @param payloadJson the payload as JSON text; {@code null} means JSON {@code null}
   * @param transactionId the idempotency key; {@code null} lets Queen pick one
   * @param traceId an optional UUID (as text); {@code null} for none
   * @param traceContext the W3C trace context of the pushing code; {@code null} for none
   * @param producerSub who produced the message; {@code null} or empty for nobody in particular
   */
  public PushItem {
    if (producerSub != null && producerSub.isEmpty()) {
      producerSub = null;
    }
  }

  /**
   * An item without a producer identity.
   *
   * @param queue the queue's name (required)
   * @param partition the partition's name; {@code null} means {@code Default}
   * @param payloadJson the payload as JSON text; {@code null} means JSON {@code null}
   * @param transactionId the idempotency key; {@code null} lets Queen pick one
   * @param traceId an optional UUID (as text); {@code null} for none
   * @param traceContext the W3C trace context of the pushing code; {@code null} for none
   */
  public PushItem(String queue, String partition, String payloadJson, String transactionId,
      String traceId, TraceContext traceContext) {
    this(queue, partition, payloadJson, transactionId, traceId, traceContext, null);
  }

  /**
   * An item without a trace context or producer identity.
   *
   * @param queue the queue's name (required)
   * @param partition the partition's name; {@code null} means {@code Default}
   * @param payloadJson the payload as JSON text; {@code null} means JSON {@code null}
   * @param transactionId the idempotency key; {@code null} lets Queen pick one
   * @param traceId an optional UUID (as text); {@code null} for none
   */
  public PushItem(
      String queue, String partition, String payloadJson, String transactionId, String traceId) {
    this(queue, partition, payloadJson, transactionId, traceId, null, null);
  }

  /**
   * A message for the {@code Default} partition with a Queen-chosen transaction id.
   *
   * @param queue the queue's name
   * @param payloadJson the payload as JSON text; {@code null} means JSON {@code null}
   * @return an item with no partition, transaction id, trace or producer identity
   */
  public static PushItem of(String queue, String payloadJson) {
    return new PushItem(queue, null, payloadJson, null, null, null, null);
  }

  /**
   * This item for another partition.
   *
   * @param newPartition the partition's name; {@code null} means {@code Default}
   * @return a copy with {@code partition} replaced
   */
  public PushItem withPartition(String newPartition) {
    return new PushItem(queue, newPartition, payloadJson, transactionId, traceId, traceContext,
        producerSub);
  }

  /**
   * This item with another idempotency key.
   *
   * @param newTransactionId the key; {@code null} lets Queen pick one
   * @return a copy with {@code transactionId} replaced
   */
  public PushItem withTransactionId(String newTransactionId) {
    return new PushItem(queue, partition, payloadJson, newTransactionId, traceId, traceContext,
        producerSub);
  }

  /**
   * This item with another trace id.
   *
   * @param newTraceId a UUID as text; {@code null} for none
   * @return a copy with {@code traceId} replaced
   */
  public PushItem withTraceId(String newTraceId) {
    return new PushItem(queue, partition, payloadJson, transactionId, newTraceId, traceContext,
        producerSub);
  }

  /**
   * This item with another W3C trace context.
   *
   * @param newTraceContext the context; {@code null} for none
   * @return a copy with {@code traceContext} replaced
   */
  public PushItem withTraceContext(TraceContext newTraceContext) {
    return new PushItem(queue, partition, payloadJson, transactionId, traceId, newTraceContext,
        producerSub);
  }

  /**
   * This item with another producer identity.
   *
   * @param newProducerSub who produced it; {@code null} or empty for nobody in particular
   * @return a copy with {@code producerSub} replaced (empty becomes null)
   */
  public PushItem withProducerSub(String newProducerSub) {
    return new PushItem(queue, partition, payloadJson, transactionId, traceId, traceContext,
        newProducerSub);
  }

  /**
   * The partition name with the default applied.
   *
   * @return {@code partition}, or {@link #DEFAULT_PARTITION} when it is null
   */
  public String partitionOrDefault() {
    return partition == null ? DEFAULT_PARTITION : partition;
  }
}
