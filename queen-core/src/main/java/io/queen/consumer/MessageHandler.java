package io.queen.consumer;

import io.queen.model.Message;

/**
 * Processes one message. Returning normally acks it {@code completed}; throwing acks it
 * {@code failed} with the exception's message (redelivered until the queue's retry limit, then
 * dead-lettered). Called on a consumer thread; may block.
 */
@FunctionalInterface
public interface MessageHandler {
  void handle(Message message) throws Exception;
}
