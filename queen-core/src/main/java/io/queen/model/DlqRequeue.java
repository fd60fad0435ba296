package io.queen.model;

import java.util.List;
import java.util.UUID;

/**
 * Which dead-letter entries to make deliverable again. A requeued message is delivered to its group
 * again, before anything newer in its partition, with its failure count reset.
 *
 * @param queue only entries of this queue (required)
 * @param consumerGroup only entries of this group; null means every group
 * @param messageIds only these messages; empty means every entry that matches the rest
 */
public record DlqRequeue(String queue, String consumerGroup, List<UUID> messageIds) {
  /**
   * Copies the list of message ids.
   *
   * @param queue only entries of this queue (required when requeued)
   * @param consumerGroup only entries of this group, or null
   * @param messageIds only these messages; not null, empty for every match
   */
  public DlqRequeue {
    messageIds = List.copyOf(messageIds);
  }
}
