package io.queen.admin;

import java.time.Instant;
import java.util.List;

/**
 * The operations API's lists as of one aggregation of this instance: what gauges read without
 * asking the database.
 *
 * @param queues every queue and what it holds, newest first
 * @param groups every (group, queue) and its lag, by group then queue
 * @param computedAt when the aggregation started (the engine's clock)
 */
public record SummarySnapshot(
    List<QueueSummary> queues, List<ConsumerGroupSummary> groups, Instant computedAt) {
  /**
   * Copies the lists.
   *
   * @param queues every queue and what it holds; not null
   * @param groups every (group, queue) and its lag; not null
   * @param computedAt when the aggregation started
   */
  public SummarySnapshot {
    queues = List.copyOf(queues);
    groups = List.copyOf(groups);
  }
}
