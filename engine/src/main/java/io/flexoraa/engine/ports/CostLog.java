package io.flexoraa.engine.ports;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionStage;

/**
 * The cost log (PRODUCT §6): what serving a tenant cost us, kept per tenant so it can be reported per channel,
 * operation and day. The AI stage records each model call here and the edge each call it makes to another service;
 * outbound messages are recorded from their delivery statuses by a projection, not through this port.
 *
 * <p>Every record carries a {@code reference} that is unique per tenant and kind (the AI stage's call id, our
 * receipt number): recording the same reference again records nothing, so a retry after a lost answer is safe. The
 * log is insert-only; a wrong row is corrected by a later one, never edited.
 */
public interface CostLog {
  /** Money amounts have at most this many decimals (a model call can cost a few millionths of a dollar). */
  int MONEY_SCALE = 8;

  /** Records a model call; the stage completes with true when recorded now, false when its reference already was. */
  CompletionStage<Boolean> recordAiCall(AiCall call);

  /** Records a call to another service; true when recorded now, false when its reference already was. */
  CompletionStage<Boolean> recordExternalCall(ExternalCall call);

  /** How a call ended: answered as asked, or failed (refused, timed out, unreachable). */
  enum Outcome {
    OK,
    ERROR;

    /** The stored spelling: ok, error. */
    public String value() {
      return name().toLowerCase();
    }
  }

  /**
   * One model call: the rate-card {@code operation} it served (so it lines up with that operation's token debits),
   * the lead it was for (null when none), the model's vendor and name, the tokens the vendor counted, and its money
   * cost when the vendor's price is known ({@code cost} and {@code currency} both set or both null).
   */
  record AiCall(
      String tenantId, String reference, String leadId, String operation, String provider, String model,
      int promptTokens, int completionTokens, BigDecimal cost, String currency, Duration latency, Outcome outcome,
      Instant at) {
    public AiCall {
      required("tenantId", tenantId);
      required("reference", reference);
      required("operation", operation);
      required("provider", provider);
      required("model", model);
      if (promptTokens < 0 || completionTokens < 0) throw new IllegalArgumentException("token counts must be >= 0");
      money(cost, currency);
      timing(latency, outcome, at);
    }
  }

  /**
   * One call to another service: the service ({@code razorpay}), its own name for the call ({@code orders.create}),
   * how it ended and how long it took; {@code error} a short description safe to keep (no secrets, no personal data),
   * null when it succeeded.
   */
  record ExternalCall(
      String tenantId, String reference, String service, String operation, Outcome outcome, Duration latency,
      String error, Instant at) {
    public ExternalCall {
      required("tenantId", tenantId);
      required("reference", reference);
      required("service", service);
      required("operation", operation);
      timing(latency, outcome, at);
    }
  }

  private static void required(String field, String value) {
    if (value == null || value.isBlank()) throw new IllegalArgumentException(field + " is required");
  }

  private static void money(BigDecimal cost, String currency) {
    if ((cost == null) != (currency == null)) {
      throw new IllegalArgumentException("cost and currency go together: both set or both null");
    }
    if (cost == null) return;
    if (cost.signum() < 0) throw new IllegalArgumentException("cost must be >= 0");
    if (cost.stripTrailingZeros().scale() > MONEY_SCALE) {
      throw new IllegalArgumentException("cost has more than " + MONEY_SCALE + " decimals: " + cost.toPlainString());
    }
    if (!currency.matches("[A-Z]{3}")) {
      throw new IllegalArgumentException("currency must be an ISO 4217 code such as USD: " + currency);
    }
  }

  private static void timing(Duration latency, Outcome outcome, Instant at) {
    if (latency == null || latency.isNegative()) throw new IllegalArgumentException("latency must be >= 0");
    if (outcome == null) throw new IllegalArgumentException("outcome is required");
    if (at == null) throw new IllegalArgumentException("at is required");
  }
}
