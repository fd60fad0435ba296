package io.queen;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How the engine's lifecycle jobs run: retention (a queue's {@code retentionSeconds} and
 * {@code completedRetentionSeconds}, inactive partitions, the removal history) and eviction
 * ({@code maxWaitTimeSeconds}). Each job runs on one instance of a cluster at a time and deletes in
 * batches of at most its batch size per transaction, batch after batch until nothing is left, then
 * waits its interval. Immutable; every invalid value is reported at once.
 *
 * @param retentionInterval time between retention runs ({@code RETENTION_INTERVAL}); zero: off
 * @param retentionBatchSize most messages (or partitions) one retention transaction removes
 * @param partitionCleanupAge a partition without messages, leases or activity for this long is
 *     removed with its cursors ({@code PARTITION_CLEANUP_DAYS})
 * @param historyRetention how long the record of removals is kept ({@code METRICS_RETENTION_DAYS})
 * @param evictionInterval time between eviction runs ({@code EVICTION_INTERVAL}); zero: off
 * @param evictionBatchSize most messages one eviction transaction removes
 */
public record LifecycleSettings(
    Duration retentionInterval,
    int retentionBatchSize,
    Duration partitionCleanupAge,
    Duration historyRetention,
    Duration evictionInterval,
    int evictionBatchSize) {

  /** Retention runs every 5 minutes by default. */
  public static final Duration DEFAULT_RETENTION_INTERVAL = Duration.ofMinutes(5);
  /** The default batch size of both jobs: 1000 per transaction. */
  public static final int DEFAULT_BATCH_SIZE = 1_000;
  /** An idle partition is removed after 30 days by default. */
  public static final Duration DEFAULT_PARTITION_CLEANUP_AGE = Duration.ofDays(30);
  /** The removal history is kept 90 days by default. */
  public static final Duration DEFAULT_HISTORY_RETENTION = Duration.ofDays(90);
  /** Eviction runs every minute by default. */
  public static final Duration DEFAULT_EVICTION_INTERVAL = Duration.ofMinutes(1);
  /** The defaults: the original Queen's. */
  public static final LifecycleSettings DEFAULTS = new LifecycleSettings(DEFAULT_RETENTION_INTERVAL,
      DEFAULT_BATCH_SIZE, DEFAULT_PARTITION_CLEANUP_AGE, DEFAULT_HISTORY_RETENTION,
      DEFAULT_EVICTION_INTERVAL, DEFAULT_BATCH_SIZE);

  /**
   * Checks the settings.
   *
   * @param retentionInterval zero (off) or positive
   * @param retentionBatchSize 1 to 100000
   * @param partitionCleanupAge positive
   * @param historyRetention positive
   * @param evictionInterval zero (off) or positive
   * @param evictionBatchSize 1 to 100000
   * @throws IllegalArgumentException listing every problem (as {@link #problems}), when any
   */
  public LifecycleSettings {
    var problems = problems(retentionInterval, retentionBatchSize, partitionCleanupAge,
        historyRetention, evictionInterval, evictionBatchSize);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }

  /**
   * Every problem with these values, each naming the setting and the value; empty when valid. The
   * bounds are the constructor's; null durations are problems, not exceptions.
   *
   * @param retentionInterval zero (off) or positive
   * @param retentionBatchSize 1 to 100000
   * @param partitionCleanupAge positive
   * @param historyRetention positive
   * @param evictionInterval zero (off) or positive
   * @param evictionBatchSize 1 to 100000
   * @return one message per invalid value, in a fixed order; empty when all are valid
   */
  public static List<String> problems(Duration retentionInterval, int retentionBatchSize,
      Duration partitionCleanupAge, Duration historyRetention, Duration evictionInterval,
      int evictionBatchSize) {
    var problems = new ArrayList<String>();
    notNegative(problems, "retentionInterval", retentionInterval);
    positive(problems, "partitionCleanupAge", partitionCleanupAge);
    positive(problems, "historyRetention", historyRetention);
    notNegative(problems, "evictionInterval", evictionInterval);
    batch(problems, "retentionBatchSize", retentionBatchSize);
    batch(problems, "evictionBatchSize", evictionBatchSize);
    return problems;
  }

  /**
   * These settings with another retention interval.
   *
   * @param d time between retention runs; zero: off
   * @return a copy with {@code retentionInterval} replaced
   * @throws IllegalArgumentException when {@code d} is null or negative
   */
  public LifecycleSettings withRetentionInterval(Duration d) {
    return new LifecycleSettings(d, retentionBatchSize, partitionCleanupAge, historyRetention,
        evictionInterval, evictionBatchSize);
  }

  /**
   * These settings with another eviction interval.
   *
   * @param d time between eviction runs; zero: off
   * @return a copy with {@code evictionInterval} replaced
   * @throws IllegalArgumentException when {@code d} is null or negative
   */
  public LifecycleSettings withEvictionInterval(Duration d) {
    return new LifecycleSettings(retentionInterval, retentionBatchSize, partitionCleanupAge,
        historyRetention, d, evictionBatchSize);
  }

  private static void notNegative(List<String> problems, String name, Duration d) {
    if (d == null || d.isNegative()) {
      problems.add(name + " must be zero (off) or positive, was " + d);
    }
  }

  private static void positive(List<String> problems, String name, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      problems.add(name + " must be positive, was " + d);
    }
  }

  private static void batch(List<String> problems, String name, int n) {
    if (n < 1 || n > 100_000) {
      problems.add(name + " must be between 1 and 100000, was " + n);
    }
  }
}
