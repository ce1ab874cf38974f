package io.flexoraa.engine.ops;

import java.time.Instant;
import java.util.Arrays;

/**
 * This node's ingest over the last five minutes, for the operator's overview: webhook POSTs acknowledged, the lead
 * messages they stored, and the acknowledgement latency of the last minute. In memory, one slot per second (the
 * oldest overwritten), so its size does not grow with traffic; a node that restarts starts from nothing, which is
 * right for a view of the node's present.
 *
 * <p>Latencies go into logarithmic buckets ({@link LatencyBuckets}) rather than a list of samples: a bucket array
 * is bounded at any rate, and nodes' arrays add up exactly into the cluster's figures.
 */
public final class IngestWindow {
  static final int SECONDS = 300;

  private final long[] second = new long[SECONDS];
  private final long[] webhooks = new long[SECONDS];
  private final long[] messages = new long[SECONDS];
  private final long[][] latency = new long[SECONDS][];

  /** A webhook acknowledged at {@code at}, {@code latencyNanos} after it arrived, that stored {@code leadMessages}. */
  public synchronized void webhookAcknowledged(Instant at, long latencyNanos, int leadMessages) {
    int slot = slot(at.getEpochSecond());
    webhooks[slot]++;
    messages[slot] += Math.max(0, leadMessages);
    if (latency[slot] == null) latency[slot] = new long[LatencyBuckets.COUNT];
    latency[slot][LatencyBuckets.index(latencyNanos)]++;
  }

  /** The counts of the minute and of the five minutes up to {@code now}, and the minute's latency buckets. */
  public synchronized Snapshot snapshot(Instant now) {
    long current = now.getEpochSecond();
    long webhooksMinute = 0, webhooksFive = 0, messagesMinute = 0, messagesFive = 0;
    long[] buckets = new long[LatencyBuckets.COUNT];
    for (int i = 0; i < SECONDS; i++) {
      long age = current - second[i];
      if (age < 0 || age >= SECONDS) continue;
      webhooksFive += webhooks[i];
      messagesFive += messages[i];
      if (age < 60) {
        webhooksMinute += webhooks[i];
        messagesMinute += messages[i];
        if (latency[i] != null) for (int b = 0; b < buckets.length; b++) buckets[b] += latency[i][b];
      }
    }
    return new Snapshot(webhooksMinute, webhooksFive, messagesMinute, messagesFive, buckets);
  }

  /** The slot of {@code epochSecond}, emptied first when it still holds an older second. */
  private int slot(long epochSecond) {
    int slot = (int) Math.floorMod(epochSecond, (long) SECONDS);
    if (second[slot] != epochSecond) {
      second[slot] = epochSecond;
      webhooks[slot] = 0;
      messages[slot] = 0;
      if (latency[slot] != null) Arrays.fill(latency[slot], 0);
    }
    return slot;
  }

  /**
   * @param latencyBuckets acknowledgements of the last minute per {@link LatencyBuckets} bucket
   */
  public record Snapshot(long webhooksLastMinute, long webhooksLastFiveMinutes, long messagesLastMinute,
      long messagesLastFiveMinutes, long[] latencyBuckets) {

    /** Adds another node's snapshot: the cluster's figures are the sum of its nodes'. */
    public Snapshot plus(Snapshot other) {
      long[] buckets = latencyBuckets.clone();
      for (int b = 0; b < buckets.length && b < other.latencyBuckets.length; b++) buckets[b] += other.latencyBuckets[b];
      return new Snapshot(webhooksLastMinute + other.webhooksLastMinute,
          webhooksLastFiveMinutes + other.webhooksLastFiveMinutes, messagesLastMinute + other.messagesLastMinute,
          messagesLastFiveMinutes + other.messagesLastFiveMinutes, buckets);
    }

    public static Snapshot empty() {
      return new Snapshot(0, 0, 0, 0, new long[LatencyBuckets.COUNT]);
    }
  }
}
