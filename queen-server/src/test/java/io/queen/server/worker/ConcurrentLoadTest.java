package io.queen.server.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.queen.server.testing.ServerHarness;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * 200 connections mixing push, pop and ack for a few seconds: no errors, every acknowledged
 * message delivered exactly once, and no thread but an exchange's owner ever touched it.
 */
class ConcurrentLoadTest {
  private static final int PRODUCERS = 100;
  private static final int CONSUMERS = 100;
  private static final long LOAD_MILLIS = 4_000;
  private static final long DRAIN_MILLIS = 30_000;
  private static final int PARTITIONS = 8;

  @Test
  void two_hundred_connections_push_pop_and_ack_without_errors_loss_or_duplicates() throws Exception {
    try (var h = ServerHarness.start()) {
      var queue = "load";
      assertThat(h.post("/api/v1/configure", "{\"queue\":\"load\",\"options\":{\"leaseTime\":120}}").status())
          .isEqualTo(200);
      Set<String> acknowledgedPushes = ConcurrentHashMap.newKeySet();
      Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();
      var errors = new ConcurrentLinkedQueue<String>();
      var producing = new CountDownLatch(PRODUCERS);
      var stopAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LOAD_MILLIS);
      var giveUpAt = stopAt + TimeUnit.MILLISECONDS.toNanos(DRAIN_MILLIS);
      var acked = new AtomicLong();
      ExecutorService pool = Executors.newFixedThreadPool(PRODUCERS + CONSUMERS);
      List<Future<?>> tasks = new ArrayList<>();
      for (int p = 0; p < PRODUCERS; p++) {
        int producer = p;
        tasks.add(pool.submit(() -> {
          try {
            int seq = 0;
            while (System.nanoTime() - stopAt < 0 && errors.isEmpty()) {
              var ids = new ArrayList<String>();
              var body = new StringBuilder("{\"items\":[");
              for (int k = 0; k < 3; k++) {
                var id = "m-" + producer + "-" + seq++;
                ids.add(id);
                body.append(k == 0 ? "" : ",").append("{\"queue\":\"").append(queue)
                    .append("\",\"partition\":\"p").append((producer + k) % PARTITIONS)
                    .append("\",\"transactionId\":\"").append(id)
                    .append("\",\"payload\":{\"id\":\"").append(id).append("\"}}");
              }
              var r = h.post("/api/v1/push", body.append("]}").toString());
              if (r.status() != 201) {
                errors.add("push: " + r);
                return;
              }
              for (var item : r.json().getAsJsonArray()) {
                var o = item.getAsJsonObject();
                if (!o.get("status").getAsString().equals("queued")) {
                  errors.add("push item: " + o);
                }
                acknowledgedPushes.add(o.get("transaction_id").getAsString());
              }
            }
          } catch (RuntimeException e) {
            errors.add("push failed: " + e);
          } finally {
            producing.countDown();
          }
        }));
      }
      for (int c = 0; c < CONSUMERS; c++) {
        int consumer = c;
        tasks.add(pool.submit(() -> {
          try {
            var group = consumer % 2 == 0 ? "" : "&consumerGroup=__QUEUE_MODE__";
            while (System.nanoTime() - giveUpAt < 0 && errors.isEmpty()) {
              if (producing.getCount() == 0 && deliveries.size() >= acknowledgedPushes.size()) {
                return;
              }
              var r = h.get("/api/v1/pop/queue/" + queue + "?batch=10&wait=true&timeout=500" + group);
              if (r.status() == 204) {
                continue;
              }
              if (r.status() != 200) {
                errors.add("pop: " + r);
                return;
              }
              var o = r.object();
              var lease = o.get("leaseId").getAsString();
              var acks = new StringBuilder("{\"acknowledgments\":[");
              int n = 0;
              for (var m : o.getAsJsonArray("messages")) {
                var msg = m.getAsJsonObject();
                var id = msg.get("transactionId").getAsString();
                deliveries.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                acks.append(n++ == 0 ? "" : ",").append("{\"transactionId\":\"").append(id)
                    .append("\",\"partitionId\":\"").append(msg.get("partitionId").getAsString())
                    .append("\",\"leaseId\":\"").append(lease).append("\",\"status\":\"completed\"}");
              }
              var a = h.post("/api/v1/ack/batch", acks.append("]}").toString());
              if (a.status() != 200) {
                errors.add("ack: " + a);
                return;
              }
              for (var item : a.json().getAsJsonArray()) {
                if (!item.getAsJsonObject().get("success").getAsBoolean()) {
                  errors.add("ack item: " + item);
                }
                acked.incrementAndGet();
              }
            }
          } catch (RuntimeException e) {
            errors.add("consumer failed: " + e);
          }
        }));
      }
      for (var t : tasks) {
        t.get(LOAD_MILLIS + DRAIN_MILLIS + 30_000, TimeUnit.MILLISECONDS);
      }
      pool.shutdown();

      assertThat(errors).as("errors").isEmpty();
      assertThat(acknowledgedPushes).as("messages pushed under load").hasSizeGreaterThan(300);
      assertThat(deliveries.keySet()).as("every acknowledged push delivered")
          .containsExactlyInAnyOrderElementsOf(acknowledgedPushes);
      var duplicated = deliveries.entrySet().stream().filter(e -> e.getValue().get() != 1).toList();
      assertThat(duplicated).as("messages delivered more than once").isEmpty();
      assertThat(acked.get()).isEqualTo(acknowledgedPushes.size());
      assertThat(h.server.ownerThreadViolations()).as("owner-thread invariant violations").isZero();
      var metrics = h.metrics();
      assertThat(metrics.get("ownerThreadViolations").getAsLong()).isZero();
      long wakeUps = 0;
      long responses = 0;
      for (var w : metrics.getAsJsonArray("workers")) {
        var o = w.getAsJsonObject();
        assertThat(o.get("refused").getAsLong()).isZero();
        wakeUps += o.get("wakeUps").getAsLong();
        responses += o.get("responses").getAsLong();
      }
      // Coalescing: one wake-up serves a burst, never more than one per response.
      assertThat(wakeUps).isLessThanOrEqualTo(responses);
    }
  }
}
