package io.queen.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.queen.QueueManager;
import io.queen.model.AckItem;
import io.queen.model.PopRequest;
import io.queen.model.PushItem;
import io.queen.model.PushStatus;
import io.queen.testing.QueenTestSupport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Two managers on one database: 20 000 messages over 100 partitions, consumed by four queue-mode
 * consumers and two consumers for each of two named groups per instance, while the pushes are
 * still arriving. Every message must be completed exactly once per group, in FIFO order within
 * its partition, and nothing may be left leased.
 */
class TwoManagersNoLossTest extends QueenTestSupport {
  private static final int MESSAGES = 20_000;
  private static final int PARTITIONS = 100;
  private static final List<String> GROUPS = List.of(PopRequest.QUEUE_MODE, "audit", "billing");

  private record Delivery(long order, String group, String partition, int number) {}

  @Test
  void every_message_is_completed_exactly_once_per_group_in_fifo_order_per_partition() throws Exception {
    var second = newManager(b -> b);
    var managers = List.of(queen, second);
    var deliveries = new ConcurrentLinkedQueue<Delivery>();
    var order = new AtomicLong();
    var completedPerGroup = new ConcurrentHashMap<String, AtomicLong>();
    GROUPS.forEach(g -> completedPerGroup.put(g, new AtomicLong()));
    ExecutorService pool = Executors.newFixedThreadPool(4 + 2 * (4 + 2 * 2));
    try {
      assertTimeoutPreemptively(Duration.ofMinutes(4), () -> {
        var futures = new ArrayList<Future<?>>();
        for (int p = 0; p < 4; p++) {
          int pusher = p;
          futures.add(pool.submit(() -> push(managers.get(pusher % 2), pusher)));
        }
        for (var m : managers) {
          for (int c = 0; c < 4; c++) {
            futures.add(pool.submit(() -> consume(m, null, deliveries, order, completedPerGroup)));
          }
          for (var g : List.of("audit", "billing")) {
            for (int c = 0; c < 2; c++) {
              futures.add(pool.submit(() -> consume(m, g, deliveries, order, completedPerGroup)));
            }
          }
        }
        for (var f : futures) {
          f.get();
        }
      });
    } finally {
      pool.shutdownNow();
    }

    Map<String, Map<String, List<Integer>>> byGroup = new HashMap<>();
    deliveries.stream().sorted((a, b) -> Long.compare(a.order(), b.order())).forEach(d ->
        byGroup.computeIfAbsent(d.group(), g -> new HashMap<>())
            .computeIfAbsent(d.partition(), p -> new ArrayList<>()).add(d.number()));
    for (var group : GROUPS) {
      var partitions = byGroup.get(group);
      assertThat(partitions).as(group).hasSize(PARTITIONS);
      int total = 0;
      for (var e : partitions.entrySet()) {
        var numbers = e.getValue();
        for (int i = 0; i < numbers.size(); i++) {
          assertThat(numbers.get(i)).as("%s %s position %s", group, e.getKey(), i).isEqualTo(i);
        }
        total += numbers.size();
      }
      assertThat(total).as(group).isEqualTo(MESSAGES);
    }
    try (var c = database.connect(); var s = c.createStatement()) {
      try (var rs = s.executeQuery("SELECT count(*) FROM queen.partition_consumers WHERE worker_id IS NOT NULL")) {
        rs.next();
        assertThat(rs.getLong(1)).as("partitions still leased").isZero();
      }
      try (var rs = s.executeQuery("SELECT count(*) FROM queen.messages")) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(MESSAGES);
      }
    }
  }

  /** Pusher k owns the partitions p with p % 4 == k and numbers each partition's messages 0, 1, ... */
  private static void push(QueueManager m, int pusher) {
    int perPartition = MESSAGES / PARTITIONS;
    for (int n = 0; n < perPartition; n++) {
      var items = new ArrayList<PushItem>();
      for (int p = pusher; p < PARTITIONS; p += 4) {
        items.add(PushItem.of("cluster", String.valueOf(n)).withPartition("p" + p));
      }
      for (var r : m.pushSync(items)) {
        assertThat(r.status()).isEqualTo(PushStatus.QUEUED);
      }
    }
  }

  private static void consume(QueueManager m, String group, ConcurrentLinkedQueue<Delivery> out,
      AtomicLong order, Map<String, AtomicLong> completed) {
    var key = group == null ? PopRequest.QUEUE_MODE : group;
    var counter = completed.get(key);
    while (counter.get() < MESSAGES) {
      var r = m.popSync(PopRequest.fromQueue("cluster").consumerGroup(group).batch(50)
          .wait(Duration.ofMillis(500)).build());
      if (r.isEmpty()) {
        continue;
      }
      var acks = new ArrayList<AckItem>();
      for (var msg : r.messages()) {
        out.add(new Delivery(order.incrementAndGet(), key, msg.partition(),
            Integer.parseInt(msg.payloadJson())));
        acks.add(AckItem.completed(msg));
      }
      for (var a : m.ackSync(acks)) {
        assertThat(a.success()).isTrue();
      }
      counter.addAndGet(acks.size());
    }
  }
}
