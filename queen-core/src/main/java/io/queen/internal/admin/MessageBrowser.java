package io.queen.internal.admin;

import static io.queen.internal.admin.Checks.instant;
import static io.queen.internal.admin.Checks.name;
import static io.queen.internal.admin.Checks.optionalName;
import static io.queen.internal.admin.Checks.timestamp;

import io.queen.admin.BrowsedMessage;
import io.queen.model.PopRequest;
import io.queen.admin.MessageDetail;
import io.queen.admin.MessagePage;
import io.queen.admin.MessageQuery;
import io.queen.admin.MessageStatus;
import io.queen.error.InvalidRequestException;
import io.queen.error.NotFoundException;
import io.queen.internal.Uuid7;
import io.queen.internal.db.Jdbc;
import io.queen.internal.ops.Validation;
import io.queen.internal.runtime.EngineContext;
import io.queen.internal.wakeup.QueueActivity;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The message browser and the operator's deletions: pages of messages with their derived status,
 * one message whole, deleting one message, purging a queue. Thread-safe.
 */
public final class MessageBrowser {
  /** Ids are made by the pushing instance's clock: allow this much skew between instances. */
  private static final long ID_SLACK_MILLIS = 60_000;
  private static final Instant FAR_FUTURE = Instant.parse("9999-01-01T00:00:00Z");
  /** A remembered order holds at least this many partitions (a page needs limit + offset). */
  public static final int REMEMBERED_PARTITIONS = 256;
  /** Orders of at most this many queues are remembered; more forget them all. */
  private static final int REMEMBERED_QUEUES = 1024;

  /**
   * A queue's partitions pushed to last, newest first, read after {@code mark}; every other
   * partition's newest push is at most {@code cutoff} (null: there is no other).
   */
  private record Order(QueueActivity.Mark mark, UUID[] partitions, OffsetDateTime cutoff) {}

  private final EngineContext context;
  private final QueueActivity activity;
  private final ConcurrentHashMap<String, Order> orders = new ConcurrentHashMap<>();
  private final String recentPartitions;
  private final BoundedReads reads;
  private final String snapshotTransaction;
  private final String browse;
  private final String browsePartitions;
  private final Summaries summaries;
  private final String detail;
  private final String groups;
  private final String options;
  private final String delete;
  private final String purge;
  private final String queueExists;
  private final String partitionExists;

  MessageBrowser(EngineContext context, Summaries summaries, QueueActivity activity) {
    this.context = context;
    this.activity = activity;
    this.recentPartitions = context.sql("browse_recent_partitions");
    this.reads = new BoundedReads(context);
    this.summaries = summaries;
    this.browse = context.sql("browse_messages");
    this.browsePartitions = context.sql("browse_partitions");
    this.detail = context.sql("message_detail");
    this.groups = context.sql("message_groups");
    this.options = context.sql("queue_options");
    this.delete = context.sql("delete_message");
    this.purge = context.sql("purge");
    this.queueExists = context.sql("queue_exists");
    this.partitionExists = context.sql("partition_exists");
    this.snapshotTransaction = context.sql("snapshot_transaction");
  }

  /** Any thread. */
  public CompletableFuture<MessagePage> list(MessageQuery q) {
    if (q == null) {
      throw new InvalidRequestException("query", "message query is required");
    }
    optionalName("queue", q.queue());
    optionalName("partition", q.partition());
    optionalName("namespace", q.namespace());
    optionalName("task", q.task());
    var status = q.status() == null ? null : q.status().wireName();
    var low = Uuid7.floor(Math.max(0, q.from().toEpochMilli() - ID_SLACK_MILLIS));
    var high = Uuid7.ceiling(q.to().toEpochMilli() + ID_SLACK_MILLIS);
    boolean queueOnly = q.queue() != null && q.partition() == null && q.namespace() == null
        && q.task() == null;
    boolean filtered = queueOnly || q.partition() != null || q.namespace() != null
        || q.task() != null;
    int want = q.limit() + q.offset();
    var page = reads.read("browse messages", c -> {
      if (filtered) {
        var order = queueOnly ? order(c, q.queue(), want) : null;
        var now = context.now();
        return Jdbc.list(c, browsePartitions, MessageBrowser::browsed, now, q.queue(),
            q.partition(), q.namespace(), q.task(), low, high, timestamp(q.from()),
            timestamp(q.to()), status, now, want,
            order == null ? null : Jdbc.uuids(order.partitions()),
            order == null ? null : order.cutoff(), q.limit(), q.offset());
      }
      var now = context.now();
      return Jdbc.list(c, browse, MessageBrowser::browsed, now, null, null, null, null, null,
          null, null, null, low, high, timestamp(q.from()), timestamp(q.to()), status, status,
          q.limit(), q.offset());
    });
    // who reads the queue: from the summaries (a hint for the page, not worth a pass over every
    // cursor of the queue per page)
    return page.thenCombine(summaries.latest(), (messages, s) -> {
      boolean queueMode = false;
      int busGroups = 0;
      for (var g : s.groups()) {
        if (q.queue() == null || q.queue().equals(g.queue())) {
          if (PopRequest.QUEUE_MODE.equals(g.group())) {
            queueMode = true;
          } else {
            busGroups++;
          }
        }
      }
      return new MessagePage(messages, queueMode, busGroups);
    });
  }

  /**
   * A database thread: the queue's partitions pushed to last, remembered while nothing pushed to
   * the queue (as far as this instance can tell: {@link QueueActivity}), so that browsing a quiet
   * queue does not sort all its partitions per page; null when this instance cannot tell.
   */
  private Order order(Connection c, String queue, int want) throws SQLException {
    var known = orders.get(queue);
    if (known != null && (known.cutoff() == null || known.partitions().length >= want)
        && activity.untouchedSince(queue, known.mark())) {
      return known;
    }
    var mark = activity.mark(); // before the read: a push after it makes what is read stale
    if (mark == null) {
      return null;
    }
    int count = Math.max(REMEMBERED_PARTITIONS, want);
    record Recent(UUID id, OffsetDateTime lastMessageAt) {}
    var recent = Jdbc.list(c, recentPartitions,
        rs -> new Recent(rs.getObject(1, UUID.class), rs.getObject(2, OffsetDateTime.class)),
        queue, count);
    var ids = new UUID[recent.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = recent.get(i).id();
    }
    var cutoff = recent.size() < count ? null : recent.get(recent.size() - 1).lastMessageAt();
    var order = new Order(mark, ids, cutoff);
    if (orders.size() >= REMEMBERED_QUEUES) {
      orders.clear();
    }
    orders.put(queue, order);
    return order;
  }

  /** Any thread: empty when there is no such message. */
  public CompletableFuture<Optional<MessageDetail>> get(UUID partitionId, String transactionId) {
    requireIds(partitionId, transactionId);
    return reads.read("message detail", c -> {
      Jdbc.execute(c, snapshotTransaction);
      record Stored(UUID id, long seq, String payload, boolean encrypted, String queue) {}
      var found = Jdbc.list(c, detail, rs -> new Stored(rs.getObject(1, UUID.class),
          rs.getLong(2), rs.getString(3), rs.getBoolean(4), rs.getString(5)), partitionId,
          transactionId);
      if (found.isEmpty()) {
        return Optional.<MessageDetail>empty();
      }
      var m = found.get(0);
      var views = new ArrayList<MessageDetail.GroupView>();
      int[] retries = new int[1];
      String[] error = new String[1];
      var now = context.now();
      Jdbc.query(c, groups, rs -> {
        var group = rs.getString(1);
        views.add(new MessageDetail.GroupView(group, rs.getBoolean(2),
            instant(rs.getObject(3, OffsetDateTime.class))));
        // queue mode's failures when it reads the partition, else the first group's with any
        if ("__QUEUE_MODE__".equals(group) || (error[0] == null && rs.getString(5) != null)) {
          retries[0] = rs.getInt(4);
          error[0] = rs.getString(5);
        }
      }, m.seq(), now, m.seq(), m.seq(), m.seq(), m.id(), partitionId);
      var opts = Jdbc.one(c, options, Resources::options, m.queue());
      var page = list(c, m.id());
      var payload = context.encryption().open(m.payload(), m.encrypted(), m.id(), m.queue());
      return Optional.of(new MessageDetail(page, payload, m.encrypted(), error[0],
          retries[0], opts, views));
    });
  }

  /** The browser's row of one message, read on the caller's connection. */
  private BrowsedMessage list(Connection c, UUID id) throws SQLException {
    var now = context.now();
    var rows = Jdbc.list(c, browse, MessageBrowser::browsed,
        now, null, null, null, null, null, null, null, null, id, id, timestamp(Instant.EPOCH),
        timestamp(FAR_FUTURE), null, null, 1, 0);
    return rows.get(0);
  }

  private static BrowsedMessage browsed(ResultSet rs) throws SQLException {
    return new BrowsedMessage(rs.getObject(1, UUID.class), rs.getString(2),
        rs.getObject(3, UUID.class), rs.getString(4), rs.getString(5), rs.getString(6),
        rs.getString(7), MessageStatus.parse(rs.getString(8)), rs.getInt(9), rs.getInt(10),
        rs.getObject(11, UUID.class), rs.getString(12), rs.getInt(13),
        instant(rs.getObject(14, OffsetDateTime.class)),
        instant(rs.getObject(15, OffsetDateTime.class)));
  }

  /** Any thread: completes with whether the message existed. */
  public CompletableFuture<Boolean> delete(UUID partitionId, String transactionId) {
    requireIds(partitionId, transactionId);
    return context.single(() -> context.db().inTransaction("delete message", true,
        c -> Jdbc.scalarBoolean(c, delete, partitionId, transactionId)));
  }

  /**
   * Any thread: batches of {@code batchSize}, each its own transaction and its own turn on a
   * database thread, so a long purge does not hold one.
   */
  public CompletableFuture<Long> purge(String queue, String partition, int batchSize) {
    name("queue", queue);
    optionalName("partition", partition);
    return context.single(() -> context.db().withConnection("purge", c -> {
      if (!Jdbc.scalarBoolean(c, queueExists, queue)) {
        throw new NotFoundException("Queue '" + queue + "' not found");
      }
      if (partition != null && !Jdbc.scalarBoolean(c, partitionExists, queue, partition)) {
        throw new NotFoundException("Partition '" + partition + "' not found in queue '"
            + queue + "'");
      }
      return 0L;
    })).thenCompose(zero -> purgeFrom(queue, partition, batchSize, 0L));
  }

  private CompletableFuture<Long> purgeFrom(String queue, String partition, int batchSize,
      long sofar) {
    return context.single(() -> context.db().inTransaction("purge", true,
        c -> Jdbc.scalarInt(c, purge, queue, partition, batchSize, context.now())))
        .thenCompose(n -> n < batchSize ? CompletableFuture.completedFuture(sofar + n)
            : purgeFrom(queue, partition, batchSize, sofar + n));
  }

  private static void requireIds(UUID partitionId, String transactionId) {
    if (partitionId == null) {
      throw new InvalidRequestException("partitionId", "partitionId is required");
    }
    Validation.transactionId("transactionId", transactionId);
  }

}
