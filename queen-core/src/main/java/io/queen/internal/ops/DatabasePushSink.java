package io.queen.internal.ops;

import io.queen.internal.batch.GroupCommitter;
import io.queen.internal.db.Jdbc;
import io.queen.internal.runtime.EngineContext;
import io.queen.internal.wakeup.LongPolls;
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
  private record Row(PushStatus status, UUID messageId, UUID partitionId, String error) {}

  private final EngineContext context;
  private final LongPolls longPolls;
  private final Supplier<String> notifyChannel;
  private final String statement;
  private final GroupCommitter<PreparedPush, List<PushResult>> committer;

  /** @param notifyChannel the channel to NOTIFY other instances on, or null for none (per batch) */
  public DatabasePushSink(EngineContext context, LongPolls longPolls,
      Supplier<String> notifyChannel) {
    this.context = context;
    this.longPolls = longPolls;
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

  /** A database thread: one batch, one transaction. */
  private List<List<PushResult>> run(List<PreparedPush> pushes) {
    var json = PushOperation.itemsJson(pushes);
    var config = context.config();
    Map<Integer, Row> rows = context.db().inTransaction("push", true, c -> {
      var byIndex = new HashMap<Integer, Row>();
      Jdbc.query(c, statement, rs -> byIndex.put(rs.getInt(1),
              new Row(PushStatus.valueOf(rs.getString(2).toUpperCase()),
                  rs.getObject(3, UUID.class), rs.getObject(4, UUID.class), rs.getString(5))),
          json, context.now(), config.autoCreateQueues(), notifyChannel.get(),
          context.instanceId());
      return byIndex;
    });
    var results = new ArrayList<List<PushResult>>(pushes.size());
    int index = 0;
    for (var push : pushes) {
      var list = new ArrayList<PushResult>(push.items().size());
      for (int i = 0; i < push.items().size(); i++) {
        var row = rows.get(index++);
        list.add(PushOperation.result(push, i, row.status(), row.messageId(), row.partitionId(),
            row.error()));
      }
      results.add(list);
    }
    PushOperation.wake(longPolls, pushes, results);
    return results;
  }
}
