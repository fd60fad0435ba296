package io.queen.consumer;

import io.queen.model.Message;

/**
 * Processes one message. Returning normally acks it {@code completed}; throwing acks it
 * {@code failed} with the exception's message (redelivered until the queue's retry limit, then
 * dead-lettered). Called on a consumer thread; may block.
 */
@FunctionalInterface
public interface MessageHandler {
  /**
   * Processes one message. Called by {@link QueenConsumer} on one of its consumer threads,
   * {@code queen-consumer-<queue>-N}, inside the message's tracing scope; the messages of one
   * batch are handled one after another on the same thread, in order, and acked together after
   * the last. Several threads call it concurrently when the consumer's concurrency is above 1.
   *
   * @param message the message, with its payload decrypted
   * @throws Exception any failure: the message is acked {@code failed} with the exception's
   *     {@link Throwable#toString()} (class and message) as its error
   */
  void handle(Message message) throws Exception;
}
