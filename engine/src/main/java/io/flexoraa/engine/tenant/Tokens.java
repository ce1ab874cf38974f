package io.flexoraa.engine.tenant;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.flexoraa.engine.CborSerializable;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;

/**
 * The token economy's messages (PRODUCT §6): the commands a {@link Tenant} takes for its token account, the events
 * it persists and its replies. The rules are in {@link TokenAccount}. Every amount is a {@link BigDecimal} at
 * {@link Billing#SCALE} decimals.
 *
 * <p>Debits arrive in batches ({@link DebitBatch}, assembled per node by {@link TokenDebits}) and one batch persists
 * one {@link TokensDebited} whatever its size. A refusal only says "no AI spend": the caller still stores the
 * inbound message and routes the lead to a person.
 */
public final class Tokens {
  private Tokens() {}

  // ---- commands ----

  /** Spends tokens on one operation: {@code cost} when given, else the rate card's cost of {@code operation}. */
  public record Debit(String operation, BigDecimal cost, String leadId, String reference, ActorRef<DebitOutcome> replyTo)
      implements Tenant.Command {
    public DebitRequest request() {
      return new DebitRequest(operation, cost, leadId, reference);
    }
  }

  /** Many debits decided in order on one running balance; one reply with an outcome per request, in order. */
  public record DebitBatch(List<DebitRequest> requests, ActorRef<DebitBatchResult> replyTo) implements Tenant.Command {
    public DebitBatch {
      requests = List.copyOf(requests);
    }
  }

  /**
   * Adds tokens. Idempotent on {@code reference} (a payment id, a grant's idempotency key): a repeat credits nothing
   * and is answered as a duplicate. A {@link CreditKind#RENEWAL} also starts the period of the current month.
   */
  public record Credit(
      CreditKind kind, BigDecimal tokens, String reference, String actor, String reason,
      ActorRef<StatusReply<Credited>> replyTo) implements Tenant.Command {}

  /**
   * Starts the month of {@code at} (UTC) as a new period: credits the plan's monthly tokens, resets consumption and
   * alerts. A month already renewed is answered as a duplicate; a month not after the current period is an error.
   */
  public record RenewPeriod(Instant at, ActorRef<StatusReply<Credited>> replyTo) implements Tenant.Command {}

  public record GetTokens(ActorRef<StatusReply<TokenView>> replyTo) implements Tenant.Command {}

  // ---- values ----

  /** {@code cost} null: the rate card's. {@code leadId} and {@code reference} (what was paid for) are optional. */
  public record DebitRequest(String operation, BigDecimal cost, String leadId, String reference)
      implements CborSerializable {}

  public enum CreditKind {
    GRANT,
    TOP_UP,
    RENEWAL
  }

  public enum Refusal {
    INSUFFICIENT_BALANCE,
    AI_PAUSED,
    DAILY_LIMIT_REACHED,
    /** Neither a cost nor an operation on the rate card. */
    UNKNOWN_OPERATION,
    /** A cost that is not positive or has more decimals than the ledger keeps. */
    INVALID_COST,
    UNKNOWN_TENANT,
    /** A high-token operation during a burn spike (abuse protection). */
    HIGH_TOKEN_PAUSED
  }

  public enum PauseReason {
    BALANCE_EXHAUSTED,
    DAILY_BURN_LIMIT
  }

  public enum ResumeReason {
    TOKENS_CREDITED,
    PERIOD_RENEWED,
    NEW_DAY
  }

  /** One accepted debit: its ledger position, what it paid for, and the balance right after it. */
  public record LedgerEntry(
      long entryId, String operation, BigDecimal cost, String leadId, String reference, BigDecimal balanceAfter)
      implements CborSerializable {}

  // ---- replies ----

  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
  @JsonSubTypes({
    @JsonSubTypes.Type(value = Debited.class, name = "debited"),
    @JsonSubTypes.Type(value = Refused.class, name = "refused")
  })
  public sealed interface DebitOutcome extends CborSerializable {}

  public record Debited(long entryId, BigDecimal cost, BigDecimal balanceAfter) implements DebitOutcome {}

  public record Refused(Refusal reason) implements DebitOutcome {}

  public record DebitBatchResult(List<DebitOutcome> outcomes) implements CborSerializable {
    public DebitBatchResult {
      outcomes = List.copyOf(outcomes);
    }
  }

  /** {@code duplicate}: the reference was credited before; nothing changed, {@code balanceAfter} is the balance now. */
  public record Credited(long entryId, CreditKind kind, BigDecimal tokens, BigDecimal balanceAfter, boolean duplicate)
      implements CborSerializable {}

  /** The account as the API shows it, as of the instant it was asked (today's burn is today's). */
  public record TokenView(
      String plan, BigDecimal balance, LocalDate periodStart, BigDecimal monthlyTokens, BigDecimal periodCredit,
      BigDecimal consumed, LocalDate day, BigDecimal burnToday, BigDecimal dailyBurnLimit, boolean aiPaused,
      PauseReason pauseReason, List<Integer> alertsRaised, long ledgerPosition) implements CborSerializable {
    public TokenView {
      alertsRaised = List.copyOf(alertsRaised);
    }
  }

  // ---- events ----

  /**
   * The account's first period: the plan's monthly tokens, ledger entry 1. New tenants persist it with
   * {@link Tenant.TenantCreated}; tenants created before the token economy get it with their first token command.
   */
  public record TokenAccountOpened(String tenantId, long entryId, BigDecimal tokens, LocalDate periodStart, Instant at)
      implements Tenant.Event {}

  /** The accepted debits of one batch, in order; {@code at} decides the UTC day they burn. */
  public record TokensDebited(String tenantId, List<LedgerEntry> entries, Instant at) implements Tenant.Event {
    public TokensDebited {
      entries = List.copyOf(entries);
    }

    /** What the batch debited in all. */
    public BigDecimal total() {
      BigDecimal sum = Billing.zero();
      for (LedgerEntry entry : entries) sum = sum.add(entry.cost());
      return sum;
    }
  }

  /** {@code periodStart} is set for a renewal only: the first day of the period it starts. */
  public record TokensCredited(
      String tenantId, long entryId, CreditKind kind, BigDecimal tokens, String reference, String actor,
      String reason, BigDecimal balanceAfter, LocalDate periodStart, Instant at) implements Tenant.Event {}

  /**
   * {@code level} percent of the period's credit is consumed (once per level and period). {@code upgradeTo}: the
   * plan an alert at or above the upgrade threshold offers, if there is a bigger one.
   */
  public record TokenAlertRaised(
      String tenantId, int level, BigDecimal consumed, BigDecimal periodCredit, String upgradeTo, Instant at)
      implements Tenant.Event {}

  /** No more AI spend until a credit, a renewal or (for the daily limit) the next UTC day. */
  public record AiPaused(String tenantId, PauseReason reason, BigDecimal balance, BigDecimal burnToday, Instant at)
      implements Tenant.Event {}

  public record AiResumed(String tenantId, ResumeReason reason, Instant at) implements Tenant.Event {}
}
