package io.flexoraa.engine.ops;

/**
 * Latencies in logarithmic buckets, each 10% wider than the one before, from 1 µs to over three minutes: a
 * percentile read from them is at most 10% above the true value, whatever the rate, in a fixed 200 counters.
 */
public final class LatencyBuckets {
  static final int COUNT = 200;
  private static final double GROWTH = 1.1;
  private static final double LOG_GROWTH = Math.log(GROWTH);

  private LatencyBuckets() {}

  /** The bucket of a latency: 0 for up to 1.1 µs; the last one for anything longer than the range. */
  static int index(long nanos) {
    double micros = nanos / 1000.0;
    if (micros <= 1) return 0;
    int index = (int) Math.floor(Math.log(micros) / LOG_GROWTH);
    return Math.min(COUNT - 1, Math.max(0, index));
  }

  /** The upper bound of bucket {@code index}, in milliseconds. */
  static double upperMillis(int index) {
    return Math.pow(GROWTH, index + 1) / 1000.0;
  }

  /**
   * The latency below which {@code percentile} (0–100) of the counted ones fall, in milliseconds (the upper bound
   * of its bucket); null when nothing was counted.
   */
  public static Double percentileMillis(long[] buckets, double percentile) {
    long total = 0;
    for (long count : buckets) total += count;
    if (total == 0) return null;
    long rank = Math.max(1, (long) Math.ceil(total * percentile / 100.0));
    long seen = 0;
    for (int index = 0; index < buckets.length; index++) {
      seen += buckets[index];
      if (seen >= rank) return upperMillis(index);
    }
    return upperMillis(buckets.length - 1);
  }

  public static long total(long[] buckets) {
    long total = 0;
    for (long count : buckets) total += count;
    return total;
  }
}
