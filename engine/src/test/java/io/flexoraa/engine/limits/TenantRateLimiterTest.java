package io.flexoraa.engine.limits;

import io.flexoraa.engine.testing.ManualClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.flexoraa.engine.EntityTestKit;
import io.flexoraa.engine.limits.PermitDecision.Granted;
import io.flexoraa.engine.limits.PermitDecision.Throttled;
import io.flexoraa.engine.limits.TokenBucket.Rate;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.SerializationTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The tenant limiter actor with a controlled clock: burst, throttling with retry advice, refill, refunds; its settings
 * from configuration (defaults and per-tenant overrides); its messages through Jackson CBOR, as they cross nodes.
 */
class TenantRateLimiterTest {
  private static final String TENANT = "0b9c3f0e-6a1d-4c55-9f3e-2f6f3d7c1a10";

  private static ActorTestKit testKit;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create("TenantRateLimiterTest",
        EntityTestKit.SERIALIZATION_BINDINGS.withFallback(ConfigFactory.load()));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void grantsTheBurstThenThrottlesUntilPermitsFlowBackIn() {
    ManualClock clock = new ManualClock(Instant.parse("2026-03-14T09:00:00Z"));
    ActorRef<TenantRateLimiter.Command> limiter = testKit.spawn(TenantRateLimiter.create(new Rate(5, 5), clock));
    TestProbe<PermitDecision> probe = testKit.createTestProbe();

    for (int i = 0; i < 5; i++) {
      limiter.tell(new TenantRateLimiter.TryAcquire(1, probe.ref()));
      probe.expectMessage(new Granted(1));
    }
    limiter.tell(new TenantRateLimiter.TryAcquire(1, probe.ref()));
    Throttled throttled = probe.expectMessageClass(Throttled.class);
    assertThat(throttled.retryAfter()).isBetween(Duration.ofMillis(200), Duration.ofMillis(201));

    clock.advance(Duration.ofMillis(400));
    limiter.tell(new TenantRateLimiter.TryAcquire(2, probe.ref()));
    probe.expectMessage(new Granted(2));
    limiter.tell(new TenantRateLimiter.TryAcquire(1, probe.ref()));
    probe.expectMessageClass(Throttled.class);
  }

  @Test
  void aFailureFloodLowersTheRateUntilItsThrottleEndsAndParkedIntakeIsSaidOnEveryGrant() throws Exception {
    ManualClock clock = new ManualClock(Instant.parse("2026-03-14T09:00:00Z"));
    Instant throttleEnds = clock.instant().plusSeconds(10);
    java.util.concurrent.atomic.AtomicReference<io.flexoraa.engine.tenant.Abuse.Restrictions> current =
        new java.util.concurrent.atomic.AtomicReference<>(new io.flexoraa.engine.tenant.Abuse.Restrictions(
            java.math.BigDecimal.ONE, throttleEnds, true));
    ActorRef<TenantRateLimiter.Command> limiter = testKit.spawn(TenantRateLimiter.create("tenant-noisy",
        new Rate(5, 5), tenant -> java.util.concurrent.CompletableFuture.completedFuture(current.get()),
        Duration.ofMillis(50), clock));
    TestProbe<PermitDecision> probe = testKit.createTestProbe();

    // once the restrictions are read: one permit a second, each grant saying intake is parked
    probe.awaitAssert(Duration.ofSeconds(3), () -> {
      limiter.tell(new TenantRateLimiter.TryAcquire(1, probe.ref()));
      return probe.expectMessage(new Granted(1, true));
    });
    limiter.tell(new TenantRateLimiter.TryAcquire(1, probe.ref()));
    assertThat(probe.expectMessageClass(Throttled.class).retryAfter()).isEqualTo(Duration.ofSeconds(1));
    clock.advance(Duration.ofSeconds(1));
    limiter.tell(new TenantRateLimiter.TryAcquire(1, probe.ref()));
    probe.expectMessage(new Granted(1, true));

    // the throttle ends by itself; a release of the parked intake is read at the next refresh
    clock.set(throttleEnds.plusSeconds(1));
    current.set(io.flexoraa.engine.tenant.Abuse.Restrictions.NONE);
    Thread.sleep(500); // several refreshes
    clock.advance(Duration.ofSeconds(2));
    for (int i = 0; i < 5; i++) {
      limiter.tell(new TenantRateLimiter.TryAcquire(1, probe.ref()));
      probe.expectMessage(new Granted(1, false));
    }
    limiter.tell(new TenantRateLimiter.TryAcquire(1, probe.ref()));
    assertThat(probe.expectMessageClass(Throttled.class).retryAfter()).isLessThan(Duration.ofMillis(201));
  }

  @Test
  void refundedPermitsCanBeTakenAgain() {
    ManualClock clock = new ManualClock(Instant.parse("2026-03-14T09:00:00Z"));
    ActorRef<TenantRateLimiter.Command> limiter = testKit.spawn(TenantRateLimiter.create(new Rate(5, 5), clock));
    TestProbe<PermitDecision> probe = testKit.createTestProbe();
    limiter.tell(new TenantRateLimiter.TryAcquire(5, probe.ref()));
    probe.expectMessage(new Granted(5));

    limiter.tell(new TenantRateLimiter.Refund(1));
    limiter.tell(new TenantRateLimiter.TryAcquire(1, probe.ref()));

    probe.expectMessage(new Granted(1));
    limiter.tell(new TenantRateLimiter.TryAcquire(1, probe.ref()));
    probe.expectMessageClass(Throttled.class);
  }

  @Test
  void settingsComeFromReferenceConfWithPerTenantOverrides() {
    LimitSettings defaults = LimitSettings.fromConfig(ConfigFactory.load());
    assertThat(defaults.tenantDefault()).isEqualTo(new Rate(5, 5));
    assertThat(defaults.cluster()).isEqualTo(new Rate(1000, 100));
    assertThat(defaults.leaseSize()).isEqualTo(50);
    assertThat(defaults.leaseDuration()).isEqualTo(Duration.ofMillis(500));
    assertThat(defaults.tenantOverrides()).isEmpty();

    LimitSettings overridden = LimitSettings.fromConfig(withLimits(Map.of(
        "tenant-overrides.\"" + TENANT + "\".messages-per-second", 20,
        "tenant-overrides.\"" + TENANT + "\".burst", 40,
        "tenant-overrides.\"tenant.with.dots\".messages-per-second", 2.5)));

    assertThat(overridden.tenantRate(TENANT)).isEqualTo(new Rate(20, 40));
    assertThat(overridden.tenantRate("tenant.with.dots")).as("burst defaults to a second's worth")
        .isEqualTo(new Rate(2.5, 3));
    assertThat(overridden.tenantRate("another")).isEqualTo(new Rate(5, 5));
  }

  @Test
  void inconsistentSettingsStopTheNodeAtStart() {
    assertThatThrownBy(() -> LimitSettings.fromConfig(withLimits(Map.of("lease-size", 500))))
        .hasMessageContaining("lease-size");
    assertThatThrownBy(() -> LimitSettings.fromConfig(withLimits(Map.of("lease-request-timeout", "5s"))))
        .hasMessageContaining("lease-request-timeout");
    assertThatThrownBy(() -> LimitSettings.fromConfig(withLimits(Map.of("tenant-messages-per-second", 0))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void messagesThatCrossNodesRoundTripThroughCbor() {
    SerializationTestKit serialization = new SerializationTestKit(testKit.system());
    TestProbe<PermitDecision> probe = testKit.createTestProbe();
    TestProbe<ClusterRateBudget.LeaseReply> leaseProbe = testKit.createTestProbe();

    serialization.verifySerialization(new TenantRateLimiter.TryAcquire(3, probe.ref()), true);
    serialization.verifySerialization(new TenantRateLimiter.Refund(3), true);
    serialization.verifySerialization(new Granted(3), true);
    serialization.verifySerialization(new Throttled(Duration.ofMillis(200)), true);
    serialization.verifySerialization(
        new ClusterRateBudget.RequestLease("pekko://flexoraa@10.0.0.7:25520", 50, leaseProbe.ref()), true);
    serialization.verifySerialization(new ClusterRateBudget.Leased(50, Duration.ofMillis(500)), true);
    serialization.verifySerialization(new ClusterRateBudget.NoLease(Duration.ofMillis(40)), true);
  }

  private static Config withLimits(Map<String, Object> limits) {
    Config config = ConfigFactory.empty();
    for (Map.Entry<String, Object> entry : limits.entrySet()) {
      config = config.withFallback(ConfigFactory.parseString("flexoraa.limits." + entry.getKey() + " = "
          + (entry.getValue() instanceof String text ? "\"" + text + "\"" : entry.getValue())));
    }
    return config.withFallback(ConfigFactory.load()).resolve();
  }
}
