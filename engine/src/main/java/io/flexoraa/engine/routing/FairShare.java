package io.flexoraa.engine.routing;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * WARM leads spread evenly (PRODUCT §4.4): a smooth weighted round robin (as nginx balances upstreams), each SDR
 * weighted by their free capacity. Every pick, each candidate gains its weight and the richest is chosen and pays
 * the total, so over time each SDR gets leads in proportion to the room they have, interleaved rather than in runs.
 * The counters are part of the desk's events, so a replay gives the same picks.
 */
final class FairShare {
  private FairShare() {}

  record Pick(Sdr chosen, Map<String, Long> credits) {}

  static Pick next(Map<String, Long> credits, List<Sdr> candidates, ToIntFunction<String> load) {
    Map<String, Long> next = new HashMap<>(credits);
    long total = 0;
    Sdr best = null;
    long bestCredit = Long.MIN_VALUE;
    for (Sdr sdr : candidates) {
      long free = Math.max(0, sdr.capacity() - load.applyAsInt(sdr.userId()));
      total += free;
      long credit = next.getOrDefault(sdr.userId(), 0L) + free;
      next.put(sdr.userId(), credit);
      if (credit > bestCredit) {
        bestCredit = credit;
        best = sdr;
      }
    }
    next.put(best.userId(), next.get(best.userId()) - total);
    return new Pick(best, next);
  }
}
