package io.flexoraa.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flexoraa.engine.ports.UnroutedStore;
import io.flexoraa.persistence.payments.PaymentOrders;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
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
 * {@code POST /webhooks/razorpay}, outside {@code /api} like Meta's webhook: Razorpay signs it, no bearer key. The
 * signature ({@code X-Razorpay-Signature}, HMAC-SHA256 of the raw body under the webhook secret) is checked before
 * anything is parsed: a bad or missing one is 401 and changes nothing. {@code payment.captured} and
 * {@code order.paid} credit the order's pack through {@link TopUps} (once per payment, whatever else arrived);
 * every other event is acknowledged and ignored. A payment for an order this engine did not create, or for another
 * amount than the order's, is acknowledged too (Razorpay retries anything but 2xx) and kept for operators in the
 * unrouted store ({@code GET /api/v1/ops/unrouted}), without the payer's contact details. Only a failure to credit
 * (the tenant or the database not answering) is 503, so that Razorpay retries.
 */
final class RazorpayWebhookRoutes extends AllDirectives {
  private static final Logger log = LoggerFactory.getLogger(RazorpayWebhookRoutes.class);
  static final String SIGNATURE_HEADER = "X-Razorpay-Signature";
  private static final Set<String> CREDITING_EVENTS = Set.of("payment.captured", "order.paid");
  private static final String ACTOR = "razorpay";

  private final ActorSystem<?> system;
  private final TopUps topUps;
  private final RazorpayWebhookSignature signature;
  private final UnroutedStore unrouted;
  private final EdgeMetrics metrics;
  private final long maxBytes;
  private final Duration readTimeout;
  private final Clock clock;

  RazorpayWebhookRoutes(ActorSystem<?> system, TopUps topUps, UnroutedStore unrouted, EdgeMetrics metrics,
      Duration readTimeout, Clock clock) {
    this.system = system;
    this.topUps = topUps;
    RazorpaySettings settings = topUps.settings();
    this.signature = settings.webhookConfigured() ? new RazorpayWebhookSignature(settings.webhookSecret()) : null;
    this.unrouted = unrouted;
    this.metrics = metrics;
    this.maxBytes = settings.webhookMaxBytes();
    this.readTimeout = readTimeout;
    this.clock = clock;
  }

  Route route() {
    return path(PathMatchers.segment("webhooks").slash("razorpay"), () -> post(this::receive));
  }

  private Route receive() {
    if (signature == null) {
      metrics.paymentWebhook("not-configured");
      return complete(TopUpRoutes.notConfigured(
          "RAZORPAY_WEBHOOK_SECRET is not set on the engine; Razorpay will retry this delivery"));
    }
    return optionalHeaderValueByName(SIGNATURE_HEADER, header -> extractRequestEntity(entity ->
        entity.getContentLengthOption().orElse(0L) > maxBytes
            ? complete(payloadTooLarge())
            : onComplete(entity.toStrict(readTimeout.toMillis(), maxBytes, system), strict -> strict.isFailure()
                ? complete(unreadable(strict.failed().get()))
                : handle(strict.get(), header))));
  }

  private Route handle(HttpEntity.Strict strict, Optional<String> header) {
    byte[] body = strict.getData().toArray();
    if (!signature.verify(body, header.orElse(null))) {
      metrics.paymentWebhook("rejected-signature");
      return complete(Problems.of(StatusCodes.UNAUTHORIZED, "Invalid signature",
          header.isEmpty() ? SIGNATURE_HEADER + " header is missing" : SIGNATURE_HEADER + " does not match the body"));
    }
    JsonNode root = parse(body);
    if (root == null || !root.isObject()) {
      metrics.paymentWebhook("rejected-body");
      return complete(Problems.badRequest("body", "webhook body must be a JSON object"));
    }
    String event = root.path("event").asText("");
    if (!CREDITING_EVENTS.contains(event)) {
      metrics.paymentWebhook("ignored");
      return complete(acknowledged("ignored"));
    }
    JsonNode payment = root.path("payload").path("payment").path("entity");
    String paymentId = text(payment, "id");
    String orderId = Optional.ofNullable(text(payment, "order_id"))
        .orElseGet(() -> text(root.path("payload").path("order").path("entity"), "id"));
    Delivery delivery = new Delivery(event, orderId, paymentId,
        payment.path("amount").canConvertToLong() ? payment.path("amount").asLong() : null, text(payment, "currency"));
    return onComplete(process(delivery), result -> {
      if (result.isSuccess()) {
        metrics.paymentWebhook(result.get());
        return complete(acknowledged(result.get()));
      }
      log.warn("Razorpay {} for order {} not credited yet, answering 503 so Razorpay retries: {}", event, orderId,
          LogRedaction.describe(result.failed().get()));
      metrics.paymentWebhook("failed");
      return complete(Problems.unavailable("the payment could not be credited yet; retry later"));
    });
  }

  /** What a crediting event says, and nothing about the payer. */
  private record Delivery(String event, String orderId, String paymentId, Long amount, String currency) {}

  /** The outcome reported back to Razorpay and counted: credited, duplicate, or kept for operators. */
  private CompletionStage<String> process(Delivery delivery) {
    if (!valid(delivery.orderId()) || !valid(delivery.paymentId())) {
      return keep(delivery, "razorpay: payment without a usable order or payment id");
    }
    return topUps.findAnyTenant(delivery.orderId()).thenCompose(found -> {
      if (found.isEmpty()) {
        log.warn("Razorpay {} for order {} (payment {}), which this engine did not create: kept for operators",
            delivery.event(), delivery.orderId(), delivery.paymentId());
        return keep(delivery, "razorpay: unknown order");
      }
      PaymentOrders.Order order = found.get();
      if (delivery.amount() == null || delivery.amount() != order.amount()
          || !order.currency().equals(delivery.currency())) {
        log.error("Razorpay {} for order {} (payment {}) is for {} {}, the order for {} {}: not credited, kept for "
                + "operators", delivery.event(), order.orderId(), delivery.paymentId(), delivery.amount(),
            delivery.currency(), order.amount(), order.currency());
        return keep(delivery, "razorpay: amount does not match the order");
      }
      return topUps.settle(order, delivery.paymentId(), ACTOR, PaymentOrders.VIA_WEBHOOK)
          .thenApply(settled -> settled.credited().duplicate() ? "duplicate" : "credited");
    });
  }

  private CompletionStage<String> keep(Delivery delivery, String reason) {
    ObjectNode summary = Json.MAPPER.createObjectNode()
        .put("event", delivery.event())
        .put("orderId", delivery.orderId())
        .put("paymentId", delivery.paymentId())
        .put("currency", delivery.currency());
    if (delivery.amount() != null) summary.put("amount", delivery.amount());
    return unrouted.store(new UnroutedStore.UnroutedItem("razorpay", reason, delivery.orderId(), summary.toString(),
            clock.instant()))
        .thenApply(stored -> "kept-for-operators");
  }

  private static JsonNode parse(byte[] body) {
    try {
      return Json.MAPPER.readTree(body);
    } catch (Exception notJson) {
      return null;
    }
  }

  private static boolean valid(String id) {
    return id != null && TopUps.RAZORPAY_ID.matcher(id).matches();
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
  }

  private static HttpResponse acknowledged(String outcome) {
    return Json.response(StatusCodes.OK, java.util.Map.of("status", outcome));
  }

  private HttpResponse unreadable(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
      if (cause instanceof EntityStreamSizeException) return payloadTooLarge();
      if (cause instanceof EntityStreamException && String.valueOf(cause.getMessage()).contains("too large")) {
        return payloadTooLarge();
      }
    }
    log.info("Razorpay webhook body unreadable: {}", LogRedaction.describe(failure));
    return Problems.badRequest("body", "the request body could not be read");
  }

  private HttpResponse payloadTooLarge() {
    return Problems.of(StatusCodes.PAYLOAD_TOO_LARGE, "Payload too large",
        "Razorpay webhook bodies are limited to " + maxBytes + " bytes");
  }
}
