package io.flexoraa.http.ai;

import com.openai.errors.OpenAIInvalidDataException;
import io.flexoraa.engine.ai.Analysis;
import io.flexoraa.engine.ai.MalformedAnswer;
import io.flexoraa.engine.ports.CostLog;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each OpenAI call to the cost log, answered or not: the tokens OpenAI counted and their money at the
 * configured per-model price. One row per call (the SDK's retries are inside it: a failed attempt returns no usage,
 * so nothing is lost by not writing attempts apart). A call with no tenant (an evaluation run) is not written. A
 * failure to write is logged and never fails the call: the lead's answer matters more than the bookkeeping.
 */
final class CostRecorder {
  private static final Logger log = LoggerFactory.getLogger(CostRecorder.class);

  private final CostLog costLog;
  private final OpenAiSettings settings;
  private final Clock clock;

  CostRecorder(CostLog costLog, OpenAiSettings settings, Clock clock) {
    this.costLog = costLog;
    this.settings = settings;
    this.clock = clock;
  }

  /** Who a call is for and what it is, as the cost log files it. */
  record Entry(String tenantId, String reference, String leadId, String operation, String model) {}

  /** The tokens OpenAI counted for a call. */
  record Usage(long prompt, long completion) {}

  /**
   * Sends one call, times it, writes it to the cost log whatever its end, then completes with what {@code read} makes
   * of the answer, or fails: with the call's failure, or with read's ({@link MalformedAnswer} when the answer is off
   * the API's own format). The answer's tokens are written even when it cannot be used: they were paid for.
   */
  <R, T> CompletionStage<T> call(Entry entry, Supplier<CompletableFuture<R>> send, Function<R, Usage> usage,
      Function<R, T> read) {
    long started = System.nanoTime();
    CompletableFuture<R> sent;
    try {
      sent = send.get();
    } catch (RuntimeException refusedBeforeSending) {
      sent = CompletableFuture.failedFuture(refusedBeforeSending);
    }
    return sent.handle((answer, failure) -> {
      Duration latency = Duration.ofNanos(System.nanoTime() - started);
      Usage counted = new Usage(0, 0);
      Throwable problem = failure;
      T value = null;
      if (answer != null) {
        try {
          counted = usage.apply(answer);
          value = read.apply(answer);
        } catch (OpenAIInvalidDataException offFormat) {
          problem = new MalformedAnswer("the answer does not follow the API's format");
        } catch (RuntimeException unusable) {
          problem = unusable;
        }
      }
      Throwable outcome = problem;
      T result = value;
      return record(entry, counted, latency, outcome == null).thenApply(recorded -> {
        if (outcome != null) throw outcome instanceof CompletionException c ? c : new CompletionException(outcome);
        return result;
      });
    }).thenCompose(Function.identity());
  }

  /** Completes when written (or given up on); never fails. */
  private CompletionStage<Void> record(Entry entry, Usage usage, Duration latency, boolean ok) {
    if (entry.tenantId() == null || entry.reference() == null || entry.reference().isBlank()) {
      return CompletableFuture.completedFuture(null);
    }
    BigDecimal cost = settings.price(entry.model()).map(price -> price.cost(usage.prompt(), usage.completion())).orElse(null);
    CostLog.AiCall call;
    try {
      call = new CostLog.AiCall(entry.tenantId(), entry.reference(), entry.leadId(), entry.operation(),
          Analysis.PROVIDER_OPENAI, entry.model(), Math.toIntExact(usage.prompt()), Math.toIntExact(usage.completion()),
          cost, cost == null ? null : "USD", latency, ok ? CostLog.Outcome.OK : CostLog.Outcome.ERROR, clock.instant());
    } catch (RuntimeException invalid) {
      log.warn("AI call {} not written to the cost log: {}", entry.reference(), invalid.getMessage());
      return CompletableFuture.completedFuture(null);
    }
    return costLog.recordAiCall(call).handle((recorded, failure) -> {
      if (failure != null) log.warn("AI call {} not written to the cost log: {}", entry.reference(), failure.toString());
      return null;
    });
  }
}
