package io.queen.model;

import java.util.List;

/**
 * Acks and pushes that commit together or not at all.
 *
 * @param acks acknowledgements, applied with the ack rules (including the lease check when an ack
 *     carries a lease id)
 * @param pushes messages to push, with the push rules (a duplicate is reported, it does not abort)
 * @param requiredLeases lease ids that must all be live, or the whole transaction fails
 */
public record TransactionRequest(List<AckItem> acks, List<PushItem> pushes, List<String> requiredLeases) {
  /**
   * Copies the lists (their items are checked when the transaction runs).
   *
   * @param acks acknowledgements, applied first; not null, may be empty
   * @param pushes messages to push; not null, may be empty
   * @param requiredLeases lease ids that must all be live; not null, may be empty
   */
  public TransactionRequest {
    acks = List.copyOf(acks);
    pushes = List.copyOf(pushes);
    requiredLeases = List.copyOf(requiredLeases);
  }
}
