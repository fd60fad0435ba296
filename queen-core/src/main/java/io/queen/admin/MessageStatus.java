package io.queen.admin;

import java.util.Locale;

/** A stored message's state, as the message browser derives it. */
public enum MessageStatus {
  /** Not yet consumed. */
  PENDING,
  /** Delivered under a live lease. */
  PROCESSING,
  /** Consumed (queue mode), or consumed by every group that reads its partition. */
  COMPLETED,
  /** In the dead-letter queue. */
  DEAD_LETTER;

  /**
   * The wire name: {@code pending}, {@code processing}, {@code completed}, {@code dead_letter}.
   *
   * @return the constant's name in lower case
   */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a wire name.
   *
   * @param value a wire name, as {@link #wireName()} gives it (case-sensitive)
   * @return the state with that wire name
   * @throws IllegalArgumentException naming the value when it is none of them
   */
  public static MessageStatus parse(String value) {
    for (var s : values()) {
      if (s.wireName().equals(value)) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "status must be one of pending, processing, completed, dead_letter; was '" + value + "'");
  }
}
