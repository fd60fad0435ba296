package io.queen.admin;

import io.queen.model.QueueOptions;
import java.util.List;

/**
 * A queue with its configuration and every partition.
 *
 * @param queue the queue and its totals
 * @param options its configuration
 * @param partitions its partitions, by name
 */
public record QueueDetail(QueueSummary queue, QueueOptions options, List<PartitionSummary> partitions) {
  /**
   * Copies the list of partitions.
   *
   * @param queue the queue and its totals
   * @param options its configuration
   * @param partitions its partitions, by name; not null
   */
  public QueueDetail {
    partitions = List.copyOf(partitions);
  }
}
