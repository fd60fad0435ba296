package io.queen.client;

/**
 * The server's answer for one pushed item; immutable.
 *
 * @param index the item's position in the push
 * @param status what was done with it
 * @param messageId the stored message's id ({@code null} when it failed)
 * @param transactionId its transaction id (the one sent)
 * @param partitionId the partition's id ({@code null} while buffered or when it failed)
 * @param error why it failed, or {@code null}
 */
public record PushResult(int index, PushStatus status, String messageId, String transactionId,
    String partitionId, String error) {}
