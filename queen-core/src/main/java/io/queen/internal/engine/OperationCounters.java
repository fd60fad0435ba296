package io.queen.internal.engine;

import io.queen.model.EngineStats.OperationStats;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Counters of one operation kind; updated from any thread. */
final class OperationCounters {
  final LongAdder requests = new LongAdder();
  final LongAdder items = new LongAdder();
  final LongAdder batches = new LongAdder();
  final LongAdder failures = new LongAdder();
  final LongAdder rejected = new LongAdder();
  final LongAdder totalLatencyMicros = new LongAdder();
  final AtomicLong maxLatencyMicros = new AtomicLong();

  void recordLatency(long micros) {
    totalLatencyMicros.add(micros);
    maxLatencyMicros.accumulateAndGet(micros, Math::max);
  }

  OperationStats snapshot(int queued, int inFlight) {
    return new OperationStats(requests.sum(), items.sum(), batches.sum(), failures.sum(),
        rejected.sum(), queued, inFlight, totalLatencyMicros.sum(), maxLatencyMicros.get());
  }
}
