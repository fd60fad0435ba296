package io.queen.model;

/**
 * One acknowledgement.
 *
 * @param transactionId the message's transaction id (required)
 * @param partitionId the message's partition id, a UUID as text (required)
 * @param status how to settle it (required)
 * @param consumerGroup the group acking; {@code null} means queue mode
 * @param leaseId when given, the ack is refused unless this lease is live for the message's
 *     partition and group; {@code null} skips the check
 * @param error the failure text kept in the dead-letter queue, or null
 */
public record AckItem(
    String transactionId, String partitionId, AckStatus status, String consumerGroup,
    String leaseId, String error) {

  /**
   * Acks a delivered message as done, under the lease it was delivered with.
   *
   * @param m a message a pop returned; not null
   * @return an ack of status {@link AckStatus#COMPLETED} for its transaction id, partition, group
   *     and lease (no lease check for an auto-acked message)
   */
  public static AckItem completed(Message m) {
    return new AckItem(m.transactionId(), m.partitionId().toString(), AckStatus.COMPLETED,
        m.consumerGroup(), emptyToNull(m.leaseId()), null);
  }

  /**
   * Acks a delivered message as failed, under the lease it was delivered with.
   *
   * @param m a message a pop returned; not null
   * @param error the failure text to keep, or null; must not contain NUL
   * @return an ack of status {@link AckStatus#FAILED} for its transaction id, partition, group and
   *     lease, carrying {@code error}
   */
  public static AckItem failed(Message m, String error) {
    return new AckItem(m.transactionId(), m.partitionId().toString(), AckStatus.FAILED,
        m.consumerGroup(), emptyToNull(m.leaseId()), error);
  }

  /**
   * This ack with another status.
   *
   * @param newStatus how to settle the message instead
   * @return a copy with {@code status} replaced
   */
  public AckItem withStatus(AckStatus newStatus) {
    return new AckItem(transactionId, partitionId, newStatus, consumerGroup, leaseId, error);
  }

  /**
   * This ack under another lease.
   *
   * @param newLeaseId the lease to check, or null to skip the check
   * @return a copy with {@code leaseId} replaced
   */
  public AckItem withLeaseId(String newLeaseId) {
    return new AckItem(transactionId, partitionId, status, consumerGroup, newLeaseId, error);
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
