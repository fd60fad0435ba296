package io.queen.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.queen.model.AckItem;
import io.queen.model.PopRequest;
import io.queen.model.PushItem;
import io.queen.model.TraceContext;
import io.queen.model.TransactionRequest;
import io.queen.testing.Fixtures;
import io.queen.testing.QueenTestSupport;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Without tracing (QueenTracing.NOOP) a message keeps the trace context it was pushed with. */
class TraceContextStorageTest extends QueenTestSupport {
  static final TraceContext PRODUCER = new TraceContext(
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "congo=t61rcWkgMzE,rojo=00f0");

  @Test
  void a_pushed_trace_context_comes_back_with_the_popped_message_and_none_stays_none() {
    queen.pushSync(List.of(PushItem.of("traced", "1").withTraceContext(PRODUCER),
        PushItem.of("traced", "2")));
    var popped = queen.popSync(PopRequest.fromQueue("traced").batch(10).build()).messages();
    assertThat(popped).extracting(m -> m.traceContext()).containsExactly(PRODUCER, null);
  }

  @Test
  void a_redelivered_message_keeps_its_trace_context() {
    queen.pushSync(PushItem.of("again", "1").withTraceContext(PRODUCER));
    var first = queen.popSync(PopRequest.fromQueue("again").build()).messages().get(0);
    queen.ackSync(AckItem.failed(first, "try again"));
    var second = queen.popSync(PopRequest.fromQueue("again").build()).messages().get(0);
    assertThat(second.id()).isEqualTo(first.id());
    assertThat(second.retryCount()).isEqualTo(1);
    assertThat(second.traceContext()).isEqualTo(PRODUCER);
  }

  @Test
  void a_consumer_group_and_an_auto_acked_pop_get_it_too() {
    queen.pushSync(PushItem.of("fanout", "1").withTraceContext(PRODUCER));
    var group = queen.popSync(PopRequest.fromQueue("fanout").consumerGroup("g").autoAck(true)
        .build()).messages();
    var queueMode = queen.popSync(PopRequest.fromQueue("fanout").autoAck(true).build()).messages();
    assertThat(group).extracting(m -> m.traceContext()).containsExactly(PRODUCER);
    assertThat(queueMode).extracting(m -> m.traceContext()).containsExactly(PRODUCER);
  }

  @Test
  void a_transaction_stores_the_trace_context_of_its_pushes() {
    queen.pushSync(PushItem.of("in", "1"));
    var in = queen.popSync(PopRequest.fromQueue("in").build()).messages().get(0);
    var result = queen.transactionSync(new TransactionRequest(List.of(AckItem.completed(in)),
        List.of(PushItem.of("out", "2").withTraceContext(PRODUCER)), List.of()));
    assertThat(result.success()).isTrue();
    var out = queen.popSync(PopRequest.fromQueue("out").build()).messages();
    assertThat(out).extracting(m -> m.traceContext()).containsExactly(PRODUCER);
  }

  @Test
  void the_stored_form_is_one_column_read_back_exactly() {
    queen.pushSync(PushItem.of("column", "1").withTraceContext(PRODUCER));
    assertThat(Fixtures.scalar(database, "SELECT trace_context FROM queen.messages"))
        .isEqualTo(PRODUCER.encoded());
  }
}
