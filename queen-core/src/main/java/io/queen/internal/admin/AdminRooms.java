package io.queen.internal.admin;

import io.queen.admin.Bucket;
import io.queen.admin.ConsumerGroupSummary;
import io.queen.admin.GroupDeletion;
import io.queen.admin.InstanceMinute;
import io.queen.admin.MessageDetail;
import io.queen.admin.MessagePage;
import io.queen.admin.MessageQuery;
import io.queen.admin.Overview;
import io.queen.admin.ParkedMinute;
import io.queen.admin.PartitionLag;
import io.queen.admin.QueenAdmin;
import io.queen.admin.QueueDetail;
import io.queen.admin.QueueMinute;
import io.queen.admin.QueueSummary;
import io.queen.admin.RemovalMinute;
import io.queen.admin.SeekResult;
import io.queen.admin.StatusSnapshot;
import io.queen.admin.SummarySnapshot;
import io.queen.admin.TagSummary;
import io.queen.internal.jobs.JobRunner;
import io.queen.internal.runtime.EngineContext;
import io.queen.internal.wakeup.LongPolls;
import io.queen.internal.wakeup.QueueActivity;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/** {@link QueenAdmin} as a facade over its rooms; holds no SQL. Thread-safe. */
public final class AdminRooms implements QueenAdmin {
  private final ConsumerGroups groups;
  private final Resources resources;
  private final MessageBrowser messages;
  private final History history;
  private final Summaries summaries;
  private final int purgeBatchSize;

  /** Schedules the summaries' refresh on {@code jobs}. */
  public AdminRooms(EngineContext context, LongPolls longPolls, QueueActivity activity,
      JobRunner jobs) {
    this.groups = new ConsumerGroups(context, longPolls);
    this.history = new History(context);
    this.resources = new Resources(context);
    this.summaries = new Summaries(context, this::aggregate);
    this.messages = new MessageBrowser(context, summaries, activity);
    this.purgeBatchSize = context.config().lifecycle().retentionBatchSize();
    jobs.schedule(summaries);
  }

  /** The summaries' one aggregation: every queue, every cursor, the last minute's rates. */
  private Summaries.Snapshot aggregate(Connection c, Instant at) throws SQLException {
    var queues = resources.queueSummaries(c);
    var cursors = groups.everyCursor(c);
    var timeLags = new ArrayList<Double>();
    var offsetLags = new ArrayList<Double>();
    for (var p : cursors) {
      if (p.offsetLag() > 0) {
        offsetLags.add((double) p.offsetLag());
        timeLags.add((double) p.timeLagSeconds());
      }
    }
    var rates = history.lastMinuteRates(c);
    return new Summaries.Snapshot(queues, groups.summaries(c, cursors),
        Resources.spread(timeLags), Resources.spread(offsetLags), rates[0], rates[1], at, 0);
  }

  /**
   * Any thread: a queue was created, configured or deleted through this instance, so the lists
   * show it at the next read.
   */
  public void queuesChanged() {
    summaries.changed();
  }

  /** {@code write} with the summaries told once it is done (committed or not). */
  private <T> CompletableFuture<T> changing(CompletableFuture<T> write) {
    return write.whenComplete((r, e) -> summaries.changed());
  }

  @Override
  public Optional<SummarySnapshot> lastSummaries() {
    var s = summaries.known();
    return s == null ? Optional.empty()
        : Optional.of(new SummarySnapshot(s.queues(), s.groups(), s.computedAt()));
  }

  @Override
  public CompletableFuture<List<ConsumerGroupSummary>> consumerGroups() {
    return summaries.read().thenApply(Summaries.Snapshot::groups);
  }

  @Override
  public CompletableFuture<List<PartitionLag>> consumerGroup(String group) {
    return groups.group(group);
  }

  @Override
  public CompletableFuture<List<PartitionLag>> laggingPartitions(long minLagSeconds) {
    return groups.lagging(minLagSeconds);
  }

  @Override
  public CompletableFuture<GroupDeletion> deleteConsumerGroup(String group, String queue,
      boolean deleteMetadata) {
    return changing(groups.delete(group, queue, deleteMetadata));
  }

  @Override
  public CompletableFuture<Integer> updateSubscription(String group, Instant timestamp) {
    return changing(groups.updateSubscription(group, timestamp));
  }

  @Override
  public CompletableFuture<SeekResult> seek(String group, String queue, Instant timestamp) {
    return changing(groups.seek(group, queue, timestamp));
  }

  @Override
  public CompletableFuture<SeekResult> seekPartitionToEnd(String group, String queue,
      String partition) {
    return changing(groups.seekPartitionToEnd(group, queue, partition));
  }

  @Override
  public CompletableFuture<Overview> overview() {
    return summaries.read().thenApply(Summaries.Snapshot::overview);
  }

  @Override
  public CompletableFuture<List<QueueSummary>> queues(String namespace, String task) {
    Checks.optionalName("namespace", namespace);
    Checks.optionalName("task", task);
    return summaries.read().thenApply(s -> s.queues(namespace, task));
  }

  @Override
  public CompletableFuture<Optional<QueueDetail>> queue(String name) {
    return resources.queue(name);
  }

  @Override
  public CompletableFuture<List<TagSummary>> namespaces() {
    return summaries.read().thenApply(s -> s.tags(QueueSummary::namespace));
  }

  @Override
  public CompletableFuture<List<TagSummary>> tasks() {
    return summaries.read().thenApply(s -> s.tags(QueueSummary::task));
  }

  @Override
  public CompletableFuture<StatusSnapshot> statusSnapshot(String queue, String namespace,
      String task) {
    return resources.snapshot(queue, namespace, task);
  }

  @Override
  public CompletableFuture<List<Bucket>> pushedPerBucket(String unit, Instant from, Instant to,
      String queue) {
    return history.pushedPerBucket(unit, from, to, queue);
  }

  @Override
  public CompletableFuture<MessagePage> messages(MessageQuery query) {
    return messages.list(query);
  }

  @Override
  public CompletableFuture<Optional<MessageDetail>> message(UUID partitionId,
      String transactionId) {
    return messages.get(partitionId, transactionId);
  }

  @Override
  public CompletableFuture<Boolean> deleteMessage(UUID partitionId, String transactionId) {
    return changing(messages.delete(partitionId, transactionId));
  }

  @Override
  public CompletableFuture<Long> purge(String queue, String partition) {
    return changing(messages.purge(queue, partition, purgeBatchSize));
  }

  @Override
  public CompletableFuture<Integer> recount() {
    return changing(resources.recount());
  }

  @Override
  public CompletableFuture<String> postgresStatsJson() {
    return resources.postgresStats();
  }

  @Override
  public CompletableFuture<List<InstanceMinute>> instanceHistory(Instant from, Instant to,
      String instance) {
    return history.instances(from, to, instance);
  }

  @Override
  public CompletableFuture<List<QueueMinute>> queueHistory(Instant from, Instant to,
      String queue) {
    return history.queues(from, to, queue);
  }

  @Override
  public CompletableFuture<List<ParkedMinute>> parkedHistory(Instant from, Instant to,
      String queue) {
    return history.parked(from, to, queue);
  }

  @Override
  public CompletableFuture<List<RemovalMinute>> removalHistory(Instant from, Instant to,
      String queue) {
    return history.removals(from, to, queue);
  }
}
