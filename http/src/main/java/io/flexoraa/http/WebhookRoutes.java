package io.flexoraa.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.flexoraa.engine.ingest.WhatsAppIngest;
import io.flexoraa.engine.ports.ChannelDirectory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.scaladsl.model.EntityStreamException;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /webhooks/meta}: the subscription handshake (GET) and event delivery (POST). A POST is answered 200 only
 * after everything in it is persisted; a bad signature is 401 before anything is parsed, an oversized body 413,
 * a body that is not JSON 400, and a persistence timeout 503 (Meta retries; ingestion is idempotent).
 */
public final class WebhookRoutes extends AllDirectives {
  private static final Logger log = LoggerFactory.getLogger(WebhookRoutes.class);

  private final ActorSystem<?> system;
  private final WebhookSignature signature;
  private final String globalVerifyToken;
  private final ChannelDirectory directory;
  private final WhatsAppIngest ingest;
  private final EdgeMetrics metrics;
  private final long maxBytes;
  private final Duration readTimeout;
  private final Clock clock;
  private final InFlightLimit inFlight;

  public WebhookRoutes(
      ActorSystem<?> system, WebhookSignature signature, String globalVerifyToken, ChannelDirectory directory,
      WhatsAppIngest ingest, EdgeMetrics metrics, long maxBytes, Duration readTimeout, Clock clock,
      int maxInFlight) {
    this.inFlight = new InFlightLimit(maxInFlight);
    this.system = system;
    this.signature = signature;
    this.globalVerifyToken = globalVerifyToken;
    this.directory = directory;
    this.ingest = ingest;
    this.metrics = metrics;
    this.maxBytes = maxBytes;
    this.readTimeout = readTimeout;
    this.clock = clock;
  }

  public Route route() {
    return path(PathMatchers.segment("webhooks").slash("meta"), () -> concat(get(this::handshake), post(this::receive)));
  }

  private Route handshake() {
    return parameterOptional("hub.mode", mode -> parameterOptional("hub.verify_token", token ->
        parameterOptional("hub.challenge", challenge -> {
          if (mode.isEmpty() || token.isEmpty() || challenge.isEmpty()) {
            return complete(Problems.badRequest(
                mode.isEmpty() ? "hub.mode" : token.isEmpty() ? "hub.verify_token" : "hub.challenge",
                "hub.mode, hub.verify_token and hub.challenge are required"));
          }
          if (!"subscribe".equals(mode.get())) return complete(Problems.forbidden("hub.mode must be subscribe"));
          return onSuccess(verifyTokenMatches(token.get()), matches -> matches
              ? complete(HttpResponse.create()
                  .withEntity(HttpEntities.create(ContentTypes.TEXT_PLAIN_UTF8, challenge.get())))
              : complete(Problems.forbidden("verify token does not match")));
        })));
  }

  private CompletionStage<Boolean> verifyTokenMatches(String token) {
    if (!globalVerifyToken.isEmpty() && Secrets.constantTimeEquals(token, globalVerifyToken)) {
      return CompletableFuture.completedFuture(true);
    }
    return directory.anyAccountHasVerifyTokenHash(Secrets.sha256Hex(token));
  }

  private Route receive() {
    long startedAt = System.nanoTime();
    return optionalHeaderValueByName("X-Hub-Signature-256", header -> extractRequestEntity(entity ->
        entity.getContentLengthOption().orElse(0L) > maxBytes ? complete(payloadTooLarge()) : onComplete(entity.toStrict(readTimeout.toMillis(), maxBytes, system), strict -> {
          if (strict.isFailure()) return complete(unreadable(strict.failed().get()));
          return handle(strict.get(), header, startedAt);
        })));
  }

  private Route handle(HttpEntity.Strict strict, Optional<String> header, long startedAt) {
    byte[] body = strict.getData().toArray();
    if (!signature.verify(body, header.orElse(null))) {
      metrics.webhook("rejected-signature", startedAt);
      return complete(Problems.of(StatusCodes.UNAUTHORIZED, "Invalid signature",
          header.isEmpty() ? "X-Hub-Signature-256 header is missing" : "X-Hub-Signature-256 does not match the body"));
    }
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(body);
    } catch (Exception notJson) {
      root = null;
    }
    if (root == null || !(root.isObject() || arrayOfObjects(root))) {
      metrics.webhook("rejected-body", startedAt);
      return complete(Problems.badRequest("body", "webhook body must be a JSON object (or an array of them)"));
    }
    if (!inFlight.tryAcquire()) {
      metrics.webhook("shed", startedAt);
      return complete(Problems.unavailable("the node is at capacity; retry later")
          .addHeader(org.apache.pekko.http.javadsl.model.headers.RetryAfter.create(1L)));
    }
    CompletionStage<Integer> persisted;
    try {
      persisted = ingestAll(root);
    } catch (RuntimeException e) {
      inFlight.release();
      throw e;
    }
    return onComplete(persisted.whenComplete((report, failure) -> inFlight.release()), result -> {
      if (result.isSuccess()) {
        metrics.webhook("accepted", startedAt, result.get());
        return complete(HttpResponse.create().withEntity(HttpEntities.create(ContentTypes.TEXT_PLAIN_UTF8, "EVENT_RECEIVED")));
      }
      Throwable cause = result.failed().get();
      if (cause instanceof CompletionException && cause.getCause() != null) cause = cause.getCause();
      log.warn("Webhook not persisted in time, answering 503 so Meta retries: {}", LogRedaction.describe(cause));
      metrics.webhook("failed", startedAt);
      return complete(Problems.unavailable("the webhook could not be persisted; retry later"));
    });
  }

  /**
   * Meta's documentation prints some notifications (Instagram mentions) inside {@code [...]}: each element is a
   * body of its own, and the POST is acknowledged once all of them are persisted. Answers how many lead messages
   * they stored (for the operator's ingest rate).
   */
  private CompletionStage<Integer> ingestAll(JsonNode root) {
    if (root.isObject()) return ingest.ingest(root, clock.instant()).thenApply(WhatsAppIngest.IngestReport::messages);
    List<CompletableFuture<WhatsAppIngest.IngestReport>> each = new ArrayList<>();
    for (JsonNode body : root) each.add(ingest.ingest(body, clock.instant()).toCompletableFuture());
    return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
        .thenApply(done -> each.stream().mapToInt(report -> report.join().messages()).sum());
  }

  private static boolean arrayOfObjects(JsonNode root) {
    if (!root.isArray() || root.isEmpty()) return false;
    for (JsonNode element : root) {
      if (!element.isObject()) return false;
    }
    return true;
  }

  private HttpResponse unreadable(Throwable failure) {
    if (tooLarge(failure)) return payloadTooLarge();
    log.info("Webhook body unreadable: {}", LogRedaction.describe(failure));
    return Problems.badRequest("body", "the request body could not be read");
  }

  private HttpResponse payloadTooLarge() {
    return Problems.of(StatusCodes.PAYLOAD_TOO_LARGE, "Payload too large",
        "webhook bodies are limited to " + maxBytes + " bytes");
  }

  /** The size limit surfaces as EntityStreamSizeException, possibly wrapped by the stream or the future. */
  private static boolean tooLarge(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof EntityStreamSizeException) return true;
      if (cause instanceof EntityStreamException && String.valueOf(cause.getMessage()).contains("too large")) return true;
      if (cause.getCause() == cause) break;
    }
    return false;
  }
}
