package io.queen.semantics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.queen.error.InvalidRequestException;
import io.queen.model.PopRequest;
import io.queen.model.PushItem;
import io.queen.model.PushStatus;
import io.queen.testing.QueenTestSupport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;

/** semantics.md §3. */
class PushTest extends QueenTestSupport {

  @Test
  void any_json_value_is_stored_and_returned_as_the_same_json() {
    var payloads = List.of("{\"a\":{\"b\":[1,2.5,-3e2,true,false,null]},\"ü\":\"日本\\n\\\"q\\\"\"}",
        "[1,\"two\",{\"three\":3}]", "\"just a string\"", "42", "12345678901234567890.123456789",
        "true", "false", "null", "{}", "[]");
    var items = new ArrayList<PushItem>();
    for (var p : payloads) {
      items.add(PushItem.of("json", p));
    }
    queen.pushSync(items);
    var popped = queen.popSync(PopRequest.fromQueue("json").batch(100).build()).messages();
    assertThat(popped).hasSize(payloads.size());
    for (int i = 0; i < payloads.size(); i++) {
      assertThat(com.google.gson.JsonParser.parseString(popped.get(i).payloadJson()))
          .isEqualTo(com.google.gson.JsonParser.parseString(payloads.get(i)));
    }
    assertThat(popped.get(4).payloadJson()).isEqualTo("12345678901234567890.123456789");
  }

  @Test
  void a_missing_payload_is_stored_as_json_null_and_a_missing_transaction_id_is_generated() {
    var r = queen.pushSync(PushItem.of("nulls", null));
    assertThat(r.transactionId()).isNotBlank();
    var m = queen.popSync(PopRequest.fromQueue("nulls").build()).messages().get(0);
    assertThat(m.payloadJson()).isEqualTo("null");
    assertThat(m.transactionId()).isEqualTo(r.transactionId());
  }

  @Test
  void a_repeated_transaction_id_in_one_request_is_stored_once_and_reported_duplicate() {
    var results = queen.pushSync(List.of(PushItem.of("d", "1").withTransactionId("t"),
        PushItem.of("d", "2").withTransactionId("t"), PushItem.of("d", "3").withTransactionId("u")));
    assertThat(results).extracting(r -> r.status())
        .containsExactly(PushStatus.QUEUED, PushStatus.DUPLICATE, PushStatus.QUEUED);
    assertThat(results.get(1).messageId()).isEqualTo(results.get(0).messageId());
    assertThat(queen.popSync(PopRequest.fromQueue("d").batch(10).build()).messages())
        .extracting(m -> m.payloadJson()).containsExactly("1", "3");
  }

  @Test
  void a_repeated_transaction_id_in_a_later_request_is_reported_with_the_existing_id() {
    var first = queen.pushSync(PushItem.of("d", "1").withTransactionId("t"));
    var again = queen.pushSync(PushItem.of("d", "2").withTransactionId("t"));
    assertThat(again.status()).isEqualTo(PushStatus.DUPLICATE);
    assertThat(again.messageId()).isEqualTo(first.messageId());
  }

  @Test
  void into_existing_partitions_repeated_transaction_ids_are_stored_once_and_reported_duplicate() {
    // the partition exists before the batch: push_v1's steady-state statements, not the general path
    var earlier = queen.pushSync(PushItem.of("steady", "0").withTransactionId("old"));
    var results = queen.pushSync(List.of(PushItem.of("steady", "1").withTransactionId("t"),
        PushItem.of("steady", "2").withTransactionId("old"),
        PushItem.of("steady", "3").withTransactionId("t"),
        PushItem.of("steady", "4").withTransactionId("u")));
    assertThat(results).extracting(r -> r.status()).containsExactly(PushStatus.QUEUED,
        PushStatus.DUPLICATE, PushStatus.DUPLICATE, PushStatus.QUEUED);
    assertThat(results.get(1).messageId()).isEqualTo(earlier.messageId());
    assertThat(results.get(2).messageId()).isEqualTo(results.get(0).messageId());
    assertThat(results.get(3).messageId()).isNotEqualTo(results.get(0).messageId());
    assertThat(queen.popSync(PopRequest.fromQueue("steady").batch(10).build()).messages())
        .extracting(m -> m.payloadJson()).containsExactly("0", "1", "4");
  }

  @Test
  void a_batch_across_existing_partitions_numbers_each_partition_without_gaps() throws Exception {
    queen.pushSync(List.of(PushItem.of("seqs", "0").withPartition("a"),
        PushItem.of("seqs", "0").withPartition("b")));
    var batch = new ArrayList<PushItem>();
    for (int i = 1; i <= 6; i++) {
      batch.add(PushItem.of("seqs", String.valueOf(i)).withPartition(i % 2 == 0 ? "a" : "b"));
    }
    batch.add(PushItem.of("seqs", "7").withPartition("a").withTransactionId("dup"));
    batch.add(PushItem.of("seqs", "8").withPartition("a").withTransactionId("dup"));
    queen.pushSync(batch);
    try (var c = database.connect(); var s = c.createStatement();
        var rs = s.executeQuery("SELECT pa.name, string_agg(m.seq || ':' || m.payload::text, ' '"
            + " ORDER BY m.seq), pa.last_seq FROM queen.partitions pa JOIN queen.messages m"
            + " ON m.partition_id = pa.id GROUP BY pa.name, pa.last_seq ORDER BY pa.name")) {
      rs.next();
      assertThat(rs.getString(1) + " " + rs.getString(2) + " last " + rs.getLong(3))
          .isEqualTo("a 1:0 2:2 3:4 4:6 5:7 last 5");
      rs.next();
      assertThat(rs.getString(1) + " " + rs.getString(2) + " last " + rs.getLong(3))
          .isEqualTo("b 1:0 2:1 3:3 4:5 last 4");
    }
  }

  @Test
  void the_same_transaction_id_in_another_partition_is_not_a_duplicate() {
    queen.pushSync(PushItem.of("d", "1").withTransactionId("t").withPartition("a"));
    var other = queen.pushSync(PushItem.of("d", "2").withTransactionId("t").withPartition("b"));
    assertThat(other.status()).isEqualTo(PushStatus.QUEUED);
  }

  @Test
  void concurrent_pushes_of_one_transaction_id_store_exactly_one_message() throws Exception {
    int racers = 8;
    for (int round = 0; round < 5; round++) {
      var barrier = new CyclicBarrier(racers);
      var futures = new ArrayList<CompletableFuture<PushStatus>>();
      var tx = "race-" + round;
      for (int i = 0; i < racers; i++) {
        var manager = i % 2 == 0 ? queen : secondManager();
        futures.add(CompletableFuture.supplyAsync(() -> {
          await(barrier);
          return manager.pushSync(PushItem.of("race", "1").withTransactionId(tx)).status();
        }));
      }
      var statuses = futures.stream().map(CompletableFuture::join).toList();
      assertThat(statuses).filteredOn(s -> s == PushStatus.QUEUED).hasSize(1);
      assertThat(statuses).filteredOn(s -> s == PushStatus.DUPLICATE).hasSize(racers - 1);
    }
    try (var c = database.connect(); var s = c.createStatement();
        var rs = s.executeQuery("SELECT count(*) FROM queen.messages")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(5);
    }
  }

  private io.queen.QueueManager second;

  private io.queen.QueueManager secondManager() {
    if (second == null) {
      second = newManager(b -> b);
    }
    return second;
  }

  private static void await(CyclicBarrier barrier) {
    try {
      barrier.await();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void a_queued_push_is_committed_when_its_future_completes() throws Exception {
    var r = queen.pushSync(PushItem.of("durable", "1"));
    try (var c = database.connect();
        var ps = c.prepareStatement("SELECT count(*) FROM queen.messages WHERE id = ?")) {
      ps.setObject(1, r.messageId());
      try (var rs = ps.executeQuery()) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(1);
      }
    }
  }

  @Test
  void bad_items_are_refused_naming_the_field_and_nothing_of_the_request_is_stored() throws Exception {
    var good = PushItem.of("v", "1");
    assertRefused(List.of(good, new PushItem(null, null, "1", null, null)), "items[1].queue");
    assertRefused(List.of(good, PushItem.of("", "1")), "items[1].queue");
    assertRefused(List.of(good, PushItem.of("a\u0001b", "1")), "items[1].queue");
    assertRefused(List.of(good, PushItem.of("x".repeat(256), "1")), "items[1].queue");
    assertRefused(List.of(good, PushItem.of("v", "1").withPartition("")), "items[1].partition");
    assertRefused(List.of(good, PushItem.of("v", "{bad json")), "items[1].payload");
    assertRefused(List.of(good, PushItem.of("v", "1 2")), "items[1].payload");
    assertRefused(List.of(good, PushItem.of("v", "\"nul \\u0000\"")), "items[1].payload");
    // text gson's strict reader accepts but jsonb does not: refused here, never failing a batch
    assertRefused(List.of(good, PushItem.of("v", "\"tab\tinside\"")), "items[1].payload");
    assertRefused(List.of(good, PushItem.of("v", "\"\\ud83d alone\"")), "items[1].payload");
    assertRefused(List.of(good, PushItem.of("v", "1").withTraceId("not-a-uuid")), "items[1].traceId");
    assertRefused(List.of(good, PushItem.of("v", "1").withTransactionId("")), "items[1].transactionId");
    var list = new ArrayList<PushItem>();
    list.add(null);
    assertRefused(list, "items[0]");
    try (var c = database.connect(); var s = c.createStatement();
        var rs = s.executeQuery("SELECT count(*) FROM queen.messages")) {
      rs.next();
      assertThat(rs.getLong(1)).isZero();
    }
  }

  private void assertRefused(List<PushItem> items, String field) {
    assertThatThrownBy(() -> queen.push(items))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
          assertThat(e.field()).isEqualTo(field);
          assertThat(e.getMessage()).contains(field);
        });
  }

  @Test
  void a_trace_id_is_kept_and_returned_and_an_empty_one_means_none() {
    var trace = "0190c0de-0000-7000-8000-000000000042";
    queen.pushSync(List.of(PushItem.of("t", "1").withTraceId(trace), PushItem.of("t", "2").withTraceId("")));
    var ms = queen.popSync(PopRequest.fromQueue("t").batch(2).build()).messages();
    assertThat(ms.get(0).traceId()).isEqualTo(trace);
    assertThat(ms.get(1).traceId()).isNull();
  }

  @Test
  void an_empty_push_is_answered_with_no_results() {
    assertThat(queen.pushSync(List.of())).isEmpty();
  }

  @Test
  void a_push_to_an_unknown_queue_fails_that_item_when_auto_creation_is_off() {
    var strict = newManager(b -> b.autoCreateQueues(false));
    strict.configureQueueSync("known", io.queen.model.QueueOptions.DEFAULTS);
    var results = strict.pushSync(List.of(PushItem.of("known", "1"), PushItem.of("unknown", "2")));
    assertThat(results.get(0).status()).isEqualTo(PushStatus.QUEUED);
    assertThat(results.get(1).status()).isEqualTo(PushStatus.FAILED);
    assertThat(results.get(1).error()).contains("unknown").contains("does not exist");
  }
}
