package io.queen.spring;

import static io.queen.spring.Contexts.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.queen.Queen;
import io.queen.QueenConfig;
import io.queen.QueueManager;
import io.queen.model.DlqQuery;
import io.queen.model.Message;
import io.queen.model.QueueOptions;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class QueenListenerTest extends DatabaseContextTest {
  private static final Duration WAIT = Duration.ofSeconds(15);


  record OrderPlaced(long id, String customer, List<String> items) {}

  /** A POJO with a no-argument constructor and setters. */
  public static class Invoice {
    private String number;
    private int cents;

    public String getNumber() { return number; }
    public void setNumber(String number) { this.number = number; }
    public int getCents() { return cents; }
    public void setCents(int cents) { this.cents = cents; }
  }

  static class Handlers {
    final BlockingQueue<OrderPlaced> orders = new LinkedBlockingQueue<>();
    final BlockingQueue<Message> orderMessages = new LinkedBlockingQueue<>();
    final BlockingQueue<Invoice> invoices = new LinkedBlockingQueue<>();
    final BlockingQueue<JsonNode> raw = new LinkedBlockingQueue<>();

    @QueenListener(queue = "orders", group = "billing", concurrency = 2, batch = 5)
    void onOrder(OrderPlaced order, Message message) {
      orders.add(order);
      orderMessages.add(message);
    }

    @QueenListener(queue = "${test.invoice-queue}")
    void onInvoice(Invoice invoice) {
      invoices.add(invoice);
    }

    @QueenListener(queue = "orders", group = "audit")
    void audit(JsonNode order) {
      raw.add(order);
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class HandlersConfig {
    @Bean
    Handlers handlers() {
      return new Handlers();
    }
  }

  @Test
  void aListenerReceivesRecordAndPojoPayloadsConvertedByJacksonAndAcksThem() {
    app.withUserConfiguration(HandlersConfig.class)
        .withPropertyValues("test.invoice-queue=invoices").run(context -> {
          var handlers = context.getBean(Handlers.class);
          var template = context.getBean(QueenTemplate.class);
          var queen = context.getBean(QueueManager.class);
          assertThat(context.getBean(QueenListenerRegistry.class).endpoints()).hasSize(3);

          template.send("orders", "alice", new OrderPlaced(7, "alice", List.of("tea", "cake")));
          var invoice = new Invoice();
          invoice.setNumber("INV-1");
          invoice.setCents(1250);
          template.send("invoices", invoice);

          assertThat(handlers.orders.poll(WAIT.toSeconds(), TimeUnit.SECONDS))
              .isEqualTo(new OrderPlaced(7, "alice", List.of("tea", "cake")));
          var message = handlers.orderMessages.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
          assertThat(message.partition()).isEqualTo("alice");
          assertThat(message.consumerGroup()).isEqualTo("billing");
          var received = handlers.invoices.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
          assertThat(received.getNumber()).isEqualTo("INV-1");
          assertThat(received.getCents()).isEqualTo(1250);
          // the second group on the queue sees the same message, as a JsonNode
          assertThat(handlers.raw.poll(WAIT.toSeconds(), TimeUnit.SECONDS).get("customer").asText())
              .isEqualTo("alice");

          // the message was acked completed: billing's cursor passed it and holds no lease
          await("billing's ack of the order", WAIT, () -> queen.admin()
              .message(message.partitionId(), message.transactionId()).join().orElseThrow()
              .groups().stream().anyMatch(g -> g.group().equals("billing") && g.consumed()
                  && g.leaseExpiresAt() == null));
          await("the handled counts", WAIT,
              () -> context.getBean(QueenListenerRegistry.class).handledCount() == 3);
        });
  }

  static class Flaky {
    final List<Message> deliveries = new CopyOnWriteArrayList<>();
    final List<Long> deliveredAtNanos = new CopyOnWriteArrayList<>();
    final List<OrderPlaced> converted = new CopyOnWriteArrayList<>();

    @QueenListener(queue = "payments")
    void charge(Message message) {
      deliveries.add(message);
      deliveredAtNanos.add(System.nanoTime());
      throw new IllegalStateException("card declined");
    }

    @QueenListener(queue = "strict")
    void strict(OrderPlaced order) {
      converted.add(order);
    }
  }

  /** Configures the queues before the listeners start (beans are created before they start). */
  static class QueueSetup implements InitializingBean {
    private final QueueManager queen;

    QueueSetup(QueueManager queen) {
      this.queen = queen;
    }

    @Override
    public void afterPropertiesSet() {
      queen.configureQueueSync("payments",
          QueueOptions.builder().retryLimit(1).retryDelay(300).build());
      queen.configureQueueSync("strict", QueueOptions.builder().retryLimit(0).build());
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class FlakyConfig {
    @Bean
    Flaky flaky() {
      return new Flaky();
    }

    @Bean
    QueueSetup queueSetup(QueueManager queen) {
      return new QueueSetup(queen);
    }
  }

  @Test
  void aListenerThatThrowsHasItsMessageRedeliveredAfterTheRetryDelayThenDeadLettered() {
    app.withUserConfiguration(FlakyConfig.class).run(context -> {
      var flaky = context.getBean(Flaky.class);
      var queen = context.getBean(QueueManager.class);
      context.getBean(QueenTemplate.class).send("payments", "p-1", new OrderPlaced(1, "bob", List.of()), "pay-1");

      await("the message in the dead-letter queue", WAIT,
          () -> queen.listDlq(DlqQuery.forQueue("payments")).join().total() == 1);
      var dead = queen.listDlq(DlqQuery.forQueue("payments")).join().entries().get(0);
      assertThat(dead.transactionId()).isEqualTo("pay-1");
      assertThat(dead.errorMessage()).contains("IllegalStateException: card declined");

      // retryLimit 1: delivered twice, the second time as a retry, no sooner than retryDelay
      assertThat(flaky.deliveries).extracting(Message::retryCount).containsExactly(0, 1);
      assertThat(flaky.deliveredAtNanos.get(1) - flaky.deliveredAtNanos.get(0))
          .isGreaterThanOrEqualTo(Duration.ofMillis(300).toNanos());
      assertThat(context.getBean(QueenListenerRegistry.class).failedCount()).isEqualTo(2);
    });
  }

  @Test
  void aPayloadThatCannotBeConvertedIsFailedWithJacksonsErrorAndTheMethodIsNotCalled() {
    app.withUserConfiguration(FlakyConfig.class).run(context -> {
      var flaky = context.getBean(Flaky.class);
      var queen = context.getBean(QueueManager.class);
      queen.pushSync(io.queen.model.PushItem.of("strict", "{\"id\": \"not a number\"}"));

      await("the unconvertible message in the dead-letter queue", WAIT,
          () -> queen.listDlq(DlqQuery.forQueue("strict")).join().total() == 1);
      assertThat(queen.listDlq(DlqQuery.forQueue("strict")).join().entries().get(0).errorMessage())
          .contains("InvalidFormatException").contains("not a number");
      assertThat(flaky.converted).isEmpty();
    });
  }

  static class Slow {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @QueenListener(queue = "slow")
    void handle(String payload) throws InterruptedException {
      entered.countDown();
      release.await(30, TimeUnit.SECONDS);
    }
  }

  /** The application's own manager, recording the calls the listener machinery makes. */
  @Configuration(proxyBeanMethods = false)
  static class RecordingManager {
    static final List<String> calls = new CopyOnWriteArrayList<>();

    @Bean(destroyMethod = "close")
    QueueManager queueManager(DataSource dataSource) {
      var real = Queen.create(dataSource, QueenConfig.builder().dbThreads(2).build());
      return (QueueManager) Proxy.newProxyInstance(QueueManager.class.getClassLoader(),
          new Class<?>[] {QueueManager.class}, (proxy, method, args) -> {
            if (method.getName().startsWith("ack") || method.getName().equals("close")) {
              calls.add(method.getName());
            }
            try {
              return method.invoke(real, args);
            } catch (InvocationTargetException e) {
              throw e.getCause();
            }
          });
    }

    @Bean
    Slow slow() {
      return new Slow();
    }
  }

  @Test
  void closingTheContextStopsTheListenersLettingTheirBatchBeAckedBeforeTheManagerCloses() {
    RecordingManager.calls.clear();
    app.withUserConfiguration(RecordingManager.class).run(context -> {
      var slow = context.getBean(Slow.class);
      var registry = context.getBean(QueenListenerRegistry.class);
      context.getBean(QueenTemplate.class).send("slow", "work");
      assertThat(slow.entered.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

      var closer = new Thread(context::close, "test-closer");
      closer.start();
      await("the listeners to be stopping", WAIT, () -> !registry.isRunning());
      assertThat(RecordingManager.calls).doesNotContain("close");

      slow.release.countDown(); // the handler returns: its message is acked, then the manager closes
      closer.join(WAIT.toMillis());
      assertThat(closer.isAlive()).isFalse();
      assertThat(RecordingManager.calls).contains("ackSync", "close");
      assertThat(RecordingManager.calls.indexOf("ackSync"))
          .isLessThan(RecordingManager.calls.indexOf("close"));
    });
  }

  static class BadSignature {
    @QueenListener(queue = "x")
    void twoPayloads(String a, String b) {}
  }

  @Test
  void aListenerMethodWithASignatureItCannotCallFailsTheStartupNamingIt() {
    app.withBean(BadSignature.class).run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).hasStackTraceContaining("twoPayloads")
          .hasStackTraceContaining("must take the payload, the io.queen.model.Message, or both");
    });
  }

  static class GoodThenBadName {
    @QueenListener(queue = "fine")
    void fine(String payload) {}

    @QueenListener(queue = "bad\u0001name")
    void badName(String payload) {}
  }

  @Test
  void aListenerWhoseQueueNoPopWouldAcceptFailsTheStartupNamingItAndStopsTheOthers() {
    app.withBean(GoodThenBadName.class).run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).hasStackTraceContaining("badName")
          .hasStackTraceContaining("queue must not contain control characters");
    });
    assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.isAlive()
        && t.getName().startsWith("queen-consumer-fine-"));
  }
}
