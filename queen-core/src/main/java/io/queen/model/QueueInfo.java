package io.queen.model;

import java.util.Objects;
import java.util.UUID;

/**
 * A configured queue, as {@code configureQueue} left it.
 *
 * @param queueId the queue's id
 * @param defaultPartitionId the id of its {@code Default} partition (configure always creates it)
 * @param name the queue's name
 * @param namespace its namespace tag, {@code ""} when none
 * @param task its task tag, {@code ""} when none
 * @param options its full configuration
 */
public record QueueInfo(
    UUID queueId, UUID defaultPartitionId, String name, String namespace, String task,
    QueueOptions options) {
  /**
   * Checks the required components.
   *
   * @param queueId the queue's id; not null
   * @param defaultPartitionId the id of its {@code Default} partition
   * @param name the queue's name; not null
   * @param namespace its namespace tag
   * @param task its task tag
   * @param options its full configuration; not null
   * @throws NullPointerException when {@code queueId}, {@code name} or {@code options} is null
   */
  public QueueInfo {
    Objects.requireNonNull(queueId, "queueId");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(options, "options");
  }
}
