package io.queen.bench.load;

import com.google.gson.stream.JsonWriter;
import org.HdrHistogram.Histogram;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The HTTP load benchmark: pushes and/or pops through Queen's public HTTP API only, so it measures
 * any Queen-compatible server (the original C++ server included) with the same parameters.
 *
 * <pre>
 * java -Xmx256m -jar queen-bench/target/queen-load.jar --mode both --duration 10 --batch 10 \
 *     --partitions 100 --connections 20 --consumer-connections 10 --auto-ack --url http://127.0.0.1:6632
 * </pre>
 *
 * <p>Each producer connection is one thread with one keep-alive HTTP/1.1 socket; it pushes
 * {@code --batch} messages per request into one partition ({@code p<i>}, round-robin over the
 * partitions so that connection {@code c} owns the partitions {@code i ≡ c (mod connections)}
 * when the counts divide) and waits for the reply before the next request. Consumers are
 * {@code --consumer-connections} threads per consumer group (or in queue mode) popping any
 * partition; without {@code --auto-ack} each popped batch is acknowledged with one
 * {@code POST /api/v1/ack/batch}.
 *
 * <p>Reported: messages/s and requests/s per side, request latency percentiles, errors by kind,
 * and for {@code both} runs the delivery latency: time from the push's reply to the pop reply that
 * carries the message. With {@code --wait} and a rate the consumers can keep up with, consumers are
 * parked in long polls and this is the long-poll wake-up latency. After a {@code both} run the
 * {@link Ledger} verifies that every group received every message confirmed {@code queued}, with
 * no unexplained duplicates and FIFO order within each partition; a failed verification makes the
 * run fail (exit code 3).
 */
public final class LoadMain {
  private final LoadOptions o;
  private final Ledger ledger;
  private final List<String> groups = new ArrayList<>();
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  private final List<Side> pushSides = new ArrayList<>();
  private final List<Side> popSides = new ArrayList<>();
  private final AtomicBoolean stopConsumers = new AtomicBoolean();
  private final AtomicLong lastReceived = new AtomicLong();
  private final AtomicLong firstPop = new AtomicLong(Long.MAX_VALUE);
  private final AtomicLong lastPushReply = new AtomicLong();
  private final AtomicInteger consumersRunning = new AtomicInteger();
  private final LongAdder ackFailures = new LongAdder();
  private long start;
  private long producersDone;

  /** Per-thread counters and histograms, merged at the end. */
  static final class Side {
    final Histogram latency = histogram(); // push or pop request
    final Histogram ackLatency = histogram();
    final Histogram delivery = histogram(); // push reply -> pop reply
    final Histogram endToEnd = histogram(); // push sent -> pop reply
    long requests;
    long messages; // pushed-and-queued, or received
    long duplicatesOrUnknown;
    long emptyPops;
    long ackRequests;
    long deliveredBeforePushReply;
  }

  LoadMain(LoadOptions o) {
    this.o = o;
    if (o.consumes()) {
      if (o.consumerGroups() == 0) {
        groups.add(null);
      } else {
        for (int g = 0; g < o.consumerGroups(); g++) {
          groups.add(o.groupPrefix() + g);
        }
      }
    }
    var names = new ArrayList<String>();
    for (var g : groups) {
      names.add(g == null ? "__QUEUE_MODE__" : g);
    }
    ledger = new Ledger(o.produces() ? o.connections() : 0, names);
  }

  public static void main(String[] args) throws Exception {
    LoadOptions o;
    try {
      o = LoadOptions.parse(args);
    } catch (IllegalArgumentException e) {
      if (!e.getMessage().equals("help")) {
        System.err.println("queen-load: " + e.getMessage());
      }
      System.err.println(LoadOptions.USAGE);
      System.exit(e.getMessage().equals("help") ? 0 : 2);
      return;
    }
    var run = new LoadMain(o);
    var result = run.run();
    if (o.json()) {
      System.err.println(result.human);
      System.out.println(result.json);
    } else {
      System.out.println(result.human);
    }
    System.exit(result.verdict != null && !result.verdict.passed() ? 3 : 0);
  }

  record Result(String human, String json, Ledger.Verdict verdict) {}

  Result run() throws InterruptedException {
    var threads = new ArrayList<Thread>();
    var producers = new ArrayList<Thread>();
    start = System.nanoTime();
    long pushDeadline = start + o.durationSeconds() * 1_000_000_000L;
    if (o.consumes()) {
      for (int g = 0; g < groups.size(); g++) {
        for (int i = 0; i < o.consumerConnections(); i++) {
          var side = new Side();
          popSides.add(side);
          int gi = g;
          int ci = i;
          consumersRunning.incrementAndGet();
          var t = new Thread(() -> consume(gi, ci, side, pushDeadline), "consumer-" + g + "-" + i);
          t.setDaemon(true);
          threads.add(t);
        }
      }
    }
    if (o.produces()) {
      for (int c = 0; c < o.connections(); c++) {
        var side = new Side();
        pushSides.add(side);
        int ci = c;
        var t = new Thread(() -> produce(ci, side, pushDeadline), "producer-" + c);
        t.setDaemon(true);
        producers.add(t);
      }
    }
    threads.forEach(Thread::start);
    producers.forEach(Thread::start);
    for (var t : producers) {
      t.join();
    }
    producersDone = System.nanoTime();
    if (o.mode().equals("both")) {
      long drainDeadline = System.nanoTime() + o.drainTimeoutSeconds() * 1_000_000_000L;
      long expected = ledger.queuedTotal();
      while (System.nanoTime() < drainDeadline && !allReceived(expected)) {
        Thread.sleep(20);
      }
      stopConsumers.set(true);
    } else if (o.mode().equals("consumer")) {
      while (consumersRunning.get() > 0 && System.nanoTime() < pushDeadline) {
        Thread.sleep(20);
      }
      stopConsumers.set(true);
    }
    for (var t : threads) {
      t.join(o.waitTimeoutMs() + 15_000L);
    }
    return report();
  }

  private boolean allReceived(long expected) {
    for (int g = 0; g < groups.size(); g++) {
      if (ledger.unique(g) < expected) {
        return false;
      }
    }
    return true;
  }

  private void error(String kind) {
    errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
  }

  // ---- producers --------------------------------------------------------------------------

  private void produce(int c, Side side, long deadline) {
    var producer = ledger.producer(c);
    double perConnRate = o.rate() == 0 ? 0 : (double) o.rate() / o.connections();
    long intervalNanos = perConnRate == 0 ? 0 : (long) (o.batch() * 1e9 / perConnRate);
    long next = System.nanoTime();
    long seq = 0;
    long k = 0;
    try (var conn = new HttpConn(o.host(), o.port(), 60_000, o.authorizationHeader())) {
      while (true) {
        if (intervalNanos > 0) {
          long now = System.nanoTime();
          if (next > now) {
            LockSupport.parkNanos(next - now);
          }
          next += intervalNanos;
        }
        if (System.nanoTime() >= deadline) {
          break;
        }
        int p = (int) ((c + k * o.connections()) % o.partitions());
        String queue = o.queueName((int) ((c + k) % o.queues()));
        k++;
        byte[] body = Wire.pushBody(queue, "p" + p, c, seq, o.batch(), o.payloadBytes());
        long sent = System.nanoTime();
        HttpConn.Reply reply;
        try {
          reply = conn.request("POST", "/api/v1/push", body);
        } catch (IOException e) {
          error("push_io_" + e.getClass().getSimpleName());
          synchronized (producer) {
            producer.uncertain.set((int) seq, (int) (seq + o.batch()));
          }
          seq += o.batch();
          conn.close();
          continue;
        }
        long replied = System.nanoTime();
        side.requests++;
        recordNanos(side.latency, replied - sent);
        lastPushReply.accumulateAndGet(replied, Math::max);
        if (reply.status() != 200 && reply.status() != 201) {
          error("push_http_" + reply.status());
          synchronized (producer) {
            producer.uncertain.set((int) seq, (int) (seq + o.batch()));
          }
          seq += o.batch();
          continue;
        }
        producer.sent(seq, o.batch(), sent, replied);
        List<String> statuses;
        try {
          statuses = Wire.pushStatuses(reply.body());
        } catch (IOException | RuntimeException e) {
          error("push_bad_reply");
          statuses = List.of();
        }
        synchronized (producer) {
          for (int i = 0; i < o.batch(); i++) {
            String s = i < statuses.size() ? statuses.get(i) : null;
            // buffered: on disk in the server's file buffer, stored in order when it replays
            if ("queued".equals(s) || "buffered".equals(s)) {
              producer.queued.set((int) (seq + i));
              side.messages++;
            } else if ("duplicate".equals(s)) {
              side.duplicatesOrUnknown++;
              error("push_item_duplicate");
            } else {
              producer.uncertain.set((int) (seq + i));
              error(s == null ? "push_item_missing" : "push_item_" + s);
            }
          }
        }
        seq += o.batch();
      }
    }
  }

  // ---- consumers --------------------------------------------------------------------------

  private void consume(int g, int i, Side side, long deadline) {
    String group = groups.get(g);
    int q = i % o.queues();
    String target = Wire.popTarget(o.queueName(q), o, group);
    boolean both = o.mode().equals("both");
    int emptyInARow = 0;
    int readTimeout = (o.waitPop() ? o.waitTimeoutMs() : 0) + 60_000;
    try (var conn = new HttpConn(o.host(), o.port(), readTimeout, o.authorizationHeader())) {
      while (!stopConsumers.get()) {
        if (!both && System.nanoTime() >= deadline) {
          break;
        }
        long sent = System.nanoTime();
        firstPop.accumulateAndGet(sent, Math::min);
        HttpConn.Reply reply;
        try {
          reply = conn.request("GET", target, null);
        } catch (IOException e) {
          error("pop_io_" + e.getClass().getSimpleName());
          conn.close();
          LockSupport.parkNanos(10_000_000L);
          continue;
        }
        long replied = System.nanoTime();
        side.requests++;
        recordNanos(side.latency, replied - sent);
        if (reply.status() != 200 && reply.status() != 204) {
          error("pop_http_" + reply.status());
          LockSupport.parkNanos(10_000_000L);
          continue;
        }
        List<Wire.Popped> messages;
        try {
          messages = Wire.popMessages(reply.body());
        } catch (IOException | RuntimeException e) {
          error("pop_bad_reply");
          continue;
        }
        if (messages.isEmpty()) {
          side.emptyPops++;
          if (o.untilEmpty() && !both && ++emptyInARow >= 3) {
            break;
          }
          if (!o.waitPop()) {
            LockSupport.parkNanos(both ? 1_000_000L : 20_000_000L); // do not spin on an empty queue
          }
          continue;
        }
        emptyInARow = 0;
        side.messages += messages.size();
        lastReceived.accumulateAndGet(replied, Math::max);
        record(g, q, messages, sent, replied, side);
        if (!o.autoAck()) {
          long ackSent = System.nanoTime();
          try {
            var ack = conn.request("POST", "/api/v1/ack/batch", Wire.ackBatchBody(messages, group));
            side.ackRequests++;
            recordNanos(side.ackLatency, System.nanoTime() - ackSent);
            if (ack.status() != 200) {
              error("ack_http_" + ack.status());
              ackFailures.add(messages.size());
            } else {
              int failed = Wire.ackFailures(ack.body(), messages.size());
              if (failed > 0) {
                error("ack_item_failed");
                ackFailures.add(failed);
              }
            }
          } catch (IOException e) {
            error("ack_io_" + e.getClass().getSimpleName());
            ackFailures.add(messages.size());
            conn.close();
          }
        }
      }
    } finally {
      consumersRunning.decrementAndGet();
    }
  }

  private void record(int g, int q, List<Wire.Popped> messages, long sent, long replied, Side side) {
    int n = messages.size();
    var keys = new long[n];
    var txids = new String[n];
    for (int j = 0; j < n; j++) {
      var m = messages.get(j);
      txids[j] = m.transactionId();
      String part = m.partition() != null ? m.partition() : m.partitionId();
      keys[j] = part == null ? 0 : part.hashCode() & 0xFFFFFFFFL;
      if (ledger.producerCount() > 0) {
        int c = Ledger.connectionOf(m.transactionId());
        long seq = Ledger.seqOf(m.transactionId());
        if (c >= 0 && c < ledger.producerCount() && seq >= 0) {
          var producer = ledger.producer(c);
          long pushReply = producer.repliedAt(seq);
          long pushSent = producer.sentAt(seq);
          if (pushReply == 0) {
            side.deliveredBeforePushReply++;
            side.delivery.recordValue(0);
          } else {
            recordNanos(side.delivery, Math.max(0, replied - pushReply));
          }
          if (pushSent != 0) {
            recordNanos(side.endToEnd, replied - pushSent);
          }
        }
      }
    }
    ledger.received(g, q, keys, txids, n, sent, replied);
  }

  // ---- report -----------------------------------------------------------------------------

  private static Side merge(List<Side> sides) {
    var all = new Side();
    for (var s : sides) {
      all.latency.add(s.latency);
      all.ackLatency.add(s.ackLatency);
      all.delivery.add(s.delivery);
      all.endToEnd.add(s.endToEnd);
      all.requests += s.requests;
      all.messages += s.messages;
      all.duplicatesOrUnknown += s.duplicatesOrUnknown;
      all.emptyPops += s.emptyPops;
      all.ackRequests += s.ackRequests;
      all.deliveredBeforePushReply += s.deliveredBeforePushReply;
    }
    return all;
  }

  private static String ms(long micros) {
    return String.format(Locale.ROOT, "%.2f", micros / 1000.0);
  }

  private static String latencyLine(String what, Histogram r) {
    return String.format(Locale.ROOT, "  %-34s n=%d p50=%s p95=%s p99=%s max=%s ms%n", what,
        r.getTotalCount(), ms(r.getValueAtPercentile(50)), ms(r.getValueAtPercentile(95)),
        ms(r.getValueAtPercentile(99)), ms(r.getMaxValue()));
  }

  /** The longest latency recorded as itself (an hour); a longer one is recorded as an hour. */
  static final long MAX_MICROS = 3_600_000_000L;

  /** A latency histogram in microseconds, 3 significant digits (HdrHistogram). */
  static Histogram histogram() {
    return new Histogram(MAX_MICROS, 3);
  }

  /** Records a duration measured in nanoseconds. Owning thread only (Histogram is not shared). */
  static void recordNanos(Histogram h, long nanos) {
    h.recordValue(Math.min(MAX_MICROS, Math.max(0, nanos / 1_000)));
  }

  Result report() {
    var push = merge(pushSides);
    var pop = merge(popSides);
    double pushSeconds = Math.max(1e-9, (Math.max(lastPushReply.get(), start) - start) / 1e9);
    long popStart = firstPop.get() == Long.MAX_VALUE ? start : firstPop.get();
    double popSeconds = Math.max(1e-9, (Math.max(lastReceived.get(), popStart) - popStart) / 1e9);
    double popRequestSeconds = Math.max(1e-9, (System.nanoTime() - popStart) / 1e9);
    Ledger.Verdict verdict = null;
    if (o.consumes() && o.verify()) {
      verdict = ledger.verify(ackFailures.sum(), o.mode().equals("both"));
    }
    var errs = new TreeMap<String, Long>();
    errors.forEach((k, v) -> errs.put(k, v.sum()));

    var h = new StringBuilder();
    h.append(String.format(Locale.ROOT,
        "queen-load %s: url=%s duration=%ds rate=%s batch=%d partitions=%d queues=%d "
            + "pop-batch=%d connections=%d consumer-connections=%d consumer-groups=%d auto-ack=%s wait=%s payload=%dB%n",
        o.mode(), o.url(), o.durationSeconds(), o.rate() == 0 ? "max" : String.valueOf(o.rate()),
        o.batch(), o.partitions(), o.queues(), o.popBatch(), o.connections(), o.consumerConnections(),
        o.consumerGroups(), o.autoAck(), o.waitPop(), o.payloadBytes()));
    if (o.produces()) {
      h.append(String.format(Locale.ROOT,
          "push: %d messages queued in %.2f s = %.0f msg/s, %d requests = %.0f req/s%n",
          push.messages, pushSeconds, push.messages / pushSeconds, push.requests,
          push.requests / pushSeconds));
      h.append(latencyLine("push request latency", push.latency));
    }
    if (o.consumes()) {
      h.append(String.format(Locale.ROOT,
          "pop: %d messages received in %.2f s (first pop to last message) = %.0f msg/s, "
              + "%d pops (%d empty), %d acks, %.0f req/s%n",
          pop.messages, popSeconds, pop.messages / popSeconds, pop.requests, pop.emptyPops,
          pop.ackRequests, (pop.requests + pop.ackRequests) / popRequestSeconds));
      h.append(latencyLine("pop request latency", pop.latency));
      if (!o.autoAck()) {
        h.append(latencyLine("ack request latency", pop.ackLatency));
      }
      if (o.produces()) {
        h.append(latencyLine("delivery (push reply -> pop reply)", pop.delivery));
        h.append(latencyLine("end-to-end (push sent -> pop reply)", pop.endToEnd));
        h.append("  delivered before the push reply was read: ")
            .append(pop.deliveredBeforePushReply).append('\n');
      }
    }
    h.append("errors: ").append(errs.isEmpty() ? "none" : errs.toString()).append('\n');
    if (verdict != null) {
      h.append(String.format(Locale.ROOT,
          "verification: %s (%s lost %d, duplicates %d (explained %d), "
              + "FIFO violations %d, uncertain pushes %d)%n",
          verdict.passed() ? "PASSED" : "FAILED", o.produces()
              ? "expected " + verdict.expected() + " per group," : "consumer-only: duplicates and order;",
          verdict.lost(),
          verdict.duplicates(), verdict.explainedDuplicates(), verdict.fifoViolations(),
          verdict.uncertain()));
      verdict.problems().forEach(p -> h.append("  ").append(p).append('\n'));
    }
    return new Result(h.toString().stripTrailing(),
        json(push, pop, pushSeconds, popSeconds, popRequestSeconds, verdict, errs), verdict);
  }

  private String json(Side push, Side pop, double pushSeconds, double popSeconds,
      double popRequestSeconds, Ledger.Verdict verdict, Map<String, Long> errs) {
    var sw = new StringWriter();
    try (var w = new JsonWriter(sw)) {
      w.beginObject();
      w.name("options").beginObject();
      w.name("mode").value(o.mode()).name("url").value(o.url())
          .name("duration").value(o.durationSeconds()).name("rate").value(o.rate())
          .name("batch").value(o.batch()).name("popBatch").value(o.popBatch()).name("partitions").value(o.partitions())
          .name("queues").value(o.queues()).name("connections").value(o.connections())
          .name("consumerConnections").value(o.consumerConnections())
          .name("consumerGroups").value(o.consumerGroups()).name("autoAck").value(o.autoAck())
          .name("wait").value(o.waitPop()).name("payloadBytes").value(o.payloadBytes())
          .name("queuePrefix").value(o.queuePrefix());
      w.endObject();
      if (o.produces()) {
        w.name("push").beginObject();
        w.name("messages").value(push.messages).name("seconds").value(round(pushSeconds))
            .name("messagesPerSecond").value(round(push.messages / pushSeconds))
            .name("requests").value(push.requests)
            .name("requestsPerSecond").value(round(push.requests / pushSeconds));
        latency(w, "latencyMs", push.latency);
        w.endObject();
      }
      if (o.consumes()) {
        w.name("pop").beginObject();
        w.name("messages").value(pop.messages).name("seconds").value(round(popSeconds))
            .name("messagesPerSecond").value(round(pop.messages / popSeconds))
            .name("requests").value(pop.requests).name("emptyPops").value(pop.emptyPops)
            .name("ackRequests").value(pop.ackRequests)
            .name("requestsPerSecond")
            .value(round((pop.requests + pop.ackRequests) / popRequestSeconds));
        latency(w, "latencyMs", pop.latency);
        if (!o.autoAck()) {
          latency(w, "ackLatencyMs", pop.ackLatency);
        }
        if (o.produces()) {
          latency(w, "deliveryLatencyMs", pop.delivery);
          latency(w, "endToEndLatencyMs", pop.endToEnd);
          w.name("deliveredBeforePushReply").value(pop.deliveredBeforePushReply);
        }
        w.endObject();
      }
      w.name("errors").beginObject();
      for (var e : errs.entrySet()) {
        w.name(e.getKey()).value(e.getValue());
      }
      w.endObject();
      if (verdict != null) {
        w.name("verification").beginObject();
        w.name("passed").value(verdict.passed()).name("expected").value(verdict.expected())
            .name("lost").value(verdict.lost()).name("duplicates").value(verdict.duplicates())
            .name("explainedDuplicates").value(verdict.explainedDuplicates())
            .name("fifoViolations").value(verdict.fifoViolations())
            .name("uncertainPushes").value(verdict.uncertain());
        w.name("problems").beginArray();
        for (var p : verdict.problems()) {
          w.value(p);
        }
        w.endArray();
        w.endObject();
      }
      w.endObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return sw.toString();
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  private static void latency(JsonWriter w, String name, Histogram r) throws IOException {
    w.name(name).beginObject();
    w.name("count").value(r.getTotalCount())
        .name("p50").value(r.getValueAtPercentile(50) / 1000.0)
        .name("p95").value(r.getValueAtPercentile(95) / 1000.0)
        .name("p99").value(r.getValueAtPercentile(99) / 1000.0)
        .name("max").value(r.getMaxValue() / 1000.0)
        .name("mean").value(round(r.getMean() / 1000.0));
    w.endObject();
  }
}
