package io.flexoraa.engine.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexoraa.engine.limits.ClusterRateBudget.LeaseReply;
import io.flexoraa.engine.limits.ClusterRateBudget.Leased;
import io.flexoraa.engine.limits.ClusterRateBudget.NoLease;
import io.flexoraa.engine.limits.TokenBucket.Rate;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The budget's rule with simulated nodes and time: the total leased never exceeds the rate, and a node that asks
 * sooner (the one the budget runs on) does not take the lion's share.
 */
class LeaseBookTest {
  private static final Instant T0 = Instant.parse("2026-03-14T09:00:00Z");
  private static final Duration LEASE_DURATION = Duration.ofMillis(500);
  private static final Rate HUNDRED_PER_SECOND = new Rate(100, 10);

  /** A greedy node: asks for a full lease whenever its retry time has passed, {@code delayMillis} after that. */
  private static final class Node {
    final String name;
    final long delayMillis;
    Instant nextAsk = T0;
    long leased;

    Node(String name, long delayMillis) {
      this.name = name;
      this.delayMillis = delayMillis;
    }
  }

  private static Map<String, Long> simulate(LeaseBook book, List<Node> nodes, Duration total) {
    for (Instant now = T0; now.isBefore(T0.plus(total)); now = now.plusMillis(1)) {
      for (Node node : nodes) {
        if (now.isBefore(node.nextAsk)) continue;
        LeaseReply reply = book.lease(node.name, 5, now);
        if (reply instanceof Leased leased) {
          node.leased += leased.permits();
          // spends the lease at once, then asks again
          node.nextAsk = now.plusMillis(node.delayMillis);
        } else {
          node.nextAsk = now.plus(((NoLease) reply).retryAfter()).plusMillis(node.delayMillis);
        }
      }
    }
    Map<String, Long> leased = new LinkedHashMap<>();
    nodes.forEach(node -> leased.put(node.name, node.leased));
    return leased;
  }

  @Test
  void greedyNodesShareTheRateEvenlyAndNeverExceedIt() {
    LeaseBook book = new LeaseBook(HUNDRED_PER_SECOND, 1, LEASE_DURATION, T0);
    // the budget's own node answers at once; the others a few milliseconds later
    List<Node> nodes = List.of(new Node("local", 0), new Node("remote-1", 2), new Node("remote-2", 3));

    Map<String, Long> leased = simulate(book, nodes, Duration.ofSeconds(20));

    long total = leased.values().stream().mapToLong(Long::longValue).sum();
    // 19.5 s after the first lease duration's grace, at 100/s, from an empty bucket
    assertThat(total).isBetween(1950L - 15, 1950L);
    // without the yield rule the local node leased all 1,949 and the others nothing
    assertThat(leased.values()).allSatisfy(share ->
        assertThat(share).isBetween(total / 3 - total / 20, total / 3 + total / 20));
  }

  @Test
  void aNodeRefusedOnceAndGoneQuietDoesNotHoldTheOthersBack() {
    LeaseBook book = new LeaseBook(HUNDRED_PER_SECOND, 1, LEASE_DURATION, T0);
    Instant afterGrace = T0.plus(LEASE_DURATION);
    assertThat(book.lease("busy", 5, afterGrace.plusMillis(50))).isEqualTo(new Leased(5, LEASE_DURATION));
    assertThat(book.lease("quiet", 1, afterGrace.plusMillis(50))).isInstanceOf(NoLease.class);

    // the quiet node never asks again: the busy one yields only briefly
    assertThat(book.lease("busy", 5, afterGrace.plusMillis(60))).isInstanceOf(NoLease.class);
    assertThat(book.lease("busy", 5, afterGrace.plusMillis(120))).isEqualTo(new Leased(5, LEASE_DURATION));
  }

  @Test
  void withPermitsToSpareNobodyYields() {
    LeaseBook book = new LeaseBook(new Rate(1000, 100), 5, LEASE_DURATION, T0);
    Instant later = T0.plus(LEASE_DURATION).plusMillis(100);

    assertThat(book.lease("a", 50, later)).isEqualTo(new Leased(50, LEASE_DURATION));
    assertThat(book.lease("b", 20, later)).isEqualTo(new Leased(20, LEASE_DURATION));
    assertThat(book.lease("a", 20, later)).isEqualTo(new Leased(20, LEASE_DURATION));
  }
}
