package io.flexoraa.http;

import io.flexoraa.engine.ports.CostLog;
import io.flexoraa.engine.tenant.TenantEntity;
import io.flexoraa.engine.tenant.Tokens;
import io.flexoraa.engine.tenant.TopUpPacks;
import io.flexoraa.persistence.audit.AuditFeed;
import io.flexoraa.persistence.audit.AuditLog;
import io.flexoraa.persistence.payments.PaymentOrders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Token top-ups (PRODUCT §6): an order at Razorpay for a pack, recorded with its audit entry; then, for a payment of
 * that order, a TOP_UP credit whose reference is Razorpay's payment id. The Tenant entity credits a reference once,
 * so whichever of the client's confirmation and Razorpay's webhook arrives first credits and every later arrival
 * (the other one, a retried webhook) is answered as a duplicate; the order is marked paid once, by the first.
 * The credit's event reaches the audit trail as {@code tokens.topped-up}. Every call to Razorpay's API is recorded in
 * the cost log ({@code razorpay}, ok or error, with its latency); checking a payment's signature is not a call.
 */
final class TopUps {
  private static final Logger log = LoggerFactory.getLogger(TopUps.class);

  /** Razorpay top-ups; without keys the engine still starts and the top-up endpoints answer 503. */
  static TopUps fromConfig(ActorSystem<?> system, com.typesafe.config.Config config, io.flexoraa.persistence.Jdbc jdbc,
      io.flexoraa.persistence.TenantJdbc tenantJdbc, CostLog costLog, Duration askTimeout, Clock clock) {
    RazorpaySettings razorpay = RazorpaySettings.fromConfig(config);
    if (!razorpay.paymentsConfigured()) {
      log.warn("RAZORPAY_KEY_ID / RAZORPAY_KEY_SECRET are not set: token top-ups answer 503 (payments not configured)");
    }
    if (!razorpay.webhookConfigured()) {
      log.warn("RAZORPAY_WEBHOOK_SECRET is not set: POST /webhooks/razorpay answers 503 (Razorpay retries)");
    }
    return new TopUps(system, razorpay, TopUpPacks.fromConfig(config), new PaymentOrders(jdbc, tenantJdbc), costLog,
        askTimeout, clock);
  }

  /** The service name Razorpay's calls are recorded under in the cost log. */
  static final String SERVICE = "razorpay";
  /** Razorpay's ids (order_…, pay_…) are letters, digits and underscores. */
  static final Pattern RAZORPAY_ID = Pattern.compile("[A-Za-z0-9_]{1,64}");

  private final ClusterSharding sharding;
  private final RazorpaySettings settings;
  private final TopUpPacks packs;
  private final PaymentOrders orders;
  private final Duration askTimeout;
  private final Clock clock;
  private final RazorpayGateway gateway;
  private final CostLog costLog;

  /** What a payment did: the tenant's credit (a duplicate when it was credited before) and the order afterwards. */
  record Settled(Tokens.Credited credited, PaymentOrders.Order order) {}

  TopUps(ActorSystem<?> system, RazorpaySettings settings, TopUpPacks packs, PaymentOrders orders, CostLog costLog,
      Duration askTimeout, Clock clock) {
    this.sharding = ClusterSharding.get(system);
    this.settings = settings;
    this.packs = packs;
    this.orders = orders;
    this.askTimeout = askTimeout;
    this.clock = clock;
    this.costLog = costLog;
    this.gateway = settings.paymentsConfigured()
        ? new RazorpayGateway(settings.keyId(), settings.keySecret(), settings.apiUrl(), settings.requestTimeout(),
            razorpayThreads(settings.clientThreads()))
        : null;
  }

  /** Daemon threads: a call to Razorpay in flight at shutdown has nothing to save (the order is not recorded yet). */
  private static ExecutorService razorpayThreads(int threads) {
    return Executors.newFixedThreadPool(threads, task -> {
      Thread thread = new Thread(task, "razorpay-client");
      thread.setDaemon(true);
      return thread;
    });
  }

  boolean configured() {
    return gateway != null;
  }

  RazorpaySettings settings() {
    return settings;
  }

  TopUpPacks packs() {
    return packs;
  }

  PaymentOrders orders() {
    return orders;
  }

  /** Only when {@link #configured()}. */
  boolean paymentSignatureValid(String orderId, String paymentId, String signature) {
    return gateway.paymentSignatureValid(orderId, paymentId, signature);
  }

  /**
   * Creates the order at Razorpay (amount in minor units, our receipt, the tenant in its notes), then records it and
   * its audit entry. Fails with {@link RazorpayGateway.GatewayException} when Razorpay does not create it; nothing is
   * recorded then. Only when {@link #configured()}.
   */
  CompletionStage<PaymentOrders.Order> order(String tenantId, TopUpPacks.Pack pack, String actor) {
    String receipt = "topup_" + Secrets.random(12);
    Map<String, String> notes = new LinkedHashMap<>();
    notes.put("tenant_id", tenantId);
    notes.put("pack", pack.id());
    notes.put("tokens", pack.tokens().toPlainString());
    return recorded(tenantId, receipt, "orders.create",
        () -> gateway.createOrder(pack.amount(), packs.currency(), receipt, notes)).thenCompose(created -> {
      if (!RAZORPAY_ID.matcher(created.id()).matches()
          || created.amount() != pack.amount() || !packs.currency().equals(created.currency())) {
        return CompletableFuture.failedFuture(new RazorpayGateway.GatewayException(
            "Razorpay answered an order that is not the one asked for (" + created.amount() + " " + created.currency()
                + ")", false));
      }
      Instant now = clock.instant();
      PaymentOrders.Order order = new PaymentOrders.Order(created.id(), tenantId, pack.id(), pack.tokens(),
          pack.amount(), packs.currency(), receipt, PaymentOrders.CREATED, null, null, actor, now, null);
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("orderId", order.orderId());
      details.put("pack", pack.id());
      details.put("tokens", pack.tokens().toPlainString());
      details.put("amount", pack.amount());
      details.put("currency", packs.currency());
      details.put("receipt", receipt);
      return orders.record(order, new AuditLog.NewEntry(tenantId, actor, "tokens.top-up-ordered", AuditFeed.TOKENS,
          details));
    });
  }

  /**
   * Makes {@code call} and records it in the cost log under {@code reference} before passing its outcome on, so the
   * row exists by the time the client has its answer. Failing to record is logged; it never fails the call.
   */
  private <T> CompletionStage<T> recorded(String tenantId, String reference, String operation,
      Supplier<CompletionStage<T>> call) {
    Instant at = clock.instant();
    long started = System.nanoTime();
    CompletableFuture<T> outcome = call.get().toCompletableFuture();
    return outcome.handle((result, failure) -> {
      Throwable cause =
          failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
      CostLog.ExternalCall record = new CostLog.ExternalCall(tenantId, reference, SERVICE, operation,
          failure == null ? CostLog.Outcome.OK : CostLog.Outcome.ERROR, Duration.ofNanos(System.nanoTime() - started),
          cause == null ? null : cause.getMessage(), at);
      return costLog.recordExternalCall(record).exceptionally(notRecorded -> {
        log.warn("Razorpay call {} {} was not recorded in the cost log: {}", operation, reference,
            notRecorded.getClass().getSimpleName());
        return false;
      });
    }).thenCompose(recording -> recording).thenCompose(done -> outcome);
  }

  /**
   * Credits the order's tokens for {@code paymentId} (idempotent on the payment id) and marks the order paid if it
   * is not yet. Safe to call any number of times, concurrently, from the confirmation and the webhook.
   */
  CompletionStage<Settled> settle(PaymentOrders.Order order, String paymentId, String actor, String via) {
    String reason = "Razorpay top-up of " + order.pack() + " tokens, order " + order.orderId();
    CompletionStage<Tokens.Credited> credited = sharding.entityRefFor(TenantEntity.TYPE_KEY, order.tenantId())
        .askWithStatus(replyTo -> new Tokens.Credit(Tokens.CreditKind.TOP_UP, order.tokens(), paymentId, actor, reason,
            replyTo), askTimeout);
    return credited.thenCompose(credit -> orders.markPaid(order.orderId(), paymentId, via, clock.instant())
        .thenApply(after -> {
          PaymentOrders.Order now = after.orElse(order);
          if (now.paid() && !paymentId.equals(now.paymentId()) && !credit.duplicate()) {
            // Razorpay lets an order be paid once; should a second payment arrive anyway, its money was received
            log.warn("Order {} was paid by {} and now also by {}: both credited, the second may need a refund",
                order.orderId(), now.paymentId(), paymentId);
          }
          return new Settled(credit, now);
        }));
  }

  /** The order with this id, whichever tenant placed it (for the webhook). */
  CompletionStage<Optional<PaymentOrders.Order>> findAnyTenant(String orderId) {
    return orders.findAnyTenant(orderId);
  }
}
