package io.queen.semantics;

import static io.queen.semantics.AckTest.assertInvalid;
import static io.queen.testing.Fixtures.n;
import static io.queen.testing.Fixtures.pushRange;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.queen.error.NotFoundException;
import io.queen.model.PushResult;
import io.queen.model.TraceEvent;
import io.queen.model.TraceName;
import io.queen.model.TraceRecord;
import io.queen.testing.QueenTestSupport;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The trace operations: recordTrace, traces, tracesByName, traceNames. */
class TraceTest extends QueenTestSupport {

  private static TraceEvent event(PushResult m, String group, String type, String data, String... names) {
    return new TraceEvent(m.transactionId(), m.partitionId().toString(), group, type, data, List.of(names));
  }

  private UUID record(TraceEvent e) {
    var id = queen.recordTrace(e).join();
    clock.advance(Duration.ofSeconds(1)); // distinct timestamps, so the orderings are defined
    return id;
  }

  @Test
  void the_events_of_a_message_are_listed_oldest_first_with_all_their_fields() {
    var m = pushRange(queen, "q", "p1", 1, 1).get(0);
    var before = clock.instant();
    var first = record(event(m, "workers", "start", "{\"step\":1}", "order-flow", "billing"));
    var second = record(event(m, null, null, "[1,2]"));

    var traces = queen.traces(m.partitionId().toString(), m.transactionId()).join();
    assertThat(traces).extracting(TraceRecord::id).containsExactly(first, second);
    var a = traces.get(0);
    assertThat(a.transactionId()).isEqualTo("tx-1");
    assertThat(a.partitionId()).isEqualTo(m.partitionId());
    assertThat(a.eventType()).isEqualTo("start");
    assertThat(a.dataJson()).isEqualTo("{\"step\": 1}");
    assertThat(a.consumerGroup()).isEqualTo("workers");
    assertThat(a.traceNames()).containsExactly("billing", "order-flow");
    assertThat(a.createdAt()).isAfterOrEqualTo(before.minusMillis(1));
    var b = traces.get(1);
    assertThat(b.eventType()).as("default event type").isEqualTo("info");
    assertThat(b.consumerGroup()).isEqualTo("__QUEUE_MODE__");
    assertThat(b.traceNames()).isEmpty();
    assertThat(b.createdAt()).isAfter(a.createdAt());
    // another message of the same partition, or an unknown partition, has none of them
    var other = pushRange(queen, "q", "p1", 2, 2).get(0);
    assertThat(queen.traces(other.partitionId().toString(), other.transactionId()).join()).isEmpty();
    assertThat(queen.traces(UUID.randomUUID().toString(), "tx-1").join()).isEmpty();
  }

  @Test
  void tracing_an_unknown_message_fails_with_message_not_found() {
    var m = pushRange(queen, "q", null, 1, 1).get(0);
    var unknownTx = new TraceEvent("nope", m.partitionId().toString(), null, null, "{}", List.of("x"));
    assertThatThrownBy(() -> queen.recordTrace(unknownTx).join())
        .isInstanceOf(CompletionException.class)
        .cause().isInstanceOf(NotFoundException.class).hasMessage("Message not found");
    var unknownPartition = new TraceEvent("tx-1", UUID.randomUUID().toString(), null, null, "{}", List.of());
    assertThatThrownBy(() -> queen.recordTrace(unknownPartition).join())
        .cause().isInstanceOf(NotFoundException.class);
    assertThat(queen.traceNames(10, 0).join().names()).isEmpty();
  }

  @Test
  void events_found_by_name_come_newest_first_with_their_message_and_paging() {
    var a = pushRange(queen, "orders", "eu", 1, 1).get(0);
    var b = pushRange(queen, "invoices", null, 2, 2).get(0);
    var e1 = record(event(a, null, "created", "{\"k\":1}", "flow-42"));
    var e2 = record(event(b, "g", "billed", "{\"k\":2}", "flow-42", "other"));
    var e3 = record(event(a, null, "shipped", "{\"k\":3}", "flow-42"));
    record(event(b, null, null, "{\"k\":4}", "unrelated"));

    var page = queen.tracesByName("flow-42", 100, 0).join();
    assertThat(page.total()).isEqualTo(3);
    assertThat(page.limit()).isEqualTo(100);
    assertThat(page.offset()).isZero();
    assertThat(page.traces()).extracting(TraceRecord::id).containsExactly(e3, e2, e1);
    var newest = page.traces().get(0);
    assertThat(newest.queue()).isEqualTo("orders");
    assertThat(newest.partition()).isEqualTo("eu");
    assertThat(n(newest.messagePayloadJson())).isEqualTo(1);
    assertThat(newest.eventType()).isEqualTo("shipped");
    var middle = page.traces().get(1);
    assertThat(middle.queue()).isEqualTo("invoices");
    assertThat(middle.partition()).isEqualTo("Default");
    assertThat(middle.traceNames()).containsExactly("flow-42", "other");

    var second = queen.tracesByName("flow-42", 1, 1).join();
    assertThat(second.total()).isEqualTo(3);
    assertThat(second.traces()).extracting(TraceRecord::id).containsExactly(e2);
    assertThat(queen.tracesByName("flow-42", 10, 3).join().traces()).isEmpty();
    assertThat(queen.tracesByName("never-used", 10, 0).join().total()).isZero();
  }

  @Test
  void trace_names_report_counts_and_last_use_most_recent_first() {
    var a = pushRange(queen, "q", null, 1, 1).get(0);
    var b = pushRange(queen, "q", null, 2, 2).get(0);
    record(event(a, null, null, "{}", "alpha"));
    record(event(a, null, null, "{}", "alpha", "beta"));
    record(event(b, null, null, "{}", "alpha"));
    record(event(b, null, null, "{}", "gamma"));
    // the same name twice in one event counts once
    record(event(b, null, null, "{}", "beta", "beta"));

    var page = queen.traceNames(100, 0).join();
    assertThat(page.total()).isEqualTo(3);
    assertThat(page.names()).extracting(TraceName::name).containsExactly("beta", "gamma", "alpha");
    var byName = page.names().stream().collect(java.util.stream.Collectors.toMap(TraceName::name, x -> x));
    assertThat(byName.get("alpha").traceCount()).isEqualTo(3);
    assertThat(byName.get("alpha").messageCount()).isEqualTo(2);
    assertThat(byName.get("beta").traceCount()).isEqualTo(2);
    assertThat(byName.get("beta").messageCount()).isEqualTo(2);
    assertThat(byName.get("gamma").traceCount()).isEqualTo(1);
    assertThat(byName.get("gamma").messageCount()).isEqualTo(1);
    assertThat(byName.get("beta").lastSeen()).isAfter(byName.get("gamma").lastSeen());
    assertThat(byName.get("gamma").lastSeen()).isAfter(byName.get("alpha").lastSeen());

    var paged = queen.traceNames(1, 1).join();
    assertThat(paged.total()).isEqualTo(3);
    assertThat(paged.names()).extracting(TraceName::name).containsExactly("gamma");
  }

  @Test
  void deleting_a_queue_deletes_its_traces() {
    var m = pushRange(queen, "doomed", null, 1, 1).get(0);
    var keep = pushRange(queen, "kept", null, 2, 2).get(0);
    record(event(m, null, null, "{}", "shared"));
    record(event(keep, null, null, "{}", "shared"));
    assertThat(queen.deleteQueue("doomed").join()).isTrue();
    assertThat(queen.traces(m.partitionId().toString(), m.transactionId()).join()).isEmpty();
    var page = queen.tracesByName("shared", 10, 0).join();
    assertThat(page.total()).isEqualTo(1);
    assertThat(page.traces()).extracting(TraceRecord::queue).containsExactly("kept");
    assertThat(queen.traceNames(10, 0).join().names()).extracting(TraceName::traceCount)
        .containsExactly(1L);
  }

  @Test
  void invalid_trace_inputs_are_refused_naming_the_field() {
    var pid = UUID.randomUUID().toString();
    assertInvalid(() -> queen.recordTrace(null), "trace");
    assertInvalid(() -> queen.recordTrace(new TraceEvent(null, pid, null, null, "{}", List.of())),
        "transactionId");
    assertInvalid(() -> queen.recordTrace(new TraceEvent("t", "nope", null, null, "{}", List.of())),
        "partitionId");
    assertInvalid(() -> queen.recordTrace(new TraceEvent("t", pid, null, null, null, List.of())),
        "data");
    assertInvalid(() -> queen.recordTrace(new TraceEvent("t", pid, null, null, "{not json", List.of())),
        "data");
    assertInvalid(() -> queen.recordTrace(new TraceEvent("t", pid, null, null, "{}", List.of("ok", " "))),
        "traceNames[1]");
    assertInvalid(() -> queen.recordTrace(new TraceEvent("t", pid, "", null, "{}", List.of())),
        "consumerGroup");
    assertInvalid(() -> queen.traces("nope", "t"), "partitionId");
    assertInvalid(() -> queen.traces(pid, null), "transactionId");
    assertInvalid(() -> queen.tracesByName("", 10, 0), "traceName");
    assertInvalid(() -> queen.tracesByName("x", 0, 0), "limit");
    assertInvalid(() -> queen.tracesByName("x", 10_001, 0), "limit");
    assertInvalid(() -> queen.tracesByName("x", 10, -1), "offset");
    assertInvalid(() -> queen.traceNames(0, 0), "limit");
    assertInvalid(() -> queen.traceNames(10, -1), "offset");
  }
}
