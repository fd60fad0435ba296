package io.queen.internal.db;

/**
 * The JSON contract between the engine and its PL/pgSQL functions: the member names of each
 * element of a batch argument. Short names, because every batch spells them once per element.
 * The SQL side defines the same members once, as the composite types of
 * {@code schema/functions/contract.sql}; {@code BatchContractTest} fails when the two drift.
 * Every {@code public static final String} of a nested class except {@code TYPE} is a member.
 */
public final class BatchContract {
  private BatchContract() {}

  /** An element of {@code push_v1}'s items (type {@code push_item}). */
  public static final class PushItem {
    public static final String TYPE = "push_item";
    /** The element's index in the batch: results come back by it. */
    public static final String INDEX = "i";
    public static final String QUEUE = "q";
    /** Partition name; absent means {@code Default}. */
    public static final String PARTITION = "p";
    public static final String MESSAGE_ID = "mid";
    public static final String TRANSACTION_ID = "tx";
    public static final String TRACE_ID = "tr";
    /** The payload, as JSON. */
    public static final String PAYLOAD = "pl";
    /** Reserved: the producer's identity, once authentication lands (never written yet). */
    public static final String PRODUCER_SUB = "ps";
    /** True when the payload is the encrypted form (stored with {@code is_encrypted}). */
    public static final String ENCRYPTED = "en";
    /** The W3C trace context to store ({@code TraceContext.encoded()}); absent for none. */
    public static final String TRACE_CONTEXT = "tc";

    private PushItem() {}
  }

  /** An element of {@code pop_v1}'s requests (type {@code pop_request}). */
  public static final class PopRequest {
    public static final String TYPE = "pop_request";
    public static final String INDEX = "i";
    public static final String QUEUE = "q";
    public static final String PARTITION = "p";
    public static final String NAMESPACE = "ns";
    public static final String TASK = "tk";
    public static final String GROUP = "g";
    /** Most messages to deliver. */
    public static final String BATCH = "b";
    /** Most partitions to claim. */
    public static final String PARTITIONS = "n";
    public static final String AUTO_ACK = "aa";
    public static final String LEASE_ID = "lid";
    /** Where a new group starts: {@code all} or {@code new}. */
    public static final String SUBSCRIPTION_MODE = "sm";
    public static final String SUBSCRIPTION_FROM = "sf";

    private PopRequest() {}
  }

  /** An element of {@code ack_v1}'s acks (type {@code ack_item}). */
  public static final class AckItem {
    public static final String TYPE = "ack_item";
    public static final String INDEX = "i";
    public static final String TRANSACTION_ID = "tx";
    public static final String PARTITION_ID = "pid";
    public static final String STATUS = "st";
    public static final String GROUP = "g";
    public static final String LEASE_ID = "lid";
    public static final String ERROR = "err";

    private AckItem() {}
  }
}
