package io.queen.internal.ops;

import io.queen.model.PushItem;
import java.util.List;
import java.util.UUID;

/**
 * A validated push request with the ids the engine gave it: a message id per item, and the
 * transaction id each item is stored under (its own, or its message id). Immutable.
 */
public record PreparedPush(List<PushItem> items, UUID[] messageIds, String[] transactionIds) {}
