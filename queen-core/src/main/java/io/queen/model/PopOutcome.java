package io.queen.model;

/** Why a pop returned what it did. */
public enum PopOutcome {
  /** Messages were returned (or, for a long poll, could be). */
  MESSAGES,
  /** Wildcard pop: no partition had deliverable messages for the group. */
  NO_AVAILABLE_PARTITION,
  /**
   * Wildcard pop: nothing was claimed, but partitions were skipped because other consumers were
   * claiming them at that moment; messages may be left, so a caller that polls should try again
   * soon. (A waiting pop does this by itself.)
   */
  BUSY,
  /** Named-partition pop: the partition exists and is free, but holds nothing to deliver now. */
  NO_MESSAGES,
  /** Named-partition pop: the queue or the partition does not exist. */
  PARTITION_NOT_FOUND,
  /** Named-partition pop: another consumer of the group holds the partition's live lease. */
  LEASE_HELD,
  /** Named-partition pop: the queue's window buffer is still open on this partition. */
  WINDOW_BUFFER_ACTIVE,
  /** Long poll: the timeout passed with nothing to deliver. */
  TIMED_OUT,
  /** Pop maintenance is on: pops answer at once with nothing, and lease nothing. */
  PAUSED;

  /**
   * The original's wire error string for empty outcomes.
   *
   * @return the constant's name in lower case, for example {@code no_available_partition}
   */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
