package io.flexoraa.engine.limits;

import io.flexoraa.engine.limits.ClusterRateBudget.LeaseReply;
import io.flexoraa.engine.limits.ClusterRateBudget.Leased;
import io.flexoraa.engine.limits.ClusterRateBudget.NoLease;
import io.flexoraa.engine.limits.TokenBucket.Rate;
import io.flexoraa.engine.limits.TokenBucket.Take;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The cluster budget's rule, without actors: one token bucket every lease is taken from (so the total never exceeds
 * the rate), and who gets the permits when there are not enough for everyone.
 *
 * <p>Fairness: when the budget runs dry, whoever asks first after permits flow in would take them — in practice the
 * node the budget runs on, whose requests need no network hop. So a node yields (is told to retry shortly, and the
 * permits stay for others) while another node that has leased less over the last two lease durations was refused
 * recently and is about to ask again. The node that has leased least never yields, so someone always progresses, and
 * a refused node's claim lapses soon after its retry time, so a node that stopped asking does not hold others back.
 *
 * <p>Mutable; owned by one actor.
 */
final class LeaseBook {
  private final int minimumLease;
  private final Duration leaseDuration;
  private final Map<String, NodeShare> nodes = new HashMap<>();
  private TokenBucket bucket;
  private Instant windowStart;

  /** What one node leased in the current and the previous window, and until when its last refusal gives it a claim. */
  private static final class NodeShare {
    long leasedThisWindow;
    long leasedLastWindow;
    Instant lastAsked;
    Instant claimUntil = Instant.MIN;

    long recent() {
      return leasedThisWindow + leasedLastWindow;
    }
  }

  /** A book that grants nothing for one lease duration from {@code start}: by then every earlier lease has expired. */
  LeaseBook(Rate rate, int minimumLease, Duration leaseDuration, Instant start) {
    this.minimumLease = minimumLease;
    this.leaseDuration = leaseDuration;
    this.bucket = TokenBucket.emptyUntil(rate, start.plus(leaseDuration));
    this.windowStart = start;
  }

  LeaseReply lease(String node, int permits, Instant now) {
    if (permits < 1) return new Leased(0, leaseDuration);
    roll(now);
    NodeShare share = nodes.computeIfAbsent(node, id -> new NodeShare());
    share.lastAsked = now;
    Duration shortWait = bucket.rate().timeFor(Math.min(permits, minimumLease));
    if (someoneWithLessIsWaiting(node, share, now)) {
      return new NoLease(shortWait);
    }
    Take take = bucket.takeUpTo(permits, minimumLease, now);
    bucket = take.bucket();
    if (take.isGranted()) {
      share.leasedThisWindow += take.granted();
      return new Leased(take.granted(), leaseDuration);
    }
    // the claim covers the node's retry and the trip back here
    share.claimUntil = now.plus(take.retryAfter()).plus(take.retryAfter()).plus(shortWait);
    return new NoLease(take.retryAfter());
  }

  private boolean someoneWithLessIsWaiting(String node, NodeShare share, Instant now) {
    for (Map.Entry<String, NodeShare> other : nodes.entrySet()) {
      if (other.getKey().equals(node)) continue;
      NodeShare waiting = other.getValue();
      if (now.isBefore(waiting.claimUntil) && waiting.recent() < share.recent()) return true;
    }
    return false;
  }

  /** Windows of one lease duration, shared by all nodes so their counts compare; nodes silent for two are forgotten. */
  private void roll(Instant now) {
    Duration elapsed = Duration.between(windowStart, now);
    if (elapsed.compareTo(leaseDuration) < 0) return;
    boolean justOne = elapsed.compareTo(leaseDuration.multipliedBy(2)) < 0;
    for (NodeShare share : nodes.values()) {
      share.leasedLastWindow = justOne ? share.leasedThisWindow : 0;
      share.leasedThisWindow = 0;
    }
    windowStart = now;
    Instant forgetBefore = now.minus(leaseDuration.multipliedBy(2));
    nodes.values().removeIf(share -> share.lastAsked.isBefore(forgetBefore));
  }
}
