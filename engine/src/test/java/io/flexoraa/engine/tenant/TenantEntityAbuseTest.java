package io.flexoraa.engine.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import io.flexoraa.engine.ports.EngineMetrics;
import io.flexoraa.engine.tenant.Abuse.Kind;
import io.flexoraa.engine.tenant.Abuse.ParkedWork;
import io.flexoraa.engine.tenant.Abuse.Restrictions;
import io.flexoraa.engine.tenant.Tenant.Command;
import io.flexoraa.engine.tenant.Tenant.Event;
import io.flexoraa.engine.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Tenant entity's abuse protection on the in-memory journal, every command, event, reply and state round-tripped
 * through Jackson CBOR: reports that fire rules, the restrictions a limiter reads, parked work, a release that hands
 * it back, and recovery giving back the same guard.
 */
class TenantEntityAbuseTest {
  private static final Config CONFIG = io.flexoraa.engine.EntityTestKit.CONFIG;
  private static final Billing BILLING = Billing.fromConfig(CONFIG);
  private static final AbuseGuard.Settings GUARD = AbuseGuard.Settings.fromConfig(CONFIG);
  private static final Instant START = Instant.parse("2026-03-14T09:26:53Z");
  private static final AtomicInteger TENANTS = new AtomicInteger();

  private static ActorTestKit testKit;

  private final ManualClock clock = new ManualClock(START);
  private final List<String> fired = new ArrayList<>();
  private String tenantId;
  private EventSourcedBehaviorTestKit<Command, Event, Tenant> kit;

  @BeforeAll
  static void startActorSystem() {
    testKit = ActorTestKit.create("TenantEntityAbuseTest", CONFIG);
  }

  @AfterAll
  static void stopActorSystem() {
    testKit.shutdownTestKit();
  }

  private void newTenant() {
    tenantId = "tenant-" + TENANTS.incrementAndGet();
    EngineMetrics metrics = new EngineMetrics() {
      @Override
      public void eventsPersisted(String entityType, int count) {}

      @Override
      public void abuseTriggered(String scope, String kind) {
        fired.add(scope + ":" + kind);
      }
    };
    kit = EventSourcedBehaviorTestKit.create(
        testKit.system(), TenantEntity.create(tenantId, clock, 100, BILLING, GUARD, metrics),
        EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyEquality(true));
    assertThat(kit.<StatusReply<Tenant.View>>runCommand(
        replyTo -> new Tenant.Create(tenantId, "Acme Realty", "full-os", "IN", replyTo)).reply().isSuccess()).isTrue();
  }

  private Restrictions restrictions() {
    return kit.<Restrictions>runCommand(Abuse.GetRestrictions::new).reply();
  }

  private boolean park(ParkedWork... items) {
    return kit.<Boolean>runCommand(replyTo -> new Abuse.ParkWork(List.of(items), replyTo)).reply();
  }

  @Test
  void configuredThresholdsAreThoseOfTheProduct() {
    assertThat(GUARD).isEqualTo(AbuseGuard.Settings.DEFAULTS);
  }

  @Test
  void aFailureFloodThrottlesTheTenantAndIsCountedOnce() {
    newTenant();
    assertThat(kit.runCommand(new Abuse.RecordActivity(0, 0)).hasNoEvents()).isTrue();
    var flood = kit.runCommand(new Abuse.RecordActivity(0, 101));
    assertThat(flood.events()).hasSize(2);
    assertThat(flood.events().get(1)).isInstanceOfSatisfying(Abuse.AbuseTriggered.class,
        triggered -> assertThat(triggered.kind()).isEqualTo(Kind.FAILURE_FLOOD));
    assertThat(fired).containsExactly("tenant:failure-flood");

    Restrictions throttled = restrictions();
    assertThat(throttled.throttledPerSecond()).isEqualByComparingTo("1");
    assertThat(throttled.throttledUntil()).isEqualTo(START.plus(Duration.ofHours(1)));
    clock.advance(Duration.ofHours(1));
    assertThat(restrictions()).isEqualTo(Restrictions.NONE);
  }

  @Test
  void parkedIntakeHoldsNewLeadsWorkUntilAReleaseHandsItBackInOrderEvenAfterARestart() {
    newTenant();
    ParkedWork first = new ParkedWork("lead-a", "wamid.a1", START, true);
    assertThat(park(first)).as("nothing is parked before a spike").isFalse();

    kit.runCommand(new Abuse.RecordActivity(101, 0));
    assertThat(restrictions().intakeParked()).isTrue();
    assertThat(park(first)).isTrue();
    ParkedWork second = new ParkedWork("lead-a", "wamid.a2", START.plusSeconds(1), false);
    ParkedWork otherLead = new ParkedWork("lead-b", "wamid.b1", START.plusSeconds(2), false);
    assertThat(park(second)).isTrue();
    assertThat(park(otherLead)).as("a lead from before the spike keeps going").isFalse();

    kit.restart();
    var view = kit.<StatusReply<Abuse.AbuseView>>runCommand(Abuse.GetAbuse::new).reply().getValue();
    assertThat(view.parkedLeads()).isEqualTo(1);
    assertThat(view.parkedMessages()).isEqualTo(2);
    assertThat(view.triggers()).singleElement().satisfies(trigger -> {
      assertThat(trigger.kind()).isEqualTo("intake-spike");
      assertThat(trigger.active()).isTrue();
    });

    var released = kit.<StatusReply<Abuse.Released>>runCommand(
        replyTo -> new Abuse.Release(Kind.INTAKE_SPIKE, "admin@acme", replyTo));
    assertThat(released.reply().getValue().parked()).containsExactly(first, second);
    assertThat(released.reply().getValue().wasActive()).isTrue();
    assertThat(restrictions().intakeParked()).isFalse();
    var again = kit.<StatusReply<Abuse.Released>>runCommand(
        replyTo -> new Abuse.Release(Kind.INTAKE_SPIKE, "admin@acme", replyTo));
    assertThat(again.hasNoEvents()).isTrue();
    assertThat(again.reply().getValue().wasActive()).isFalse();
    assertThat(again.reply().getValue().parked()).isEmpty();
  }
}
