package io.queen.model;

import java.time.Instant;

/**
 * A filter over dead-letter entries; every field but the paging is optional (null = any).
 *
 * @param queue only this queue
 * @param partition only this partition name
 * @param consumerGroup only this group
 * @param from only entries that failed at or after this instant
 * @param to only entries that failed before this instant
 * @param limit page size, 1 to 10 000
 * @param offset entries to skip, 0 or more
 */
public record DlqQuery(
    String queue, String partition, String consumerGroup, Instant from, Instant to, int limit,
    int offset) {
  /**
   * Checks the paging.
   *
   * @param queue only this queue, or null
   * @param partition only this partition name, or null
   * @param consumerGroup only this group, or null
   * @param from only entries that failed at or after this instant, or null
   * @param to only entries that failed before this instant, or null
   * @param limit page size, 1 to 10 000
   * @param offset entries to skip, 0 or more
   * @throws IllegalArgumentException when {@code limit} or {@code offset} is out of bounds
   */
  public DlqQuery {
    if (limit < 1 || limit > 10_000) {
      throw new IllegalArgumentException("limit must be between 1 and 10000, was " + limit);
    }
    if (offset < 0) {
      throw new IllegalArgumentException("offset must be zero or positive, was " + offset);
    }
  }

  /**
   * The first page of one queue's entries.
   *
   * @param queue the queue
   * @return a query for every entry of {@code queue}, 100 per page, from the first
   */
  public static DlqQuery forQueue(String queue) {
    return new DlqQuery(queue, null, null, null, null, 100, 0);
  }
}
