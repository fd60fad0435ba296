package io.queen.internal.ops;

import io.queen.internal.crypto.QueueEncryption;
import io.queen.internal.db.Jdbc;
import io.queen.internal.runtime.EngineContext;
import io.queen.model.PushItem;
import io.queen.model.PushResult;
import io.queen.model.PushStatus;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One {@code push_v1} call and what its rows mean, shared by the group commit (each call its own
 * transaction) and pushes on the application's connection (every call inside the application's
 * transaction). Thread-safe; each call runs on the thread that owns its connection.
 */
final class PushStatement {
  /** push_v1's status for a plain payload of an encrypted queue (never reaches a caller). */
  private static final String NEEDS_ENCRYPTION = "needs_encryption";

  /** One row of {@code push_v1}. */
  record Row(String status, UUID messageId, UUID partitionId, String error) {}

  /** Runs {@code push_v1} for some pushes, somewhere: its rows by batch index. */
  @FunctionalInterface
  interface Call {
    Map<Integer, Row> rows(List<PreparedPush> pushes);
  }

  private final EngineContext context;
  private final String statement;

  PushStatement(EngineContext context) {
    this.context = context;
    this.statement = context.sql("push");
  }

  /**
   * The thread owning {@code c}: {@code push_v1} for these pushes, in order, on {@code c}.
   *
   * @param channel the channel to NOTIFY at commit, or null for none
   * @param origin the NOTIFY's origin: listeners ignore their own instance's
   */
  Map<Integer, Row> rows(Connection c, List<PreparedPush> pushes, String channel, String origin)
      throws SQLException {
    var json = PushOperation.itemsJson(pushes);
    var byIndex = new HashMap<Integer, Row>();
    Jdbc.query(c, statement, rs -> byIndex.put(rs.getInt(1),
            new Row(rs.getString(2), rs.getObject(3, UUID.class), rs.getObject(4, UUID.class),
                rs.getString(5))),
        json, context.now(), context.config().autoCreateQueues(), channel, origin);
    return byIndex;
  }

  /**
   * The results of these pushes through {@code call}; the items {@code push_v1} refused as plain
   * payloads of an encrypted queue go through {@code call} once more, sealed (each item's ids are
   * kept, and so is their order within a partition: every item of such a queue was refused).
   */
  List<List<PushResult>> results(List<PreparedPush> pushes, Call call) {
    var rows = call.rows(pushes);
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
      resend(pushes, refused, rows, call);
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
    return results;
  }

  /** The refused items ({push, item, batch index}), sealed, into {@code rows} by batch index. */
  private void resend(List<PreparedPush> pushes, List<int[]> refused, Map<Integer, Row> rows,
      Call call) {
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
    var second = call.rows(again);
    for (int j = 0; j < refused.size(); j++) {
      rows.put(refused.get(j)[2], second.get(j));
    }
  }
}
