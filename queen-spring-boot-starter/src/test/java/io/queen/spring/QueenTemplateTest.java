package io.queen.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.queen.QueueManager;
import io.queen.model.Message;
import io.queen.model.PopRequest;
import io.queen.model.PushStatus;
import io.queen.model.QueueOptions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

class QueenTemplateTest extends DatabaseContextTest {
  record OrderPlaced(long id, String customer) {}

  private static <T> T json(Message m, Class<T> type) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readValue(m.payloadJson(), type);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static List<Message> popAll(QueueManager queen, String queue) {
    return queen.popSync(PopRequest.fromQueue(queue).batch(10).wait(Duration.ofSeconds(5)).build())
        .messages();
  }

  @Test
  void aSendInsideATransactionThatCommitsIsDeliveredWithTheApplicationsOwnWrite() {
    app.run(context -> {
      var template = context.getBean(QueenTemplate.class);
      var jdbc = context.getBean(JdbcTemplate.class);
      jdbc.execute("CREATE TABLE orders (id bigint PRIMARY KEY, customer text)");

      context.getBean(TransactionTemplate.class).executeWithoutResult(status -> {
        jdbc.update("INSERT INTO orders VALUES (1, 'alice')");
        assertThat(template.joinsTransaction()).isTrue();
        assertThat(template.send("outbox", new OrderPlaced(1, "alice")).status())
            .isEqualTo(PushStatus.QUEUED);
      });

      assertThat(jdbc.queryForObject("SELECT count(*) FROM orders", Integer.class)).isEqualTo(1);
      assertThat(popAll(context.getBean(QueueManager.class), "outbox"))
          .extracting(m -> json(m, OrderPlaced.class)).containsExactly(new OrderPlaced(1, "alice"));
    });
  }

  @Test
  void aSendInsideATransactionThatRollsBackIsNeverDelivered() {
    app.run(context -> {
      var template = context.getBean(QueenTemplate.class);
      var jdbc = context.getBean(JdbcTemplate.class);
      jdbc.execute("CREATE TABLE orders (id bigint PRIMARY KEY, customer text)");

      context.getBean(TransactionTemplate.class).executeWithoutResult(status -> {
        jdbc.update("INSERT INTO orders VALUES (1, 'alice')");
        template.send("outbox", new OrderPlaced(1, "alice"));
        status.setRollbackOnly();
      });
      // a marker committed after it: the queue holds the marker and nothing before it
      template.send("outbox", new OrderPlaced(2, "marker"));

      assertThat(jdbc.queryForObject("SELECT count(*) FROM orders", Integer.class)).isZero();
      assertThat(popAll(context.getBean(QueueManager.class), "outbox"))
          .extracting(m -> json(m, OrderPlaced.class)).containsExactly(new OrderPlaced(2, "marker"));
    });
  }

  @Test
  void anExceptionThatRollsBackTheTransactionTakesThePushWithIt() {
    app.run(context -> {
      var template = context.getBean(QueenTemplate.class);
      assertThatThrownBy(() -> context.getBean(TransactionTemplate.class).executeWithoutResult(s -> {
        template.send("outbox", "p", new OrderPlaced(3, "carol"), "order-3");
        throw new IllegalStateException("payment refused");
      })).hasMessage("payment refused");

      // the same transaction id is free again: the first push never existed
      assertThat(template.send("outbox", "p", new OrderPlaced(3, "carol"), "order-3").status())
          .isEqualTo(PushStatus.QUEUED);
    });
  }

  @Test
  void aSendOutsideATransactionIsAnOrdinaryPushCommittedAtOnce() {
    app.run(context -> {
      var template = context.getBean(QueenTemplate.class);
      assertThat(template.joinsTransaction()).isFalse();
      var first = template.send("plain", "eu", List.of(1, 2, 3), "tx-1");
      assertThat(first.status()).isEqualTo(PushStatus.QUEUED);
      assertThat(template.send("plain", "eu", List.of(1, 2, 3), "tx-1").status())
          .isEqualTo(PushStatus.DUPLICATE);
      assertThat(popAll(context.getBean(QueueManager.class), "plain"))
          .singleElement().satisfies(m -> {
            assertThat(json(m, List.class)).isEqualTo(List.of(1, 2, 3));
            assertThat(m.partition()).isEqualTo("eu");
            assertThat(m.transactionId()).isEqualTo("tx-1");
          });
    });
  }

  @Test
  void aPushQueenRefusesIsThrownSoThatTheTransactionRollsBack() {
    app.run(context -> {
      var queen = context.getBean(QueueManager.class);
      queen.configureQueueSync("small", QueueOptions.builder().maxSize(1).build());
      var template = context.getBean(QueenTemplate.class);
      template.send("small", "one");
      assertThatThrownBy(() -> template.send("small", "two"))
          .isInstanceOf(QueenPushException.class).hasMessageContaining("push to small failed");
    });
  }
}
