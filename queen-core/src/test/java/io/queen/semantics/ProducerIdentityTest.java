package io.queen.semantics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.queen.error.InvalidRequestException;
import io.queen.model.AckItem;
import io.queen.model.PopRequest;
import io.queen.model.PushItem;
import io.queen.model.TransactionRequest;
import io.queen.testing.Fixtures;
import io.queen.testing.QueenTestSupport;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A message keeps the producer identity it was pushed with ({@code PushItem.producerSub}). */
class ProducerIdentityTest extends QueenTestSupport {

  @Test
  void a_pushed_producer_comes_back_on_pop_and_an_empty_one_is_stored_as_none() {
    queen.pushSync(List.of(PushItem.of("who", "1").withProducerSub("billing-service"),
        PushItem.of("who", "2").withProducerSub(""), PushItem.of("who", "3")));
    var popped = queen.popSync(PopRequest.fromQueue("who").batch(10).build()).messages();
    assertThat(popped).extracting(m -> m.producerSub()).containsExactly("billing-service", null, null);
    assertThat(Fixtures.scalarLong(database,
        "SELECT count(*) FROM queen.messages WHERE producer_sub IS NULL")).isEqualTo(2);
  }

  @Test
  void a_transaction_stores_the_producer_of_its_pushes() {
    queen.pushSync(PushItem.of("in", "1"));
    var in = queen.popSync(PopRequest.fromQueue("in").build()).messages().get(0);
    var result = queen.transactionSync(new TransactionRequest(List.of(AckItem.completed(in)),
        List.of(PushItem.of("out", "2").withProducerSub("alice")), List.of()));
    assertThat(result.success()).isTrue();
    assertThat(queen.popSync(PopRequest.fromQueue("out").build()).messages())
        .extracting(m -> m.producerSub()).containsExactly("alice");
  }

  @Test
  void a_producer_with_a_nul_character_is_refused_naming_the_item() {
    assertThatThrownBy(() -> queen.pushSync(List.of(PushItem.of("nul", "1"),
        PushItem.of("nul", "2").withProducerSub("a\0b"))))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("items[1].producerSub must not contain the NUL character");
    assertThat(Fixtures.scalarLong(database, "SELECT count(*) FROM queen.messages")).isZero();
  }
}
