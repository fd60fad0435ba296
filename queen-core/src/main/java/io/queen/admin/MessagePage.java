package io.queen.admin;

import java.util.List;

/**
 * A page of the message browser.
 *
 * @param messages the messages, newest first
 * @param hasQueueMode whether the filtered queue (or any queue, without a queue filter) is read
 *     in queue mode
 * @param busGroups named groups reading it
 */
public record MessagePage(List<BrowsedMessage> messages, boolean hasQueueMode, int busGroups) {
  /**
   * Copies the list of messages.
   *
   * @param messages the messages, newest first; not null
   * @param hasQueueMode whether the filtered queue is read in queue mode
   * @param busGroups named groups reading it
   */
  public MessagePage {
    messages = List.copyOf(messages);
  }

  /**
   * {@code queue}, {@code bus}, {@code hybrid} or {@code none}.
   *
   * @return {@code hybrid} with queue mode and named groups, {@code queue} with queue mode only,
   *     {@code bus} with named groups only, {@code none} with neither
   */
  public String modeType() {
    if (hasQueueMode) {
      return busGroups > 0 ? "hybrid" : "queue";
    }
    return busGroups > 0 ? "bus" : "none";
  }
}
