package io.queen.client;

/** How a delivered message is settled. */
public enum AckStatus {
  /** Processed: the message is done for its group. */
  COMPLETED("completed"),
  /** Failed: counts a failure; redelivered until the queue's {@code retryLimit}, then dead-lettered. */
  FAILED("failed"),
  /** Moved to the dead-letter queue at once. */
  DLQ("dlq"),
  /** Redelivered without counting a failure (our server; the original treats it as unknown). */
  RETRY("retry");

  private final String wire;

  AckStatus(String wire) {
    this.wire = wire;
  }

  /**
   * The name sent to the server.
   *
   * @return {@code completed}, {@code failed}, {@code dlq} or {@code retry}
   */
  public String wireName() {
    return wire;
  }
}
