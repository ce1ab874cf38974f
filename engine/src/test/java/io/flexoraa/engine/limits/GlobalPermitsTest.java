package io.flexoraa.engine.limits;

import io.flexoraa.engine.testing.ManualClock;
import static org.assertj.core.api.Assertions.assertThat;

import io.flexoraa.engine.limits.ClusterRateBudget.Leased;
import io.flexoraa.engine.limits.ClusterRateBudget.NoLease;
import io.flexoraa.engine.limits.ClusterRateBudget.RequestLease;
import io.flexoraa.engine.limits.PermitDecision.Granted;
import io.flexoraa.engine.limits.PermitDecision.Throttled;
import io.flexoraa.engine.limits.TokenBucket.Rate;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A node's share of the cluster limit against a stand-in for the budget (a probe that answers as the test says) and
 * a controlled clock: served from leases, lease sizes following demand, expiry, refusal and silence.
 */
class GlobalPermitsTest {
  private static final Duration LEASE_DURATION = Duration.ofMillis(500);
  private static final Duration LEASE_REQUEST_TIMEOUT = Duration.ofMillis(300);
  private static final LimitSettings SETTINGS = new LimitSettings(
      new Rate(5, 5), Map.of(), new Rate(1000, 100), 50, LEASE_DURATION, LEASE_REQUEST_TIMEOUT,
      Duration.ofSeconds(2), Duration.ofSeconds(1), 4);

  private static ActorTestKit testKit;

  private ManualClock clock;
  private TestProbe<ClusterRateBudget.Command> budget;
  private TestProbe<PermitDecision> caller;
  private ActorRef<GlobalPermits.Command> permits;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create("GlobalPermitsTest");
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void node() {
    clock = new ManualClock(Instant.parse("2026-03-14T09:00:00Z"));
    budget = testKit.createTestProbe();
    caller = testKit.createTestProbe();
    permits = testKit.spawn(GlobalPermits.create(budget.ref(), "node-1", SETTINGS, clock));
  }

  @Test
  void aQuietNodeLeasesOnlyWhatItNeedsAndWaitsForTheLeaseToAnswer() {
    permits.tell(new GlobalPermits.Acquire(1, caller.ref()));

    RequestLease request = budget.expectMessageClass(RequestLease.class);
    assertThat(request.permits()).as("one message wanted, one permit asked for").isEqualTo(1);
    caller.expectNoMessage(Duration.ofMillis(50));
    request.replyTo().tell(new Leased(1, LEASE_DURATION));
    caller.expectMessage(new Granted(1));
    budget.expectNoMessage(Duration.ofMillis(50));
  }

  @Test
  void aBusyNodeLeasesWhatItsDemandCallsForAndAsksForTheNextLeaseEarly() {
    for (int i = 0; i < 20; i++) permits.tell(new GlobalPermits.Acquire(1, caller.ref()));
    RequestLease first = budget.expectMessageClass(RequestLease.class);
    assertThat(first.permits()).as("one message wanted when it asked").isEqualTo(1);
    budget.expectNoMessage(Duration.ofMillis(50));

    first.replyTo().tell(new Leased(1, LEASE_DURATION));
    RequestLease second = budget.expectMessageClass(RequestLease.class);
    assertThat(second.permits()).as("twenty wanted by now").isEqualTo(20);
    second.replyTo().tell(new Leased(20, LEASE_DURATION));
    for (int i = 0; i < 20; i++) caller.expectMessage(new Granted(1));

    // one permit left, under a quarter of what this node spends a lease duration: the next lease is asked for now
    RequestLease early = budget.expectMessageClass(RequestLease.class);
    assertThat(early.permits()).isEqualTo(20);
    early.replyTo().tell(new Leased(20, LEASE_DURATION));
    // 21 permits in hand: thirteen more messages leave 8, not under a quarter of the 33 now wanted
    for (int i = 0; i < 13; i++) permits.tell(new GlobalPermits.Acquire(1, caller.ref()));
    for (int i = 0; i < 13; i++) caller.expectMessage(new Granted(1));
    budget.expectNoMessage(Duration.ofMillis(50));

    permits.tell(new GlobalPermits.Acquire(1, caller.ref()));
    caller.expectMessage(new Granted(1));
    assertThat(budget.expectMessageClass(RequestLease.class).permits()).isEqualTo(34);
  }

  @Test
  void anExpiredLeaseIsNotSpentEvenWithPermitsLeft() {
    permits.tell(new GlobalPermits.Acquire(1, caller.ref()));
    budget.expectMessageClass(RequestLease.class).replyTo().tell(new Leased(10, LEASE_DURATION));
    caller.expectMessage(new Granted(1));

    clock.advance(LEASE_DURATION);
    permits.tell(new GlobalPermits.Acquire(1, caller.ref()));

    budget.expectMessageClass(RequestLease.class).replyTo().tell(new Leased(1, LEASE_DURATION));
    caller.expectMessage(new Granted(1));
  }

  @Test
  void aLeaseCountsItsLifeFromTheRequestNotFromTheAnswer() {
    permits.tell(new GlobalPermits.Acquire(1, caller.ref()));
    RequestLease request = budget.expectMessageClass(RequestLease.class);
    clock.advance(LEASE_DURATION.minusMillis(100));
    request.replyTo().tell(new Leased(10, LEASE_DURATION));
    caller.expectMessage(new Granted(1));

    clock.advance(Duration.ofMillis(100));
    permits.tell(new GlobalPermits.Acquire(1, caller.ref()));

    budget.expectMessageClass(RequestLease.class);
    caller.expectNoMessage(Duration.ofMillis(50));
  }

  @Test
  void aDryBudgetThrottlesWhatWaitsAndIsNotAskedAgainBeforeItsAdvice() {
    permits.tell(new GlobalPermits.Acquire(1, caller.ref()));
    permits.tell(new GlobalPermits.Acquire(1, caller.ref()));
    budget.expectMessageClass(RequestLease.class).replyTo().tell(new NoLease(Duration.ofMillis(40)));

    caller.expectMessage(new Throttled(Duration.ofMillis(40)));
    caller.expectMessage(new Throttled(Duration.ofMillis(40)));
    clock.advance(Duration.ofMillis(30));
    permits.tell(new GlobalPermits.Acquire(1, caller.ref()));
    caller.expectMessage(new Throttled(Duration.ofMillis(10)));
    budget.expectNoMessage(Duration.ofMillis(50));

    clock.advance(Duration.ofMillis(10));
    permits.tell(new GlobalPermits.Acquire(1, caller.ref()));
    budget.expectMessageClass(RequestLease.class).replyTo().tell(new Leased(5, LEASE_DURATION));
    caller.expectMessage(new Granted(1));
  }

  @Test
  void aBudgetThatDoesNotAnswerThrottlesForTheUnavailableRetry() {
    permits.tell(new GlobalPermits.Acquire(1, caller.ref()));
    budget.expectMessageClass(RequestLease.class);

    Throttled throttled = caller.expectMessageClass(Throttled.class, LEASE_REQUEST_TIMEOUT.plusSeconds(3));

    assertThat(throttled.retryAfter()).isEqualTo(SETTINGS.unavailableRetryAfter());
  }

  @Test
  void aRequestLargerThanOneLeaseIsServedFromSeveral() {
    permits.tell(new GlobalPermits.Acquire(70, caller.ref()));
    RequestLease first = budget.expectMessageClass(RequestLease.class);
    assertThat(first.permits()).isEqualTo(70);
    first.replyTo().tell(new Leased(50, LEASE_DURATION));
    caller.expectNoMessage(Duration.ofMillis(50));

    budget.expectMessageClass(RequestLease.class).replyTo().tell(new Leased(20, LEASE_DURATION));

    caller.expectMessage(new Granted(70));
  }
}
