package io.queen.internal.ops;

import static io.queen.internal.db.BatchContract.PushItem.*;

import io.queen.error.InvalidRequestException;
import io.queen.internal.crypto.QueueEncryption;
import io.queen.internal.runtime.EngineContext;
import io.queen.internal.wakeup.LongPolls;
import io.queen.internal.wakeup.QueueActivity;
import io.queen.json.JsonBuilder;
import io.queen.model.PushItem;
import io.queen.model.PushResult;
import io.queen.model.PushStatus;
import io.queen.model.TraceContext;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Push: validates the items on the caller's thread, gives each a message id (UUIDv7), and hands
 * the request to the {@link PushSink}. Also the push half of a transaction: preparing items, their
 * batch JSON, and the wake-ups a committed push causes. Thread-safe.
 */
public final class PushOperation {
  private final EngineContext context;
  private final PushSink sink;

  public PushOperation(EngineContext context, PushSink sink) {
    this.context = context;
    this.sink = sink;
  }

  /** Any thread: validates and submits; the future completes on a database thread. */
  public CompletableFuture<List<PushResult>> push(List<PushItem> items) {
    if (items == null) {
      throw new InvalidRequestException("items", "items is required");
    }
    var push = prepare(items, "items");
    if (items.isEmpty()) {
      return CompletableFuture.completedFuture(List.of());
    }
    return sink.push(push);
  }

  /** Validates {@code items}, naming problems {@code field[i].member}, and gives them their ids. */
  PreparedPush prepare(List<PushItem> items, String field) {
    var messageIds = new UUID[items.size()];
    var transactionIds = new String[items.size()];
    for (int i = 0; i < items.size(); i++) {
      var item = items.get(i);
      var f = field + "[" + i + "]";
      if (item == null) {
        throw new InvalidRequestException(f, f + " is required");
      }
      Validation.name(f + ".queue", item.queue());
      if (item.partition() != null) {
        Validation.name(f + ".partition", item.partition());
      }
      if (item.transactionId() != null) {
        Validation.transactionId(f + ".transactionId", item.transactionId());
      }
      if (item.traceId() != null && !item.traceId().isEmpty()) {
        Validation.uuid(f + ".traceId", item.traceId());
      }
      if (item.traceContext() != null) {
        // the record checked itself; this names the item when it did not come from parse
        TraceContext.parse(f, item.traceContext().traceparent(), item.traceContext().tracestate());
      }
      Validation.json(f + ".payload", item.payloadJson());
      Validation.text(f + ".producerSub", item.producerSub());
      messageIds[i] = context.nextId();
      transactionIds[i] =
          item.transactionId() != null ? item.transactionId() : messageIds[i].toString();
    }
    var copy = List.copyOf(items);
    var payloads = new String[copy.size()];
    for (int i = 0; i < payloads.length; i++) {
      payloads[i] = copy.get(i).payloadJson() == null ? "null" : copy.get(i).payloadJson();
    }
    return seal(context.encryption(), new PreparedPush(copy, messageIds, transactionIds,
        payloads, new boolean[copy.size()]));
  }

  /**
   * Any thread: {@code push} with the plain payloads of the queues known to be encrypted sealed
   * (itself when there are none). Without a key they stay plain, and {@code push_v1} refuses them.
   */
  static PreparedPush seal(QueueEncryption encryption, PreparedPush push) {
    if (!encryption.hasKey()) {
      return push;
    }
    String[] payloads = null;
    boolean[] sealed = null;
    for (int i = 0; i < push.items().size(); i++) {
      if (!push.sealed()[i] && encryption.isEncrypted(push.items().get(i).queue())) {
        if (payloads == null) {
          payloads = push.payloads().clone();
          sealed = push.sealed().clone();
        }
        payloads[i] = encryption.seal(payloads[i]);
        sealed[i] = true;
      }
    }
    return payloads == null ? push
        : new PreparedPush(push.items(), push.messageIds(), push.transactionIds(), payloads,
            sealed);
  }

  /** The items of these pushes, in order, as {@code push_v1}'s argument. */
  static String itemsJson(List<PreparedPush> pushes) {
    var w = new JsonBuilder(1024);
    w.beginArray();
    int index = 0;
    for (var push : pushes) {
      for (int i = 0; i < push.items().size(); i++) {
        var item = push.items().get(i);
        w.beginObject();
        w.name(INDEX).value(index++);
        w.name(QUEUE).value(item.queue());
        w.name(PARTITION).value(item.partitionOrDefault());
        w.name(MESSAGE_ID).value(push.messageIds()[i].toString());
        w.name(TRANSACTION_ID).value(push.transactionIds()[i]);
        if (item.traceId() != null && !item.traceId().isEmpty()) {
          w.name(TRACE_ID).value(item.traceId());
        }
        if (item.traceContext() != null) {
          w.name(TRACE_CONTEXT).value(item.traceContext().encoded());
        }
        if (item.producerSub() != null) {
          w.name(PRODUCER_SUB).value(item.producerSub());
        }
        w.name(PAYLOAD).jsonValue(push.payloads()[i]);
        if (push.sealed()[i]) {
          w.name(ENCRYPTED).value(true);
        }
        w.endObject();
      }
    }
    w.endArray();
    return w.toString();
  }

  /** The result of one pushed item, from its row. */
  static PushResult result(PreparedPush push, int i, PushStatus status, UUID messageId,
      UUID partitionId, String error) {
    var item = push.items().get(i);
    return new PushResult(status, messageId, partitionId, push.transactionIds()[i],
        Validation.emptyToNull(item.traceId()), item.queue(), error);
  }

  /** The queues of these pushes may have new messages (for the browser's partition order). */
  static void touch(QueueActivity activity, List<PreparedPush> pushes) {
    String last = null;
    for (var push : pushes) {
      for (var item : push.items()) {
        if (!item.queue().equals(last)) {
          last = item.queue();
          activity.touched(last);
        }
      }
    }
  }

  /** Wakes the waiters that the queued items of these pushes may satisfy. */
  static void wake(LongPolls longPolls, List<PreparedPush> pushes, List<List<PushResult>> results) {
    Map<String, Set<String>> partitionsByQueue = new HashMap<>();
    for (int c = 0; c < results.size(); c++) {
      var items = pushes.get(c).items();
      for (int i = 0; i < results.get(c).size(); i++) {
        if (results.get(c).get(i).status() == PushStatus.QUEUED) {
          var item = items.get(i);
          partitionsByQueue.computeIfAbsent(item.queue(), q -> new HashSet<>())
              .add(item.partitionOrDefault());
        }
      }
    }
    partitionsByQueue.forEach(longPolls::wake);
  }
}
