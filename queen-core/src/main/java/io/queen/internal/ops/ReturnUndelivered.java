package io.queen.internal.ops;

import io.queen.error.InvalidRequestException;
import io.queen.internal.db.Jdbc;
import io.queen.internal.runtime.EngineContext;
import io.queen.internal.wakeup.LongPolls;
import io.queen.model.Message;
import io.queen.model.PopRequest;
import io.queen.model.PopResult;
import java.util.HashSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Takes back a pop result its consumer never received: a leased result's lease is released
 * without counting failures; an auto-acked result's messages are unsettled for the group (a state
 * row below the cursor, as a dead-letter requeue makes), so they come back first, in order.
 * Thread-safe.
 */
public final class ReturnUndelivered {
  private final EngineContext context;
  private final LeaseOperation leases;
  private final LongPolls longPolls;
  private final String unsettle;

  public ReturnUndelivered(EngineContext context, LeaseOperation leases, LongPolls longPolls) {
    this.context = context;
    this.leases = leases;
    this.longPolls = longPolls;
    this.unsettle = context.sql("unsettle");
  }

  /** Any thread: completes with the partition leases or messages returned. */
  public CompletableFuture<Integer> returnUndelivered(PopResult result) {
    if (result == null) {
      throw new InvalidRequestException("result", "result is required");
    }
    if (result.isEmpty()) {
      return CompletableFuture.completedFuture(0);
    }
    if (result.leaseId() != null && !result.leaseId().isEmpty()) {
      return leases.release(result.leaseId());
    }
    var messageIds = result.messages().stream().map(Message::id).toArray(UUID[]::new);
    var group = result.consumerGroup() == null ? PopRequest.QUEUE_MODE : result.consumerGroup();
    var queues = new HashSet<String>();
    result.messages().forEach(m -> queues.add(m.queue()));
    return context.single(() -> {
      int n = context.db().inTransaction("return undelivered messages", true,
          c -> Jdbc.scalarInt(c, unsettle, group, Jdbc.uuids(messageIds)));
      queues.forEach(longPolls::wake);
      return n;
    });
  }
}
