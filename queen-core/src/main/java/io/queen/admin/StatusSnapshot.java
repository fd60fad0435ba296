package io.queen.admin;

import java.util.List;

/**
 * Leases and dead letters right now, for the status page.
 *
 * @param activeLeases live partition leases
 * @param partitionsWithLeases partitions under at least one
 * @param totalAcked acks received under them so far
 * @param totalBatchSize messages they cover
 * @param deadLetters dead-letter entries
 * @param deadLetterPartitions partitions with at least one
 * @param topErrors the five most frequent dead-letter errors, most frequent first
 */
public record StatusSnapshot(int activeLeases, int partitionsWithLeases, long totalAcked,
    long totalBatchSize, long deadLetters, int deadLetterPartitions, List<ErrorCount> topErrors) {
  /**
   * Copies the list of errors.
   *
   * @param activeLeases live partition leases
   * @param partitionsWithLeases partitions under at least one
   * @param totalAcked acks received under them so far
   * @param totalBatchSize messages they cover
   * @param deadLetters dead-letter entries
   * @param deadLetterPartitions partitions with at least one
   * @param topErrors the most frequent dead-letter errors; not null
   */
  public StatusSnapshot {
    topErrors = List.copyOf(topErrors);
  }

  /**
   * An error message and how many dead-letter entries carry it.
   *
   * @param error the error message
   * @param count the dead-letter entries carrying it
   */
  public record ErrorCount(String error, long count) {}
}
