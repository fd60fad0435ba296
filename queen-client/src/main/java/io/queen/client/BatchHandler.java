package io.queen.client;

import java.util.List;

/**
 * Processes a whole popped batch of a {@link QueueBuilder#consumeBatch consumer}, on a consumer
 * thread ({@code queen-client-consumer-<queue>-N}); the batch comes from one partition (or, with
 * {@link QueueBuilder#partitions}, from several), in order.
 */
@FunctionalInterface
public interface BatchHandler {
  /**
   * Processes the batch. Returning settles every message as completed; throwing settles every one
   * as failed (when the consumer acks).
   *
   * @param messages the batch, never empty
   * @throws Exception when processing failed
   */
  void handle(List<Message> messages) throws Exception;
}
