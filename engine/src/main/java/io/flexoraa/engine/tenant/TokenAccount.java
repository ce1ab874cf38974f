package io.flexoraa.engine.tenant;

import io.flexoraa.engine.CborSerializable;
import io.flexoraa.engine.tenant.Billing.Plan;
import io.flexoraa.engine.tenant.Tokens.AiPaused;
import io.flexoraa.engine.tenant.Tokens.AiResumed;
import io.flexoraa.engine.tenant.Tokens.CreditKind;
import io.flexoraa.engine.tenant.Tokens.Credited;
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
import io.flexoraa.engine.tenant.Tokens.TokenView;
import io.flexoraa.engine.tenant.Tokens.TokensCredited;
import io.flexoraa.engine.tenant.Tokens.TokensDebited;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A tenant's token account and its rules, free of actors and I/O: {@code decide*} turns commands into events and
 * replies, {@link #apply} folds an event in. Time comes from the caller's clock; days and months are UTC.
 *
 * <ul>
 *   <li>The balance never goes negative: a debit is accepted only when it fits, exactly (BigDecimal, 2 decimals).
 *   <li>A period is a calendar month. Its credit is what it started with plus what was credited during it, so
 *       {@code balance == periodCredit - consumed} holds within a period. Alerts fire once per threshold per period.
 *   <li>AI pauses when the balance cannot pay a debit (or reaches 0), and when a debit would pass the plan's daily
 *       burn limit (or reaches it). While paused every debit is refused. A credit that leaves a positive balance, or
 *       a renewal, ends a balance pause; the next UTC day ends a daily-limit pause, decided on the next command.
 * </ul>
 */
public record TokenAccount(
    BigDecimal balance, LocalDate periodStart, BigDecimal periodCredit, BigDecimal consumed, LocalDate burnDay,
    BigDecimal burnToday, List<Integer> alertsRaised, PauseReason pausedFor, LocalDate pausedOn, long ledgerPosition,
    Map<String, Long> creditReferences) implements CborSerializable {

  public TokenAccount {
    alertsRaised = List.copyOf(new TreeSet<>(alertsRaised == null ? List.of() : alertsRaised));
    // credits are a handful a month: every reference is kept, so a payment is credited once however late it repeats
    creditReferences = Map.copyOf(creditReferences == null ? Map.of() : creditReferences);
  }

  /** The account a plan opens with: its monthly tokens as ledger entry 1, the month of {@code at} as first period. */
  public static TokenAccountOpened opening(String tenantId, Plan plan, Instant at) {
    return new TokenAccountOpened(tenantId, 1, plan.monthlyTokens(), monthOf(at), at);
  }

  static TokenAccount opened(TokenAccountOpened opened) {
    return new TokenAccount(opened.tokens(), opened.periodStart(), opened.tokens(), Billing.zero(), null,
        Billing.zero(), List.of(), null, null, opened.entryId(), Map.of());
  }

  /** What a batch of debits amounts to: the events to persist (none when nothing changed), an outcome per request. */
  public record DebitDecision(List<Tenant.Event> events, List<DebitOutcome> outcomes) {
    public DebitDecision {
      events = List.copyOf(events);
      outcomes = List.copyOf(outcomes);
    }
  }

  /** What a credit amounts to: events and the reply, or a rejection that persists nothing. */
  public record CreditDecision(List<Tenant.Event> events, Credited credited, String rejection) {
    public CreditDecision {
      events = List.copyOf(events);
    }

    static CreditDecision rejected(String reason) {
      return new CreditDecision(List.of(), null, reason);
    }
  }

  // ---- decisions ----

  /**
   * Decides each request in order on one running balance. Accepted debits become one {@link TokensDebited}; crossing
   * a threshold adds {@link TokenAlertRaised}; a pause adds {@link AiPaused}, after which the rest are refused.
   */
  public DebitDecision decideDebits(String tenantId, Plan plan, List<DebitRequest> requests, Billing billing, Clock clock) {
    return decideDebits(tenantId, plan, requests, billing, java.util.Set.of(), clock);
  }

  /** As above, refusing the {@code refusedOperations} (the high-token ones during a burn spike) outright. */
  public DebitDecision decideDebits(
      String tenantId, Plan plan, List<DebitRequest> requests, Billing billing, java.util.Set<String> refusedOperations,
      Clock clock) {
    Instant now = clock.instant();
    LocalDate today = dayOf(now);
    List<Tenant.Event> events = new ArrayList<>();
    TokenAccount account = resumeOnNewDay(tenantId, now, events);

    BigDecimal balance = account.balance;
    BigDecimal burn = account.burnOn(today);
    BigDecimal spent = Billing.zero();
    long position = account.ledgerPosition;
    PauseReason pause = account.pausedFor;
    List<LedgerEntry> entries = new ArrayList<>();
    List<DebitOutcome> outcomes = new ArrayList<>(requests.size());
    for (DebitRequest request : requests) {
      Optional<Refusal> invalid = validate(request, billing);
      if (invalid.isPresent()) {
        outcomes.add(new Refused(invalid.get()));
        continue;
      }
      BigDecimal cost = costOf(request, billing);
      if (refusedOperations.contains(request.operation())) {
        outcomes.add(new Refused(Refusal.HIGH_TOKEN_PAUSED));
      } else if (pause != null) {
        outcomes.add(new Refused(Refusal.AI_PAUSED));
      } else if (balance.compareTo(cost) < 0) {
        pause = PauseReason.BALANCE_EXHAUSTED;
        outcomes.add(new Refused(Refusal.INSUFFICIENT_BALANCE));
      } else if (burn.add(cost).compareTo(plan.dailyBurnLimit()) > 0) {
        pause = PauseReason.DAILY_BURN_LIMIT;
        outcomes.add(new Refused(Refusal.DAILY_LIMIT_REACHED));
      } else {
        balance = balance.subtract(cost);
        burn = burn.add(cost);
        spent = spent.add(cost);
        position++;
        entries.add(new LedgerEntry(position, request.operation(), cost, request.leadId(), request.reference(), balance));
        outcomes.add(new Debited(position, cost, balance));
        if (balance.signum() == 0) {
          pause = PauseReason.BALANCE_EXHAUSTED;
        } else if (burn.compareTo(plan.dailyBurnLimit()) >= 0) {
          pause = PauseReason.DAILY_BURN_LIMIT;
        }
      }
    }
    if (!entries.isEmpty()) events.add(new TokensDebited(tenantId, entries, now));
    if (!entries.isEmpty() || pause != account.pausedFor) {
      events.addAll(account.alertsFor(tenantId, plan, account.consumed.add(spent),
          pause == PauseReason.BALANCE_EXHAUSTED, billing, now));
    }
    if (pause != account.pausedFor) events.add(new AiPaused(tenantId, pause, balance, burn, now));
    return new DebitDecision(events, outcomes);
  }

  /**
   * A grant, top-up or renewal. Repeating a reference changes nothing. A renewal starts {@code renewalPeriod} (the
   * first day of a month), which must come after the current period.
   */
  public CreditDecision decideCredit(
      String tenantId, CreditKind kind, BigDecimal tokens, String reference, String actor, String reason,
      LocalDate renewalPeriod, Clock clock) {
    if (kind == null) return CreditDecision.rejected("kind is required");
    if (reference == null || reference.isBlank()) return CreditDecision.rejected("reference is required");
    if (actor == null || actor.isBlank()) return CreditDecision.rejected("actor is required");
    Long known = creditReferences.get(reference);
    if (known != null) return new CreditDecision(List.of(), new Credited(known, kind, tokens, balance, true), null);
    Optional<BigDecimal> amount = Billing.exact(tokens).filter(value -> value.signum() > 0);
    if (amount.isEmpty()) {
      return CreditDecision.rejected("tokens must be positive with at most " + Billing.SCALE + " decimals");
    }
    LocalDate startsPeriod = null;
    if (kind == CreditKind.RENEWAL) {
      if (renewalPeriod == null || !renewalPeriod.isAfter(periodStart)) {
        return CreditDecision.rejected("the period starting " + periodStart + " is already the current one");
      }
      startsPeriod = renewalPeriod;
    }
    Instant now = clock.instant();
    List<Tenant.Event> events = new ArrayList<>();
    TokenAccount account = resumeOnNewDay(tenantId, now, events);
    long entryId = account.ledgerPosition + 1;
    BigDecimal balanceAfter = account.balance.add(amount.get());
    events.add(new TokensCredited(tenantId, entryId, kind, amount.get(), reference, actor, reason, balanceAfter,
        startsPeriod, now));
    if (account.pausedFor == PauseReason.BALANCE_EXHAUSTED && balanceAfter.signum() > 0) {
      events.add(new AiResumed(tenantId,
          kind == CreditKind.RENEWAL ? ResumeReason.PERIOD_RENEWED : ResumeReason.TOKENS_CREDITED, now));
    }
    return new CreditDecision(events, new Credited(entryId, kind, amount.get(), balanceAfter, false), null);
  }

  /** The plan's monthly tokens as a renewal starting the month of {@code at}; a repeat for that month is a duplicate. */
  public CreditDecision decideRenewal(String tenantId, Plan plan, Instant at, Clock clock) {
    LocalDate period = monthOf(at);
    return decideCredit(tenantId, CreditKind.RENEWAL, plan.monthlyTokens(), renewalReference(period), "engine",
        "monthly renewal of " + plan.id(), period, clock);
  }

  public static String renewalReference(LocalDate period) {
    return "renewal:" + period;
  }

  /** A daily-limit pause from an earlier UTC day ends now: the event goes first in {@code events}. */
  private TokenAccount resumeOnNewDay(String tenantId, Instant now, List<Tenant.Event> events) {
    if (pausedFor != PauseReason.DAILY_BURN_LIMIT || !dayOf(now).isAfter(pausedOn)) return this;
    AiResumed resumed = new AiResumed(tenantId, ResumeReason.NEW_DAY, now);
    events.add(resumed);
    return apply(resumed);
  }

  /**
   * Thresholds newly reached at {@code consumedAfter}; an exhausted balance reaches them all, whatever the
   * percentage (the last debit may simply not fit).
   */
  private List<Tenant.Event> alertsFor(
      String tenantId, Plan plan, BigDecimal consumedAfter, boolean exhausted, Billing billing, Instant now) {
    List<Tenant.Event> alerts = new ArrayList<>();
    for (int level : billing.alertThresholds()) {
      if (alertsRaised.contains(level)) continue;
      boolean reached = exhausted || (periodCredit.signum() > 0
          && consumedAfter.multiply(BigDecimal.valueOf(Billing.FULL))
              .compareTo(periodCredit.multiply(BigDecimal.valueOf(level))) >= 0);
      if (!reached) continue;
      String upgrade = level >= billing.upgradeOfferFrom() ? billing.upgradeFrom(plan.id()).orElse(null) : null;
      alerts.add(new TokenAlertRaised(tenantId, level, consumedAfter, periodCredit, upgrade, now));
    }
    return alerts;
  }

  private static Optional<Refusal> validate(DebitRequest request, Billing billing) {
    if (request.cost() == null) {
      return billing.cost(request.operation()).isPresent() ? Optional.empty() : Optional.of(Refusal.UNKNOWN_OPERATION);
    }
    if (request.operation() == null || request.operation().isBlank()) return Optional.of(Refusal.UNKNOWN_OPERATION);
    return Billing.exact(request.cost()).filter(cost -> cost.signum() > 0).isPresent()
        ? Optional.empty()
        : Optional.of(Refusal.INVALID_COST);
  }

  private static BigDecimal costOf(DebitRequest request, Billing billing) {
    return request.cost() != null
        ? Billing.exact(request.cost()).orElseThrow()
        : billing.cost(request.operation()).orElseThrow();
  }

  // ---- evolution ----

  public TokenAccount apply(Tenant.Event event) {
    if (event instanceof TokensDebited debited) {
      BigDecimal sum = debited.total();
      LedgerEntry last = debited.entries().get(debited.entries().size() - 1);
      LocalDate day = dayOf(debited.at());
      return new TokenAccount(balance.subtract(sum), periodStart, periodCredit, consumed.add(sum), day,
          burnOn(day).add(sum), alertsRaised, pausedFor, pausedOn, last.entryId(), creditReferences);
    }
    if (event instanceof TokensCredited credited) {
      Map<String, Long> references = new HashMap<>(creditReferences);
      references.put(credited.reference(), credited.entryId());
      BigDecimal balanceAfter = balance.add(credited.tokens());
      if (credited.periodStart() != null) {
        return new TokenAccount(balanceAfter, credited.periodStart(), balanceAfter, Billing.zero(), burnDay, burnToday,
            List.of(), pausedFor, pausedOn, credited.entryId(), references);
      }
      return new TokenAccount(balanceAfter, periodStart, periodCredit.add(credited.tokens()), consumed, burnDay,
          burnToday, alertsRaised, pausedFor, pausedOn, credited.entryId(), references);
    }
    if (event instanceof TokenAlertRaised alert) {
      List<Integer> raised = new ArrayList<>(alertsRaised);
      raised.add(alert.level());
      return new TokenAccount(balance, periodStart, periodCredit, consumed, burnDay, burnToday, raised, pausedFor,
          pausedOn, ledgerPosition, creditReferences);
    }
    if (event instanceof AiPaused paused) {
      return new TokenAccount(balance, periodStart, periodCredit, consumed, burnDay, burnToday, alertsRaised,
          paused.reason(), dayOf(paused.at()), ledgerPosition, creditReferences);
    }
    if (event instanceof AiResumed) {
      return new TokenAccount(balance, periodStart, periodCredit, consumed, burnDay, burnToday, alertsRaised, null,
          null, ledgerPosition, creditReferences);
    }
    if (event instanceof TokenAccountOpened opened) return opened(opened);
    return this;
  }

  // ---- queries ----

  /** What was burnt on {@code day}: nothing yet when the last debit was on another day. */
  BigDecimal burnOn(LocalDate day) {
    return day.equals(burnDay) ? burnToday : Billing.zero();
  }

  /** Paused as of {@code day}: a daily-limit pause from an earlier day is over even before an event says so. */
  PauseReason pausedAsOf(LocalDate day) {
    return pausedFor == PauseReason.DAILY_BURN_LIMIT && day.isAfter(pausedOn) ? null : pausedFor;
  }

  public TokenView view(Plan plan, Clock clock) {
    LocalDate today = dayOf(clock.instant());
    PauseReason pause = pausedAsOf(today);
    return new TokenView(plan.id(), balance, periodStart, plan.monthlyTokens(), periodCredit, consumed, today,
        burnOn(today), plan.dailyBurnLimit(), pause != null, pause, alertsRaised, ledgerPosition);
  }

  static LocalDate dayOf(Instant at) {
    return LocalDate.ofInstant(at, ZoneOffset.UTC);
  }

  static LocalDate monthOf(Instant at) {
    return dayOf(at).withDayOfMonth(1);
  }
}
