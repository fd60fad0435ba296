package io.queen.client;

/**
 * One dead-letter entry; immutable.
 *
 * @param id the message id
 * @param transactionId the message's transaction id
 * @param partitionId its partition's id
 * @param queue its queue
 * @param partition its partition's name
 * @param consumerGroup the group it failed for ({@code null} or {@code __QUEUE_MODE__} in queue mode)
 * @param errorMessage the error of its last failure
 * @param retryCount how many times it failed
 * @param data the payload as JSON text
 * @param createdAt when it was pushed
 * @param failedAt when it was dead-lettered
 */
public record DlqMessage(String id, String transactionId, String partitionId, String queue, String partition,
    String consumerGroup, String errorMessage, int retryCount, String data, String createdAt, String failedAt) {}
