package io.queen.admin;

/**
 * What a partition, queue or the whole system holds, by state. States follow queue mode where a
 * partition has a queue-mode cursor, and otherwise the slowest consumer group's cursor.
 *
 * @param total messages stored
 * @param pending not yet consumed (after the cursor and not leased)
 * @param processing leased right now
 * @param completed consumed (at or before the cursor), dead letters excluded
 * @param failed failed at least once and waiting to be retried
 * @param deadLetter in the dead-letter queue
 */
public record MessageCounts(
    long total, long pending, long processing, long completed, long failed, long deadLetter) {

  /** Nothing in any state. */
  public static final MessageCounts ZERO = new MessageCounts(0, 0, 0, 0, 0, 0);

  /**
   * The sum of two counts, state by state (for totals over partitions or queues).
   *
   * @param o the counts to add; not null
   * @return a new count with every state summed
   */
  public MessageCounts plus(MessageCounts o) {
    return new MessageCounts(total + o.total, pending + o.pending, processing + o.processing,
        completed + o.completed, failed + o.failed, deadLetter + o.deadLetter);
  }
}
