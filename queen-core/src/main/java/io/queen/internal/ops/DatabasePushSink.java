package io.queen.internal.ops;

import io.queen.internal.batch.GroupCommitter;
import io.queen.internal.crypto.QueueEncryption;
import io.queen.internal.db.Jdbc;
import io.queen.internal.runtime.EngineContext;
import io.queen.internal.wakeup.LongPolls;
import io.queen.internal.wakeup.QueueActivity;
import io.queen.model.PushItem;
import io.queen.model.PushResult;
import io.queen.model.PushStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The {@link PushSink} that commits: concurrent pushes are gathered into one {@code push_v1} call
 * and one transaction (group commit), and a future completes only after its items committed.
 * Then the long polls those items may satisfy are woken. Thread-safe.
 */
public final class DatabasePushSink implements PushSink {
  /** push_v1's status for a plain payload of an encrypted queue (never reaches a caller). */
  private static final String NEEDS_ENCRYPTION = "needs_encryption";

  private record Row(String status, UUID messageId, UUID partitionId, String error) {}

  private final EngineContext context;
  private final LongPolls longPolls;
  private final QueueActivity activity;
  private final Supplier<String> notifyChannel;
  private final String statement;
  private final GroupCommitter<PreparedPush, List<PushResult>> committer;

  /** @param notifyChannel the channel to NOTIFY other instances on, or null for none (per batch) */
  public DatabasePushSink(EngineContext context, LongPolls longPolls, QueueActivity activity,
      Supplier<String> notifyChannel) {
    this.context = context;
    this.longPolls = longPolls;
    this.activity = activity;
    this.notifyChannel = notifyChannel;
    this.statement = context.sql("push");
    this.committer = context.committer("push", this::run, p -> p.items().size());
  }

  @Override
  public CompletableFuture<List<PushResult>> push(PreparedPush push) {
    return committer.submit(push);
  }

  public GroupCommitter<PreparedPush, List<PushResult>> committer() {
    return committer;
  }

  /**
   * A database thread: these pushes in one transaction, in the order given, as a group commit
   * would (the file buffer's replay, which must not let two batches overtake each other).
   */
  public List<List<PushResult>> commitInOrder(List<PreparedPush> pushes) {
    return run(pushes);
  }

  /**
   * A database thread: one batch, one transaction; a second one for the items {@code push_v1}
   * refused as plain payloads of an encrypted queue, sealed this time (each item's ids are kept,
   * and so is their order within a partition: every item of such a queue was refused).
   */
  private List<List<PushResult>> run(List<PreparedPush> pushes) {
    try {
      return commitAndWake(pushes);
    } finally {
      // whatever the outcome: a failure may come after the commit (the resend, a lost answer)
      PushOperation.touch(activity, pushes);
    }
  }

  private List<List<PushResult>> commitAndWake(List<PreparedPush> pushes) {
    var rows = commit(pushes);
    List<int[]> refused = new ArrayList<>();
    int index = 0;
    for (int p = 0; p < pushes.size(); p++) {
      for (int i = 0; i < pushes.get(p).items().size(); i++, index++) {
        if (NEEDS_ENCRYPTION.equals(rows.get(index).status())) {
          refused.add(new int[] {p, i, index});
        }
      }
    }
    if (!refused.isEmpty()) {
      resend(pushes, refused, rows);
    }
    var results = new ArrayList<List<PushResult>>(pushes.size());
    index = 0;
    for (var push : pushes) {
      var list = new ArrayList<PushResult>(push.items().size());
      for (int i = 0; i < push.items().size(); i++) {
        var row = rows.get(index++);
        list.add(PushOperation.result(push, i, PushStatus.valueOf(row.status().toUpperCase()),
            row.messageId(), row.partitionId(), row.error()));
      }
      results.add(list);
    }
    PushOperation.wake(longPolls, pushes, results);
    return results;
  }

  /** The refused items ({push, item, batch index}), sealed, into {@code rows} by batch index. */
  private void resend(List<PreparedPush> pushes, List<int[]> refused, Map<Integer, Row> rows) {
    var encryption = context.encryption();
    for (var r : refused) {
      encryption.configured(pushes.get(r[0]).items().get(r[1]).queue(), true);
    }
    if (!encryption.hasKey()) {
      for (var r : refused) {
        rows.put(r[2], new Row("failed", null, null,
            QueueEncryption.noKey(pushes.get(r[0]).items().get(r[1]).queue())));
      }
      return;
    }
    var again = new ArrayList<PreparedPush>();
    int k = 0;
    while (k < refused.size()) {
      var push = pushes.get(refused.get(k)[0]);
      int from = k;
      while (k < refused.size() && refused.get(k)[0] == refused.get(from)[0]) {
        k++;
      }
      int n = k - from;
      var items = new ArrayList<PushItem>(n);
      var ids = new UUID[n];
      var txs = new String[n];
      var payloads = new String[n];
      for (int j = 0; j < n; j++) {
        int i = refused.get(from + j)[1];
        items.add(push.items().get(i));
        ids[j] = push.messageIds()[i];
        txs[j] = push.transactionIds()[i];
        payloads[j] = push.payloads()[i];
      }
      again.add(PushOperation.seal(encryption,
          new PreparedPush(items, ids, txs, payloads, new boolean[n])));
    }
    var second = commit(again);
    for (int j = 0; j < refused.size(); j++) {
      rows.put(refused.get(j)[2], second.get(j));
    }
  }

  private Map<Integer, Row> commit(List<PreparedPush> pushes) {
    var json = PushOperation.itemsJson(pushes);
    var config = context.config();
    return context.db().inTransaction("push", true, c -> {
      var byIndex = new HashMap<Integer, Row>();
      Jdbc.query(c, statement, rs -> byIndex.put(rs.getInt(1),
              new Row(rs.getString(2), rs.getObject(3, UUID.class), rs.getObject(4, UUID.class),
                  rs.getString(5))),
          json, context.now(), config.autoCreateQueues(), notifyChannel.get(),
          context.instanceId());
      return byIndex;
    });
  }
}
