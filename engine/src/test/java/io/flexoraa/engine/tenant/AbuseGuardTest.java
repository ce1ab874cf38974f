package io.flexoraa.engine.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexoraa.engine.tenant.Abuse.AbuseReleased;
import io.flexoraa.engine.tenant.Abuse.AbuseTriggered;
import io.flexoraa.engine.tenant.Abuse.Kind;
import io.flexoraa.engine.tenant.Abuse.ParkedWork;
import io.flexoraa.engine.tenant.Abuse.RecordActivity;
import io.flexoraa.engine.tenant.Abuse.Restrictions;
import io.flexoraa.engine.tenant.Tenant.Event;
import io.flexoraa.engine.tenant.Tokens.DebitOutcome;
import io.flexoraa.engine.tenant.Tokens.DebitRequest;
import io.flexoraa.engine.tenant.Tokens.Debited;
import io.flexoraa.engine.tenant.Tokens.Refusal;
import io.flexoraa.engine.tenant.Tokens.Refused;
import io.flexoraa.engine.testing.ManualClock;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The tenant's abuse rules without actors (PRODUCT §6): burn against the hourly baseline, failures per hour and
 * intake against its baseline, at controlled instants; every decision applied as the entity would, so the state
 * judged is the state the events rebuild.
 */
class AbuseGuardTest {
  private static final String TENANT = "tenant-acme";
  private static final Instant START = Instant.parse("2026-06-01T00:00:00Z");
  private static final Billing BILLING = TokenAccountTest.ROOMY;
  private static final AbuseGuard.Settings GUARD = AbuseGuard.Settings.DEFAULTS;

  private final ManualClock clock = new ManualClock(START);
  private final List<Event> journal = new ArrayList<>();
  private Tenant tenant = Tenant.empty();
  private int references;

  private void persist(List<Event> events) {
    for (Event event : events) {
      journal.add(event);
      tenant = tenant.apply(event);
    }
  }

  private void create() {
    persist(tenant.decideCreate(new Tenant.Create(TENANT, "Acme", "large", "IN", null), BILLING, clock).events());
  }

  private List<DebitOutcome> debit(String operation, String cost) {
    DebitRequest request = new DebitRequest(operation, cost == null ? null : new BigDecimal(cost), "lead-1",
        "ref-" + references++);
    TokenAccount.DebitDecision decision = tenant.decideDebits(List.of(request), BILLING, GUARD, clock);
    persist(decision.events());
    return decision.outcomes();
  }

  private List<Event> activity(long intake, long failures) {
    List<Event> events = tenant.decideActivity(new RecordActivity(intake, failures), GUARD, clock);
    persist(events);
    return events;
  }

  private List<AbuseTriggered> triggers() {
    return journal.stream().filter(event -> event instanceof AbuseTriggered)
        .map(event -> (AbuseTriggered) event).toList();
  }

  /** 24 whole hours before {@code START + 24h}, each burning {@code perHour}; the clock ends at the next hour. */
  private void steadyDay(String perHour) {
    for (int hour = 0; hour < 24; hour++) {
      clock.set(START.plus(Duration.ofHours(hour)).plusSeconds(60));
      debit("baseline", perHour);
    }
    clock.set(START.plus(Duration.ofHours(24)).plusSeconds(30));
  }

  @Test
  void burningMoreThanTenTimesTheHourlyBaselinePausesHighTokenOperationsUntilTheHourEnds() {
    create();
    steadyDay("2");
    assertThat(debit("baseline", "20.00")).allMatch(outcome -> outcome instanceof Debited);
    assertThat(triggers()).isEmpty();

    debit("scoring", null);
    AbuseTriggered spike = triggers().get(0);
    assertThat(spike.kind()).isEqualTo(Kind.BURN_SPIKE);
    assertThat(spike.observed()).isEqualByComparingTo("20.50");
    assertThat(spike.baseline()).isEqualByComparingTo("2.00");
    assertThat(spike.until()).isEqualTo(START.plus(Duration.ofHours(25)));

    assertThat(debit("persuasion-message", null)).containsExactly(new Refused(Refusal.HIGH_TOKEN_PAUSED));
    assertThat(debit("qualification-message", null)).containsExactly(new Refused(Refusal.HIGH_TOKEN_PAUSED));
    assertThat(debit("scoring", null)).allMatch(outcome -> outcome instanceof Debited);
    assertThat(triggers()).hasSize(1);

    clock.set(START.plus(Duration.ofHours(25)));
    assertThat(debit("persuasion-message", null)).allMatch(outcome -> outcome instanceof Debited);
  }

  @Test
  void aNewTenantIsJudgedAgainstTheFloor() {
    create();
    clock.advance(Duration.ofMinutes(5));
    debit("baseline", "20.00");
    assertThat(triggers()).isEmpty();
    debit("baseline", "0.01");
    assertThat(triggers()).singleElement().satisfies(spike -> {
      assertThat(spike.kind()).isEqualTo(Kind.BURN_SPIKE);
      assertThat(spike.baseline()).isEqualByComparingTo("2.00");
    });
  }

  @Test
  void moreThanAHundredFailuresInAnHourThrottleTheTenantForAnHour() {
    create();
    clock.advance(Duration.ofMinutes(10));
    activity(0, 60);
    activity(0, 40);
    assertThat(triggers()).isEmpty();
    assertThat(tenant.abuse().restrictions(clock.instant(), GUARD)).isEqualTo(Restrictions.NONE);

    activity(0, 1);
    assertThat(triggers()).singleElement().satisfies(flood -> {
      assertThat(flood.kind()).isEqualTo(Kind.FAILURE_FLOOD);
      assertThat(flood.observed()).isEqualByComparingTo("101");
      assertThat(flood.until()).isEqualTo(clock.instant().plus(Duration.ofHours(1)));
    });
    Restrictions throttled = tenant.abuse().restrictions(clock.instant(), GUARD);
    assertThat(throttled.throttledPerSecond()).isEqualByComparingTo("1");
    assertThat(throttled.intakeParked()).isFalse();

    activity(0, 50);
    assertThat(triggers()).hasSize(1);
    clock.advance(Duration.ofHours(1));
    assertThat(tenant.abuse().restrictions(clock.instant(), GUARD)).isEqualTo(Restrictions.NONE);
  }

  @Test
  void anIntakeSpikeParksNewLeadsAndTheirLaterMessagesUntilReleased() {
    create();
    clock.advance(Duration.ofMinutes(1));
    activity(100, 0);
    assertThat(triggers()).isEmpty();
    activity(1, 0);
    assertThat(triggers()).singleElement().satisfies(spike -> {
      assertThat(spike.kind()).isEqualTo(Kind.INTAKE_SPIKE);
      assertThat(spike.observed()).isEqualByComparingTo("101");
      assertThat(spike.baseline()).isEqualByComparingTo("5.00");
      assertThat(spike.until()).isNull();
    });
    assertThat(tenant.abuse().restrictions(clock.instant(), GUARD).intakeParked()).isTrue();

    ParkedWork opening = new ParkedWork("lead-new", "wamid.1", clock.instant(), true);
    ParkedWork known = new ParkedWork("lead-old", "wamid.2", clock.instant(), false);
    ParkedWork followUp = new ParkedWork("lead-new", "wamid.3", clock.instant(), false);
    Optional<Abuse.WorkParked> parked = tenant.decidePark(new Abuse.ParkWork(List.of(opening), null), clock);
    assertThat(parked).isPresent();
    persist(List.of(parked.get()));
    assertThat(tenant.decidePark(new Abuse.ParkWork(List.of(known), null), clock)).isEmpty();
    persist(List.of(tenant.decidePark(new Abuse.ParkWork(List.of(followUp), null), clock).orElseThrow()));
    assertThat(tenant.abuse().parked()).containsExactly(opening, followUp);

    clock.advance(Duration.ofHours(3));
    assertThat(tenant.abuse().active(Kind.INTAKE_SPIKE, clock.instant())).as("only a release ends it").isTrue();
    AbuseReleased released = tenant.decideRelease(new Abuse.Release(Kind.INTAKE_SPIKE, "admin@acme", null), clock)
        .orElseThrow();
    assertThat(released.releasedWork()).isEqualTo(2);
    persist(List.of(released));
    assertThat(tenant.abuse().parked()).isEmpty();
    assertThat(tenant.abuse().restrictions(clock.instant(), GUARD).intakeParked()).isFalse();
    assertThat(tenant.decidePark(new Abuse.ParkWork(List.of(followUp), null), clock)).isEmpty();
    assertThat(tenant.decideRelease(new Abuse.Release(Kind.INTAKE_SPIKE, "admin@acme", null), clock)).isEmpty();
  }

  @Test
  void aReleasedRuleDoesNotFireAgainInTheSameHourButDoesInTheNext() {
    create();
    clock.set(START.plus(Duration.ofMinutes(1)));
    activity(101, 0);
    persist(List.of(tenant.decideRelease(new Abuse.Release(Kind.INTAKE_SPIKE, "ops", null), clock).orElseThrow()));
    activity(500, 0);
    assertThat(triggers()).hasSize(1);
    clock.set(START.plus(Duration.ofMinutes(61)));
    // the spike hour raised the baseline to 601 / 24 = 25.04 leads an hour: 20 x that is 500.8
    activity(500, 0);
    assertThat(triggers()).hasSize(1);
    activity(1, 0);
    assertThat(triggers()).hasSize(2);
    assertThat(triggers().get(1).baseline()).isEqualByComparingTo("25.04");
  }

  @Test
  void theBaselineIsTheMeanOfTheLastWholeHoursAndOlderHoursDropOut() {
    create();
    clock.set(START.plusSeconds(10));
    activity(240, 0);
    clock.set(START.plus(Duration.ofHours(1)));
    assertThat(tenant.abuse().view(clock.instant(), GUARD).currentHour().intakeBaseline()).isEqualByComparingTo("10");
    clock.set(START.plus(Duration.ofHours(25)));
    assertThat(tenant.abuse().view(clock.instant(), GUARD).currentHour().intakeBaseline()).isEqualByComparingTo("5");
  }

  @Test
  void replayingTheJournalRebuildsTheSameGuard() {
    create();
    steadyDay("3");
    debit("baseline", "31");
    activity(3, 101);
    Tenant replayed = Tenant.empty();
    for (Event event : journal) replayed = replayed.apply(event);
    assertThat(replayed.abuse()).isEqualTo(tenant.abuse());
    assertThat(replayed.abuse().triggers()).containsOnlyKeys(Kind.BURN_SPIKE, Kind.FAILURE_FLOOD);
  }

  @Test
  void anEmptyReportPersistsNothingAndAnUnknownTenantIgnoresReports() {
    assertThat(Tenant.empty().decideActivity(new RecordActivity(500, 500), GUARD, clock)).isEmpty();
    create();
    assertThat(activity(0, 0)).isEmpty();
  }
}
