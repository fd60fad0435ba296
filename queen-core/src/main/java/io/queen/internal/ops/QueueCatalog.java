package io.queen.internal.ops;

import io.queen.error.InvalidRequestException;
import io.queen.internal.db.Jdbc;
import io.queen.internal.runtime.EngineContext;
import io.queen.model.QueueInfo;
import io.queen.model.QueueOptions;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue catalog: configuring a queue (created with its {@code Default} partition, or every
 * option replaced) and deleting one with everything in it. Thread-safe.
 */
public final class QueueCatalog {
  private static final Logger LOG = LoggerFactory.getLogger(QueueCatalog.class);

  private final EngineContext context;
  private final String configure;
  private final String createDefaultPartition;
  private final String defaultPartitionId;
  private final String deleteQueue;
  private final String deleteGroupMetadata;
  private final String deleteHistory;
  private final String encryptedQueues;

  public QueueCatalog(EngineContext context) {
    this.context = context;
    this.configure = context.sql("configure_queue");
    this.createDefaultPartition = context.sql("create_default_partition");
    this.defaultPartitionId = context.sql("default_partition_id");
    this.deleteQueue = context.sql("delete_queue");
    this.deleteGroupMetadata = context.sql("delete_group_metadata");
    this.deleteHistory = context.sql("delete_queue_history");
    this.encryptedQueues = context.sql("encrypted_queues");
  }

  /**
   * The calling thread, at start: what this engine knows of encrypted queues comes from the
   * database; a warning when some exist and there is no key (their pushes and pops will fail).
   */
  public void loadEncryptedQueues() {
    var names = context.db().withConnection("encrypted queues",
        c -> Jdbc.list(c, encryptedQueues, rs -> rs.getString(1)));
    context.encryption().knownEncrypted(names);
    if (!names.isEmpty() && !context.encryption().hasKey()) {
      LOG.warn("{} queue(s) have encryptionEnabled ({}) and this engine has no encryption key: "
          + "pushes and pops of them will fail until one is configured (QUEEN_ENCRYPTION_KEY)",
          names.size(), String.join(", ", names.subList(0, Math.min(5, names.size()))));
    }
  }

  /**
   * Any thread. An encrypted queue ({@code encryptionEnabled}) needs this engine to have a key;
   * from then on its new payloads are stored encrypted.
   */
  public CompletableFuture<QueueInfo> configure(String queue, String namespace, String task,
      QueueOptions options) {
    Validation.name("queue", queue);
    if (options == null) {
      throw new InvalidRequestException("options", "options is required");
    }
    var ns = namespace == null ? "" : namespace;
    var tk = task == null ? "" : task;
    var o = options;
    context.encryption().checkConfigurable(queue, o.encryptionEnabled());
    return context.single(() -> context.db().inTransaction("configure " + queue, true, c -> {
      var now = context.now();
      UUID queueId = Jdbc.one(c, configure, rs -> rs.getObject(1, UUID.class),
          context.nextId(), queue, ns, tk, o.priority(), o.leaseTime(), o.retryLimit(),
          o.retryDelay(), o.retryBackoff(), o.retryDelayMax(), o.ttl(), o.deadLetterQueue(), o.dlqAfterMaxRetries(),
          o.delayedProcessing(), o.windowBuffer(), o.retentionSeconds(),
          o.completedRetentionSeconds(), o.retentionEnabled(), o.encryptionEnabled(),
          o.maxWaitTimeSeconds(), o.maxSize(), now);
      Jdbc.update(c, createDefaultPartition, context.nextId(), queueId, now, now);
      UUID partitionId = Jdbc.one(c, defaultPartitionId, rs -> rs.getObject(1, UUID.class),
          queueId);
      return new QueueInfo(queueId, partitionId, queue, ns, tk, options);
    })).thenApply(info -> {
      context.encryption().configured(queue, o.encryptionEnabled());
      return info;
    });
  }

  /**
   * Any thread: completes with whether the queue existed. Everything of it goes: partitions,
   * messages, cursors, leases, DLQ entries, traces (by cascade), its groups' start points and its
   * removal history.
   */
  public CompletableFuture<Boolean> delete(String queue) {
    Validation.name("queue", queue);
    return context.single(() -> context.db().inTransaction("delete queue " + queue, true, c -> {
      boolean existed = Jdbc.scalarBoolean(c, deleteQueue, queue);
      Jdbc.update(c, deleteGroupMetadata, queue);
      Jdbc.update(c, deleteHistory, queue);
      return existed;
    })).thenApply(existed -> {
      context.encryption().deleted(queue);
      return existed;
    });
  }
}
