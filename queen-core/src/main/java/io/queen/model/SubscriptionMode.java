package io.queen.model;

import java.util.Locale;

/** Where a named consumer group starts reading a queue the first time it appears on it. */
public enum SubscriptionMode {
  /** From the beginning of each partition. */
  ALL,
  /** From the moment the group first appears on the queue (also for partitions created later). */
  NEW;

  /**
   * Parses the wire value: {@code all} (or empty) and its synonym {@code from_beginning} (what
   * Queen's own clients send), {@code new}, {@code new-only}.
   *
   * @param value the wire value, in any case, surrounding blanks ignored; not null
   * @return the mode it names
   * @throws IllegalArgumentException naming the value when it is none of those
   */
  public static SubscriptionMode parse(String value) {
    var v = value.trim().toLowerCase(Locale.ROOT);
    switch (v) {
      case "":
      case "all":
      case "from_beginning":
        return ALL;
      case "new":
      case "new-only":
        return NEW;
      default:
        throw new IllegalArgumentException(
            "subscriptionMode must be one of all, from_beginning, new, new-only; was '" + value + "'");
    }
  }
}
