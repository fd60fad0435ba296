package io.queen.semantics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.queen.model.AckItem;
import io.queen.model.PopRequest;
import io.queen.model.PushItem;
import io.queen.testing.QueenTestSupport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** semantics.md §2: FIFO in commit order, and no message lost to a late commit. */
class OrderingTest extends QueenTestSupport {

  @Test
  void four_concurrent_pushers_and_a_consumer_see_every_message_in_commit_order() {
    int pushers = 4;
    int perPusher = 250;
    var received = new ConcurrentLinkedQueue<String>();
    var pushing = new AtomicBoolean(true);
    assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
      var consumer = CompletableFuture.runAsync(() -> {
        while (pushing.get() || received.size() < pushers * perPusher) {
          var r = queen.popSync(PopRequest.fromQueue("lane").partition("one").batch(17)
              .wait(Duration.ofMillis(200)).build());
          var acks = new ArrayList<AckItem>();
          for (var m : r.messages()) {
            received.add(m.payloadJson());
            acks.add(AckItem.completed(m));
          }
          if (!acks.isEmpty()) {
            assertThat(queen.ackSync(acks)).allMatch(a -> a.success());
          }
        }
      });
      var producers = new ArrayList<CompletableFuture<Void>>();
      for (int p = 0; p < pushers; p++) {
        int pusher = p;
        producers.add(CompletableFuture.runAsync(() -> {
          for (int i = 0; i < perPusher; i++) {
            // each push waits for its commit: push i committed before push i+1 started
            queen.pushSync(PushItem.of("lane", "\"" + pusher + ":" + i + "\"").withPartition("one"));
          }
        }));
      }
      CompletableFuture.allOf(producers.toArray(new CompletableFuture[0])).join();
      pushing.set(false);
      consumer.join();
    });
    assertThat(received).hasSize(pushers * perPusher).doesNotHaveDuplicates();
    Map<Integer, Integer> last = new HashMap<>();
    for (var payload : received) {
      var parts = payload.replace("\"", "").split(":");
      int pusher = Integer.parseInt(parts[0]);
      int i = Integer.parseInt(parts[1]);
      assertThat(i).as("pusher %s", pusher).isEqualTo(last.getOrDefault(pusher, -1) + 1);
      last.put(pusher, i);
    }
  }

  @Test
  void a_push_that_commits_late_is_not_passed_by_the_cursor() throws Exception {
    queen.pushSync(PushItem.of("late", "0").withPartition("p"));
    var first = queen.popSync(PopRequest.fromQueue("late").partition("p").build());
    queen.ackSync(AckItem.completed(first.messages().get(0)));
    // A push that has started (holds the partition) but not committed, as a slow producer would.
    try (var slow = database.connect()) {
      slow.setAutoCommit(false);
      try (var s = slow.createStatement()) {
        s.executeQuery("SELECT * FROM queen.push_v1('[{\"i\":0,\"q\":\"late\",\"p\":\"p\","
            + "\"mid\":\"00000000-0000-7000-8000-000000000001\",\"tx\":\"slow\",\"pl\":1}]',"
            + " now(), true, NULL, 'x')").close();
      }
      var fast = queen.push(List.of(PushItem.of("late", "2").withPartition("p")));
      var meanwhile = queen.popSync(PopRequest.fromQueue("late").partition("p").batch(10).build());
      assertThat(meanwhile.messages()).isEmpty();
      assertThat(fast).isNotDone();
      slow.commit();
      fast.get();
    }
    var all = queen.popSync(PopRequest.fromQueue("late").partition("p").batch(10).build());
    assertThat(all.messages()).extracting(m -> m.transactionId())
        .containsExactly("slow", all.messages().get(1).transactionId());
    assertThat(all.messages().get(1).payloadJson()).isEqualTo("2");
  }
}
