package io.queen.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.queen.model.DlqQuery;
import io.queen.model.PopRequest;
import io.queen.model.PushItem;
import io.queen.model.QueueOptions;
import io.queen.testing.Conditions;
import io.queen.testing.QueenTestSupport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class QueenConsumerTest extends QueenTestSupport {

  @Test
  void a_consumer_handles_every_message_once_and_acks_it() {
    var items = new ArrayList<PushItem>();
    for (int i = 0; i < 300; i++) {
      items.add(PushItem.of("work", String.valueOf(i)).withPartition("p" + (i % 7)));
    }
    queen.pushSync(items);
    Set<String> seen = ConcurrentHashMap.newKeySet();
    try (var consumer = QueenConsumer.builder(queen, "work").concurrency(3).batch(10)
        .waitTimeout(Duration.ofSeconds(1))
        .handler(m -> assertThat(seen.add(m.payloadJson())).isTrue()).start()) {
      Conditions.await("300 messages handled", Duration.ofSeconds(60),
          () -> consumer.handledCount() == 300);
    }
    assertThat(seen).hasSize(300);
    assertThat(queen.popSync(PopRequest.fromQueue("work").batch(100).build()).isEmpty()).isTrue();
  }

  @Test
  void a_throwing_handler_is_logged_each_time_and_acks_failed_until_the_dead_letter_queue() {
    var logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(QueenConsumer.class);
    var logged = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
    logged.start();
    logger.addAppender(logged);
    queen.configureQueueSync("flaky", QueueOptions.builder().retryLimit(1).build());
    queen.pushSync(PushItem.of("flaky", "\"poison\""));
    try (var consumer = QueenConsumer.builder(queen, "flaky").waitTimeout(Duration.ofMillis(500))
        .handler(m -> {
          throw new IllegalStateException("cannot handle " + m.payloadJson());
        }).start()) {
      Conditions.await("two failures", Duration.ofSeconds(30), () -> consumer.failedCount() == 2);
      Conditions.await("the dead letter", Duration.ofSeconds(30),
          () -> queen.listDlq(DlqQuery.forQueue("flaky")).join().total() == 1);
    }
    var entry = queen.listDlq(DlqQuery.forQueue("flaky")).join().entries().get(0);
    logger.detachAppender(logged);
    assertThat(entry.errorMessage())
        .isEqualTo("java.lang.IllegalStateException: cannot handle \"poison\"");
    assertThat(entry.retryCount()).isEqualTo(2);
    var failures = logged.list.stream()
        .filter(e -> e.getThrowableProxy() != null).toList();
    assertThat(failures).as("one line per failure, with the stack trace").hasSize(2);
    assertThat(failures).allSatisfy(e -> {
      assertThat(e.getFormattedMessage()).contains("flaky / Default")
          .contains(entry.messageId().toString());
      assertThat(e.getThrowableProxy().getMessage()).isEqualTo("cannot handle \"poison\"");
    });
    assertThat(failures).extracting(e -> e.getFormattedMessage().replaceAll(".*attempt (\\d+).*", "$1"))
        .containsExactly("1", "2");
  }

  @Test
  void a_long_running_handler_keeps_its_lease_when_renewal_is_on() throws Exception {
    queen.configureQueueSync("slow", QueueOptions.builder().leaseTime(30).build());
    queen.pushSync(PushItem.of("slow", "1"));
    var inHandler = new CountDownLatch(1);
    var release = new CountDownLatch(1);
    try (var consumer = QueenConsumer.builder(queen, "slow").renewLeases(Duration.ofMillis(50), 600)
        .waitTimeout(Duration.ofMillis(500)).handler(m -> {
          inHandler.countDown();
          assertThat(release.await(30, TimeUnit.SECONDS)).isTrue();
        }).start()) {
      assertThat(inHandler.await(30, TimeUnit.SECONDS)).isTrue();
      Conditions.await("a first renewal", Duration.ofSeconds(30),
          () -> leaseExpiresAfter(Duration.ofSeconds(300)));
      // Past the queue's 30 s lease; only the renewals (600 s) keep the partition.
      clock.advance(Duration.ofSeconds(60));
      Conditions.await("a renewal after the clock moved", Duration.ofSeconds(30),
          () -> leaseExpiresAfter(Duration.ofSeconds(550)));
      var other = queen.popSync(PopRequest.fromQueue("slow").build());
      assertThat(other.isEmpty()).isTrue();
      release.countDown();
      Conditions.await("the message handled", Duration.ofSeconds(30), () -> consumer.handledCount() == 1);
    }
  }

  private boolean leaseExpiresAfter(Duration fromNow) {
    try (var c = database.connect();
        var ps = c.prepareStatement("SELECT lease_expires_at > ? FROM queen.partition_consumers"
            + " WHERE worker_id IS NOT NULL")) {
      ps.setObject(1, java.time.OffsetDateTime.ofInstant(clock.instant().plus(fromNow), java.time.ZoneOffset.UTC));
      try (var rs = ps.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void closing_a_consumer_that_waits_returns_promptly_and_takes_nothing() {
    var consumer = QueenConsumer.builder(queen, "idle").concurrency(2)
        .waitTimeout(Duration.ofMinutes(5)).handler(m -> { }).start();
    long t0 = System.nanoTime();
    consumer.close();
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    queen.pushSync(PushItem.of("idle", "1"));
    assertThat(queen.popSync(PopRequest.fromQueue("idle").build()).messages()).hasSize(1);
  }

  @Test
  void the_builder_refuses_bad_settings() {
    var b = QueenConsumer.builder(queen, "q");
    assertThatThrownBy(() -> b.concurrency(0)).hasMessageContaining("concurrency").hasMessageContaining("was 0");
    assertThatThrownBy(() -> b.batch(0)).hasMessageContaining("batch");
    assertThatThrownBy(() -> b.waitTimeout(Duration.ZERO)).hasMessageContaining("waitTimeout");
    assertThatThrownBy(b::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("handler");
  }

  @Test
  void a_name_no_pop_would_accept_is_refused_at_start_rather_than_retried_for_ever() {
    assertThatThrownBy(() -> QueenConsumer.builder(queen, "bad\u0001queue").handler(m -> { })
        .start()).isInstanceOf(io.queen.error.InvalidRequestException.class)
        .hasMessageContaining("queue must not contain control characters");
    assertThatThrownBy(() -> QueenConsumer.builder(queen, "q").consumerGroup("g".repeat(300))
        .handler(m -> { }).start()).isInstanceOf(io.queen.error.InvalidRequestException.class)
        .hasMessageContaining("consumerGroup must be at most");
  }
}
