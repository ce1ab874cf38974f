package io.flexoraa.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.flexoraa.engine.tenant.Billing;
import io.flexoraa.engine.tenant.TopUpPacks;
import io.flexoraa.http.Problems.InvalidInput;
import io.flexoraa.persistence.payments.PaymentOrders;
import io.flexoraa.persistence.readmodel.LeadViews.Page;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buying tokens over the API: an Admin creates a Razorpay order for a pack and gets what Razorpay Checkout needs
 * ({@code orderId, amount, currency, keyId}); after paying, the client sends Checkout's
 * {@code razorpay_payment_id} and {@code razorpay_signature} to confirm, which credits the pack once the signature
 * checks out. Razorpay's webhook ({@link RazorpayWebhookRoutes}) credits the same payment if the client never
 * confirms; whichever comes first credits, the other is a no-op ({@link TopUps}).
 */
final class TopUpRoutes extends AllDirectives {
  private static final Logger log = LoggerFactory.getLogger(TopUpRoutes.class);
  private static final int MAX_LIMIT = 500;
  private static final Pattern HEX_SIGNATURE = Pattern.compile("[0-9a-fA-F]{64}");

  private final TopUps topUps;

  TopUpRoutes(TopUps topUps) {
    this.topUps = topUps;
  }

  Map<Endpoint, ApiRouter.Handler> handlers() {
    Map<Endpoint, ApiRouter.Handler> handlers = new EnumMap<>(Endpoint.class);
    handlers.put(Endpoint.CREATE_TOP_UP, call -> configured(() -> create(call)));
    handlers.put(Endpoint.CONFIRM_TOP_UP, call -> configured(() -> confirm(call)));
    // the orders already recorded can be listed without Razorpay, keys or not
    handlers.put(Endpoint.LIST_TOP_UPS, call -> Paging.paging(MAX_LIMIT, (limit, offset) ->
        onSuccess(topUps.orders().list(call.tenant().id(), limit, offset),
            page -> complete(Json.response(StatusCodes.OK,
                new Page<>(page.items().stream().map(OrderView::of).toList(), page.total()))))));
    handlers.put(Endpoint.LIST_TOP_UP_PACKS, call -> complete(Json.response(StatusCodes.OK, PackList.of(topUps))));
    return handlers;
  }

  static HttpResponse notConfigured(String what) {
    return Problems.of(StatusCodes.SERVICE_UNAVAILABLE, "Payments not configured", what);
  }

  private Route configured(java.util.function.Supplier<Route> inner) {
    if (!topUps.configured()) {
      return complete(notConfigured("top-ups need RAZORPAY_KEY_ID and RAZORPAY_KEY_SECRET on the engine"));
    }
    return inner.get();
  }

  /** {@code {"pack": "500"}} (or 500): the pack is named by its token count. */
  private Route create(ApiRouter.Call call) {
    return entity(Unmarshaller.entityToString(), raw -> {
      TopUpPacks packs = topUps.packs();
      JsonNode value = Json.object(raw).get("pack");
      String name = value == null || value.isNull() ? null : value.isIntegralNumber() || value.isTextual() ? value.asText().trim() : "";
      if (name == null) throw new InvalidInput("pack", "pack is required");
      TopUpPacks.Pack pack = packs.pack(name).orElseThrow(() ->
          new InvalidInput("pack", "pack must be one of " + String.join(", ", packs.packs().keySet()) + " (tokens)"));
      return onComplete(topUps.order(call.tenant().id(), pack, call.principal().actor()), result -> {
        if (result.isFailure()) return complete(gatewayFailure(result.failed().get()));
        PaymentOrders.Order order = result.get();
        return complete(Json.response(StatusCodes.CREATED, new NewOrder(order.orderId(), order.pack(),
            TokenRoutes.amount(order.tokens()), order.amount(), order.currency(), topUps.settings().keyId(),
            packs.inrDisplayPrice(pack).map(inr -> inr.toPlainString()).orElse(null))));
      });
    });
  }

  /** Checkout's handler answer, as is: {@code razorpay_payment_id}, {@code razorpay_signature} (and its order id). */
  private Route confirm(ApiRouter.Call call) {
    return entity(Unmarshaller.entityToString(), raw -> {
      JsonNode body = Json.object(raw);
      String orderId = call.variable("order");
      String paymentId = Json.matching("razorpay_payment_id", Json.requiredText(body, "razorpay_payment_id", 64),
          TopUps.RAZORPAY_ID, "must be a Razorpay payment id (pay_…)");
      String signature = Json.matching("razorpay_signature", Json.requiredText(body, "razorpay_signature", 64),
          HEX_SIGNATURE, "must be 64 hexadecimal characters");
      String named = Json.optionalText(body, "razorpay_order_id", 64);
      if (named != null && !named.equals(orderId)) {
        throw new InvalidInput("razorpay_order_id", "razorpay_order_id must be the order in the path");
      }
      if (!TopUps.RAZORPAY_ID.matcher(orderId).matches()) return complete(Problems.notFound("no such top-up order"));
      if (!topUps.paymentSignatureValid(orderId, paymentId, signature)) {
        return complete(Problems.badRequest("razorpay_signature",
            "the signature does not prove this payment for this order; nothing was credited"));
      }
      return onSuccess(topUps.orders().find(call.tenant().id(), orderId), found -> {
        if (found.isEmpty()) return complete(Problems.notFound("no such top-up order"));
        return onSuccess(topUps.settle(found.get(), paymentId, call.principal().actor(), PaymentOrders.VIA_CONFIRMATION),
            settled -> complete(Json.response(StatusCodes.OK, Confirmation.of(settled, paymentId))));
      });
    });
  }

  /** Razorpay refused (502) or did not answer (503): nothing was recorded, the client may retry. */
  private static HttpResponse gatewayFailure(Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof CompletionException && cause.getCause() != null) cause = cause.getCause();
    if (cause instanceof RazorpayGateway.GatewayException gateway) {
      log.warn("Razorpay did not create a top-up order: {}", gateway.getMessage());
      return gateway.unreachable()
          ? Problems.unavailable("Razorpay did not answer; nothing was ordered, retry later")
          : Problems.of(StatusCodes.BAD_GATEWAY, "Payment provider error",
              "Razorpay did not create the order; nothing was ordered");
    }
    if (cause instanceof RuntimeException runtime) throw runtime;
    throw new CompletionException(cause);
  }

  // ---- what the API returns ----

  /**
   * The packs on sale, smallest first; {@code paymentsConfigured} false when the engine has no Razorpay keys (ordering
   * then answers 503).
   */
  record PackList(String currency, boolean paymentsConfigured, java.util.List<PackView> items) {
    static PackList of(TopUps topUps) {
      TopUpPacks packs = topUps.packs();
      return new PackList(packs.currency(), topUps.configured(), packs.packs().values().stream()
          .map(pack -> new PackView(pack.id(), TokenRoutes.amount(pack.tokens()), pack.amount(),
              packs.price(pack).toPlainString(), packs.inrDisplayPrice(pack).map(inr -> inr.toPlainString()).orElse(null)))
          .toList());
    }
  }

  /** {@code amount} in minor units, {@code price} the same in major units ("200.00"). */
  record PackView(String pack, String tokens, long amount, String price,
      @JsonInclude(JsonInclude.Include.NON_NULL) String inrDisplayAmount) {}

  /** What Razorpay Checkout is opened with; {@code amount} in minor units of {@code currency}. */
  record NewOrder(
      String orderId, String pack, String tokens, long amount, String currency, String keyId,
      @JsonInclude(JsonInclude.Include.NON_NULL) String inrDisplayAmount) {}

  /** {@code credited} false: this payment had been credited already (by the webhook or an earlier confirmation). */
  record Confirmation(String orderId, String paymentId, String status, String tokens, boolean credited, String balance) {
    static Confirmation of(TopUps.Settled settled, String paymentId) {
      return new Confirmation(settled.order().orderId(), paymentId, settled.order().status(),
          TokenRoutes.amount(settled.order().tokens()), !settled.credited().duplicate(),
          TokenRoutes.amount(settled.credited().balanceAfter()));
    }
  }

  record OrderView(
      String orderId, String pack, String tokens, long amount, String currency, String status, String paymentId,
      String paidVia, String createdBy, Instant createdAt, Instant paidAt) {
    static OrderView of(PaymentOrders.Order order) {
      return new OrderView(order.orderId(), order.pack(), TokenRoutes.amount(Billing.exact(order.tokens()).orElseThrow()),
          order.amount(), order.currency(), order.status(), order.paymentId(), order.paidVia(), order.createdBy(),
          order.createdAt(), order.paidAt());
    }
  }
}
