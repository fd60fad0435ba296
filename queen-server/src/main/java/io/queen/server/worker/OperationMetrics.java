package io.queen.server.worker;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Requests, messages and latencies per operation (push, pop, ack, ...). Recorded by the IO threads
 * when they write a response, read by {@code /metrics} on any thread. Thread-safe.
 */
public final class OperationMetrics {
  /** Counters of one operation. */
  public static final class Counters {
    public final LongAdder requests = new LongAdder();
    public final LongAdder clientErrors = new LongAdder();
    public final LongAdder serverErrors = new LongAdder();
    public final LongAdder messages = new LongAdder();
    public final LongAdder totalMicros = new LongAdder();
    public final AtomicLong maxMicros = new AtomicLong();
  }

  private final Map<String, Counters> byOperation = new ConcurrentHashMap<>();

  /** The counters of one operation, created when first asked for. */
  public Counters counters(String operation) {
    var c = byOperation.get(operation);
    return c != null ? c : byOperation.computeIfAbsent(operation, k -> new Counters());
  }

  public void record(String operation, int status, int messages, long micros) {
    var c = counters(operation);
    c.requests.increment();
    if (status >= 500) {
      c.serverErrors.increment();
    } else if (status >= 400) {
      c.clientErrors.increment();
    }
    c.messages.add(messages);
    c.totalMicros.add(micros);
    c.maxMicros.accumulateAndGet(micros, Math::max);
  }

  public Map<String, Counters> snapshot() {
    return Map.copyOf(byOperation);
  }
}
