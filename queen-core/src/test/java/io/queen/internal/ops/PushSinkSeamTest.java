package io.queen.internal.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.queen.QueenConfig;
import io.queen.error.InvalidRequestException;
import io.queen.internal.db.Database;
import io.queen.internal.db.SqlStatements;
import io.queen.internal.runtime.EngineContext;
import io.queen.metrics.QueenMetrics;
import io.queen.model.PushItem;
import io.queen.model.PushResult;
import io.queen.model.PushStatus;
import io.queen.testing.ManualScheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Push hands validated, identified items to whatever sink is behind it; no database involved. */
class PushSinkSeamTest {
  private final ManualScheduler time = new ManualScheduler();
  private final EngineContext context = new EngineContext(
      QueenConfig.builder().scheduler(time).build(), new Database(null),
      SqlStatements.load("queen"), time, QueenMetrics.NOOP);
  private final List<PreparedPush> received = new ArrayList<>();

  /** A sink in place of the database: it records what it gets and answers every item queued. */
  private final PushSink recording = push -> {
    received.add(push);
    var results = new ArrayList<PushResult>();
    for (int i = 0; i < push.items().size(); i++) {
      results.add(PushOperation.result(push, i, PushStatus.QUEUED, push.messageIds()[i], null, null));
    }
    return CompletableFuture.completedFuture(results);
  };

  @AfterEach
  void tearDown() {
    context.refuseNewWork();
    context.stopDatabaseThreads();
  }

  @Test
  void the_sink_gets_each_item_with_its_message_and_transaction_id_and_answers_the_caller() {
    var push = new PushOperation(context, recording);
    var results = push.push(List.of(PushItem.of("q", "{\"a\":1}"),
        PushItem.of("q", "2").withTransactionId("mine"))).join();
    assertThat(received).hasSize(1);
    var prepared = received.get(0);
    assertThat(prepared.messageIds()).doesNotContainNull().doesNotHaveDuplicates();
    assertThat(prepared.transactionIds()).containsExactly(prepared.messageIds()[0].toString(), "mine");
    assertThat(results).extracting(PushResult::status).containsOnly(PushStatus.QUEUED);
    assertThat(results).extracting(PushResult::transactionId)
        .containsExactly(prepared.messageIds()[0].toString(), "mine");
  }

  @Test
  void an_invalid_item_is_refused_before_anything_reaches_the_sink() {
    var push = new PushOperation(context, recording);
    assertThatThrownBy(() -> push.push(List.of(PushItem.of("q", "1"), PushItem.of("q", "{bad"))))
        .isInstanceOfSatisfying(InvalidRequestException.class,
            e -> assertThat(e.field()).isEqualTo("items[1].payload"));
    assertThat(received).isEmpty();
  }
}
