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
  public PopResult {
    messages = List.copyOf(messages);
  }

  public static PopResult empty(PopOutcome outcome, String consumerGroup) {
    return new PopResult(outcome, null, consumerGroup, 0, List.of());
  }

  public boolean isEmpty() {
    return messages.isEmpty();
  }
}
