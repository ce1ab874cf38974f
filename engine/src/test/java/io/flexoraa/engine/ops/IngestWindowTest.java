package io.flexoraa.engine.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class IngestWindowTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  @Test
  void countsTheLastMinuteAndTheLastFiveMinutes() {
    IngestWindow window = new IngestWindow();
    window.webhookAcknowledged(T0, 2_000_000, 1);
    window.webhookAcknowledged(T0.plusSeconds(100), 2_000_000, 3);
    window.webhookAcknowledged(T0.plusSeconds(200), 2_000_000, 2);

    IngestWindow.Snapshot snapshot = window.snapshot(T0.plusSeconds(230));
    assertThat(snapshot.webhooksLastMinute()).isEqualTo(1);
    assertThat(snapshot.messagesLastMinute()).isEqualTo(2);
    assertThat(snapshot.webhooksLastFiveMinutes()).isEqualTo(3);
    assertThat(snapshot.messagesLastFiveMinutes()).isEqualTo(6);
    assertThat(LatencyBuckets.total(snapshot.latencyBuckets())).isEqualTo(1);

    // five minutes on, the first second's slot is reused and the old counts are gone
    window.webhookAcknowledged(T0.plusSeconds(300), 1_000_000, 1);
    IngestWindow.Snapshot later = window.snapshot(T0.plusSeconds(301));
    assertThat(later.webhooksLastFiveMinutes()).isEqualTo(3);
    assertThat(later.messagesLastFiveMinutes()).isEqualTo(6);
    assertThat(window.snapshot(T0.plusSeconds(900)).webhooksLastFiveMinutes()).isZero();
  }

  @Test
  void percentilesAreWithinTenPercentAboveTheTrueLatency() {
    IngestWindow window = new IngestWindow();
    for (int i = 1; i <= 100; i++) window.webhookAcknowledged(T0, i * 1_000_000L, 1);
    long[] buckets = window.snapshot(T0).latencyBuckets();
    assertThat(LatencyBuckets.percentileMillis(buckets, 50)).isBetween(50.0, 55.0);
    assertThat(LatencyBuckets.percentileMillis(buckets, 90)).isBetween(90.0, 99.0);
    assertThat(LatencyBuckets.percentileMillis(buckets, 99)).isBetween(99.0, 108.9);
    assertThat(LatencyBuckets.percentileMillis(new long[LatencyBuckets.COUNT], 50)).isNull();
  }

  @Test
  void nodesAddUpIntoTheClusterFigures() {
    IngestWindow a = new IngestWindow();
    IngestWindow b = new IngestWindow();
    for (int i = 0; i < 9; i++) a.webhookAcknowledged(T0, 1_000_000, 1);
    b.webhookAcknowledged(T0, 500_000_000, 4);
    IngestWindow.Snapshot total = IngestWindow.Snapshot.empty().plus(a.snapshot(T0)).plus(b.snapshot(T0));
    assertThat(total.webhooksLastMinute()).isEqualTo(10);
    assertThat(total.messagesLastMinute()).isEqualTo(13);
    assertThat(LatencyBuckets.percentileMillis(total.latencyBuckets(), 50)).isLessThan(1.2);
    assertThat(LatencyBuckets.percentileMillis(total.latencyBuckets(), 99)).isGreaterThanOrEqualTo(500.0);
  }

  @Test
  void extremeLatenciesLandInTheEdgeBuckets() {
    assertThat(LatencyBuckets.index(0)).isZero();
    assertThat(LatencyBuckets.index(-5)).isZero();
    assertThat(LatencyBuckets.index(Long.MAX_VALUE)).isEqualTo(LatencyBuckets.COUNT - 1);
  }
}
