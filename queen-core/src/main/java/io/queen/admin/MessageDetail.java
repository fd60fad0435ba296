package io.queen.admin;

import io.queen.model.QueueOptions;
import java.time.Instant;
import java.util.List;

/**
 * One stored message, whole.
 *
 * @param message what the browser lists
 * @param payloadJson its payload as JSON text
 * @param encrypted whether it is stored encrypted
 * @param errorMessage its last failure's error (queue mode, or the DLQ's), or null
 * @param retryCount failures counted (queue mode, or the DLQ's)
 * @param options its queue's configuration
 * @param groups what each group with a cursor on its partition did with it
 */
public record MessageDetail(
    BrowsedMessage message, String payloadJson, boolean encrypted, String errorMessage,
    int retryCount, QueueOptions options, List<GroupView> groups) {
  /**
   * Copies the list of groups.
   *
   * @param message what the browser lists
   * @param payloadJson its payload as JSON text
   * @param encrypted whether it is stored encrypted
   * @param errorMessage its last failure's error, or null
   * @param retryCount failures counted
   * @param options its queue's configuration
   * @param groups what each group with a cursor on its partition did with it; not null
   */
  public MessageDetail {
    groups = List.copyOf(groups);
  }

  /**
   * One group's view of the message.
   *
   * @param group the group ({@code __QUEUE_MODE__} for queue mode)
   * @param consumed whether its cursor passed the message
   * @param leaseExpiresAt its live lease's expiry when the message is in it, else null
   */
  public record GroupView(String group, boolean consumed, Instant leaseExpiresAt) {}
}
