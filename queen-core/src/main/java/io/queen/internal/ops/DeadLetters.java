package io.queen.internal.ops;

import io.queen.error.InvalidRequestException;
import io.queen.internal.db.Jdbc;
import io.queen.internal.runtime.EngineContext;
import io.queen.internal.wakeup.LongPolls;
import io.queen.model.DlqEntry;
import io.queen.model.DlqPage;
import io.queen.model.DlqQuery;
import io.queen.model.DlqRequeue;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/** The dead-letter queue: listing entries, and requeueing them to their group. Thread-safe. */
public final class DeadLetters {
  private final EngineContext context;
  private final LongPolls longPolls;
  private final String list;
  private final String requeue;

  public DeadLetters(EngineContext context, LongPolls longPolls) {
    this.context = context;
    this.longPolls = longPolls;
    this.list = context.sql("list_dead_letters");
    this.requeue = context.sql("requeue_dead_letters");
  }

  /** Any thread: newest failure first. */
  public CompletableFuture<DlqPage> list(DlqQuery q) {
    if (q == null) {
      throw new InvalidRequestException("query", "dead-letter query is required");
    }
    var from = q.from() == null ? null : OffsetDateTime.ofInstant(q.from(), ZoneOffset.UTC);
    var to = q.to() == null ? null : OffsetDateTime.ofInstant(q.to(), ZoneOffset.UTC);
    return context.single(() -> context.db().withConnection("list dead letters", c -> {
      var entries = new ArrayList<DlqEntry>();
      var total = new long[1];
      Jdbc.query(c, list, rs -> {
        total[0] = rs.getLong(13);
        if (rs.getObject(1) != null) {
          var id = rs.getObject(1, UUID.class);
          var payload = context.encryption().open(rs.getString(9), rs.getBoolean(14), id,
              rs.getString(4));
          entries.add(new DlqEntry(id, rs.getString(2),
              rs.getObject(3, UUID.class), rs.getString(4), rs.getString(5), rs.getString(6),
              rs.getString(7), rs.getInt(8), payload, rs.getString(10),
              instant(rs.getObject(11, OffsetDateTime.class)),
              instant(rs.getObject(12, OffsetDateTime.class))));
        }
      }, q.queue(), q.queue(), q.partition(), q.partition(), q.consumerGroup(), q.consumerGroup(),
          from, from, to, to, q.limit(), q.offset());
      return new DlqPage(entries, total[0], q.limit(), q.offset());
    }));
  }

  /** Any thread: completes with the entries requeued; their queue's waiters look again. */
  public CompletableFuture<Integer> requeue(DlqRequeue request) {
    if (request == null) {
      throw new InvalidRequestException("request", "requeue request is required");
    }
    Validation.name("queue", request.queue());
    if (request.consumerGroup() != null) {
      Validation.name("consumerGroup", request.consumerGroup());
    }
    var ids = request.messageIds().isEmpty() ? null
        : Jdbc.uuids(request.messageIds().toArray(UUID[]::new));
    return context.single(() -> {
      int n = context.db().inTransaction("requeue dead letters", true,
          c -> Jdbc.scalarInt(c, requeue, request.queue(), request.consumerGroup(), ids));
      if (n > 0) {
        longPolls.wake(request.queue());
      }
      return n;
    });
  }

  static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }
}
