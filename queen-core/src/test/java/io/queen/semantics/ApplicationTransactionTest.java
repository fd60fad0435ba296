package io.queen.semantics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.queen.error.InvalidRequestException;
import io.queen.error.QueenDatabaseException;
import io.queen.model.AckItem;
import io.queen.model.PopRequest;
import io.queen.model.PushItem;
import io.queen.model.PushStatus;
import io.queen.testing.Conditions;
import io.queen.testing.Fixtures;
import io.queen.testing.QueenTestSupport;
import io.queen.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pushes and acks on the application's own connection, in its own transaction (the outbox
 * pattern): visible exactly when it commits, gone when it rolls back, in commit order.
 */
class ApplicationTransactionTest extends QueenTestSupport {
  private static final Duration NEVER = Duration.ofHours(1);

  @BeforeEach
  void createTheApplicationsTable() throws SQLException {
    try (var c = database.connect(); var s = c.createStatement()) {
      s.execute("CREATE TABLE orders (id int PRIMARY KEY)");
    }
  }

  @Test
  void a_push_in_a_committed_transaction_is_delivered_once_and_not_before_the_commit()
      throws Exception {
    try (var app = database.connect()) {
      app.setAutoCommit(false);
      insertOrder(app, 1);
      var results = queen.push(app, List.of(PushItem.of("orders", "{\"order\":1}")));
      assertThat(results).extracting(r -> r.status()).containsExactly(PushStatus.QUEUED);
      assertThat(popNow("orders")).isEmpty(); // not committed yet: nobody sees it
      app.commit();
    }
    assertThat(popNow("orders")).containsExactly("{\"order\": 1}");
    assertThat(popNow("orders")).isEmpty();
  }

  @Test
  void a_push_in_a_rolled_back_transaction_is_never_delivered_and_leaves_nothing()
      throws Exception {
    try (var app = database.connect()) {
      app.setAutoCommit(false);
      insertOrder(app, 1);
      queen.push(app, List.of(PushItem.of("orders", "{\"order\":1}")));
      app.rollback();
    }
    assertThat(popNow("orders")).isEmpty();
    assertThat(Fixtures.scalarLong(database, "SELECT count(*) FROM queen.messages")).isZero();
    assertThat(Fixtures.scalarLong(database, "SELECT count(*) FROM orders")).isZero();
  }

  @Test
  void a_waiting_long_poll_of_this_instance_wakes_at_the_commit_and_not_at_a_rollback()
      throws Exception {
    var waiter = newManager(b -> b.longPollRecheckInterval(NEVER));
    Conditions.await("LISTEN to be up", Duration.ofSeconds(10), () -> waiter.stats().listening());
    var waiting = waiter.pop(PopRequest.fromQueue("orders").wait(Duration.ofMinutes(5)).build());
    try (var app = database.connect()) {
      app.setAutoCommit(false);
      waiter.push(app, List.of(PushItem.of("orders", "\"rolled back\"")));
      app.rollback();
      app.setAutoCommit(false);
      waiter.push(app, List.of(PushItem.of("orders", "\"committed\"")));
      assertThat(waiting).isNotDone();
      app.commit();
    }
    var r = waiting.get(20, TimeUnit.SECONDS);
    assertThat(r.messages()).extracting(m -> m.payloadJson()).containsExactly("\"committed\"");
  }

  @Test
  void a_waiting_long_poll_of_another_instance_wakes_at_the_commit() throws Exception {
    var other = newManager(b -> b.longPollRecheckInterval(NEVER));
    Conditions.await("LISTEN to be up", Duration.ofSeconds(10), () -> other.stats().listening());
    var waiting = other.pop(PopRequest.fromQueue("orders").wait(Duration.ofMinutes(5)).build());
    try (var app = database.connect()) {
      app.setAutoCommit(false);
      queen.push(app, List.of(PushItem.of("orders", "7")));
      app.commit();
    }
    assertThat(waiting.get(20, TimeUnit.SECONDS).messages()).extracting(m -> m.payloadJson())
        .containsExactly("7");
  }

  @Test
  void a_transaction_that_pushes_into_a_locked_partition_waits_and_lands_behind_the_first()
      throws Exception {
    try (var first = database.connect(); var second = database.connect()) {
      first.setAutoCommit(false);
      second.setAutoCommit(false);
      queen.push(first, List.of(PushItem.of("orders", "1").withPartition("p")));
      var blocked = CompletableFuture.supplyAsync(() -> {
        var results = queen.push(second, List.of(PushItem.of("orders", "2").withPartition("p")));
        commit(second);
        return results;
      });
      Conditions.await("the second transaction to wait for the partition's lock",
          Duration.ofSeconds(10), () -> waitingForALock() == 1);
      assertThat(blocked).isNotDone();
      first.commit();
      assertThat(blocked.get(20, TimeUnit.SECONDS)).extracting(r -> r.status())
          .containsExactly(PushStatus.QUEUED);
    }
    assertThat(popNow("orders")).containsExactly("1", "2");
  }

  @Test
  void concurrent_application_transactions_into_one_partition_are_received_in_commit_order_and_none_is_lost()
      throws Exception {
    int writers = 6;
    int transactionsEach = 40;
    int perTransaction = 3;
    var committed = new AtomicInteger();
    var received = new ConcurrentLinkedQueue<String>();
    assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
      var producers = new ArrayList<CompletableFuture<Void>>();
      var pool = database.pool(writers);
      try (pool) {
        for (int w = 0; w < writers; w++) {
          int writer = w;
          producers.add(CompletableFuture.runAsync(() -> {
            for (int t = 0; t < transactionsEach; t++) {
              try (var app = pool.getConnection()) {
                app.setAutoCommit(false);
                var items = new ArrayList<PushItem>();
                for (int k = 0; k < perTransaction; k++) {
                  items.add(PushItem.of("lane", "\"" + writer + ":" + t + ":" + k + "\"")
                      .withPartition("one"));
                }
                insertOrder(app, writer * 1000 + t);
                queen.push(app, items);
                if (t % 5 == 4) {
                  app.rollback(); // every fifth transaction of each writer is rolled back
                } else {
                  app.commit();
                  committed.addAndGet(perTransaction);
                }
              } catch (SQLException e) {
                throw new IllegalStateException(e);
              }
            }
          }));
        }
        var all = CompletableFuture.allOf(producers.toArray(new CompletableFuture[0]));
        int expected = writers * (transactionsEach - transactionsEach / 5) * perTransaction;
        // a consumer popping while the writers write, until it has every committed message
        while (received.size() < expected) {
          var r = queen.popSync(PopRequest.fromQueue("lane").partition("one").batch(7)
              .wait(Duration.ofMillis(200)).build());
          var acks = new ArrayList<AckItem>();
          for (var m : r.messages()) {
            received.add(m.payloadJson());
            acks.add(AckItem.completed(m));
          }
          if (!acks.isEmpty()) {
            assertThat(queen.ackSync(acks)).allMatch(a -> a.success());
          }
          if (all.isDone() && r.messages().isEmpty() && received.size() >= committed.get()) {
            break;
          }
        }
        all.join();
      }
    });
    assertThat(received).hasSize(committed.get()).doesNotHaveDuplicates();
    assertThat(committed.get()).isEqualTo(writers * 32 * perTransaction);
    // each transaction's messages arrive together and in order; each writer's in its order
    var order = new ArrayList<>(received);
    Map<Integer, Integer> lastTransaction = new HashMap<>();
    for (int i = 0; i < order.size(); i += perTransaction) {
      var first = order.get(i).replace("\"", "").split(":");
      int writer = Integer.parseInt(first[0]);
      int t = Integer.parseInt(first[1]);
      assertThat(t % 5).as("a rolled-back transaction's message").isNotEqualTo(4);
      for (int k = 0; k < perTransaction; k++) {
        assertThat(order.get(i + k)).isEqualTo("\"" + writer + ":" + t + ":" + k + "\"");
      }
      assertThat(t).isGreaterThan(lastTransaction.getOrDefault(writer, -1));
      lastTransaction.put(writer, t);
    }
  }

  @Test
  void a_duplicate_transaction_id_is_recognised_across_application_transactions()
      throws Exception {
    try (var app = database.connect()) {
      app.setAutoCommit(false);
      queen.push(app, List.of(PushItem.of("orders", "1").withTransactionId("order-1")));
      app.commit();
      var again = queen.push(app,
          List.of(PushItem.of("orders", "1").withTransactionId("order-1")));
      app.commit();
      assertThat(again).extracting(r -> r.status()).containsExactly(PushStatus.DUPLICATE);
    }
    assertThat(popNow("orders")).hasSize(1);
  }

  @Test
  void an_ack_in_a_committed_transaction_consumes_and_in_a_rolled_back_one_leaves_the_lease()
      throws Exception {
    queen.pushSync(PushItem.of("in", "1"));
    var popped = queen.popSync(PopRequest.fromQueue("in").build()).messages().get(0);
    try (var app = database.connect()) {
      app.setAutoCommit(false);
      insertOrder(app, 1);
      assertThat(queen.ack(app, List.of(AckItem.completed(popped))))
          .allMatch(a -> a.success());
      app.rollback();
      // the ack never happened: the lease is still the consumer's, and its ack still works
      assertThat(queen.popSync(PopRequest.fromQueue("in").build()).messages()).isEmpty();
      app.setAutoCommit(false);
      insertOrder(app, 1);
      assertThat(queen.ack(app, List.of(AckItem.completed(popped))))
          .allMatch(a -> a.success());
      app.commit();
    }
    assertThat(Fixtures.scalarLong(database, "SELECT count(*) FROM orders")).isEqualTo(1);
    // consumed: the partition is free again and "1" is not delivered a second time
    queen.pushSync(PushItem.of("in", "2"));
    assertThat(popNow("in")).containsExactly("2");
  }

  @Test
  void under_repeatable_read_a_push_behind_a_newer_commit_fails_rather_than_misorders()
      throws Exception {
    queen.pushSync(PushItem.of("orders", "0").withPartition("p"));
    try (var app = database.connect()) {
      app.setAutoCommit(false);
      app.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      insertOrder(app, 1); // the snapshot is taken here
      queen.pushSync(PushItem.of("orders", "1").withPartition("p"));
      assertThatThrownBy(() -> queen.push(app,
          List.of(PushItem.of("orders", "2").withPartition("p"))))
          .isInstanceOf(QueenDatabaseException.class)
          .satisfies(e -> assertThat(((QueenDatabaseException) e).sqlState()).isEqualTo("40001"));
      app.rollback();
    }
    assertThat(popNow("orders")).containsExactly("0", "1");
  }

  @Test
  void a_bad_item_is_refused_before_anything_runs_and_the_transaction_goes_on()
      throws Exception {
    try (var app = database.connect()) {
      app.setAutoCommit(false);
      insertOrder(app, 1);
      assertThatThrownBy(() -> queen.push(app,
          List.of(PushItem.of("orders", "1"), PushItem.of("", "2"))))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("items[1].queue");
      assertThatThrownBy(() -> queen.push(app, null))
          .isInstanceOf(InvalidRequestException.class).hasMessage("items is required");
      insertOrder(app, 2); // the transaction is not aborted
      app.commit();
    }
    assertThat(Fixtures.scalarLong(database, "SELECT count(*) FROM orders")).isEqualTo(2);
    assertThat(Fixtures.scalarLong(database, "SELECT count(*) FROM queen.messages")).isZero();
  }

  @Test
  void a_missing_closed_or_foreign_connection_is_refused_naming_it() throws Exception {
    assertThatThrownBy(() -> queen.push(null, List.of(PushItem.of("orders", "1"))))
        .isInstanceOf(InvalidRequestException.class).hasMessage("connection is required");
    var closed = database.connect();
    closed.close();
    assertThatThrownBy(() -> queen.ack(closed, List.of()))
        .isInstanceOf(InvalidRequestException.class).hasMessage("connection is closed");
    try (var elsewhere = TestDatabase.create(); var foreign = elsewhere.connect()) {
      assertThatThrownBy(() -> queen.push(foreign, List.of(PushItem.of("orders", "1"))))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("the connection's database has no Queen schema 'queen'");
    }
  }

  private List<String> popNow(String queue) {
    return queen.popSync(PopRequest.fromQueue(queue).batch(100).autoAck(true).build()).messages()
        .stream().map(m -> m.payloadJson()).toList();
  }

  private long waitingForALock() {
    return Fixtures.scalarLong(database, "SELECT count(*) FROM pg_stat_activity "
        + "WHERE datname = current_database() AND wait_event_type = 'Lock'");
  }

  private static void insertOrder(Connection app, int id) throws SQLException {
    try (var s = app.prepareStatement("INSERT INTO orders (id) VALUES (?)")) {
      s.setInt(1, id);
      s.executeUpdate();
    }
  }

  private static void commit(Connection c) {
    try {
      c.commit();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
