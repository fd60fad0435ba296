package io.queen.internal.ops;

import static io.queen.internal.db.BatchContract.PopRequest.*;

import io.queen.error.InvalidRequestException;
import io.queen.internal.batch.GroupCommitter;
import io.queen.internal.crypto.QueueEncryption;
import io.queen.internal.db.Database;
import io.queen.internal.db.Jdbc;
import io.queen.internal.runtime.EngineContext;
import io.queen.internal.wakeup.LongPolls;
import io.queen.json.JsonBuilder;
import io.queen.model.Message;
import io.queen.model.PopOutcome;
import io.queen.model.PopRequest;
import io.queen.model.PopResult;
import io.queen.model.SubscriptionMode;
import io.queen.model.TraceContext;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pop: concurrent pops are gathered into one {@code pop_v1} call (group commit); a pop that may
 * wait becomes a {@link LongPolls} waiter that pops again when woken. A result that no caller
 * receives is handed back ({@link ReturnUndelivered}), so nothing it leased or settled is lost.
 * Thread-safe; futures complete on database threads.
 */
public final class PopOperation {
  private static final Logger LOG = LoggerFactory.getLogger(PopOperation.class);

  /** One pop as the batch carries it: the request, its lease id, where a new group starts. */
  record Call(PopRequest request, UUID leaseId, String mode, Instant from) {}

  private final EngineContext context;
  private final String statement;
  private final QueueEncryption encryption;
  private final BooleanSupplier paused;
  private final GroupCommitter<Call, PopResult> committer;
  private final LongPolls longPolls;
  private final ReturnUndelivered returns;

  /**
   * @param longPolls built on {@link #popOnce} and {@link #giveBack} of this operation
   * @param paused whether pop maintenance is on
   */
  public PopOperation(EngineContext context, LongPolls longPolls, ReturnUndelivered returns,
      BooleanSupplier paused) {
    this.paused = paused;
    this.context = context;
    this.statement = context.sql("pop");
    this.encryption = context.encryption();
    var config = context.config();
    this.committer = context.committer("pop", this::run, c -> 1,
        Math.max(1, config.maxBatchItems() / 10), config.maxConcurrentBatches());
    this.returns = returns;
    this.longPolls = longPolls;
  }

  public GroupCommitter<?, ?> committer() {
    return committer;
  }

  /** Any thread: validates, then pops once or parks a long poll. */
  public CompletableFuture<PopResult> pop(PopRequest request) {
    validate(request);
    if (paused.getAsBoolean()) {
      return paused(request);
    }
    encryption.checkReadable(request.queue());
    if (request.waits()) {
      return longPolls.pop(request);
    }
    var caller = new CompletableFuture<PopResult>();
    popOnce(request).whenComplete((r, e) -> {
      if (e != null) {
        caller.completeExceptionally(e);
      } else if (!caller.complete(r)) {
        giveBack(r);
      }
    });
    return caller;
  }

  private static void validate(PopRequest request) {
    if (request == null) {
      throw new InvalidRequestException("request", "pop request is required");
    }
    if (request.queue() != null) {
      Validation.name("queue", request.queue());
    } else if (request.namespace() == null && request.task() == null) {
      throw new InvalidRequestException("queue", "a pop needs a queue, or a namespace and/or task");
    }
    if (request.partition() != null) {
      Validation.name("partition", request.partition());
    }
    if (request.consumerGroup() != null) {
      Validation.name("consumerGroup", request.consumerGroup());
    }
  }

  private static CompletableFuture<PopResult> paused(PopRequest request) {
    return CompletableFuture.completedFuture(
        PopResult.empty(PopOutcome.PAUSED, request.groupOrQueueMode()));
  }

  /** Any thread: one pop that does not wait (what a long poll runs each time it looks). */
  public CompletableFuture<PopResult> popOnce(PopRequest request) {
    if (paused.getAsBoolean()) {
      return paused(request); // a parked long poll finds nothing: it waits on, leasing nothing
    }
    var mode = request.subscriptionMode() != null
        ? request.subscriptionMode() : context.config().defaultSubscriptionMode();
    return committer.submit(new Call(request, context.nextId(),
        mode == SubscriptionMode.NEW ? "new" : "all", request.subscriptionFrom()));
  }

  /**
   * Any thread: a pop result nobody will receive is given back, so its messages are redelivered
   * at once; a failure to do so is logged (the lease then expires as usual).
   */
  public void giveBack(PopResult result) {
    if (result == null || result.isEmpty()) {
      return;
    }
    returns.returnUndelivered(result).whenComplete((n, e) -> {
      if (e != null) {
        LOG.warn("could not return an undelivered pop result ({} messages): {}",
            result.messages().size(), e.getMessage());
      } else {
        LOG.debug("returned an undelivered pop result ({} messages)", result.messages().size());
      }
    });
  }

  static String requestsJson(List<Call> calls) {
    var w = new JsonBuilder(1024);
    w.beginArray();
    for (int i = 0; i < calls.size(); i++) {
      var call = calls.get(i);
      var r = call.request();
      w.beginObject();
      w.name(INDEX).value(i);
      w.name(QUEUE).value(r.queue());
      w.name(PARTITION).value(r.partition());
      w.name(NAMESPACE).value(r.namespace());
      w.name(TASK).value(r.task());
      w.name(GROUP).value(r.groupOrQueueMode());
      w.name(BATCH).value(r.batch());
      w.name(PARTITIONS).value(r.partition() == null ? r.partitions() : 1);
      w.name(AUTO_ACK).value(r.autoAck());
      w.name(LEASE_ID).value(call.leaseId().toString());
      w.name(SUBSCRIPTION_MODE).value(call.mode());
      w.name(SUBSCRIPTION_FROM).value(call.from() == null ? null : call.from().toString());
      w.endObject();
    }
    w.endArray();
    return w.toString();
  }

  /**
   * A database thread: one batch of pops, one transaction. Not auto-committed like a push or an
   * ack: its rows are read (encrypted payloads opened) before the commit, so a payload that
   * cannot be opened rolls back what the pop leased or settled.
   */
  private List<PopResult> run(List<Call> calls) {
    var json = requestsJson(calls);
    List<List<Message>> messages = new ArrayList<>();
    var outcomes = new PopOutcome[calls.size()];
    boolean anyAutoAck = false;
    for (var call : calls) {
      messages.add(new ArrayList<>());
      anyAutoAck |= call.request().autoAck();
    }
    boolean autoAckRequested = anyAutoAck;
    context.db().inTransaction("pop", true, c -> {
      Jdbc.query(c, statement, rs -> {
        int idx = rs.getInt(1);
        var outcome = rs.getString(2);
        if (!"messages".equals(outcome)) {
          outcomes[idx] = PopOutcome.valueOf(outcome.toUpperCase());
          return;
        }
        outcomes[idx] = PopOutcome.MESSAGES;
        var group = calls.get(idx).request().groupOrQueueMode();
        var trace = rs.getObject(6, UUID.class);
        var created = rs.getObject(9, OffsetDateTime.class);
        var id = rs.getObject(4, UUID.class);
        // opened inside the transaction: a payload that cannot be opened rolls the pop back,
        // leaving nothing leased or settled that its caller never saw
        var payload = encryption.delivered(rs.getString(7), id, rs.getString(10));
        messages.get(idx).add(new Message(id, rs.getString(5),
            trace == null ? null : trace.toString(), payload, rs.getString(8),
            created == null ? null : created.toInstant(), rs.getString(10), rs.getString(11),
            rs.getObject(12, UUID.class), rs.getString(3), group, rs.getInt(13),
            TraceContext.decode(rs.getString(14))));
      }, json, context.now());
      // Only settled (auto-acked) deliveries need a durable commit. Leases, and the row locks
      // that even an empty pop writes, may be lost in a crash: that only means an earlier
      // redelivery. Skipping the WAL flush keeps empty and leasing pops off the fsync path.
      boolean settledSomething = false;
      for (int i = 0; autoAckRequested && i < calls.size(); i++) {
        settledSomething |= calls.get(i).request().autoAck() && !messages.get(i).isEmpty();
      }
      if (!settledSomething) {
        Database.commitWithoutFlush(c);
      }
      return null;
    });
    wakeAfter(calls, messages);
    var results = new ArrayList<PopResult>(calls.size());
    for (int i = 0; i < calls.size(); i++) {
      var call = calls.get(i);
      var list = messages.get(i);
      var group = call.request().groupOrQueueMode();
      if (list.isEmpty()) {
        var outcome = outcomes[i] == null || outcomes[i] == PopOutcome.MESSAGES
            ? PopOutcome.NO_AVAILABLE_PARTITION : outcomes[i];
        results.add(PopResult.empty(outcome, group));
      } else {
        var partitions = new HashSet<UUID>();
        list.forEach(m -> partitions.add(m.partitionId()));
        var lease = call.request().autoAck() ? "" : call.leaseId().toString();
        results.add(new PopResult(PopOutcome.MESSAGES, lease, group, partitions.size(), list));
      }
    }
    return results;
  }

  /**
   * Locks this batch held are gone: waiters that skipped them may find messages now. And a pop
   * that came back full suggests more are waiting: relay to one more waiter of its group.
   */
  private void wakeAfter(List<Call> calls, List<List<Message>> messages) {
    var claimedQueues = new HashSet<String>();
    var fullQueues = new HashSet<String>();
    for (int i = 0; i < calls.size(); i++) {
      var list = messages.get(i);
      list.forEach(m -> claimedQueues.add(m.queue()));
      if (!list.isEmpty() && list.size() >= calls.get(i).request().batch()) {
        fullQueues.add(list.get(list.size() - 1).queue());
      }
    }
    claimedQueues.forEach(longPolls::wakeBusy);
    fullQueues.forEach(longPolls::relay);
  }
}
