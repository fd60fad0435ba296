package io.queen.internal.ops;

import io.queen.error.InvalidRequestException;
import io.queen.error.NotFoundException;
import io.queen.internal.crypto.QueueEncryption;
import io.queen.internal.db.Jdbc;
import io.queen.internal.runtime.EngineContext;
import io.queen.model.PopRequest;
import io.queen.model.TraceEvent;
import io.queen.model.TraceName;
import io.queen.model.TraceNamePage;
import io.queen.model.TracePage;
import io.queen.model.TraceRecord;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/** Message traces: recording an event against a message, and the three ways to read them. */
public final class Traces {
  private final EngineContext context;
  private final String record;
  private final String recordNames;
  private final String ofMessage;
  private final String byName;
  private final String countByName;
  private final String names;
  private final String countNames;

  public Traces(EngineContext context) {
    this.context = context;
    this.record = context.sql("record_trace");
    this.recordNames = context.sql("record_trace_names");
    this.ofMessage = context.sql("traces_of_message");
    this.byName = context.sql("traces_by_name");
    this.countByName = context.sql("count_traces_by_name");
    this.names = context.sql("trace_names");
    this.countNames = context.sql("count_trace_names");
  }

  /** Any thread: completes with the event's id; 404 when the message is not there. */
  public CompletableFuture<UUID> record(TraceEvent event) {
    if (event == null) {
      throw new InvalidRequestException("trace", "trace event is required");
    }
    Validation.transactionId("transactionId", event.transactionId());
    var partitionId = Validation.uuid("partitionId", event.partitionId());
    if (event.dataJson() == null) {
      throw new InvalidRequestException("data", "data is required");
    }
    Validation.json("data", event.dataJson());
    for (int i = 0; i < event.traceNames().size(); i++) {
      Validation.name("traceNames[" + i + "]", event.traceNames().get(i));
    }
    if (event.consumerGroup() != null) {
      Validation.name("consumerGroup", event.consumerGroup());
    }
    var traceId = context.nextId();
    return context.single(() -> context.db().inTransaction("record trace", true, c -> {
      var now = context.now();
      int stored = Jdbc.update(c, record, traceId,
          event.consumerGroup() == null ? PopRequest.QUEUE_MODE : event.consumerGroup(),
          event.eventType() == null ? "info" : event.eventType(), event.dataJson(),
          context.instanceId(), now, partitionId, event.transactionId());
      if (stored == 0) {
        throw new NotFoundException("Message not found");
      }
      if (!event.traceNames().isEmpty()) {
        Jdbc.update(c, recordNames, traceId, Jdbc.texts(event.traceNames()), now);
      }
      return traceId;
    }));
  }

  /** Any thread: every event of one message, oldest first. */
  public CompletableFuture<List<TraceRecord>> ofMessage(String partitionId, String transactionId) {
    var pid = Validation.uuid("partitionId", partitionId);
    Validation.transactionId("transactionId", transactionId);
    return context.single(() -> context.db().withConnection("read traces",
        c -> Jdbc.list(c, ofMessage, rs -> trace(rs, false, null), pid, transactionId)));
  }

  /** Any thread: events carrying a name, newest first, with their messages. */
  public CompletableFuture<TracePage> byName(String traceName, int limit, int offset) {
    Validation.name("traceName", traceName);
    Validation.paging(limit, offset);
    return context.single(() -> context.db().withConnection("read traces", c -> new TracePage(
        Jdbc.list(c, byName, rs -> trace(rs, true, context.encryption()), traceName, limit,
            offset),
        Jdbc.scalarLong(c, countByName, traceName), limit, offset)));
  }

  /** Any thread: the names in use, most recently seen first. */
  public CompletableFuture<TraceNamePage> names(int limit, int offset) {
    Validation.paging(limit, offset);
    return context.single(() -> context.db().withConnection("read trace names", c ->
        new TraceNamePage(Jdbc.list(c, names, rs -> new TraceName(rs.getString(1), rs.getLong(2),
            rs.getLong(3), DeadLetters.instant(rs.getObject(4, OffsetDateTime.class))),
            limit, offset), Jdbc.scalarLong(c, countNames), limit, offset)));
  }

  private static TraceRecord trace(ResultSet rs, boolean withMessage, QueueEncryption encryption)
      throws SQLException {
    var traceNames = (String[]) rs.getArray(9).getArray();
    var payload = withMessage ? encryption.open(rs.getString(12), rs.getBoolean(13),
        rs.getString(2), rs.getString(10)) : null;
    return new TraceRecord(rs.getObject(1, UUID.class), rs.getString(2),
        rs.getObject(3, UUID.class), rs.getString(4), rs.getString(5), rs.getString(6),
        rs.getString(7), DeadLetters.instant(rs.getObject(8, OffsetDateTime.class)),
        List.of(traceNames), withMessage ? rs.getString(10) : null,
        withMessage ? rs.getString(11) : null, payload);
  }
}
