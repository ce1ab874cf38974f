package io.flexoraa.engine.verification;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts recent submissions per (tenant, source and campaign) over a sliding window, for the "burst of leads from one
 * source" fraud signal. Per node and in memory, on purpose: a burst is seconds to minutes of traffic, the tenant's
 * rate limit already spreads it over the nodes only as far as the load balancer does, and a count lost with a node
 * (or split over several) only delays the signal. At most {@code maxTrackedSources} keys are kept, the least
 * recently seen forgotten first; each key keeps at most {@code maxSubmissions + 1} instants (enough to tell a burst).
 */
public final class SourceBurst {
  private final VerificationSettings.Burst settings;
  private final Clock clock;
  private final LinkedHashMap<String, ArrayDeque<Instant>> recent;

  public SourceBurst(VerificationSettings.Burst settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    this.recent = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, ArrayDeque<Instant>> eldest) {
        return size() > settings.maxTrackedSources();
      }
    };
  }

  /**
   * Records one submission now and returns how many the key has had within the window, this one included (capped at
   * {@code maxSubmissions + 1}).
   */
  public synchronized int record(String tenantId, String sourceKey) {
    Instant now = clock.instant();
    Instant cutoff = now.minus(settings.window());
    ArrayDeque<Instant> instants = recent.computeIfAbsent(tenantId + "\u0000" + sourceKey, key -> new ArrayDeque<>());
    while (!instants.isEmpty() && !instants.peekFirst().isAfter(cutoff)) instants.pollFirst();
    instants.addLast(now);
    while (instants.size() > settings.maxSubmissions() + 1) instants.pollFirst();
    return instants.size();
  }
}
