package io.flexoraa.engine.limits;

import io.flexoraa.engine.testing.ManualClock;
import static org.assertj.core.api.Assertions.assertThat;

import io.flexoraa.engine.limits.ClusterRateBudget.LeaseReply;
import io.flexoraa.engine.limits.ClusterRateBudget.Leased;
import io.flexoraa.engine.limits.ClusterRateBudget.NoLease;
import io.flexoraa.engine.limits.ClusterRateBudget.RequestLease;
import io.flexoraa.engine.limits.TokenBucket.Rate;
import java.time.Duration;
import java.time.Instant;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The cluster budget with a controlled clock: no lease during its first lease duration, then leases at the rate. */
class ClusterRateBudgetTest {
  private static final Duration LEASE_DURATION = Duration.ofMillis(500);
  private static final Rate HUNDRED_PER_SECOND = new Rate(100, 100);

  private static ActorTestKit testKit;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create("ClusterRateBudgetTest");
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void aStartingBudgetLeasesNothingUntilEveryEarlierLeaseHasExpired() {
    ManualClock clock = new ManualClock(Instant.parse("2026-03-14T09:00:00Z"));
    ActorRef<ClusterRateBudget.Command> budget =
        testKit.spawn(ClusterRateBudget.create(HUNDRED_PER_SECOND, 5, LEASE_DURATION, clock));
    TestProbe<LeaseReply> node = testKit.createTestProbe();

    budget.tell(new RequestLease("node-1", 50, node.ref()));
    NoLease early = node.expectMessageClass(NoLease.class);
    assertThat(early.retryAfter()).as("the rest of the grace, then 5 permits at 100/s")
        .isBetween(Duration.ofMillis(550), Duration.ofMillis(551));

    clock.advance(LEASE_DURATION.plusMillis(300));
    budget.tell(new RequestLease("node-1", 50, node.ref()));
    node.expectMessage(new Leased(30, LEASE_DURATION));
    budget.tell(new RequestLease("node-1", 50, node.ref()));
    node.expectMessageClass(NoLease.class);
  }

  @Test
  void whatEveryNodeLeasesTogetherNeverExceedsTheRate() {
    ManualClock clock = new ManualClock(Instant.parse("2026-03-14T09:00:00Z"));
    ActorRef<ClusterRateBudget.Command> budget =
        testKit.spawn(ClusterRateBudget.create(HUNDRED_PER_SECOND, 5, LEASE_DURATION, clock));
    TestProbe<LeaseReply> node = testKit.createTestProbe();

    // greedy nodes between them ask every 5 ms for 10 s, always for a full lease
    long leased = 0;
    for (int step = 0; step < 2000; step++) {
      budget.tell(new RequestLease("node-1", 50, node.ref()));
      if (node.receiveMessage() instanceof Leased lease) leased += lease.permits();
      clock.advance(Duration.ofMillis(5));
    }

    // 10 s minus the 0.5 s grace, at 100/s: the budget starts empty, so no burst on top
    assertThat(leased).isBetween(940L, 950L);
  }
}
