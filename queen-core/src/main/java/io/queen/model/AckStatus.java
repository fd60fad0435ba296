package io.queen.model;

import java.util.Locale;

/** How a consumer settles a delivered message. */
public enum AckStatus {
  /** Done: the message is settled for the group. Wire names {@code completed} and {@code success}. */
  COMPLETED,
  /** Failed: counts a failure; past the queue's {@code retryLimit} it goes to the dead-letter queue. */
  FAILED,
  /** Straight to the dead-letter queue, settled. */
  DLQ,
  /** Redeliver without counting a failure. */
  RETRY;

  /**
   * Parses a wire status.
   *
   * @param value {@code completed}, {@code success}, {@code failed}, {@code dlq} or
   *     {@code retry}, in any case; not null
   * @return the status it names
   * @throws IllegalArgumentException naming the value when it is not a known status
   */
  public static AckStatus parse(String value) {
    switch (value.toLowerCase(Locale.ROOT)) {
      case "completed":
      case "success":
        return COMPLETED;
      case "failed":
        return FAILED;
      case "dlq":
        return DLQ;
      case "retry":
        return RETRY;
      default:
        throw new IllegalArgumentException(
            "status must be one of completed, success, failed, dlq, retry; was '" + value + "'");
    }
  }

  /**
   * The wire name.
   *
   * @return the constant's name in lower case: {@code completed}, {@code failed}, {@code dlq} or
   *     {@code retry}
   */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
