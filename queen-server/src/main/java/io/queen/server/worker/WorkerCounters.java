package io.queen.server.worker;

import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of one IO thread's response path, published by {@code /metrics} through
 * {@link WorkerStats}. Any thread: mostly the owning IO thread adds to them, but wake-ups are
 * counted on the offering thread and returned leases on the thread completing the return.
 */
final class WorkerCounters {
  final LongAdder wakeUps = new LongAdder();
  final LongAdder drains = new LongAdder();
  final LongAdder timerDrains = new LongAdder();
  final LongAdder delivered = new LongAdder();
  final LongAdder disconnects = new LongAdder();
  final LongAdder undeliverable = new LongAdder();
  final LongAdder leasesReleased = new LongAdder();
  final LongAdder expired = new LongAdder();
  final LongAdder refused = new LongAdder();
}
