package io.flexoraa.http;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.flexoraa.engine.limits.BackpressureMode;
import io.flexoraa.engine.limits.BackpressureSignal;
import io.flexoraa.engine.tenant.Billing;
import io.flexoraa.engine.tenant.TenantEntity;
import io.flexoraa.engine.tenant.Tokens;
import io.flexoraa.http.Problems.InvalidInput;
import io.flexoraa.persistence.readmodel.LeadViews.Page;
import io.flexoraa.persistence.readmodel.TokenQueries;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * The token account over HTTP: the balance as the Tenant entity has it, the ledger and the notifications from the
 * read models, and support grants by the platform operator (audited: the grant's event becomes a
 * {@code tokens.granted} entry of the tenant's audit trail).
 *
 * <p>Amounts are exact: responses give every amount as a decimal string with two places ({@code "249.50"}), so no
 * client ever parses a token count into a binary float; requests take a string or a JSON number, read from its text.
 */
final class TokenRoutes extends AllDirectives {
  private static final int MAX_LIMIT = 500;
  private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[A-Za-z0-9_.:-]{1,100}");
  /** JSON numbers as BigDecimal from their text: 0.1 stays 0.1. */
  private static final ObjectReader EXACT = Json.MAPPER.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private final ClusterSharding sharding;
  private final TokenQueries queries;
  private final Duration askTimeout;
  private final BigDecimal maxGrant;
  /** This node's backpressure mode: what AI does here now, shown beside the account's own pause. */
  private final BackpressureSignal backpressure;

  TokenRoutes(ActorSystem<?> system, TokenQueries queries, Duration askTimeout, BigDecimal maxGrant,
      BackpressureSignal backpressure) {
    this.backpressure = backpressure;
    this.sharding = ClusterSharding.get(system);
    this.queries = queries;
    this.askTimeout = askTimeout;
    this.maxGrant = maxGrant;
  }

  Map<Endpoint, ApiRouter.Handler> handlers() {
    Map<Endpoint, ApiRouter.Handler> handlers = new EnumMap<>(Endpoint.class);
    handlers.put(Endpoint.GET_TOKENS, call -> onSuccess(
        sharding.entityRefFor(TenantEntity.TYPE_KEY, call.tenant().id())
            .<Tokens.TokenView>askWithStatus(Tokens.GetTokens::new, askTimeout),
        view -> complete(Json.response(StatusCodes.OK, Balance.of(view, backpressure.mode())))));
    handlers.put(Endpoint.LIST_TOKEN_LEDGER, call -> Paging.paging(MAX_LIMIT, (limit, offset) ->
        onSuccess(queries.ledger(call.tenant().id(), limit, offset),
            page -> complete(Json.response(StatusCodes.OK, page(page, Entry::of))))));
    handlers.put(Endpoint.LIST_TOKEN_NOTIFICATIONS, call -> Paging.paging(MAX_LIMIT, (limit, offset) ->
        onSuccess(queries.notifications(call.tenant().id(), limit, offset),
            page -> complete(Json.response(StatusCodes.OK, page(page, Notification::of))))));
    handlers.put(Endpoint.GRANT_TOKENS, this::grant);
    return handlers;
  }

  /**
   * {@code {"tokens": "25.50", "reason": "..."}}. An {@code Idempotency-Key} header makes a retried grant credit
   * once (the reference is {@code grant:<key>}); without one every request is a new grant.
   */
  private Route grant(ApiRouter.Call call) {
    return optionalHeaderValueByName("Idempotency-Key", key -> entity(Unmarshaller.entityToString(), raw -> {
      JsonNode body = exactObject(raw);
      BigDecimal tokens = tokens(body, "tokens");
      String reason = Json.requiredText(body, "reason", 500);
      String reference = "grant:" + key.map(value -> Json.matching("Idempotency-Key", value.trim(), IDEMPOTENCY_KEY,
              "must be 1 to 100 letters, digits or . _ : -"))
          .orElseGet(() -> UUID.randomUUID().toString());
      CompletionStage<Tokens.Credited> credited = sharding.entityRefFor(TenantEntity.TYPE_KEY, call.tenant().id())
          .askWithStatus(replyTo -> new Tokens.Credit(Tokens.CreditKind.GRANT, tokens, reference,
              call.principal().actor(), reason, replyTo), askTimeout);
      return onSuccess(credited, result -> complete(Json.response(
          result.duplicate() ? StatusCodes.OK : StatusCodes.CREATED, Grant.of(result, reference))));
    }));
  }

  private BigDecimal tokens(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) throw new InvalidInput(field, field + " is required");
    BigDecimal amount;
    try {
      if (value.isTextual()) amount = new BigDecimal(value.asText().trim());
      else if (value.isNumber()) amount = value.decimalValue();
      else throw new InvalidInput(field, field + " must be a decimal string such as \"25.50\"");
    } catch (NumberFormatException e) {
      throw new InvalidInput(field, field + " must be a decimal string such as \"25.50\"");
    }
    Optional<BigDecimal> exact = Billing.exact(amount).filter(tokens -> tokens.signum() > 0);
    if (exact.isEmpty()) {
      throw new InvalidInput(field, field + " must be positive with at most " + Billing.SCALE + " decimals");
    }
    if (exact.get().compareTo(maxGrant) > 0) {
      throw new InvalidInput(field, field + " must be at most " + maxGrant.toPlainString() + " per grant");
    }
    return exact.get();
  }

  private static JsonNode exactObject(String raw) {
    JsonNode node;
    try {
      node = EXACT.readTree(raw);
    } catch (Exception e) {
      throw new InvalidInput("body", "request body is not valid JSON");
    }
    if (node == null || !node.isObject()) throw new InvalidInput("body", "request body must be a JSON object");
    return node;
  }

  private static <R, V> Page<V> page(Page<R> rows, java.util.function.Function<R, V> view) {
    return new Page<>(rows.items().stream().map(view).toList(), rows.total());
  }

  /** Two decimal places, never an exponent. */
  static String amount(BigDecimal value) {
    return value == null ? null : value.setScale(Billing.SCALE, java.math.RoundingMode.UNNECESSARY).toPlainString();
  }

  // ---- what the API returns ----

  record Balance(
      String plan, String balance, LocalDate periodStart, String monthlyTokens, String periodCredit, String consumed,
      LocalDate day, String burnToday, String dailyBurnLimit, boolean aiPaused, String pauseReason,
      List<Integer> alertsRaised, long ledgerPosition, String aiMode) {
    /**
     * {@code aiMode}: {@code paused} while the account pauses AI, else this node's backpressure mode
     * ({@code normal}, {@code defer-analytics}, {@code default-persuasion}, {@code template-only}).
     */
    static Balance of(Tokens.TokenView view, BackpressureMode mode) {
      return new Balance(view.plan(), amount(view.balance()), view.periodStart(), amount(view.monthlyTokens()),
          amount(view.periodCredit()), amount(view.consumed()), view.day(), amount(view.burnToday()),
          amount(view.dailyBurnLimit()), view.aiPaused(),
          view.pauseReason() == null ? null : view.pauseReason().name().toLowerCase().replace('_', '-'),
          view.alertsRaised(), view.ledgerPosition(), view.aiPaused() ? "paused" : mode.id());
    }
  }

  record Entry(
      long entryId, Instant at, String kind, String operation, String tokens, String leadId, String reference,
      String balanceAfter, String actor, String reason) {
    static Entry of(TokenQueries.LedgerRow row) {
      return new Entry(row.entryId(), row.at(), row.kind(), row.operation(), amount(row.tokens()), row.leadId(),
          row.reference(), amount(row.balanceAfter()), row.actor(), row.reason());
    }
  }

  record Notification(long id, Instant at, String kind, String level, String message, Instant readAt) {
    static Notification of(TokenQueries.NotificationRow row) {
      return new Notification(row.id(), row.at(), row.kind(), row.level(), row.message(), row.readAt());
    }
  }

  record Grant(long entryId, String tokens, String balanceAfter, String reference, boolean duplicate) {
    static Grant of(Tokens.Credited credited, String reference) {
      return new Grant(credited.entryId(), amount(Billing.exact(credited.tokens()).orElse(credited.tokens())),
          amount(credited.balanceAfter()), reference, credited.duplicate());
    }
  }
}
