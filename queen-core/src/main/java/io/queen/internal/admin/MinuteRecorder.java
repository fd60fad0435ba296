package io.queen.internal.admin;

import io.queen.metrics.QueenMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts what this instance does, per queue, between two flushes of the metrics-history job:
 * pushes, pops, acks, transactions, delivery lag, database failures. Recording is a few
 * {@link LongAdder} increments (any thread, never blocks); {@link #drain} hands the counts over
 * and starts from zero.
 */
public final class MinuteRecorder implements QueenMetrics {

  /** One queue's counts since the last drain (or their sum over queues). */
  public record Counts(String queue, long pushRequests, long pushMessages, long popRequests,
      long popEmpty, long popMessages, long ackRequests, long ackSuccess, long ackFailed,
      long dlqMessages, long transactions, long lagSumMs, long lagCount, long lagMaxMs) {

    public Counts plus(Counts o) {
      return new Counts(queue, pushRequests + o.pushRequests, pushMessages + o.pushMessages,
          popRequests + o.popRequests, popEmpty + o.popEmpty, popMessages + o.popMessages,
          ackRequests + o.ackRequests, ackSuccess + o.ackSuccess, ackFailed + o.ackFailed,
          dlqMessages + o.dlqMessages, transactions + o.transactions, lagSumMs + o.lagSumMs,
          lagCount + o.lagCount, Math.max(lagMaxMs, o.lagMaxMs));
    }

    public static Counts zero(String queue) {
      return new Counts(queue, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }
  }

  private static final class Live {
    final LongAdder pushRequests = new LongAdder();
    final LongAdder pushMessages = new LongAdder();
    final LongAdder popRequests = new LongAdder();
    final LongAdder popEmpty = new LongAdder();
    final LongAdder popMessages = new LongAdder();
    final LongAdder ackRequests = new LongAdder();
    final LongAdder ackSuccess = new LongAdder();
    final LongAdder ackFailed = new LongAdder();
    final LongAdder dlqMessages = new LongAdder();
    final LongAdder transactions = new LongAdder();
    final LongAdder lagSumMs = new LongAdder();
    final LongAdder lagCount = new LongAdder();
    final AtomicLong lagMaxMs = new AtomicLong();

    Counts drain(String queue) {
      return new Counts(queue, pushRequests.sumThenReset(), pushMessages.sumThenReset(),
          popRequests.sumThenReset(), popEmpty.sumThenReset(), popMessages.sumThenReset(),
          ackRequests.sumThenReset(), ackSuccess.sumThenReset(), ackFailed.sumThenReset(),
          dlqMessages.sumThenReset(), transactions.sumThenReset(), lagSumMs.sumThenReset(),
          lagCount.sumThenReset(), lagMaxMs.getAndSet(0));
    }
  }

  private final ConcurrentHashMap<String, Live> byQueue = new ConcurrentHashMap<>();
  private final LongAdder dbErrors = new LongAdder();

  private Live live(String queue) {
    var l = byQueue.get(queue);
    return l != null ? l : byQueue.computeIfAbsent(queue, q -> new Live());
  }

  @Override
  public void pushed(String queue, int messages) {
    var l = live(queue);
    l.pushRequests.increment();
    l.pushMessages.add(messages);
  }

  @Override
  public void popped(String queue, int messages, long lagSumMillis, long lagMaxMillis) {
    var l = live(queue);
    l.popRequests.increment();
    if (messages == 0) {
      l.popEmpty.increment();
      return;
    }
    l.popMessages.add(messages);
    l.lagSumMs.add(lagSumMillis);
    l.lagCount.add(messages);
    l.lagMaxMs.accumulateAndGet(lagMaxMillis, Math::max);
  }

  @Override
  public void acked(String queue, int applied, int failed, int deadLettered) {
    var l = live(queue);
    l.ackRequests.add(applied + failed);
    l.ackSuccess.add(applied);
    l.ackFailed.add(failed);
    l.dlqMessages.add(deadLettered);
  }

  @Override
  public void transactionCommitted(String queue) {
    live(queue).transactions.increment();
  }

  @Override
  public void requestFailed(String operation) {
    dbErrors.increment();
  }

  /** The counts since the last drain, one entry per queue that saw something; zeroes them. */
  public List<Counts> drain() {
    var out = new ArrayList<Counts>();
    byQueue.forEach((queue, l) -> {
      var c = l.drain(queue);
      if (!c.equals(Counts.zero(queue))) {
        out.add(c);
      }
    });
    return out;
  }

  /** Failed requests since the last call; zeroes them. */
  public long drainErrors() {
    return dbErrors.sumThenReset();
  }
}
