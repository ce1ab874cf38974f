package io.flexoraa.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.flexoraa.engine.ai.AiOperations;
import io.flexoraa.engine.ai.AiProfile;
import io.flexoraa.engine.ai.AiProfiles;
import io.flexoraa.engine.ai.AiProvider;
import io.flexoraa.engine.ai.AnalysisRequest;
import io.flexoraa.engine.tenant.TokenBudget;
import io.flexoraa.engine.tenant.TokenDebits;
import io.flexoraa.engine.tenant.Tokens;
import io.flexoraa.http.Problems.InvalidInput;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RetryAfter;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * The analysis API: {@code POST …/ai/analyze {text, channel}} answers what the AI reads in one message, with the
 * values spelled as the lead's events and the evaluation spell them. It is an AI operation like any other: the
 * rate card's {@code intent-classification} is debited first, and a refused debit answers 402 (balance exhausted, AI
 * paused) or 429 (the day's burn limit, a burn spike) without analysing anything. Relative timelines count from
 * today in {@code flexoraa.ai.zone}; the tenant's competitors come from its AI profile.
 */
final class AiRoutes extends AllDirectives {
  static final List<String> CHANNELS = List.of("whatsapp", "instagram", "messenger", "email", "web_form", "sms");
  static final int MAX_TEXT = 4_000;

  private final AiProvider provider;
  private final AiProfiles profiles;
  private final TokenBudget tokens;
  private final ZoneId zone;
  private final Clock clock;

  AiRoutes(AiProvider provider, AiProfiles profiles, TokenBudget tokens, ZoneId zone, Clock clock) {
    this.provider = provider;
    this.profiles = profiles;
    this.tokens = tokens;
    this.zone = zone;
    this.clock = clock;
  }

  Map<Endpoint, ApiRouter.Handler> handlers() {
    Map<Endpoint, ApiRouter.Handler> handlers = new EnumMap<>(Endpoint.class);
    handlers.put(Endpoint.ANALYZE_MESSAGE, this::analyze);
    return handlers;
  }

  private Route analyze(ApiRouter.Call call) {
    return entity(Unmarshaller.entityToString(), raw -> {
      JsonNode body = Json.object(raw);
      String text = Json.requiredText(body, "text", MAX_TEXT);
      String channel = Json.optionalText(body, "channel", 16);
      if (channel != null && !CHANNELS.contains(channel)) {
        throw new InvalidInput("channel", "channel must be one of " + CHANNELS);
      }
      String tenantId = call.tenant().id();
      String reference = "analyze:" + UUID.randomUUID();
      LocalDate today = LocalDate.now(clock.withZone(zone));
      CompletionStage<HttpResponse> response = tokens
          .debit(tenantId, AiOperations.INTENT_CLASSIFICATION, null, reference)
          .thenCompose(outcome -> {
            if (outcome instanceof Tokens.Refused refused) {
              return CompletableFuture.completedFuture(refusal(refused.reason()));
            }
            return profiles.get(tenantId)
                .thenCompose(profile -> provider.analyze(
                    new AnalysisRequest(tenantId, text, channel,
                        profile.map(AiProfile::competitors).orElse(List.of()), today),
                    new AiProvider.Call(tenantId, null, reference, AiOperations.INTENT_CLASSIFICATION)))
                .thenApply(analysis -> Json.response(StatusCodes.OK, analysis.spelled()));
          })
          .exceptionally(AiRoutes::overloaded);
      return onSuccess(response, this::complete);
    });
  }

  /** What a refused debit means to the caller: pay (402), or wait (429). Nothing was analysed. */
  static HttpResponse refusal(Tokens.Refusal reason) {
    return switch (reason) {
      case INSUFFICIENT_BALANCE -> Problems.of(StatusCodes.PAYMENT_REQUIRED, "Tokens exhausted",
          "the tenant's token balance does not cover an analysis (intent-classification); top up to continue");
      case AI_PAUSED -> Problems.of(StatusCodes.PAYMENT_REQUIRED, "AI paused",
          "AI operations are paused for this tenant (balance exhausted or today's burn limit reached); see GET …/tokens");
      case DAILY_LIMIT_REACHED -> Problems.of(StatusCodes.TOO_MANY_REQUESTS, "Daily token limit reached",
          "today's token burn limit is reached; AI operations resume tomorrow or after a top-up");
      case HIGH_TOKEN_PAUSED -> Problems.of(StatusCodes.TOO_MANY_REQUESTS, "AI operations paused",
          "token burn is far above this tenant's usual rate; AI operations are paused for a while (see GET …/abuse)");
      case UNKNOWN_TENANT -> Problems.notFound("no such tenant");
      case UNKNOWN_OPERATION, INVALID_COST -> Problems.unavailable(
          "the rate card has no price for intent-classification; the operator must fix flexoraa.billing.rate-card");
    };
  }

  private static HttpResponse overloaded(Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    if (cause instanceof TokenDebits.Overloaded) {
      return Problems.of(StatusCodes.TOO_MANY_REQUESTS, "Too many requests",
          "too many of this tenant's AI operations are waiting; retry in a second").addHeader(RetryAfter.create(1L));
    }
    throw failure instanceof CompletionException completion ? completion : new CompletionException(failure);
  }
}
