package io.flexoraa.engine.ai;

import io.flexoraa.engine.limits.BackpressureMode;
import io.flexoraa.engine.ports.EngineMetrics;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.Scheduler;
import org.apache.pekko.pattern.CircuitBreaker;
import org.apache.pekko.pattern.CircuitBreakerOpenException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A paid provider (OpenAI) with the built-in engine behind it: every stage completes, whatever the primary does.
 * The primary is not asked at all while the node's backpressure mode forbids AI calls, when the engine is configured
 * template-only, or while its circuit breaker is open (after {@code maxFailures} failures in a row, for
 * {@code resetTimeout}, then one trial call). A primary call that fails — an error, a malformed answer, or no answer
 * within {@code callTimeout} (the breaker's own timer, so a slow provider never holds a reply) — is answered by the
 * fallback instead. The answer names who gave it ({@link Analysis#provider()}, {@link ReplyDraft#provider()}).
 *
 * <p>A holding reply (high-risk content, PRODUCT §5: "no AI answer") always comes from the fallback's approved
 * wording.
 */
public final class FallbackProvider implements AiProvider {
  private static final Logger log = LoggerFactory.getLogger(FallbackProvider.class);

  /**
   * @param templateOnly never ask the primary (an operator's switch: an outage, a bill, an audit)
   * @param maxFailures consecutive failures that open the breaker
   * @param callTimeout how long a primary call may take before the fallback answers (and the breaker counts a failure)
   * @param resetTimeout how long the breaker stays open before it lets one trial call through
   */
  public record Settings(boolean templateOnly, int maxFailures, Duration callTimeout, Duration resetTimeout) {
    public Settings {
      if (maxFailures < 1) throw new IllegalArgumentException("max-failures must be at least 1, was " + maxFailures);
      if (callTimeout.isNegative() || callTimeout.isZero()) throw new IllegalArgumentException("call-timeout must be positive");
      if (resetTimeout.isNegative() || resetTimeout.isZero()) throw new IllegalArgumentException("reset-timeout must be positive");
    }
  }

  private final AiProvider primary;
  private final AiProvider fallback;
  private final Settings settings;
  private final CircuitBreaker breaker;
  private final Supplier<BackpressureMode> backpressure;
  private final EngineMetrics metrics;

  /** {@code backpressure}: the node's current mode (its {@code BackpressureSignal}), read before every call. */
  public FallbackProvider(AiProvider primary, AiProvider fallback, Settings settings, Scheduler scheduler,
      Supplier<BackpressureMode> backpressure, EngineMetrics metrics) {
    this.primary = primary;
    this.fallback = fallback;
    this.settings = settings;
    this.backpressure = backpressure;
    this.metrics = metrics;
    this.breaker = CircuitBreaker.create(scheduler, settings.maxFailures(), settings.callTimeout(), settings.resetTimeout())
        .addOnOpenListener(() -> log.warn("AI provider {} failed {} times in a row: the built-in engine answers for {}",
            primary.name(), settings.maxFailures(), settings.resetTimeout()))
        .addOnHalfOpenListener(() -> log.info("AI provider {}: trying one call again", primary.name()))
        .addOnCloseListener(() -> log.info("AI provider {} answers again", primary.name()));
  }

  @Override
  public String name() {
    return primary.name() + "+" + fallback.name();
  }

  @Override
  public CompletionStage<Analysis> analyze(AnalysisRequest request, Call call) {
    String operation = call == null ? AiOperations.INTENT_CLASSIFICATION : call.operation();
    return attempt(operation, () -> primary.analyze(request, call), () -> fallback.analyze(request, call));
  }

  @Override
  public CompletionStage<ReplyDraft> compose(ReplyRequest request) {
    String operation = AiOperations.forReply(request.kind());
    if (request.kind() == ReplyRequest.Kind.HOLDING) return answerByFallback(operation, () -> fallback.compose(request));
    return attempt(operation, () -> primary.compose(request), () -> fallback.compose(request));
  }

  /** The breaker's state: closed (the primary is asked), open (it is not) or half-open (one trial call). */
  public String breakerState() {
    if (breaker.isOpen()) return "open";
    return breaker.isHalfOpen() ? "half-open" : "closed";
  }

  private <T> CompletionStage<T> attempt(
      String operation, Supplier<CompletionStage<T>> first, Supplier<CompletionStage<T>> second) {
    Optional<String> skipped = skipReason();
    if (skipped.isPresent()) {
      metrics.aiFallback(skipped.get());
      return answerByFallback(operation, second);
    }
    CompletionStage<T> answered;
    try {
      answered = breaker.callWithCircuitBreakerCS(first::get);
    } catch (RuntimeException thrownBeforeAnyStage) {
      answered = CompletableFuture.failedFuture(thrownBeforeAnyStage);
    }
    return answered.handle((value, failure) -> {
      if (failure == null) {
        metrics.aiCall(primary.name(), operation, "ok");
        return CompletableFuture.completedFuture(value);
      }
      String reason = reason(failure);
      if (!"breaker-open".equals(reason)) {
        metrics.aiCall(primary.name(), operation, reason);
        Throwable cause = unwrap(failure);
        log.warn("AI provider {} failed ({}) for {}: {}; the built-in engine answers", primary.name(), reason,
            operation, describe(cause));
      }
      metrics.aiFallback(reason);
      return answerByFallback(operation, second);
    }).thenCompose(Function.identity());
  }

  private <T> CompletionStage<T> answerByFallback(String operation, Supplier<CompletionStage<T>> second) {
    CompletionStage<T> answered;
    try {
      answered = second.get();
    } catch (RuntimeException thrownBeforeAnyStage) {
      answered = CompletableFuture.failedFuture(thrownBeforeAnyStage);
    }
    return answered.whenComplete((value, failure) ->
        metrics.aiCall(fallback.name(), operation, failure == null ? "ok" : "error"));
  }

  private Optional<String> skipReason() {
    if (settings.templateOnly()) return Optional.of("template-only");
    if (!backpressure.get().aiCallsAllowed()) return Optional.of("backpressure");
    return Optional.empty();
  }

  /** error, timeout, malformed or breaker-open: the metric's and the log's word for why the primary did not answer. */
  static String reason(Throwable failure) {
    Throwable cause = unwrap(failure);
    if (cause instanceof CircuitBreakerOpenException) return "breaker-open";
    if (cause instanceof MalformedAnswer) return "malformed";
    for (Throwable link = cause; link != null; link = link.getCause()) {
      if (link instanceof TimeoutException || link instanceof InterruptedIOException) return "timeout";
      if (link.getCause() == link) break;
    }
    return "error";
  }

  /** The failure's kind and the start of its message: providers' error texts name the problem, not the lead's words. */
  private static String describe(Throwable cause) {
    String message = cause.getMessage() == null ? "" : cause.getMessage().replaceAll("\\s+", " ");
    if (message.length() > 200) message = message.substring(0, 200) + "…";
    String kind = cause.getClass().getSimpleName().isEmpty() ? cause.getClass().getName() : cause.getClass().getSimpleName();
    return kind + (message.isEmpty() ? "" : ": " + message);
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof CompletionException && cause.getCause() != null) cause = cause.getCause();
    return cause;
  }
}
