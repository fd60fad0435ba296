package io.queen.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.queen.server.testing.ServerHarness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A SIGTERM-style stop under load: bounded, long polls answered, no acknowledged push lost. */
class ShutdownTest {
  private static final int PUSHERS = 20;

  @Test
  void stopping_under_load_answers_long_polls_and_loses_no_acknowledged_push() throws Exception {
    try (var h = ServerHarness.start()) {
      Set<String> acknowledged = ConcurrentHashMap.newKeySet();
      var enough = new CountDownLatch(300);
      var pool = Executors.newFixedThreadPool(PUSHERS);
      List<Future<?>> pushers = new ArrayList<>();
      for (int p = 0; p < PUSHERS; p++) {
        int pusher = p;
        pushers.add(pool.submit(() -> {
          for (int seq = 0; ; seq++) {
            var id = "s-" + pusher + "-" + seq;
            try {
              var r = h.post("/api/v1/push", "{\"items\":[{\"queue\":\"stop\",\"partition\":\"p"
                  + (pusher % 4) + "\",\"transactionId\":\"" + id + "\",\"payload\":" + seq + "}]}");
              if (r.status() != 201) {
                assertThat(r.status()).as(r.toString()).isEqualTo(503);
                return;
              }
              assertThat(r.json().getAsJsonArray().get(0).getAsJsonObject().get("status").getAsString())
                  .isEqualTo("queued");
              acknowledged.add(id);
              enough.countDown();
            } catch (RuntimeException e) {
              return; // connection refused or reset once the server is gone
            }
          }
        }));
      }
      var longPoll = h.getAsync("/api/v1/pop/queue/idle-during-stop?wait=true&timeout=30000");
      assertThat(enough.await(30, TimeUnit.SECONDS)).isTrue();

      long start = System.nanoTime();
      h.server.stop();
      var took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(took).isLessThan(Duration.ofMillis(5_000 + 2_000));
      assertThat(longPoll.get(10, TimeUnit.SECONDS).status()).isEqualTo(204);
      for (var f : pushers) {
        f.get(30, TimeUnit.SECONDS);
      }
      pool.shutdown();
      assertThat(h.server.ownerThreadViolations()).isZero();

      var stored = new HashSet<String>();
      try (var c = h.database.connect(); var s = c.createStatement();
           var rs = s.executeQuery("SELECT transaction_id FROM queen.messages")) {
        while (rs.next()) {
          stored.add(rs.getString(1));
        }
      }
      assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(300);
      assertThat(stored).containsAll(acknowledged);
    }
  }
}
