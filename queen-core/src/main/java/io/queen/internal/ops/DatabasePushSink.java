package io.queen.internal.ops;

import io.queen.internal.batch.GroupCommitter;
import io.queen.internal.runtime.EngineContext;
import io.queen.internal.wakeup.LongPolls;
import io.queen.internal.wakeup.QueueActivity;
import io.queen.model.PushResult;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The {@link PushSink} that commits: concurrent pushes are gathered into one {@code push_v1} call
 * and one transaction (group commit), and a future completes only after its items committed.
 * Then the long polls those items may satisfy are woken. Thread-safe.
 */
public final class DatabasePushSink implements PushSink {
  private final EngineContext context;
  private final LongPolls longPolls;
  private final QueueActivity activity;
  private final Supplier<String> notifyChannel;
  private final PushStatement statement;
  private final GroupCommitter<PreparedPush, List<PushResult>> committer;

  /** @param notifyChannel the channel to NOTIFY other instances on, or null for none (per batch) */
  public DatabasePushSink(EngineContext context, LongPolls longPolls, QueueActivity activity,
      Supplier<String> notifyChannel) {
    this.context = context;
    this.longPolls = longPolls;
    this.activity = activity;
    this.notifyChannel = notifyChannel;
    this.statement = new PushStatement(context);
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
   * refused as plain payloads of an encrypted queue, sealed this time (see {@link PushStatement}).
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
    // push_v1 is one statement: auto-committed, its answer means committed, one round trip
    var results = statement.results(pushes, p -> context.db().inOneStatement("push",
        c -> statement.rows(c, p, notifyChannel.get(), context.instanceId())));
    PushOperation.wake(longPolls, pushes, results);
    return results;
  }
}
