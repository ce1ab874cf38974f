package io.flexoraa.http.meta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flexoraa.engine.ports.ChannelCredentials;
import io.flexoraa.engine.ports.MetaAccountProbe;
import io.flexoraa.engine.ports.MetaSender;
import io.flexoraa.persistence.LruCache;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Meta's Graph API over {@link java.net.http.HttpClient} (Meta publishes no Java SDK for the Cloud API): sends
 * messages on WhatsApp, Instagram and Messenger with each account's own access token, and asks whether an account is
 * healthy again.
 *
 * <p><b>No duplicate sends.</b> A request is repeated only when Meta certainly did not take it: it answered with an
 * error (5xx, 429, or a throughput or temporary Graph code), or the connection failed before the request went out
 * (refused, connect time-out). A request that went out and got no answer (a time-out, a connection lost) may have been
 * delivered, so it is not repeated: the result is {@code SERVER_ERROR} with a detail saying so, and callers must not
 * resend. Results that are, or may be, a delivered message are remembered per message id (bounded, least recently
 * used first out), and calls for the same id while one is on its way share it: a repeated call answers with the first
 * result and makes no request. Refusals are not remembered, so the caller may send the same id again later (after a
 * pair-rate wait, say). The memory is this node's: the outbound flow sends one message from one place (its entity),
 * which is what makes a node-local memory enough.
 *
 * <p>Retries back off exponentially with full jitter (a random wait between zero and the capped exponential), so
 * senders throttled together do not come back together.
 */
public final class GraphApiClient implements MetaSender, MetaAccountProbe {
  private static final Logger log = LoggerFactory.getLogger(GraphApiClient.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  /** WhatsApp phone-number statuses under which the number can send again (FLAGGED: low quality, still sending). */
  private static final Set<String> SENDING_STATUSES = Set.of("CONNECTED", "FLAGGED");
  /** Statuses of a number that cannot send until Meta lifts something. */
  private static final Set<String> RESTRICTED_STATUSES =
      Set.of("RESTRICTED", "BANNED", "DISCONNECTED", "DELETED", "RATE_LIMITED", "OFFLINE", "PAUSED");
  /** Probe answers that say the account itself is blocked: 131031 (WhatsApp: account locked), 368 (policy block). */
  private static final Set<Integer> ACCOUNT_BLOCKED_CODES = Set.of(131031, 368);

  /** Where each request's outcome and latency go (EdgeMetrics in the engine). */
  @FunctionalInterface
  public interface Metrics {
    /** {@code operation}: send or probe; {@code outcome}: what that one HTTP request ended in. */
    void request(String channel, String operation, String outcome, long nanos);
  }

  private final GraphSettings settings;
  private final ChannelCredentials credentials;
  private final Metrics metrics;
  private final HttpClient http;
  private final LruCache<String, SendResult> remembered;
  private final Map<String, CompletableFuture<SendResult>> inFlight = new ConcurrentHashMap<>();

  public GraphApiClient(GraphSettings settings, ChannelCredentials credentials, Metrics metrics) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.http = HttpClient.newBuilder()
        .connectTimeout(settings.connectTimeout())
        // HTTP/2 over TLS to Meta; plain HTTP/1.1 to a local stub, without an h2c upgrade dance
        .version("https".equals(settings.baseUrl().getScheme()) ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
    this.remembered = new LruCache<>(settings.rememberedSends());
  }

  // ---- sending ----

  @Override
  public CompletionStage<SendResult> send(OutboundSend send) {
    String messageId = send.messageId();
    if (messageId == null || messageId.isBlank()) {
      return CompletableFuture.completedFuture(refusedHere("a message id is required"));
    }
    SendResult first = remembered.get(messageId);
    if (first != null) return CompletableFuture.completedFuture(first);
    CompletableFuture<SendResult> mine = new CompletableFuture<>();
    CompletableFuture<SendResult> running = inFlight.putIfAbsent(messageId, mine);
    if (running != null) return running;
    // a send of the same id may have finished between the look-up and the claim
    first = remembered.get(messageId);
    if (first != null) {
      inFlight.remove(messageId, mine);
      mine.complete(first);
      return mine;
    }
    sendOnce(send).whenComplete((finished, failure) -> {
      Step last = failure == null ? finished : new Step(new SendResult(Outcome.SERVER_ERROR, null, null,
          "the send failed inside the engine (" + failure.getClass().getSimpleName() + "); it may have gone out", 0),
          false, true, "failed");
      if (last.result().sent() || last.mayHaveGoneOut()) remembered.put(messageId, last.result());
      inFlight.remove(messageId, mine);
      mine.complete(last.result());
    });
    return mine;
  }

  private CompletionStage<Step> sendOnce(OutboundSend send) {
    GraphMessages.Request request;
    try {
      request = GraphMessages.of(send);
    } catch (GraphMessages.InvalidSend invalid) {
      return CompletableFuture.completedFuture(Step.last(refusedHere(invalid.getMessage())));
    }
    return credentials.accessToken(send.tenantId(), send.channel(), send.accountExternalId()).thenCompose(token -> {
      if (token.isEmpty()) {
        log.warn("No access token stored for {} account {} of tenant {}: nothing sent",
            send.channel(), send.accountExternalId(), send.tenantId());
        return CompletableFuture.completedFuture(Step.last(
            new SendResult(Outcome.NO_CREDENTIALS, null, null, "no access token is stored for this account", 0)));
      }
      HttpRequest post = HttpRequest.newBuilder(settings.resolve(request.path()))
          .timeout(settings.requestTimeout())
          .header("Authorization", "Bearer " + token.get())
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(bytes(request.body())))
          .build();
      return attempt(send, post, 1);
    });
  }

  private CompletionStage<Step> attempt(OutboundSend send, HttpRequest post, int attempt) {
    long started = System.nanoTime();
    return http.sendAsync(post, HttpResponse.BodyHandlers.ofString())
        .handle((response, failure) -> {
          Step step = failure == null ? answered(send, response, attempt) : unanswered(unwrap(failure), attempt);
          metrics.request(send.channel(), "send", step.metricOutcome(), System.nanoTime() - started);
          return step;
        })
        .thenCompose(step -> {
          if (!step.retry() || attempt >= settings.maxAttempts()) {
            if (step.result().outcome() == Outcome.TOKEN_INVALID) {
              log.warn("Meta refused the access token of {} account {} of tenant {} ({}): the tenant must reconnect it",
                  send.channel(), send.accountExternalId(), send.tenantId(), step.result().errorCode());
            }
            return CompletableFuture.completedFuture(step);
          }
          return CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(
                  backoff(attempt), TimeUnit.MILLISECONDS))
              .thenCompose(ignored -> attempt(send, post, attempt + 1));
        });
  }

  /**
   * One request's end: the result if it is the last, whether another may follow, whether the message may have gone
   * out although no answer said so, and the request's label for metrics.
   */
  private record Step(SendResult result, boolean retry, boolean mayHaveGoneOut, String metricOutcome) {
    static Step last(SendResult result) {
      return new Step(result, false, false, result.outcome().name().toLowerCase(Locale.ROOT));
    }
  }

  private Step answered(OutboundSend send, HttpResponse<String> response, int attempt) {
    JsonNode answer = parse(response.body());
    if (response.statusCode() / 100 == 2) {
      String platformId = GraphMessages.messageId(send.channel(), answer);
      return new Step(new SendResult(Outcome.SENT, platformId, null,
          platformId == null ? "Meta accepted the message but its answer named no message id" : null, attempt),
          false, false, "sent");
    }
    GraphErrors.Verdict verdict = GraphErrors.of(response.statusCode(), answer);
    return new Step(new SendResult(verdict.outcome(), null, verdict.errorCode(), verdict.detail(), attempt),
        verdict.retry(), false, verdict.outcome().name().toLowerCase(Locale.ROOT));
  }

  /**
   * No HTTP answer. Only a connection that never opened proves the request did not go out; anything after that (a
   * time-out, a reset) leaves it open whether Meta took the message, so it is not repeated.
   */
  private static Step unanswered(Throwable failure, int attempt) {
    if (failure instanceof ConnectException || failure instanceof HttpConnectTimeoutException) {
      return new Step(new SendResult(Outcome.SERVER_ERROR, null, null,
          "Meta's Graph API could not be reached (" + failure.getClass().getSimpleName() + "); nothing was sent",
          attempt), true, false, "unreachable");
    }
    return new Step(new SendResult(Outcome.SERVER_ERROR, null, null, "no answer after the request was sent ("
        + failure.getClass().getSimpleName() + "); the message may have been delivered, so it was not sent again",
        attempt), false, true, "no_answer");
  }

  /** Full jitter: uniformly between zero and min(max-backoff, initial-backoff x 2^(attempt-1)). */
  private long backoff(int attempt) {
    long initial = settings.initialBackoff().toMillis();
    long cap = settings.maxBackoff().toMillis();
    long exponential = attempt >= 31 ? cap : Math.min(cap, initial << (attempt - 1));
    return ThreadLocalRandom.current().nextLong(exponential + 1);
  }

  private static SendResult refusedHere(String why) {
    return new SendResult(Outcome.REJECTED, null, null, "not sent: " + why, 0);
  }

  // ---- account health ----

  /**
   * WhatsApp: the phone number's {@code status} (CONNECTED or FLAGGED: healthy; RESTRICTED, BANNED, DISCONNECTED...:
   * restricted; anything else unknown). Instagram and Messenger: the account answers {@code ?fields=id} at all.
   * No token, no answer or an error Meta does not tie to the account: unknown, and the caller asks again later.
   */
  @Override
  public CompletionStage<AccountHealth> check(String tenantId, String channel, String externalId) {
    String id;
    try {
      id = GraphMessages.pathId(externalId);
    } catch (GraphMessages.InvalidSend invalid) {
      return CompletableFuture.completedFuture(AccountHealth.UNKNOWN);
    }
    boolean whatsApp = GraphMessages.WHATSAPP.equals(channel);
    URI uri = settings.resolve(id + (whatsApp ? "?fields=status,quality_rating,name_status" : "?fields=id"));
    return credentials.accessToken(tenantId, channel, externalId).thenCompose(token -> {
      if (token.isEmpty()) return CompletableFuture.completedFuture(AccountHealth.UNKNOWN);
      HttpRequest get = HttpRequest.newBuilder(uri)
          .timeout(settings.requestTimeout())
          .header("Authorization", "Bearer " + token.get())
          .GET()
          .build();
      long started = System.nanoTime();
      return http.sendAsync(get, HttpResponse.BodyHandlers.ofString()).handle((response, failure) -> {
        AccountHealth health = failure == null ? health(whatsApp, response) : AccountHealth.UNKNOWN;
        metrics.request(channel, "probe", health.name().toLowerCase(Locale.ROOT), System.nanoTime() - started);
        return health;
      });
    }).exceptionally(failure -> AccountHealth.UNKNOWN);
  }

  private static AccountHealth health(boolean whatsApp, HttpResponse<String> response) {
    JsonNode answer = parse(response.body());
    if (response.statusCode() / 100 != 2) {
      JsonNode code = answer.path("error").path("code");
      return code.canConvertToInt() && ACCOUNT_BLOCKED_CODES.contains(code.asInt())
          ? AccountHealth.RESTRICTED : AccountHealth.UNKNOWN;
    }
    if (!whatsApp) return answer.path("id").isMissingNode() ? AccountHealth.UNKNOWN : AccountHealth.HEALTHY;
    String status = answer.path("status").asText("").toUpperCase(Locale.ROOT);
    if (SENDING_STATUSES.contains(status)) return AccountHealth.HEALTHY;
    if (RESTRICTED_STATUSES.contains(status)) return AccountHealth.RESTRICTED;
    return AccountHealth.UNKNOWN;
  }

  // ---- JSON ----

  private static byte[] bytes(JsonNode body) {
    try {
      return MAPPER.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalStateException("a request body could not be written", e);
    }
  }

  /** An answer that is not JSON (a proxy's HTML error page) reads as an empty object. */
  private static JsonNode parse(String body) {
    try {
      JsonNode node = body == null || body.isBlank() ? null : MAPPER.readTree(body);
      return node == null ? MAPPER.createObjectNode() : node;
    } catch (IOException e) {
      return MAPPER.createObjectNode();
    }
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof CompletionException && cause.getCause() != null) cause = cause.getCause();
    return cause;
  }
}
