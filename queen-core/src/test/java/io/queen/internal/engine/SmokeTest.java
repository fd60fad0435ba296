package io.queen.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.queen.model.AckItem;
import io.queen.model.PopRequest;
import io.queen.model.PushItem;
import io.queen.model.PushStatus;
import io.queen.testing.QueenTestSupport;
import java.util.List;
import org.junit.jupiter.api.Test;

class SmokeTest extends QueenTestSupport {
  @Test
  void a_pushed_message_is_popped_and_acked() {
    var pushed = queen.pushSync(List.of(PushItem.of("orders", "{\"n\":1}")));
    assertThat(pushed.get(0).status()).isEqualTo(PushStatus.QUEUED);
    var popped = queen.popSync(PopRequest.fromQueue("orders").build());
    assertThat(popped.messages()).hasSize(1);
    assertThat(popped.messages().get(0).payloadJson()).isEqualTo("{\"n\": 1}");
    var ack = queen.ackSync(AckItem.completed(popped.messages().get(0)));
    assertThat(ack.success()).isTrue();
    assertThat(ack.leaseReleased()).isTrue();
    assertThat(queen.popSync(PopRequest.fromQueue("orders").build()).isEmpty()).isTrue();
  }
}
