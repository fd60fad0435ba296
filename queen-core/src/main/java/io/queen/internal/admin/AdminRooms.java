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
import io.queen.admin.TagSummary;
import io.queen.internal.runtime.EngineContext;
import io.queen.internal.wakeup.LongPolls;
import java.time.Instant;
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
  private final int purgeBatchSize;

  public AdminRooms(EngineContext context, LongPolls longPolls) {
    this.groups = new ConsumerGroups(context, longPolls);
    this.history = new History(context);
    this.resources = new Resources(context, history);
    this.messages = new MessageBrowser(context);
    this.purgeBatchSize = context.config().lifecycle().retentionBatchSize();
  }

  @Override
  public CompletableFuture<List<ConsumerGroupSummary>> consumerGroups() {
    return groups.list();
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
    return groups.delete(group, queue, deleteMetadata);
  }

  @Override
  public CompletableFuture<Integer> updateSubscription(String group, Instant timestamp) {
    return groups.updateSubscription(group, timestamp);
  }

  @Override
  public CompletableFuture<SeekResult> seek(String group, String queue, Instant timestamp) {
    return groups.seek(group, queue, timestamp);
  }

  @Override
  public CompletableFuture<SeekResult> seekPartitionToEnd(String group, String queue,
      String partition) {
    return groups.seekPartitionToEnd(group, queue, partition);
  }

  @Override
  public CompletableFuture<Overview> overview() {
    return resources.overview();
  }

  @Override
  public CompletableFuture<List<QueueSummary>> queues(String namespace, String task) {
    return resources.queues(namespace, task);
  }

  @Override
  public CompletableFuture<Optional<QueueDetail>> queue(String name) {
    return resources.queue(name);
  }

  @Override
  public CompletableFuture<List<TagSummary>> namespaces() {
    return resources.namespaces();
  }

  @Override
  public CompletableFuture<List<TagSummary>> tasks() {
    return resources.tasks();
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
    return messages.delete(partitionId, transactionId);
  }

  @Override
  public CompletableFuture<Long> purge(String queue, String partition) {
    return messages.purge(queue, partition, purgeBatchSize);
  }

  @Override
  public CompletableFuture<Integer> recount() {
    return resources.recount();
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
