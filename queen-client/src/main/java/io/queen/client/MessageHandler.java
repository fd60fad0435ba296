package io.queen.client;

/**
 * Processes one message of a {@link QueueBuilder#consume consumer}. Called on a consumer thread
 * ({@code queen-client-consumer-<queue>-N}), one message at a time per thread; messages of one
 * partition are handed over in order.
 */
@FunctionalInterface
public interface MessageHandler {
  /**
   * Processes the message. Returning settles it as {@link AckStatus#COMPLETED}; throwing as
   * {@link AckStatus#FAILED} with the exception's message as the error (when the consumer acks).
   *
   * @param message the message
   * @throws Exception when processing failed
   */
  void handle(Message message) throws Exception;
}
