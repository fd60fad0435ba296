package io.queen.internal.ops;

import static io.queen.internal.db.BatchContract.AckItem.*;

import io.queen.error.InvalidRequestException;
import io.queen.internal.batch.GroupCommitter;
import io.queen.internal.db.Jdbc;
import io.queen.internal.runtime.EngineContext;
import io.queen.internal.wakeup.LongPolls;
import io.queen.json.JsonBuilder;
import io.queen.model.AckItem;
import io.queen.model.AckResult;
import io.queen.model.AckStatus;
import io.queen.model.PopRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Acknowledgement: concurrent acks are gathered into one {@code ack_v1} call (group commit).
 * When an ack ends a lease, the waiters of that partition look again; any other ack on a queue
 * frees row locks that busy waiters may have skipped. Also the ack half of a transaction
 * (validation and batch JSON). Thread-safe; futures complete on database threads.
 */
public final class AckOperation {
  private final EngineContext context;
  private final LongPolls longPolls;
  private final String statement;
  private final GroupCommitter<List<AckItem>, List<AckResult>> committer;

  public AckOperation(EngineContext context, LongPolls longPolls) {
    this.context = context;
    this.longPolls = longPolls;
    this.statement = context.sql("ack");
    this.committer = context.committer("ack", this::run, List::size);
  }

  public GroupCommitter<?, ?> committer() {
    return committer;
  }

  /** Any thread: validates and submits. */
  public CompletableFuture<List<AckResult>> ack(List<AckItem> items) {
    if (items == null) {
      throw new InvalidRequestException("acknowledgments", "acknowledgments is required");
    }
    validate(items, "acknowledgments");
    if (items.isEmpty()) {
      return CompletableFuture.completedFuture(List.of());
    }
    return committer.submit(List.copyOf(items)).thenApply(results -> {
      for (var r : results) {
        if (r.leaseReleased()) {
          longPolls.wake(r.queue(), Set.of(r.partition()));
        } else if (r.queue() != null) {
          longPolls.wakeBusy(r.queue());
        }
      }
      return results;
    });
  }

  /** Checks every ack, naming problems {@code field[i].member}. */
  static void validate(List<AckItem> items, String field) {
    for (int i = 0; i < items.size(); i++) {
      var a = items.get(i);
      var f = field + "[" + i + "]";
      if (a == null) {
        throw new InvalidRequestException(f, f + " is required");
      }
      Validation.transactionId(f + ".transactionId", a.transactionId());
      Validation.uuid(f + ".partitionId", a.partitionId());
      if (a.status() == null) {
        throw new InvalidRequestException(f + ".status", f + ".status is required");
      }
      if (a.consumerGroup() != null) {
        Validation.name(f + ".consumerGroup", a.consumerGroup());
      }
      // refused here, or the whole batch of acks it joins would fail in the database
      Validation.text(f + ".error", a.error());
      if (a.leaseId() != null && !a.leaseId().isEmpty()) {
        Validation.uuid(f + ".leaseId", a.leaseId());
      }
    }
  }

  /** The acks, in order, as {@code ack_v1}'s argument. */
  static String acksJson(List<AckItem> items) {
    var w = new JsonBuilder(1024);
    w.beginArray();
    for (int i = 0; i < items.size(); i++) {
      var a = items.get(i);
      w.beginObject();
      w.name(INDEX).value(i);
      w.name(TRANSACTION_ID).value(a.transactionId());
      w.name(PARTITION_ID).value(a.partitionId());
      w.name(STATUS).value(a.status() == AckStatus.COMPLETED ? "completed" : a.status().wireName());
      w.name(GROUP).value(a.consumerGroup() == null ? PopRequest.QUEUE_MODE : a.consumerGroup());
      w.name(LEASE_ID).value(Validation.emptyToNull(a.leaseId()));
      w.name(ERROR).value(a.error());
      w.endObject();
    }
    w.endArray();
    return w.toString();
  }

  /** A database thread: one batch of acks, one statement (auto-committed: one round trip). */
  private List<List<AckResult>> run(List<List<AckItem>> calls) {
    var all = new ArrayList<AckItem>();
    calls.forEach(all::addAll);
    var json = acksJson(all);
    var flat = new AckResult[all.size()];
    context.db().inOneStatement("ack", c -> {
      Jdbc.query(c, statement, rs -> {
        int idx = rs.getInt(1);
        flat[idx] = new AckResult(all.get(idx).transactionId(), rs.getBoolean(2), rs.getString(3),
            rs.getString(4), rs.getString(5), rs.getBoolean(6), rs.getBoolean(7));
      }, json, context.now());
      return null;
    });
    var results = new ArrayList<List<AckResult>>(calls.size());
    int index = 0;
    for (var call : calls) {
      results.add(List.copyOf(Arrays.asList(flat).subList(index, index + call.size())));
      index += call.size();
    }
    return results;
  }
}
