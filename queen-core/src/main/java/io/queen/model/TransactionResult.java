package io.queen.model;

import java.util.List;
import java.util.UUID;

/**
 * The outcome of a transaction.
 *
 * @param transactionId an id for this transaction
 * @param success whether everything committed
 * @param error why it rolled back, null on success
 * @param ackResults one per ack, in order (empty when rolled back)
 * @param pushResults one per push, in order (empty when rolled back)
 */
public record TransactionResult(
    UUID transactionId, boolean success, String error, List<AckResult> ackResults,
    List<PushResult> pushResults) {}
