package io.queen.client;

import java.util.List;

/**
 * A committed transaction; immutable.
 *
 * @param transactionId the server's id of the transaction
 * @param acks the acknowledgements, in the order they were added
 * @param pushes the pushed items, in the order they were added
 */
public record TransactionResult(String transactionId, List<AckResult> acks, List<PushResult> pushes) {}
