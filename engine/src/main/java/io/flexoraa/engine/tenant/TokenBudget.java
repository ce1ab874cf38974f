package io.flexoraa.engine.tenant;

import io.flexoraa.engine.tenant.Tokens.DebitOutcome;
import java.math.BigDecimal;
import java.util.concurrent.CompletionStage;

/**
 * What the rest of the engine calls before it spends tokens (an AI call, a scored lead, an outbound message): the
 * outcome says whether the spend may happen. A {@link Tokens.Refused} means "no AI spend" only — inbound messages
 * are still stored and leads still routed to people; that is the caller's business. A failed stage (timeout,
 * overload) means the outcome is unknown: the debit may or may not have been made.
 */
public interface TokenBudget {

  /** Debits the rate card's cost of {@code operation}. {@code leadId} and {@code reference} may be null. */
  CompletionStage<DebitOutcome> debit(String tenantId, String operation, String leadId, String reference);

  /** Debits an explicit {@code cost} (positive, at most two decimals), recorded under {@code operation}. */
  CompletionStage<DebitOutcome> debit(String tenantId, String operation, BigDecimal cost, String leadId, String reference);
}
