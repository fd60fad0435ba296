package io.queen.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Fast tests of the load tool's own logic; no server, no database. */
class LoadToolTest {

  @Test
  void latenciesAreRecordedInMicrosecondsAndAnHourOrMoreIsClampedNotLost() {
    var h = LoadMain.histogram();
    LoadMain.recordNanos(h, 1_500_000); // 1.5 ms
    LoadMain.recordNanos(h, -5);
    LoadMain.recordNanos(h, 7_200_000_000_000L); // two hours
    assertThat(h.getTotalCount()).isEqualTo(3);
    assertThat(h.getValueAtPercentile(50)).isBetween(1_499L, 1_501L);
    assertThat(h.getMinValue()).isZero();
    assertThat(h.getMaxValue()).isBetween(LoadMain.MAX_MICROS * 999 / 1000, LoadMain.MAX_MICROS * 1001 / 1000);
  }

  @Test
  void parsesOptions() {
    var o = LoadOptions.parse("--mode", "consumer", "--duration=15", "--batch", "100",
        "--auto-ack", "--consumer-groups", "2", "--url", "http://127.0.0.1:7000/", "--json");
    assertThat(o.mode()).isEqualTo("consumer");
    assertThat(o.durationSeconds()).isEqualTo(15);
    assertThat(o.batch()).isEqualTo(100);
    assertThat(o.autoAck()).isTrue();
    assertThat(o.waitPop()).isFalse();
    assertThat(o.consumerGroups()).isEqualTo(2);
    assertThat(o.port()).isEqualTo(7000);
    assertThat(o.url()).isEqualTo("http://127.0.0.1:7000");
    assertThat(o.consumerConnections()).isEqualTo(o.connections());
    assertThat(o.json()).isTrue();
  }

  @Test
  void reportsEveryBadOption() {
    assertThatThrownBy(() -> LoadOptions.parse("--mode", "x", "--batch", "0", "--rate", "fast",
        "--bogus", "1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--rate must be an integer")
        .hasMessageContaining("unknown option --bogus");
    assertThatThrownBy(() -> LoadOptions.parse("--mode", "x", "--batch", "0"))
        .hasMessageContaining("--mode must be")
        .hasMessageContaining("--batch must be between 1");
  }

  @Test
  void parsesWireReplies() throws Exception {
    var push = "[{\"index\":0,\"transaction_id\":\"c0-0\",\"status\":\"queued\"},"
        + "{\"index\":1,\"status\":\"duplicate\",\"error\":null}]";
    assertThat(Wire.pushStatuses(push.getBytes(StandardCharsets.UTF_8)))
        .containsExactly("queued", "duplicate");
    var pop = "{\"success\":true,\"leaseId\":\"L\",\"messages\":[{\"id\":\"x\",\"transactionId\":\"c1-5\","
        + "\"data\":{\"a\":[1,2]},\"partitionId\":\"P\",\"partition\":\"p1\",\"retryCount\":0}]}";
    var msgs = Wire.popMessages(pop.getBytes(StandardCharsets.UTF_8));
    assertThat(msgs).containsExactly(new Wire.Popped("c1-5", "P", "p1", "L"));
    assertThat(Wire.popMessages(new byte[0])).isEmpty();
    assertThat(new String(Wire.ackBatchBody(msgs, "g0"), StandardCharsets.UTF_8)).isEqualTo(
        "{\"consumerGroup\":\"g0\",\"acknowledgments\":[{\"transactionId\":\"c1-5\","
            + "\"partitionId\":\"P\",\"leaseId\":\"L\",\"status\":\"completed\"}]}");
    assertThat(Wire.ackFailures("[{\"success\":true},{\"success\":false}]".getBytes(StandardCharsets.UTF_8), 2))
        .isEqualTo(1);
    assertThat(Wire.payload(3, 42, 60)).hasSize(60).startsWith("{\"c\":3,\"s\":42,");
  }

  @Test
  void verificationFindsLossDuplicatesAndReordering() {
    var ledger = new Ledger(1, List.of("g"));
    var p = ledger.producer(0);
    p.queued.set(0, 4);
    // pop 1 (t=0..10): c0-0, c0-1 ; pop 2 (t=20..30): c0-3 ; pop 3 (t=40..50): c0-1 again, c0-2
    ledger.received(0, 0, new long[] {1, 1}, new String[] {"c0-0", "c0-1"}, 2, 0, 10);
    ledger.received(0, 0, new long[] {1}, new String[] {"c0-3"}, 1, 20, 30);
    ledger.received(0, 0, new long[] {1, 1}, new String[] {"c0-1", "c0-2"}, 2, 40, 50);
    var v = ledger.verify(0, true);
    assertThat(v.passed()).isFalse();
    assertThat(v.expected()).isEqualTo(4);
    assertThat(v.lost()).isZero();
    assertThat(v.duplicates()).isEqualTo(1);
    assertThat(v.fifoViolations()).isEqualTo(1); // c0-2 after c0-3 was delivered by an earlier pop

    var ok = new Ledger(1, List.of("g"));
    ok.producer(0).queued.set(0, 3);
    ok.received(0, 0, new long[] {1}, new String[] {"c0-1"}, 1, 0, 10);
    ok.received(0, 0, new long[] {1}, new String[] {"c0-0"}, 1, 5, 12); // overlapping pops: not ordered
    assertThat(ok.verify(0, true).lost()).isEqualTo(1);
    ok.received(0, 0, new long[] {1}, new String[] {"c0-2"}, 1, 20, 30);
    assertThat(ok.verify(0, true).passed()).isTrue();
    assertThat(Ledger.connectionOf("c12-345")).isEqualTo(12);
    assertThat(Ledger.seqOf("c12-345")).isEqualTo(345);
    assertThat(Ledger.connectionOf("other")).isEqualTo(-1);
  }
}
