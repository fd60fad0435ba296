package io.queen.admin;

import java.time.Instant;

/**
 * A filter over stored messages; every field but the time range and paging may be null (any).
 *
 * @param queue only this queue
 * @param partition only this partition name (with {@code queue})
 * @param namespace only queues of this namespace
 * @param task only queues of this task
 * @param status only messages in this state
 * @param from pushed at or after this instant
 * @param to pushed before this instant
 * @param limit page size, 1 to 10 000
 * @param offset messages to skip, 0 to 1 000 000
 */
public record MessageQuery(
    String queue, String partition, String namespace, String task, MessageStatus status,
    Instant from, Instant to, int limit, int offset) {
  /**
   * Checks the range and the paging.
   *
   * @param queue only this queue, or null
   * @param partition only this partition name, or null; needs {@code queue}
   * @param namespace only queues of this namespace, or null
   * @param task only queues of this task, or null
   * @param status only messages in this state, or null
   * @param from pushed at or after this instant; not null
   * @param to pushed before this instant; not null, after {@code from}
   * @param limit page size, 1 to 10 000
   * @param offset messages to skip, 0 to 1 000 000
   * @throws IllegalArgumentException when a bound is broken
   */
  public MessageQuery {
    if (from == null || to == null) {
      throw new IllegalArgumentException("from and to are required");
    }
    if (!from.isBefore(to)) {
      throw new IllegalArgumentException("from (" + from + ") must be before to (" + to + ")");
    }
    if (limit < 1 || limit > 10_000) {
      throw new IllegalArgumentException("limit must be between 1 and 10000, was " + limit);
    }
    if (offset < 0 || offset > 1_000_000) {
      throw new IllegalArgumentException("offset must be between 0 and 1000000, was " + offset);
    }
    if (partition != null && queue == null) {
      throw new IllegalArgumentException("partition needs queue");
    }
  }
}
