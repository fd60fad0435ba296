package io.queen.internal.ops;

import io.queen.model.PushItem;
import java.util.List;
import java.util.UUID;

/**
 * A validated push request with the ids the engine gave it: a message id per item, the
 * transaction id each item is stored under (its own, or its message id), and the payload it is
 * stored with: the item's own, or its encrypted form when {@code sealed} says so (sealed once,
 * wherever the push goes next). Immutable by convention: the arrays are never written after
 * {@link PushOperation} made them.
 */
public record PreparedPush(List<PushItem> items, UUID[] messageIds, String[] transactionIds,
    String[] payloads, boolean[] sealed) {}
