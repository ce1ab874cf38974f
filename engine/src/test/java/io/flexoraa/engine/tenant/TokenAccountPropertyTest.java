package io.flexoraa.engine.tenant;

import io.flexoraa.engine.testing.ManualClock;
import static org.assertj.core.api.Assertions.assertThat;

import io.flexoraa.engine.tenant.Tenant.Event;
import io.flexoraa.engine.tenant.Tokens.CreditKind;
import io.flexoraa.engine.tenant.Tokens.DebitOutcome;
import io.flexoraa.engine.tenant.Tokens.DebitRequest;
import io.flexoraa.engine.tenant.Tokens.Debited;
import io.flexoraa.engine.tenant.Tokens.PauseReason;
import io.flexoraa.engine.tenant.Tokens.Refusal;
import io.flexoraa.engine.tenant.Tokens.Refused;
import io.flexoraa.engine.tenant.Tokens.TokenAccountOpened;
import io.flexoraa.engine.tenant.Tokens.TokenAlertRaised;
import io.flexoraa.engine.tenant.Tokens.TokensCredited;
import io.flexoraa.engine.tenant.Tokens.TokensDebited;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Many random sequences of debits, credits, renewals and passing time against the pure rules. After every step the
 * books must balance exactly — balance == everything credited − every accepted cost, to the cent, never negative —
 * and the alert, pause and daily-limit rules must hold; at the end, replaying the journal gives the same state.
 */
class TokenAccountPropertyTest {
  private static final int SEQUENCES = 400;
  private static final int STEPS = 250;
  private static final List<String> OPERATIONS = List.copyOf(TenantTest.BILLING.rateCard().keySet());

  /** What the sequences went through, all together: proof that the rules above were exercised, not skipped. */
  private static final java.util.Map<String, Integer> SEEN = new java.util.concurrent.ConcurrentHashMap<>();

  private static void saw(String what) {
    SEEN.merge(what, 1, Integer::sum);
  }

  @org.junit.jupiter.api.AfterAll
  static void everyRuleWasExercised() {
    assertThat(SEEN.keySet()).contains(
        "debited", "refused INSUFFICIENT_BALANCE", "refused AI_PAUSED", "refused DAILY_LIMIT_REACHED",
        "refused UNKNOWN_OPERATION", "refused INVALID_COST", "paused BALANCE_EXHAUSTED", "paused DAILY_BURN_LIMIT",
        "resumed TOKENS_CREDITED", "resumed PERIOD_RENEWED", "resumed NEW_DAY", "alert 50", "alert 80", "alert 100",
        "duplicate credit", "renewal");
  }

  static List<Long> seeds() {
    List<Long> seeds = new ArrayList<>();
    for (long seed = 1; seed <= SEQUENCES; seed++) seeds.add(seed * 7919);
    return seeds;
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void theBooksBalanceExactlyAndTheRulesHold(long seed) {
    Random random = new Random(seed);
    boolean roomy = random.nextBoolean();
    Billing billing = roomy ? TokenAccountTest.ROOMY : TenantTest.BILLING;
    List<String> planIds = billing.planIds();
    String plan = planIds.get(random.nextInt(planIds.size()));
    ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z").plus(Duration.ofMinutes(random.nextInt(500_000))));
    String tenantId = "tenant-" + seed;

    Tenant state = Tenant.empty();
    List<Event> journal = new ArrayList<>();
    for (Event event : state.decideCreate(new Tenant.Create(tenantId, "Acme", plan, "IN", null), billing, clock).events()) {
      state = state.apply(event);
      journal.add(event);
    }
    BigDecimal credited = ((TokenAccountOpened) journal.get(1)).tokens();
    BigDecimal spent = Billing.zero();
    long position = 1;
    List<String> references = new ArrayList<>();
    Set<String> alerts = new HashSet<>();
    String context = "seed " + seed + ", plan " + plan;

    for (int step = 0; step < STEPS; step++) {
      String at = context + ", step " + step;
      int dice = random.nextInt(100);
      List<Event> events;
      if (dice < 60) {
        List<DebitRequest> requests = randomRequests(random);
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        boolean pausedBefore = state.tokens().pausedAsOf(today) != null;
        TokenAccount.DebitDecision decision = state.decideDebits(requests, billing, clock);
        events = decision.events();
        assertThat(decision.outcomes()).as(at).hasSize(requests.size());
        BigDecimal running = state.tokens().balance();
        for (DebitOutcome outcome : decision.outcomes()) {
          saw(outcome instanceof Refused refused ? "refused " + refused.reason() : "debited");
          if (outcome instanceof Debited debited) {
            assertThat(pausedBefore).as(at + ": debited while paused").isFalse();
            position++;
            running = running.subtract(debited.cost());
            spent = spent.add(debited.cost());
            assertThat(debited.entryId()).as(at + ": ledger positions are consecutive").isEqualTo(position);
            assertThat(debited.balanceAfter()).as(at).isEqualTo(running);
            assertThat(debited.cost().scale()).isEqualTo(Billing.SCALE);
          } else if (pausedBefore) {
            assertThat(((Refused) outcome).reason()).as(at)
                .isIn(Refusal.AI_PAUSED, Refusal.UNKNOWN_OPERATION, Refusal.INVALID_COST);
          }
        }
        assertThat(events.stream().filter(TokensDebited.class::isInstance).count()).as(at + ": one event per batch")
            .isLessThanOrEqualTo(1);
      } else if (dice < 72) {
        boolean repeat = !references.isEmpty() && random.nextInt(5) == 0;
        String reference = repeat ? references.get(random.nextInt(references.size())) : "ref-" + seed + "-" + step;
        BigDecimal tokens = cents(random, 1, 20_000);
        TokenAccount.CreditDecision decision = state.decideCredit(new Tokens.Credit(
            random.nextBoolean() ? CreditKind.GRANT : CreditKind.TOP_UP, tokens, reference, "operator", "test", null),
            billing, clock);
        events = decision.events();
        assertThat(decision.credited().duplicate()).as(at).isEqualTo(repeat);
        if (repeat) saw("duplicate credit");
        if (!repeat) {
          references.add(reference);
          credited = credited.add(tokens);
          position++;
          assertThat(decision.credited().entryId()).as(at).isEqualTo(position);
        }
      } else if (dice < 77) {
        TokenAccount.CreditDecision decision = state.decideRenewal(new Tokens.RenewPeriod(clock.instant(), null), billing, clock);
        events = decision.events();
        if (!events.isEmpty()) {
          saw("renewal");
          credited = credited.add(billing.plan(plan).monthlyTokens());
          position++;
        }
      } else {
        clock.advance(Duration.ofMinutes(random.nextInt(30 * 60)));
        events = List.of();
      }

      for (Event event : events) {
        if (event instanceof Tokens.AiPaused paused) saw("paused " + paused.reason());
        if (event instanceof Tokens.AiResumed resumed) saw("resumed " + resumed.reason());
        if (event instanceof TokenAlertRaised alert) {
          saw("alert " + alert.level());
          String key = state.tokens().periodStart() + "/" + alert.level();
          assertThat(alerts.add(key)).as(at + ": alert " + key + " raised twice").isTrue();
        }
        state = state.apply(event);
        journal.add(event);
      }

      TokenAccount tokens = state.tokens();
      assertThat(tokens.balance()).as(at + ": balance == credits - accepted costs").isEqualTo(credited.subtract(spent));
      assertThat(tokens.balance().signum()).as(at + ": never negative").isGreaterThanOrEqualTo(0);
      assertThat(tokens.balance().scale()).isEqualTo(Billing.SCALE);
      assertThat(tokens.periodCredit().subtract(tokens.consumed())).as(at).isEqualTo(tokens.balance());
      assertThat(tokens.ledgerPosition()).as(at).isEqualTo(position);
      if (tokens.burnDay() != null) {
        assertThat(tokens.burnToday()).as(at + ": within the daily limit")
            .isLessThanOrEqualTo(billing.plan(plan).dailyBurnLimit());
      }
      if (tokens.balance().signum() == 0) {
        assertThat(tokens.pausedFor()).as(at + ": an empty account pauses AI").isEqualTo(PauseReason.BALANCE_EXHAUSTED);
        assertThat(tokens.alertsRaised()).as(at).contains(Billing.FULL);
      }
    }

    Tenant replayed = Tenant.empty();
    for (Event event : journal) replayed = replayed.apply(event);
    assertThat(replayed).as(context + ": recovery gives the same state").isEqualTo(state);
    long ledgerRows = journal.stream().mapToLong(event -> event instanceof TokensDebited debited ? debited.entries().size()
        : event instanceof TokensCredited || event instanceof TokenAccountOpened ? 1 : 0).sum();
    assertThat(ledgerRows).as(context + ": one ledger entry per position").isEqualTo(position);
  }

  private static List<DebitRequest> randomRequests(Random random) {
    int size = 1 + random.nextInt(random.nextInt(4) == 0 ? 60 : 8);
    List<DebitRequest> requests = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      int kind = random.nextInt(100);
      if (kind < 80) {
        requests.add(new DebitRequest(OPERATIONS.get(random.nextInt(OPERATIONS.size())), null, "lead-" + i, null));
      } else if (kind < 95) {
        requests.add(new DebitRequest("ai-call", cents(random, 1, 1_000), "lead-" + i, null));
      } else if (kind < 97) {
        requests.add(new DebitRequest("telepathy", null, null, null));
      } else {
        requests.add(new DebitRequest("ai-call", new BigDecimal("0.001").multiply(BigDecimal.valueOf(1 + random.nextInt(9))), null, null));
      }
    }
    return requests;
  }

  /** An amount of whole cents between {@code min} and {@code max} cents, written with a random scale. */
  private static BigDecimal cents(Random random, int min, int max) {
    BigDecimal value = BigDecimal.valueOf(min + random.nextInt(max - min + 1), 2);
    return random.nextBoolean() ? value.stripTrailingZeros() : value;
  }
}
