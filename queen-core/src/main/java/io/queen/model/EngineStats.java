package io.queen.model;

import io.queen.metrics.CountingMetrics.JobCounts;
import java.util.Map;

/**
 * A snapshot of the engine's counters and gauges.
 *
 * @param operations per operation kind ({@code push}, {@code pop}, {@code ack}, ...)
 * @param waitingPops long polls currently parked
 * @param poolActive database connections in use
 * @param poolIdle idle database connections
 * @param poolWaiting threads waiting for a connection (the three pool figures are 0 when the
 *     {@code DataSource} is not a HikariCP pool)
 * @param jobs the background jobs' counters, by job name
 * @param listening whether the LISTEN connection for other instances' pushes is up (false when
 *     LISTEN/NOTIFY is off)
 */
public record EngineStats(
    Map<String, OperationStats> operations, int waitingPops, int poolActive, int poolIdle,
    int poolWaiting, Map<String, JobCounts> jobs, boolean listening) {
  /**
   * Copies the maps.
   *
   * @param operations per operation kind; not null
   * @param waitingPops long polls currently parked
   * @param poolActive database connections in use
   * @param poolIdle idle database connections
   * @param poolWaiting threads waiting for a connection
   * @param jobs the background jobs' counters; not null
   * @param listening whether the LISTEN connection is up
   */
  public EngineStats {
    operations = Map.copyOf(operations);
    jobs = Map.copyOf(jobs);
  }

  /**
   * Counters of one operation kind.
   *
   * @param requests requests submitted: those accepted and those refused (see {@code rejected})
   * @param items items in those requests (messages pushed, acks, ...)
   * @param batches database transactions that carried them
   * @param failures requests that failed
   * @param rejected requests refused before they were queued (the queue was full, or Queen was
   *     shutting down)
   * @param queued requests waiting for a batch now
   * @param inFlight batches running now
   * @param totalLatencyMicros summed request latency, for averages
   * @param maxLatencyMicros the largest request latency seen
   */
  public record OperationStats(
      long requests, long items, long batches, long failures, long rejected, int queued,
      int inFlight, long totalLatencyMicros, long maxLatencyMicros) {}
}
