package io.flexoraa.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.flexoraa.http.TestEngine.OPERATOR_KEY;
import static io.flexoraa.http.TestEngine.eventually;
import static io.flexoraa.http.TestEngine.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Token top-ups end to end: a real engine whose Razorpay is a WireMock server on a local port (orders go through
 * razorpay-java pointed at it), payment and webhook signatures computed here with real HMAC-SHA256 under the test
 * secrets, and the balance read back over the API. Each test works on a tenant of its own (leados-pro: 750 tokens).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RazorpayTopUpTest {
  private static final String KEY_ID = "rzp_test_FlexoraaKey01";
  private static final String KEY_SECRET = "razorpay-test-key-secret";
  private static final String WEBHOOK_SECRET = "razorpay-test-webhook-secret";
  private static final AtomicInteger IDS = new AtomicInteger();

  private WireMockServer razorpay;
  private TestEngine engine;
  private String tenantId;
  private String admin;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void start(@TempDir Path dataDirectory) {
    razorpay = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    razorpay.start();
    engine = TestEngine.start(dataDirectory, Map.of(
        "flexoraa.razorpay.key-id", KEY_ID,
        "flexoraa.razorpay.key-secret", KEY_SECRET,
        "flexoraa.razorpay.webhook-secret", WEBHOOK_SECRET,
        "flexoraa.razorpay.api-url", razorpay.baseUrl(),
        "flexoraa.razorpay.request-timeout", "2s"));
  }

  @AfterAll
  void stop() {
    if (engine != null) engine.close();
    if (razorpay != null) razorpay.stop();
  }

  @BeforeEach
  void freshTenant() {
    razorpay.resetAll();
    tenantId = engine.createTenant("Acme Realty " + IDS.incrementAndGet(), "IN");
    admin = engine.createApiKey(tenantId, "Admin");
  }

  // ---- orders ----

  @Test
  void anOrderIsCreatedThroughRazorpayAndRecorded() {
    String orderId = stubOrder(20_000, "USD");
    HttpResponse<String> created = createTopUp("{\"pack\": \"500\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode order = json(created);
    assertThat(order.get("orderId").asText()).isEqualTo(orderId);
    assertThat(order.get("amount").asLong()).isEqualTo(20_000);
    assertThat(order.get("currency").asText()).isEqualTo("USD");
    assertThat(order.get("tokens").asText()).isEqualTo("500.00");
    assertThat(order.get("keyId").asText()).isEqualTo(KEY_ID);

    List<LoggedRequest> requests = razorpay.findAll(postRequestedFor(urlEqualTo("/v1/orders")));
    assertThat(requests).hasSize(1);
    LoggedRequest request = requests.get(0);
    assertThat(request.getHeader("Authorization")).isEqualTo("Basic "
        + Base64.getEncoder().encodeToString((KEY_ID + ":" + KEY_SECRET).getBytes(StandardCharsets.UTF_8)));
    JsonNode sent = parse(request.getBodyAsString());
    assertThat(sent.get("amount").isIntegralNumber()).as("minor units, an integer").isTrue();
    assertThat(sent.get("amount").asLong()).isEqualTo(20_000);
    assertThat(sent.get("currency").asText()).isEqualTo("USD");
    assertThat(sent.get("receipt").asText()).startsWith("topup_").hasSizeLessThanOrEqualTo(40);
    assertThat(sent.get("notes").get("tenant_id").asText()).isEqualTo(tenantId);
    assertThat(sent.get("notes").get("pack").asText()).isEqualTo("500");
    // the call is in the cost log by the time the client has its answer, under our receipt number
    assertThat(engine.count("SELECT count(*) FROM cost_log WHERE tenant_id = ? AND kind = 'external_call'"
        + " AND provider = 'razorpay' AND operation = 'orders.create' AND outcome = 'ok' AND latency_ms >= 0"
        + " AND reference = ?", tenantId, sent.get("receipt").asText())).isEqualTo(1);

    JsonNode listed = json(engine.get(topUps(), admin));
    assertThat(listed.get("total").asLong()).isEqualTo(1);
    JsonNode row = listed.get("items").get(0);
    assertThat(row.get("orderId").asText()).isEqualTo(orderId);
    assertThat(row.get("status").asText()).isEqualTo("created");
    assertThat(row.get("amount").asLong()).isEqualTo(20_000);
    assertThat(row.get("paymentId").isNull()).isTrue();
    JsonNode audited = json(engine.get("/api/v1/tenants/" + tenantId + "/audit?action=tokens.top-up-ordered", admin));
    assertThat(audited.get("items")).hasSize(1);
    assertThat(audited.get("items").get(0).get("details").get("orderId").asText()).isEqualTo(orderId);

    // every pack of PRODUCT §6 at its price, in cents
    for (Map.Entry<String, Long> pack : Map.of("100", 5_000L, "1000", 35_000L, "5000", 150_000L).entrySet()) {
      stubOrder(pack.getValue(), "USD");
      HttpResponse<String> more = createTopUp("{\"pack\": " + pack.getKey() + "}");
      assertThat(more.statusCode()).as(more.body()).isEqualTo(201);
      assertThat(json(more).get("amount").asLong()).isEqualTo(pack.getValue());
    }
    assertThat(balance()).as("ordering credits nothing").isEqualTo("750.00");
    JsonNode usage = json(engine.get("/api/v1/tenants/" + tenantId + "/usage?groupBy=operation", admin));
    assertThat(usage.get("rows").findValuesAsText("key")).containsExactly("razorpay:orders.create");
    assertThat(usage.get("totals").get("externalCalls").asLong()).isEqualTo(4);
  }

  @Test
  void thePacksOnSaleAreListedWithTheirPrices() {
    JsonNode packs = json(engine.get("/api/v1/tenants/" + tenantId + "/tokens/packs", admin));
    assertThat(packs.get("currency").asText()).isEqualTo("USD");
    assertThat(packs.get("paymentsConfigured").asBoolean()).isTrue();
    assertThat(packs.get("items").findValuesAsText("pack")).containsExactly("100", "500", "1000", "5000");
    JsonNode five = packs.get("items").get(1);
    assertThat(five.get("tokens").asText()).isEqualTo("500.00");
    assertThat(five.get("amount").asLong()).isEqualTo(20_000);
    assertThat(five.get("price").asText()).isEqualTo("200.00");
  }

  @Test
  void unknownPacksAndRazorpayFailuresOrderNothing() {
    HttpResponse<String> unknown = createTopUp("{\"pack\": \"250\"}");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(json(unknown).get("field").asText()).isEqualTo("pack");
    assertThat(createTopUp("{}").statusCode()).isEqualTo(400);
    assertThat(razorpay.findAll(postRequestedFor(urlEqualTo("/v1/orders")))).isEmpty();
    assertThat(engine.count("SELECT count(*) FROM cost_log WHERE tenant_id = ?", tenantId)).as("no call, no row")
        .isZero();

    razorpay.stubFor(post(urlEqualTo("/v1/orders")).willReturn(aResponse().withStatus(400)
        .withHeader("Content-Type", "application/json")
        .withBody("{\"error\":{\"code\":\"BAD_REQUEST_ERROR\",\"description\":\"Currency is not supported\"}}")));
    HttpResponse<String> refused = createTopUp("{\"pack\": \"100\"}");
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(502);
    assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");

    razorpay.stubFor(post(urlEqualTo("/v1/orders")).willReturn(okJson(orderJson("order_Slow" + IDS.incrementAndGet(),
        5_000, "USD")).withFixedDelay(3_000)));
    HttpResponse<String> slow = createTopUp("{\"pack\": \"100\"}");
    assertThat(slow.statusCode()).as("past flexoraa.razorpay.request-timeout").isEqualTo(503);
    // both failed calls are recorded as errors, with what Razorpay said and how long they took
    assertThat(engine.count("SELECT count(*) FROM cost_log WHERE tenant_id = ? AND provider = 'razorpay'"
        + " AND outcome = 'error'", tenantId)).isEqualTo(2);
    assertThat(engine.count("SELECT count(*) FROM cost_log WHERE tenant_id = ? AND outcome = 'error'"
        + " AND details->>'error' LIKE '%Currency is not supported%'", tenantId)).isEqualTo(1);
    assertThat(engine.count("SELECT count(*) FROM cost_log WHERE tenant_id = ? AND outcome = 'error'"
        + " AND latency_ms >= 2000", tenantId)).as("the timed-out call").isEqualTo(1);

    assertThat(json(engine.get(topUps(), admin)).get("total").asLong()).isZero();
  }

  // ---- the client's confirmation ----

  @Test
  void aConfirmationWithTheRightSignatureCreditsThePackOnce() {
    String orderId = order("500", 20_000);
    String paymentId = paymentId();
    HttpResponse<String> confirmed = confirm(orderId, paymentId, paymentSignature(orderId, paymentId));
    assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(200);
    assertThat(json(confirmed).get("credited").asBoolean()).isTrue();
    assertThat(json(confirmed).get("balance").asText()).isEqualTo("1250.00");
    assertThat(json(confirmed).get("status").asText()).isEqualTo("paid");
    assertThat(balance()).isEqualTo("1250.00");

    HttpResponse<String> again = confirm(orderId, paymentId, paymentSignature(orderId, paymentId));
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(json(again).get("credited").asBoolean()).isFalse();
    assertThat(balance()).isEqualTo("1250.00");

    JsonNode row = json(engine.get(topUps(), admin)).get("items").get(0);
    assertThat(row.get("status").asText()).isEqualTo("paid");
    assertThat(row.get("paymentId").asText()).isEqualTo(paymentId);
    assertThat(row.get("paidVia").asText()).isEqualTo("confirmation");
    eventually(() -> json(engine.get("/api/v1/tenants/" + tenantId + "/audit?action=tokens.topped-up", admin))
        .get("items").size() == 1, "the top-up in the audit trail");
    JsonNode audited = json(engine.get("/api/v1/tenants/" + tenantId + "/audit?action=tokens.topped-up", admin))
        .get("items").get(0).get("details");
    assertThat(audited.get("reference").asText()).isEqualTo(paymentId);
    assertThat(audited.get("tokens").asText()).isEqualTo("500.00");
  }

  @Test
  void aWrongSignatureIs400AndCreditsNothing() {
    String orderId = order("100", 5_000);
    String paymentId = paymentId();
    String otherOrder = order("100", 5_000);
    for (String signature : List.of(
        hmacHex("not-the-key-secret", orderId + "|" + paymentId),
        paymentSignature(otherOrder, paymentId),
        paymentSignature(orderId, paymentId()))) {
      HttpResponse<String> refused = confirm(orderId, paymentId, signature);
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
      assertThat(json(refused).get("field").asText()).isEqualTo("razorpay_signature");
    }
    assertThat(confirm(orderId, paymentId, "zz").statusCode()).isEqualTo(400);
    assertThat(balance()).isEqualTo("750.00");
    assertThat(json(engine.get(topUps(), admin)).get("items").findValuesAsText("status")).containsOnly("created");
  }

  @Test
  void anotherTenantsOrderCannotBeConfirmedHere() {
    String orderId = order("100", 5_000);
    String paymentId = paymentId();
    String otherTenant = engine.createTenant("Other Co " + IDS.incrementAndGet(), "AE");
    String otherAdmin = engine.createApiKey(otherTenant, "Admin");
    HttpResponse<String> response = engine.post("/api/v1/tenants/" + otherTenant + "/tokens/topups/" + orderId + "/confirm",
        otherAdmin, confirmation(paymentId, paymentSignature(orderId, paymentId)));
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(balance()).isEqualTo("750.00");
  }

  // ---- Razorpay's webhook ----

  @Test
  void theWebhookCreditsAPaymentOnceHoweverOftenItArrives() {
    String orderId = order("500", 20_000);
    String paymentId = paymentId();
    String captured = paymentCaptured(orderId, paymentId, 20_000, "USD");
    HttpResponse<String> first = webhook(captured);
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    assertThat(json(first).get("status").asText()).isEqualTo("credited");
    assertThat(balance()).isEqualTo("1250.00");

    assertThat(json(webhook(captured)).get("status").asText()).isEqualTo("duplicate");
    assertThat(json(webhook(orderPaid(orderId, paymentId, 20_000))).get("status").asText()).isEqualTo("duplicate");
    assertThat(balance()).isEqualTo("1250.00");
    JsonNode row = json(engine.get(topUps(), admin)).get("items").get(0);
    assertThat(row.get("paidVia").asText()).isEqualTo("webhook");
    assertThat(row.get("paymentId").asText()).isEqualTo(paymentId);

    // the client's confirmation arriving after the webhook: answered, nothing more credited
    HttpResponse<String> late = confirm(orderId, paymentId, paymentSignature(orderId, paymentId));
    assertThat(late.statusCode()).isEqualTo(200);
    assertThat(json(late).get("credited").asBoolean()).isFalse();
    assertThat(json(late).get("balance").asText()).isEqualTo("1250.00");
    eventually(() -> json(engine.get("/api/v1/tenants/" + tenantId + "/audit?action=tokens.topped-up", admin))
        .get("items").size() == 1, "the top-up in the audit trail");
    assertThat(json(engine.get("/api/v1/tenants/" + tenantId + "/audit?action=tokens.topped-up", admin))
        .get("items").get(0).get("actor").asText()).isEqualTo("razorpay");
  }

  @Test
  void anOrderPaidWebhookAfterTheConfirmationCreditsNothingMore() {
    String orderId = order("1000", 35_000);
    String paymentId = paymentId();
    assertThat(confirm(orderId, paymentId, paymentSignature(orderId, paymentId)).statusCode()).isEqualTo(200);
    assertThat(balance()).isEqualTo("1750.00");
    HttpResponse<String> webhook = webhook(orderPaid(orderId, paymentId, 35_000));
    assertThat(webhook.statusCode()).isEqualTo(200);
    assertThat(json(webhook).get("status").asText()).isEqualTo("duplicate");
    assertThat(balance()).isEqualTo("1750.00");
    assertThat(json(engine.get(topUps(), admin)).get("items").get(0).get("paidVia").asText()).isEqualTo("confirmation");
  }

  @Test
  void aSecondPaymentForAPaidOrderIsMoneyReceivedAndCreditedToo() {
    String orderId = order("100", 5_000);
    String first = paymentId();
    assertThat(json(webhook(paymentCaptured(orderId, first, 5_000, "USD"))).get("status").asText()).isEqualTo("credited");
    String second = paymentId();
    assertThat(json(webhook(paymentCaptured(orderId, second, 5_000, "USD"))).get("status").asText()).isEqualTo("credited");
    assertThat(balance()).isEqualTo("950.00");
    assertThat(json(engine.get(topUps(), admin)).get("items").get(0).get("paymentId").asText())
        .as("the order keeps the payment that paid it").isEqualTo(first);
  }

  @Test
  void badOrMissingWebhookSignaturesAre401AndChangeNothing() {
    String orderId = order("100", 5_000);
    String body = paymentCaptured(orderId, paymentId(), 5_000, "USD");
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    assertThat(webhook(bytes, null).statusCode()).isEqualTo(401);
    assertThat(webhook(bytes, hmacHex("not-the-webhook-secret", body)).statusCode()).isEqualTo(401);
    assertThat(webhook(bytes, hmacHex(WEBHOOK_SECRET, body + " ")).statusCode()).as("signed other bytes").isEqualTo(401);
    assertThat(webhook(bytes, "not hex").statusCode()).isEqualTo(401);
    byte[] huge = ("{\"event\":\"payment.captured\",\"padding\":\"" + "x".repeat(300 * 1024) + "\"}")
        .getBytes(StandardCharsets.UTF_8);
    assertThat(webhook(huge, hmacHex(WEBHOOK_SECRET, new String(huge, StandardCharsets.UTF_8))).statusCode())
        .as("over flexoraa.razorpay.webhook-max-bytes").isEqualTo(413);
    HttpResponse<String> unsigned = webhook(bytes, null);
    assertThat(unsigned.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(balance()).isEqualTo("750.00");
    assertThat(json(engine.get(topUps(), admin)).get("items").get(0).get("status").asText()).isEqualTo("created");
  }

  @Test
  void otherEventsAreAcknowledgedAndIgnored() {
    String orderId = order("100", 5_000);
    String refund = "{\"entity\":\"event\",\"event\":\"refund.processed\",\"contains\":[\"refund\"],\"payload\":{\"refund\":"
        + "{\"entity\":{\"id\":\"rfnd_1\",\"payment_id\":\"pay_1\",\"amount\":5000}}},\"created_at\":1767225600}";
    HttpResponse<String> response = webhook(refund);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(json(response).get("status").asText()).isEqualTo("ignored");
    String failed = paymentCaptured(orderId, paymentId(), 5_000, "USD").replace("payment.captured", "payment.failed");
    assertThat(json(webhook(failed)).get("status").asText()).isEqualTo("ignored");
    assertThat(balance()).isEqualTo("750.00");
  }

  @Test
  void aPaymentForAnOrderThisEngineNeverCreatedIsAcknowledgedAndKeptForOperators() {
    String stranger = "order_NotOurs" + IDS.incrementAndGet();
    HttpResponse<String> response = webhook(paymentCaptured(stranger, paymentId(), 5_000, "USD"));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(json(response).get("status").asText()).isEqualTo("kept-for-operators");

    // the right order, the wrong amount: not credited either
    String orderId = order("500", 20_000);
    HttpResponse<String> cheap = webhook(paymentCaptured(orderId, paymentId(), 5_000, "USD"));
    assertThat(json(cheap).get("status").asText()).isEqualTo("kept-for-operators");
    assertThat(balance()).isEqualTo("750.00");

    HttpResponse<String> listed = engine.get("/api/v1/ops/unrouted?limit=500", OPERATOR_KEY);
    assertThat(listed.body()).contains(stranger).contains("razorpay: unknown order")
        .contains("razorpay: amount does not match the order");
    assertThat(listed.body()).as("the payer's contact details are not kept").doesNotContain("payer@example.com")
        .doesNotContain("+919876543210");
  }

  @Test
  void aConfirmationAndTheWebhookAtTheSameMomentCreditOnce() throws Exception {
    int orders = 6;
    List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
    for (int i = 0; i < orders; i++) {
      String orderId = order("100", 5_000);
      String paymentId = paymentId();
      HttpRequest confirmation = HttpRequest.newBuilder(URI.create(engine.baseUrl() + topUps() + "/" + orderId + "/confirm"))
          .header("Authorization", "Bearer " + admin)
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(confirmation(paymentId, paymentSignature(orderId, paymentId))))
          .build();
      String body = paymentCaptured(orderId, paymentId, 5_000, "USD");
      HttpRequest webhook = HttpRequest.newBuilder(URI.create(engine.baseUrl() + "/webhooks/razorpay"))
          .header(RazorpayWebhookRoutes.SIGNATURE_HEADER, hmacHex(WEBHOOK_SECRET, body))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body))
          .build();
      responses.add(http.sendAsync(confirmation, HttpResponse.BodyHandlers.ofString()));
      responses.add(http.sendAsync(webhook, HttpResponse.BodyHandlers.ofString()));
      responses.add(http.sendAsync(webhook, HttpResponse.BodyHandlers.ofString()));
    }
    for (CompletableFuture<HttpResponse<String>> response : responses) {
      HttpResponse<String> done = response.get();
      assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
    }
    assertThat(balance()).isEqualTo("1350.00");
    eventually(() -> json(engine.get("/api/v1/tenants/" + tenantId + "/tokens/ledger?limit=500", admin))
        .get("total").asLong() == 1 + orders, "the ledger");
    JsonNode ledger = json(engine.get("/api/v1/tenants/" + tenantId + "/tokens/ledger?limit=500", admin));
    assertThat(ledger.get("items").findValuesAsText("operation").stream().filter("top-up"::equals).count())
        .isEqualTo(orders);
    assertThat(json(engine.get(topUps() + "?limit=500", admin)).get("items").findValuesAsText("status"))
        .hasSize(orders).containsOnly("paid");
  }

  // ---- helpers ----

  private String topUps() {
    return "/api/v1/tenants/" + tenantId + "/tokens/topups";
  }

  private HttpResponse<String> createTopUp(String body) {
    return engine.post(topUps(), admin, body);
  }

  /** An order created through the API (Razorpay stubbed to create it); returns its id. */
  private String order(String pack, long amount) {
    String orderId = stubOrder(amount, "USD");
    HttpResponse<String> created = createTopUp("{\"pack\": \"" + pack + "\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return orderId;
  }

  /** The next POST /v1/orders answers a new order (WireMock matches the most recent stub first). */
  private String stubOrder(long amount, String currency) {
    String orderId = "order_Test" + IDS.incrementAndGet() + "x" + System.nanoTime() % 100_000;
    razorpay.stubFor(post(urlEqualTo("/v1/orders")).willReturn(okJson(orderJson(orderId, amount, currency))));
    return orderId;
  }

  /** The shape of Razorpay's order entity (docs: Orders API, create an order). */
  private static String orderJson(String orderId, long amount, String currency) {
    return "{\"id\":\"" + orderId + "\",\"entity\":\"order\",\"amount\":" + amount + ",\"amount_paid\":0,"
        + "\"amount_due\":" + amount + ",\"currency\":\"" + currency + "\",\"receipt\":\"topup_x\",\"offer_id\":null,"
        + "\"status\":\"created\",\"attempts\":0,\"notes\":[],\"created_at\":1767225600}";
  }

  private static String paymentId() {
    return "pay_Test" + IDS.incrementAndGet() + "y" + System.nanoTime() % 100_000;
  }

  private HttpResponse<String> confirm(String orderId, String paymentId, String signature) {
    return engine.post(topUps() + "/" + orderId + "/confirm", admin, confirmation(paymentId, signature));
  }

  private static String confirmation(String paymentId, String signature) {
    return "{\"razorpay_payment_id\":\"" + paymentId + "\",\"razorpay_signature\":\"" + signature + "\"}";
  }

  /** What Checkout hands the client: HMAC-SHA256 of "orderId|paymentId" under the key secret, in hex. */
  private static String paymentSignature(String orderId, String paymentId) {
    return hmacHex(KEY_SECRET, orderId + "|" + paymentId);
  }

  private static String hmacHex(String secret, String message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /**
   * A payment.captured delivery in Razorpay's shape, with the payer's contact details and non-ASCII text (the
   * signature covers the raw UTF-8 bytes).
   */
  private static String paymentCaptured(String orderId, String paymentId, long amount, String currency) {
    return "{\"entity\":\"event\",\"account_id\":\"acc_BFQ7uQEaa7j2z7\",\"event\":\"payment.captured\","
        + "\"contains\":[\"payment\"],\"payload\":{\"payment\":{\"entity\":" + payment(orderId, paymentId, amount, currency)
        + "}},\"created_at\":1767225600}";
  }

  private static String orderPaid(String orderId, String paymentId, long amount) {
    return "{\"entity\":\"event\",\"account_id\":\"acc_BFQ7uQEaa7j2z7\",\"event\":\"order.paid\","
        + "\"contains\":[\"payment\",\"order\"],\"payload\":{\"payment\":{\"entity\":"
        + payment(orderId, paymentId, amount, "USD") + "},\"order\":{\"entity\":{\"id\":\"" + orderId
        + "\",\"entity\":\"order\",\"amount\":" + amount + ",\"amount_paid\":" + amount + ",\"amount_due\":0,"
        + "\"currency\":\"USD\",\"status\":\"paid\",\"attempts\":1}}},\"created_at\":1767225600}";
  }

  private static String payment(String orderId, String paymentId, long amount, String currency) {
    return "{\"id\":\"" + paymentId + "\",\"entity\":\"payment\",\"amount\":" + amount + ",\"currency\":\"" + currency
        + "\",\"status\":\"captured\",\"order_id\":\"" + orderId + "\",\"international\":true,\"method\":\"card\","
        + "\"amount_refunded\":0,\"captured\":true,\"description\":\"Top-up — टोकन पैक\","
        + "\"email\":\"payer@example.com\",\"contact\":\"+919876543210\",\"notes\":[],\"fee\":590,\"tax\":90,"
        + "\"created_at\":1767225590}";
  }

  private HttpResponse<String> webhook(String body) {
    return webhook(body.getBytes(StandardCharsets.UTF_8), hmacHex(WEBHOOK_SECRET, body));
  }

  private HttpResponse<String> webhook(byte[] body, String signature) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(engine.baseUrl() + "/webhooks/razorpay"))
        .timeout(Duration.ofSeconds(20))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (signature != null) request.header(RazorpayWebhookRoutes.SIGNATURE_HEADER, signature);
    return engine.send(request.build());
  }

  private String balance() {
    HttpResponse<String> tokens = engine.get("/api/v1/tenants/" + tenantId + "/tokens", admin);
    assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
    return json(tokens).get("balance").asText();
  }

  private static JsonNode parse(String body) {
    try {
      return Json.MAPPER.readTree(body);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + body, e);
    }
  }
}
