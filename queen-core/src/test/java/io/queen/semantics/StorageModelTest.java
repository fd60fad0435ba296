package io.queen.semantics;

import static org.assertj.core.api.Assertions.assertThat;

import io.queen.model.AckItem;
import io.queen.model.PopRequest;
import io.queen.model.PushItem;
import io.queen.model.QueueOptions;
import io.queen.testing.Fixtures;
import io.queen.testing.QueenTestSupport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** semantics.md §1 and the identity rules of §2. */
class StorageModelTest extends QueenTestSupport {

  @Test
  void a_push_creates_its_queue_with_namespace_and_task_taken_from_the_name() throws Exception {
    queen.pushSync(PushItem.of("billing.invoices.eu", "1"));
    queen.pushSync(PushItem.of("orders", "1"));
    try (var c = database.connect(); var s = c.createStatement();
        var rs = s.executeQuery("SELECT name, namespace, task FROM queen.queues ORDER BY name")) {
      rs.next();
      assertThat(List.of(rs.getString(1), rs.getString(2), rs.getString(3)))
          .containsExactly("billing.invoices.eu", "billing", "invoices");
      rs.next();
      assertThat(List.of(rs.getString(1), rs.getString(2), rs.getString(3)))
          .containsExactly("orders", "orders", "");
    }
  }

  @Test
  void a_push_creates_its_partition_and_the_default_partition_is_named_Default() throws Exception {
    queen.pushSync(PushItem.of("q", "1"));
    queen.pushSync(PushItem.of("q", "2").withPartition("user-7"));
    try (var c = database.connect(); var s = c.createStatement();
        var rs = s.executeQuery("SELECT p.name FROM queen.partitions p JOIN queen.queues q"
            + " ON q.id = p.queue_id WHERE q.name = 'q' ORDER BY p.name")) {
      var names = new ArrayList<String>();
      while (rs.next()) {
        names.add(rs.getString(1));
      }
      assertThat(names).containsExactly("Default", "user-7");
    }
  }

  @Test
  void message_ids_are_increasing_uuid_version_7() {
    var results = queen.pushSync(List.of(PushItem.of("q", "1"), PushItem.of("q", "2"),
        PushItem.of("q", "3")));
    UUID previous = null;
    for (var r : results) {
      assertThat(r.messageId().version()).isEqualTo(7);
      if (previous != null) {
        assertThat(r.messageId()).isGreaterThan(previous);
      }
      previous = r.messageId();
    }
  }

  @Test
  void created_at_is_reported_in_utc_whatever_the_session_time_zone() throws Exception {
    try (var c = database.connect(); var s = c.createStatement()) {
      s.execute("ALTER DATABASE " + database.name() + " SET timezone TO 'Asia/Tokyo'");
    }
    var manager = newManager(b -> b);
    var before = clock.instant();
    manager.pushSync(PushItem.of("tz", "1"));
    var m = manager.popSync(PopRequest.fromQueue("tz").build()).messages().get(0);
    assertThat(Duration.between(before, m.createdAt()).abs()).isLessThan(Duration.ofSeconds(5));
    assertThat(m.createdAt().toString()).endsWith("Z");
  }

  @Test
  void deleting_a_queue_removes_everything_under_it() throws Exception {
    queen.configureQueueSync("gone", QueueOptions.builder().retryLimit(0).build());
    queen.pushSync(List.of(PushItem.of("gone", "1").withPartition("a"),
        PushItem.of("gone", "2").withPartition("b"), PushItem.of("kept", "3")));
    var popped = queen.popSync(PopRequest.fromQueue("gone").partition("a").build()).messages();
    queen.ackSync(AckItem.failed(popped.get(0), "to the dead-letter queue"));
    assertThat(queen.deleteQueue("gone").join()).isTrue();
    assertThat(queen.deleteQueue("gone").join()).isFalse();
    assertThat(Fixtures.scalarLong(database, "SELECT count(*) FROM queen.messages m WHERE NOT"
        + " EXISTS (SELECT 1 FROM queen.partitions p WHERE p.id = m.partition_id)")).isZero();
    assertThat(Fixtures.scalarLong(database, "SELECT count(*) FROM queen.messages")).isEqualTo(1);
    assertThat(Fixtures.scalarLong(database, "SELECT count(*) FROM queen.dead_letter_queue"))
        .isZero();
    assertThat(Fixtures.scalarLong(database, "SELECT count(*) FROM queen.partitions")).isEqualTo(1);
    assertThat(Fixtures.storedMessages(database, "kept")).isEqualTo(1);
  }

  @Test
  void deleting_a_queue_while_pushes_run_into_it_leaves_no_message_without_its_partition()
      throws Exception {
    var pushing = new java.util.concurrent.atomic.AtomicBoolean(true);
    var pushers = new ArrayList<java.util.concurrent.CompletableFuture<Void>>();
    for (int t = 0; t < 4; t++) {
      int pusher = t;
      pushers.add(java.util.concurrent.CompletableFuture.runAsync(() -> {
        for (int i = 0; pushing.get(); i++) {
          try {
            queen.pushSync(List.of(PushItem.of("busy", "1").withPartition("p" + (i % 5)),
                PushItem.of("busy", "2").withPartition("p" + ((i + pusher) % 5))));
          } catch (RuntimeException raced) {
            // a push that meets the deletion may fail; it must never leave an orphan
          }
        }
      }));
    }
    for (int d = 0; d < 10; d++) {
      queen.deleteQueue("busy").join();
    }
    pushing.set(false);
    java.util.concurrent.CompletableFuture.allOf(pushers.toArray(new java.util.concurrent.CompletableFuture[0])).join();
    assertThat(Fixtures.scalarLong(database, "SELECT count(*) FROM queen.messages m WHERE NOT"
        + " EXISTS (SELECT 1 FROM queen.partitions p WHERE p.id = m.partition_id)")).isZero();
  }

  @Test
  void the_original_core_columns_exist_with_their_names() throws Exception {
    try (var c = database.connect(); var s = c.createStatement();
        var rs = s.executeQuery("SELECT table_name || '.' || column_name FROM"
            + " information_schema.columns WHERE table_schema = 'queen'")) {
      var columns = new ArrayList<String>();
      while (rs.next()) {
        columns.add(rs.getString(1));
      }
      assertThat(columns).contains("queues.name", "partitions.name", "partitions.queue_id",
          "messages.id", "messages.transaction_id", "messages.partition_id", "messages.payload",
          "messages.producer_sub", "messages.created_at", "messages.trace_id");
    }
  }

  @Test
  void the_clock_of_the_engine_stamps_created_at() {
    clock.advance(Duration.ofDays(1));
    queen.pushSync(PushItem.of("clocked", "1"));
    var m = queen.popSync(PopRequest.fromQueue("clocked").build()).messages().get(0);
    assertThat(m.createdAt()).isAfter(Instant.now().plus(Duration.ofHours(23)));
  }
}
