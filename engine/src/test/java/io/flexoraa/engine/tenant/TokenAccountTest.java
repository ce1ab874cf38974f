package io.flexoraa.engine.tenant;

import io.flexoraa.engine.testing.ManualClock;
import static org.assertj.core.api.Assertions.assertThat;

import io.flexoraa.engine.tenant.Billing.Plan;
import io.flexoraa.engine.tenant.Tenant.Event;
import io.flexoraa.engine.tenant.Tokens.AiPaused;
import io.flexoraa.engine.tenant.Tokens.AiResumed;
import io.flexoraa.engine.tenant.Tokens.CreditKind;
import io.flexoraa.engine.tenant.Tokens.DebitOutcome;
import io.flexoraa.engine.tenant.Tokens.DebitRequest;
import io.flexoraa.engine.tenant.Tokens.Debited;
import io.flexoraa.engine.tenant.Tokens.LedgerEntry;
import io.flexoraa.engine.tenant.Tokens.PauseReason;
import io.flexoraa.engine.tenant.Tokens.Refusal;
import io.flexoraa.engine.tenant.Tokens.Refused;
import io.flexoraa.engine.tenant.Tokens.ResumeReason;
import io.flexoraa.engine.tenant.Tokens.TokenAccountOpened;
import io.flexoraa.engine.tenant.Tokens.TokenAlertRaised;
import io.flexoraa.engine.tenant.Tokens.TokensCredited;
import io.flexoraa.engine.tenant.Tokens.TokensDebited;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The token rules without actors, on the configured plans and rate card and on a small test plan: given events,
 * when a command at a controlled instant, expect events and replies.
 */
class TokenAccountTest {
  private static final String TENANT = "tenant-acme";
  private static final Instant START = Instant.parse("2026-03-14T09:00:00Z");
  private static final Billing CONFIGURED = TenantTest.BILLING;

  /** Plans with a roomy daily limit, so that the period's alerts can be reached in one day. */
  static final Billing ROOMY = new Billing(
      plans(new Plan("small", amount("100"), amount("1000"), amount("10")),
          new Plan("medium", amount("300"), amount("1000"), amount("25")),
          new Plan("large", amount("1000"), amount("1000"), amount("70"))),
      CONFIGURED.rateCard(), List.of(50, 80, 100), 80);

  private final ManualClock clock = new ManualClock(START);

  static BigDecimal amount(String value) {
    return new BigDecimal(value).setScale(Billing.SCALE);
  }

  private static Map<String, Plan> plans(Plan... plans) {
    Map<String, Plan> map = new LinkedHashMap<>();
    for (Plan plan : plans) map.put(plan.id(), plan);
    return map;
  }

  /** A tenant being decided on: applies what each decision persists, as the entity does. */
  private final class Account {
    final Billing billing;
    Tenant state = Tenant.empty();
    final List<Event> journal = new ArrayList<>();

    Account(Billing billing, String plan) {
      this.billing = billing;
      persist(state.decideCreate(new Tenant.Create(TENANT, "Acme Realty", plan, "IN", null), billing, clock).events());
    }

    void persist(List<Event> events) {
      for (Event event : events) {
        state = state.apply(event);
        journal.add(event);
      }
    }

    /** Persists what the batch decides and returns its events and outcomes. */
    TokenAccount.DebitDecision debit(DebitRequest... requests) {
      TokenAccount.DebitDecision decision = state.decideDebits(List.of(requests), billing, clock);
      persist(decision.events());
      return decision;
    }

    DebitOutcome debitOne(String operation) {
      return debit(request(operation)).outcomes().get(0);
    }

    TokenAccount.CreditDecision credit(CreditKind kind, String tokens, String reference) {
      TokenAccount.CreditDecision decision = state.decideCredit(
          new Tokens.Credit(kind, new BigDecimal(tokens), reference, "operator", "support", null), billing, clock);
      persist(decision.events());
      return decision;
    }

    TokenAccount.CreditDecision renew(Instant at) {
      TokenAccount.CreditDecision decision = state.decideRenewal(new Tokens.RenewPeriod(at, null), billing, clock);
      persist(decision.events());
      return decision;
    }

    TokenAccount tokens() {
      return state.tokens();
    }

    Tokens.TokenView view() {
      return state.tokenView(billing, clock).orElseThrow();
    }
  }

  private static DebitRequest request(String operation) {
    return new DebitRequest(operation, null, "lead-1", "msg-" + operation);
  }

  private static DebitRequest costing(String cost) {
    return new DebitRequest("ai-call", new BigDecimal(cost), "lead-1", null);
  }

  static <T> List<T> ofType(List<Event> events, Class<T> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }

  @Test
  void aDebitCostsTheRateCardsPriceAndIsOneLedgerEntry() {
    Account account = new Account(CONFIGURED, "leados-pro");

    TokenAccount.DebitDecision decision = account.debit(request("qualification-message"));

    assertThat(decision.outcomes()).containsExactly(new Debited(2, amount("2"), amount("748")));
    assertThat(decision.events()).containsExactly(new TokensDebited(TENANT,
        List.of(new LedgerEntry(2, "qualification-message", amount("2"), "lead-1", "msg-qualification-message",
            amount("748"))), START));
    assertThat(account.view().balance()).isEqualTo(amount("748"));
    assertThat(account.view().consumed()).isEqualTo(amount("2"));
    assertThat(account.view().burnToday()).isEqualTo(amount("2"));
    assertThat(account.view().ledgerPosition()).isEqualTo(2);
  }

  @Test
  void everyRateOfTheCardIsExact() {
    Account account = new Account(ROOMY, "large");
    BigDecimal total = Billing.zero();
    for (Map.Entry<String, BigDecimal> rate : CONFIGURED.rateCard().entrySet()) {
      DebitOutcome outcome = account.debitOne(rate.getKey());
      total = total.add(rate.getValue());
      assertThat(outcome).isInstanceOf(Debited.class);
      assertThat(((Debited) outcome).cost()).isEqualTo(rate.getValue());
    }
    assertThat(total).isEqualTo(amount("17.30"));
    assertThat(account.tokens().balance()).isEqualTo(amount("982.70"));
  }

  @Test
  void invalidRequestsAreRefusedAndPersistNothing() {
    Account account = new Account(CONFIGURED, "leados-pro");
    int before = account.journal.size();

    TokenAccount.DebitDecision decision = account.debit(
        request("telepathy"), costing("0"), costing("-1"), costing("0.005"), new DebitRequest(" ", BigDecimal.ONE, null, null));

    assertThat(decision.outcomes()).containsExactly(
        new Refused(Refusal.UNKNOWN_OPERATION), new Refused(Refusal.INVALID_COST), new Refused(Refusal.INVALID_COST),
        new Refused(Refusal.INVALID_COST), new Refused(Refusal.UNKNOWN_OPERATION));
    assertThat(decision.events()).isEmpty();
    assertThat(account.journal).hasSize(before);
  }

  @Test
  void anExplicitCostWithTwoDecimalsIsDebitedExactly() {
    Account account = new Account(CONFIGURED, "leados-pro");

    assertThat(account.debit(costing("0.07"), costing("1.1")).outcomes()).containsExactly(
        new Debited(2, amount("0.07"), amount("749.93")), new Debited(3, amount("1.10"), amount("748.83")));
  }

  @Test
  void aBatchIsOneEventDecidedInOrderOnTheRunningBalance() {
    Account account = new Account(ROOMY, "small");
    account.debit(costing("95"));

    TokenAccount.DebitDecision decision = account.debit(
        costing("2"), request("telepathy"), costing("2"), costing("2"), request("scoring"));

    assertThat(decision.outcomes()).containsExactly(
        new Debited(3, amount("2"), amount("3")), new Refused(Refusal.UNKNOWN_OPERATION),
        new Debited(4, amount("2"), amount("1")), new Refused(Refusal.INSUFFICIENT_BALANCE),
        new Refused(Refusal.AI_PAUSED));
    assertThat(ofType(decision.events(), TokensDebited.class)).hasSize(1);
    assertThat(ofType(decision.events(), TokensDebited.class).get(0).entries())
        .extracting(LedgerEntry::entryId).containsExactly(3L, 4L);
    assertThat(decision.events().get(0)).isInstanceOf(TokensDebited.class);
    assertThat(decision.events().get(decision.events().size() - 1))
        .isEqualTo(new AiPaused(TENANT, PauseReason.BALANCE_EXHAUSTED, amount("1"), amount("99"), START));
  }

  @Test
  void alertsAreRaisedOncePerThresholdAndThe80PercentOneOffersTheNextPlan() {
    Account account = new Account(ROOMY, "small");

    assertThat(ofType(account.debit(costing("49.99")).events(), TokenAlertRaised.class)).isEmpty();
    assertThat(ofType(account.debit(costing("0.01")).events(), TokenAlertRaised.class))
        .containsExactly(new TokenAlertRaised(TENANT, 50, amount("50"), amount("100"), null, START));
    assertThat(ofType(account.debit(costing("1")).events(), TokenAlertRaised.class)).as("50 % only once").isEmpty();
    assertThat(ofType(account.debit(costing("29")).events(), TokenAlertRaised.class))
        .containsExactly(new TokenAlertRaised(TENANT, 80, amount("80"), amount("100"), "medium", START));
    assertThat(account.view().alertsRaised()).containsExactly(50, 80);
  }

  @Test
  void oneBigDebitRaisesEveryThresholdItCrosses() {
    Account account = new Account(ROOMY, "small");

    List<Event> events = account.debit(costing("85")).events();

    assertThat(ofType(events, TokenAlertRaised.class)).extracting(TokenAlertRaised::level).containsExactly(50, 80);
  }

  @Test
  void spendingTheLastTokenRaises100AndPausesAi() {
    Account account = new Account(ROOMY, "small");
    account.debit(costing("99"));

    TokenAccount.DebitDecision last = account.debit(costing("1"), costing("0.1"));

    assertThat(last.outcomes()).containsExactly(new Debited(3, amount("1"), amount("0")), new Refused(Refusal.AI_PAUSED));
    assertThat(ofType(last.events(), TokenAlertRaised.class)).extracting(TokenAlertRaised::level).containsExactly(100);
    assertThat(ofType(last.events(), AiPaused.class)).containsExactly(
        new AiPaused(TENANT, PauseReason.BALANCE_EXHAUSTED, amount("0"), amount("100"), START));
    assertThat(account.view().aiPaused()).isTrue();
    assertThat(account.view().pauseReason()).isEqualTo(PauseReason.BALANCE_EXHAUSTED);
    assertThat(account.view().balance()).isEqualTo(amount("0"));
  }

  @Test
  void aDebitThatDoesNotFitPausesAiAndRaisesTheRemainingAlerts() {
    Account account = new Account(ROOMY, "small");
    account.debit(costing("40"));

    TokenAccount.DebitDecision refused = account.debit(costing("70"));

    assertThat(refused.outcomes()).containsExactly(new Refused(Refusal.INSUFFICIENT_BALANCE));
    assertThat(ofType(refused.events(), TokensDebited.class)).isEmpty();
    assertThat(ofType(refused.events(), TokenAlertRaised.class)).extracting(TokenAlertRaised::level)
        .containsExactly(50, 80, 100);
    assertThat(ofType(refused.events(), AiPaused.class)).hasSize(1);
    assertThat(account.debit(costing("0.1")).events()).as("paused: refused, nothing persisted").isEmpty();
    assertThat(account.tokens().balance()).isEqualTo(amount("60"));
  }

  @Test
  void aCreditThatLeavesAPositiveBalanceResumesAiAndAPaymentIsCreditedOnce() {
    Account account = new Account(ROOMY, "small");
    account.debit(costing("100"));
    clock.advance(Duration.ofMinutes(5));

    TokenAccount.CreditDecision topUp = account.credit(CreditKind.TOP_UP, "100", "razorpay:pay_29QQoUBi66xm2f");

    assertThat(topUp.events()).containsExactly(
        new TokensCredited(TENANT, 3, CreditKind.TOP_UP, amount("100"), "razorpay:pay_29QQoUBi66xm2f", "operator",
            "support", amount("100"), null, clock.instant()),
        new AiResumed(TENANT, ResumeReason.TOKENS_CREDITED, clock.instant()));
    assertThat(topUp.credited()).isEqualTo(new Tokens.Credited(3, CreditKind.TOP_UP, amount("100"), amount("100"), false));
    assertThat(account.view().aiPaused()).isFalse();
    assertThat(account.view().periodCredit()).isEqualTo(amount("200"));
    assertThat(account.debitOne("scoring")).isInstanceOf(Debited.class);

    TokenAccount.CreditDecision again = account.credit(CreditKind.TOP_UP, "100", "razorpay:pay_29QQoUBi66xm2f");

    assertThat(again.events()).isEmpty();
    assertThat(again.credited().duplicate()).isTrue();
    assertThat(again.credited().entryId()).isEqualTo(3);
    assertThat(account.tokens().balance()).isEqualTo(amount("99.50"));
  }

  @Test
  void creditsMustBePositiveExactAndNamed() {
    Account account = new Account(ROOMY, "small");

    assertThat(account.credit(CreditKind.GRANT, "0", "g-1").rejection()).contains("positive");
    assertThat(account.credit(CreditKind.GRANT, "-5", "g-2").rejection()).contains("positive");
    assertThat(account.credit(CreditKind.GRANT, "1.001", "g-3").rejection()).contains("decimals");
    assertThat(account.credit(CreditKind.GRANT, "5", " ").rejection()).isEqualTo("reference is required");
    assertThat(account.journal).hasSize(2);
  }

  @Test
  void theDailyBurnLimitPausesAiUntilTheNextUtcDay() {
    Account account = new Account(CONFIGURED, "leados-starter"); // 8 tokens a day
    clock.set(Instant.parse("2026-03-14T23:00:00Z"));

    assertThat(account.debit(request("qualification-message"), request("qualification-message"),
            request("qualification-message"), request("persuasion-message"), request("scoring")).outcomes())
        .containsExactly(new Debited(2, amount("2"), amount("248")), new Debited(3, amount("2"), amount("246")),
            new Debited(4, amount("2"), amount("244")), new Refused(Refusal.DAILY_LIMIT_REACHED),
            new Refused(Refusal.AI_PAUSED));
    assertThat(account.view().pauseReason()).isEqualTo(PauseReason.DAILY_BURN_LIMIT);
    assertThat(account.view().burnToday()).isEqualTo(amount("6"));
    assertThat(account.credit(CreditKind.GRANT, "10", "g-1").events())
        .as("a credit does not lift the daily limit").hasSize(1);
    assertThat(account.view().aiPaused()).isTrue();

    clock.set(Instant.parse("2026-03-15T00:00:01Z"));
    assertThat(account.view().aiPaused()).as("seen as over before any command").isFalse();
    assertThat(account.view().burnToday()).isEqualTo(amount("0"));

    TokenAccount.DebitDecision nextDay = account.debit(request("scoring"));

    assertThat(nextDay.events().get(0)).isEqualTo(new AiResumed(TENANT, ResumeReason.NEW_DAY, clock.instant()));
    assertThat(nextDay.outcomes()).containsExactly(new Debited(6, amount("0.5"), amount("253.50")));
    assertThat(account.tokens().pausedFor()).isNull();
  }

  @Test
  void reachingTheDailyLimitExactlyPausesAfterTheDebit() {
    Account account = new Account(CONFIGURED, "leados-starter");

    TokenAccount.DebitDecision decision = account.debit(costing("8"), costing("0.1"));

    assertThat(decision.outcomes()).containsExactly(new Debited(2, amount("8"), amount("242")), new Refused(Refusal.AI_PAUSED));
    assertThat(ofType(decision.events(), AiPaused.class)).extracting(AiPaused::reason)
        .containsExactly(PauseReason.DAILY_BURN_LIMIT);
  }

  @Test
  void aBalancePauseOutlastsTheDay() {
    Account account = new Account(ROOMY, "small");
    account.debit(costing("100"));
    clock.advance(Duration.ofDays(1));

    assertThat(account.debitOne("scoring")).isEqualTo(new Refused(Refusal.AI_PAUSED));
    assertThat(account.view().pauseReason()).isEqualTo(PauseReason.BALANCE_EXHAUSTED);
  }

  @Test
  void renewalCreditsTheMonthResetsConsumptionAndAlertsAndResumesAi() {
    Account account = new Account(ROOMY, "small");
    account.debit(costing("99.5"), costing("1"));
    assertThat(account.view().pauseReason()).isEqualTo(PauseReason.BALANCE_EXHAUSTED);
    clock.set(Instant.parse("2026-04-01T00:00:05Z"));

    TokenAccount.CreditDecision renewal = account.renew(Instant.parse("2026-04-01T00:00:00Z"));

    assertThat(renewal.events()).containsExactly(
        new TokensCredited(TENANT, 3, CreditKind.RENEWAL, amount("100"), "renewal:2026-04-01", "engine",
            "monthly renewal of small", amount("100.50"), LocalDate.parse("2026-04-01"), clock.instant()),
        new AiResumed(TENANT, ResumeReason.PERIOD_RENEWED, clock.instant()));
    Tokens.TokenView view = account.view();
    assertThat(view.periodStart()).isEqualTo(LocalDate.parse("2026-04-01"));
    assertThat(view.balance()).isEqualTo(amount("100.50"));
    assertThat(view.periodCredit()).isEqualTo(amount("100.50"));
    assertThat(view.consumed()).isEqualTo(amount("0"));
    assertThat(view.alertsRaised()).isEmpty();
    assertThat(view.aiPaused()).isFalse();

    assertThat(account.renew(Instant.parse("2026-04-20T00:00:00Z")).credited().duplicate()).as("same month").isTrue();
    assertThat(account.renew(Instant.parse("2026-02-01T00:00:00Z")).rejection()).contains("already the current one");
    assertThat(account.tokens().balance()).isEqualTo(amount("100.50"));

    assertThat(ofType(account.debit(costing("50.25")).events(), TokenAlertRaised.class))
        .as("alerts again in the new period").extracting(TokenAlertRaised::level).containsExactly(50);
  }

  @Test
  void aRenewalCreditStartsTheClocksMonthWithTheTokensPaidFor() {
    Account account = new Account(ROOMY, "small");
    account.debit(costing("60"));

    assertThat(account.credit(CreditKind.RENEWAL, "300", "razorpay:sub_1:2026-03").rejection())
        .as("March is already the current period").contains("already the current one");

    clock.set(Instant.parse("2026-04-02T08:00:00Z"));
    TokenAccount.CreditDecision renewal = account.credit(CreditKind.RENEWAL, "300", "razorpay:sub_1:2026-04");

    assertThat(ofType(renewal.events(), TokensCredited.class).get(0).periodStart()).isEqualTo(LocalDate.parse("2026-04-01"));
    assertThat(account.view().balance()).isEqualTo(amount("340"));
    assertThat(account.view().consumed()).isEqualTo(amount("0"));
    assertThat(account.view().alertsRaised()).isEmpty();
    assertThat(account.renew(Instant.parse("2026-04-01T00:00:00Z")).rejection())
        .as("the scheduler's renewal of a month already renewed by payment").contains("already the current one");
  }

  @Test
  void aTenantCreatedBeforeTheTokenEconomyStartsWithItsPlansMonthlyTokens() {
    Tenant legacy = Tenant.empty().apply(
        new Tenant.TenantCreated(TENANT, "Acme Realty", "leados-pro", "IN", Instant.parse("2025-11-02T10:00:00Z")));

    assertThat(legacy.tokens()).isNull();
    assertThat(legacy.tokenView(CONFIGURED, clock).orElseThrow().balance()).isEqualTo(amount("750"));
    assertThat(legacy.decideDebits(List.of(request("telepathy")), CONFIGURED, clock).events())
        .as("a refusal persists nothing, not even the opening").isEmpty();

    TokenAccount.DebitDecision first = legacy.decideDebits(List.of(request("scoring")), CONFIGURED, clock);

    assertThat(first.events().get(0)).isEqualTo(
        new TokenAccountOpened(TENANT, 1, amount("750"), LocalDate.parse("2026-03-01"), START));
    assertThat(first.events().get(1)).isInstanceOf(TokensDebited.class);
    assertThat(first.outcomes()).containsExactly(new Debited(2, amount("0.5"), amount("749.50")));
    Tenant opened = legacy;
    for (Event event : first.events()) opened = opened.apply(event);
    assertThat(opened.tokens().balance()).isEqualTo(amount("749.50"));
  }

  @Test
  void anUnknownTenantRefusesDebitsAndCredits() {
    assertThat(Tenant.empty().decideDebits(List.of(request("scoring")), CONFIGURED, clock).outcomes())
        .containsExactly(new Refused(Refusal.UNKNOWN_TENANT));
    assertThat(Tenant.empty().decideCredit(
        new Tokens.Credit(CreditKind.GRANT, BigDecimal.TEN, "g-1", "operator", "x", null), CONFIGURED, clock).rejection())
        .isEqualTo("unknown tenant");
    assertThat(Tenant.empty().tokenView(CONFIGURED, clock)).isEmpty();
  }

  @Test
  void theConfiguredPlansAreThoseOfTheProductSpecification() {
    assertThat(CONFIGURED.planIds()).containsExactly("leados-starter", "agentos-starter", "leados-pro", "full-os");
    assertThat(Arrays.asList(
            CONFIGURED.plan("leados-starter"), CONFIGURED.plan("leados-pro"), CONFIGURED.plan("agentos-starter"),
            CONFIGURED.plan("full-os")))
        .containsExactly(
            new Plan("leados-starter", amount("250"), amount("8"), amount("500")),
            new Plan("leados-pro", amount("750"), amount("24"), amount("1500")),
            new Plan("agentos-starter", amount("400"), amount("13"), amount("800")),
            new Plan("full-os", amount("1000"), amount("32"), amount("2000")));
    assertThat(CONFIGURED.cost("inbound-whatsapp-message")).contains(amount("0.1"));
    assertThat(CONFIGURED.cost("cold-recovery")).contains(amount("2.5"));
    assertThat(CONFIGURED.alertThresholds()).containsExactly(50, 80, 100);
    assertThat(CONFIGURED.upgradeFrom("leados-pro")).contains("full-os");
    assertThat(CONFIGURED.upgradeFrom("full-os")).isEmpty();
  }
}
