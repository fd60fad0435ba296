package io.queen.model;

import java.util.List;

/**
 * The outcome of a pop.
 *
 * @param outcome why the result is what it is
 * @param leaseId the lease taken (shared by every partition claimed), {@code ""} for auto-ack, null
 *     when nothing was claimed
 * @param consumerGroup the group ({@code __QUEUE_MODE__} in queue mode)
 * @param partitionsClaimed how many partitions the returned messages come from
 * @param messages the messages, FIFO within each partition; empty when none
 */
public record PopResult(
    PopOutcome outcome, String leaseId, String consumerGroup, int partitionsClaimed,
    List<Message> messages) {
  /**
   * Copies the list of messages.
   *
   * @param outcome why the result is what it is
   * @param leaseId the lease taken, {@code ""} for auto-ack, or null
   * @param consumerGroup the group
   * @param partitionsClaimed how many partitions the returned messages come from
   * @param messages the messages; not null
   */
  public PopResult {
    messages = List.copyOf(messages);
  }

  /**
   * A result without messages.
   *
   * @param outcome why there are none
   * @param consumerGroup the group ({@code __QUEUE_MODE__} in queue mode)
   * @return a result with no lease, no partition claimed and no messages
   */
  public static PopResult empty(PopOutcome outcome, String consumerGroup) {
    return new PopResult(outcome, null, consumerGroup, 0, List.of());
  }

  /**
   * Whether the pop returned nothing.
   *
   * @return true when there are no messages
   */
  public boolean isEmpty() {
    return messages.isEmpty();
  }
}
