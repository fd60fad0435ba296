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

  public static final Duration DEFAULT_RETENTION_INTERVAL = Duration.ofMinutes(5);
  public static final int DEFAULT_BATCH_SIZE = 1_000;
  public static final Duration DEFAULT_PARTITION_CLEANUP_AGE = Duration.ofDays(30);
  public static final Duration DEFAULT_HISTORY_RETENTION = Duration.ofDays(90);
  public static final Duration DEFAULT_EVICTION_INTERVAL = Duration.ofMinutes(1);
  /** The defaults: the original Queen's. */
  public static final LifecycleSettings DEFAULTS = new LifecycleSettings(DEFAULT_RETENTION_INTERVAL,
      DEFAULT_BATCH_SIZE, DEFAULT_PARTITION_CLEANUP_AGE, DEFAULT_HISTORY_RETENTION,
      DEFAULT_EVICTION_INTERVAL, DEFAULT_BATCH_SIZE);

  public LifecycleSettings {
    var problems = problems(retentionInterval, retentionBatchSize, partitionCleanupAge,
        historyRetention, evictionInterval, evictionBatchSize);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }

  /** Every problem with these values, each naming the setting and the value; empty when valid. */
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

  public LifecycleSettings withRetentionInterval(Duration d) {
    return new LifecycleSettings(d, retentionBatchSize, partitionCleanupAge, historyRetention,
        evictionInterval, evictionBatchSize);
  }

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
