package io.queen.bench.load;

/**
 * A small log-linear latency histogram (HdrHistogram-like, 128 sub-buckets per power of two, so
 * every recorded value is reported within 1/128 ≈ 0.8 % above its true value). Values are in
 * microseconds, from 0 to 2^40 µs; larger values are clamped. Not thread-safe: use one per thread
 * and {@link #merge} at the end.
 */
public final class LatencyRecorder {
  private static final int SUB = 128;
  private static final int LINEAR = 2 * SUB; // values below 256 µs are exact
  private static final int MAX_EXP = 40;
  private static final long MAX_VALUE = (1L << MAX_EXP) - 1;

  private final long[] counts = new long[LINEAR + (MAX_EXP - 8) * SUB];
  private long total;
  private long max;
  private long sum;

  /** Records one value in microseconds (negative values count as 0). */
  public void record(long micros) {
    long v = Math.min(Math.max(micros, 0), MAX_VALUE);
    counts[index(v)]++;
    total++;
    sum += v;
    if (v > max) {
      max = v;
    }
  }

  /** Records a duration given in nanoseconds. */
  public void recordNanos(long nanos) {
    record(nanos / 1_000);
  }

  static int index(long v) {
    if (v < LINEAR) {
      return (int) v;
    }
    int k = 63 - Long.numberOfLeadingZeros(v); // v in [2^k, 2^(k+1)), k >= 8
    int shift = k - 7;
    return LINEAR + (k - 8) * SUB + (int) ((v >> shift) - SUB);
  }

  /** The largest value that falls into bucket {@code i}. */
  static long highestIn(int i) {
    if (i < LINEAR) {
      return i;
    }
    int k = (i - LINEAR) / SUB + 8;
    int shift = k - 7;
    long sub = (i - LINEAR) % SUB + SUB;
    return ((sub + 1) << shift) - 1;
  }

  public void merge(LatencyRecorder other) {
    for (int i = 0; i < counts.length; i++) {
      counts[i] += other.counts[i];
    }
    total += other.total;
    sum += other.sum;
    max = Math.max(max, other.max);
  }

  public long count() {
    return total;
  }

  public long max() {
    return max;
  }

  public double mean() {
    return total == 0 ? 0 : (double) sum / total;
  }

  /**
   * The value at percentile {@code p} (0 < p ≤ 100): the smallest recorded bucket such that at
   * least p % of the values are at or below it, reported as that bucket's highest value (never
   * above the maximum recorded). 0 when nothing was recorded.
   */
  public long percentile(double p) {
    if (total == 0) {
      return 0;
    }
    long rank = (long) Math.ceil(p / 100.0 * total);
    rank = Math.max(1, Math.min(rank, total));
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return Math.min(highestIn(i), max);
      }
    }
    return max;
  }
}
