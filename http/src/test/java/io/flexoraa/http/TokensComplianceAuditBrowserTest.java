package io.flexoraa.http;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static io.flexoraa.http.TestEngine.eventually;
import static io.flexoraa.http.TestEngine.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.options.AriaRole;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tokens, compliance and audit pages in Debian's chromium against a real engine. The usage comes from real flows
 * (leads handed in by a web form are verified: 0.50 tokens each; the analysis API: 1 token a call); WhatsApp
 * messages arrive through the signed webhook and replies go through the compliance gate to a WireMock Graph API; a
 * top-up creates its order at a WireMock Razorpay, and Razorpay Checkout's script is replaced in the browser by a
 * stub whose handler answers with the real HMAC-SHA256 signature under the test's key secret, so the engine checks
 * it exactly as it would Checkout's. Screenshots: tokens.png, compliance.png, audit.png.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TokensComplianceAuditBrowserTest {
  private static final String KEY_ID = "rzp_test_DashboardKey01";
  private static final String KEY_SECRET = "razorpay-dashboard-key-secret";
  private static final String ORDER_ID = "order_Dashboard500";
  private static final String PAYMENT_ID = "pay_DashboardPaid01";
  private static final String WABA = "waba-dashboard";
  private static final String PHONE_NUMBER_ID = "pn-dashboard";
  private static final String VERSION = "v23.0";
  private static final String PASSWORD = "correct-horse-battery";

  WireMockServer razorpay;
  WireMockServer graph;
  TestEngine engine;
  BrowserFixture browser;
  String tenant;
  String adminKey;
  String adminSecret;

  @BeforeAll
  void start(@TempDir Path dataDirectory, @TempDir Path userDataDirectory) {
    razorpay = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    razorpay.start();
    graph = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    graph.start();
    graph.stubFor(post(urlPathEqualTo("/" + VERSION + "/" + PHONE_NUMBER_ID + "/messages")).willReturn(okJson(
        "{\"messaging_product\":\"whatsapp\",\"messages\":[{\"id\":\"wamid.dashboard-reply\"}]}")));
    razorpay.stubFor(post(urlEqualTo("/v1/orders")).willReturn(okJson("{\"id\":\"" + ORDER_ID + "\",\"entity\":\"order\","
        + "\"amount\":20000,\"amount_paid\":0,\"amount_due\":20000,\"currency\":\"USD\",\"receipt\":\"topup_x\","
        + "\"offer_id\":null,\"status\":\"created\",\"attempts\":0,\"notes\":[],\"created_at\":1767225600}")));
    browser = BrowserFixture.launch(userDataDirectory);
    engine = TestEngine.start(dataDirectory, Map.of(
        "flexoraa.razorpay.key-id", KEY_ID,
        "flexoraa.razorpay.key-secret", KEY_SECRET,
        "flexoraa.razorpay.webhook-secret", "razorpay-dashboard-webhook-secret",
        "flexoraa.razorpay.api-url", razorpay.baseUrl(),
        "flexoraa.meta.graph.base-url", graph.baseUrl(),
        "flexoraa.meta.graph.api-version", VERSION));
    tenant = engine.createTenant("Acme Realty", "IN"); // leados-pro: 750 tokens
    adminKey = engine.createApiKey(tenant, "Admin");
    engine.createUser(tenant, "priya@acme.example", "Admin", PASSWORD);
    adminSecret = engine.enrolSecondFactor("priya@acme.example", PASSWORD);
    engine.createUser(tenant, "omar@acme.example", "Auditor", PASSWORD);
    engine.connectWhatsApp(tenant, adminKey, PHONE_NUMBER_ID, WABA, "EAAG-dashboard-token");

    // usage: two leads from the web form (verification, channel api) and two analyses (intent-classification)
    BrowserFixture.submitLead(engine, tenant, "Ravi Kumar", "+919812300001");
    BrowserFixture.submitLead(engine, tenant, "Meera Shah", "+919812300002");
    for (String text : List.of("Is the 2BHK in Powai still available?", "What is the price of the villa?")) {
      HttpResponse<String> analysed = engine.post("/api/v1/tenants/" + tenant + "/ai/analyze", adminKey,
          "{\"text\":\"" + text + "\",\"channel\":\"whatsapp\"}");
      assertThat(analysed.statusCode()).as(analysed.body()).isEqualTo(200);
    }
    // the compliance gate: a reply inside the 24-hour window is sent, one 25 hours after the lead wrote is blocked
    String open = whatsAppLead("919800000011", "Asha Rao", "Can I visit on Sunday?", Instant.now().minusSeconds(60));
    String closed = whatsAppLead("919800000012", "Vikram Rao", "Send me the price list",
        Instant.now().minus(Duration.ofHours(25)));
    assertThat(json(reply(open, "Yes, Sunday 11am works.")).get("decision").asText()).isEqualTo("send");
    JsonAnswer blocked = new JsonAnswer(reply(closed, "Here is the price list"));
    assertThat(blocked.field("decision")).isEqualTo("block");
    assertThat(blocked.field("rule")).isEqualTo("window-closed");
    // Meta flags the number's quality (its phone_number_quality_update webhook): the quality history and a notice
    assertThat(engine.postWebhook("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"" + WABA
        + "\",\"time\":" + Instant.now().getEpochSecond() + ",\"changes\":[{\"field\":\"phone_number_quality_update\","
        + "\"value\":{\"display_phone_number\":\"15550783881\",\"event\":\"FLAGGED\",\"current_limit\":\"TIER_1K\"}}]}]}")
        .statusCode()).isEqualTo(200);
    eventually(() -> json(engine.get("/api/v1/tenants/" + tenant + "/compliance/summary", adminKey)).get("qualityHistory")
        .size() == 1, "the quality change in the history");
    eventually(() -> json(engine.get("/api/v1/tenants/" + tenant + "/tokens/ledger", adminKey)).get("total").asLong() == 5,
        "the opening and four debits in the ledger");
    eventually(() -> json(engine.get("/api/v1/tenants/" + tenant + "/compliance/decisions", adminKey)).get("total")
        .asLong() == 2, "both decisions in the read model");
  }

  private record JsonAnswer(HttpResponse<String> response) {
    String field(String name) {
      return json(response).path(name).asText();
    }
  }

  @AfterAll
  void stop() {
    if (browser != null) browser.close();
    if (engine != null) engine.close();
    if (graph != null) graph.stop();
    if (razorpay != null) razorpay.stop();
  }

  private String whatsAppLead(String from, String name, String text, Instant sentAt) {
    HttpResponse<String> received = engine.postWebhook(Payloads.texts(WABA, PHONE_NUMBER_ID,
        List.of(new Payloads.Text("wamid.in-" + from, from, name, text, sentAt.getEpochSecond()))));
    assertThat(received.statusCode()).isEqualTo(200);
    String[] leadId = new String[1];
    eventually(() -> {
      var page = json(engine.get("/api/v1/tenants/" + tenant + "/leads?phone=%2B" + from, adminKey));
      if (page.path("items").size() != 1) return false;
      leadId[0] = page.path("items").get(0).path("id").asText();
      return true;
    }, "the lead of " + from);
    return leadId[0];
  }

  private HttpResponse<String> reply(String leadId, String text) {
    HttpResponse<String> response = engine.post("/api/v1/tenants/" + tenant + "/leads/" + leadId + "/messages",
        adminKey, "{\"text\":\"" + text + "\"}");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return response;
  }

  /** Razorpay's payment signature: HMAC-SHA256 of {@code orderId|paymentId} under the key secret, in hex. */
  private static String paymentSignature(String orderId, String paymentId) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(KEY_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal((orderId + "|" + paymentId).getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** Stands in for checkout.js: "paying" answers the handler at once, as Checkout does after a payment succeeds. */
  private static void fulfilCheckout(Route route) {
    String script = "window.Razorpay = function (options) {\n"
        + "  this.open = function () {\n"
        + "    window.razorpayOpenedWith = { key: options.key, order_id: options.order_id, amount: options.amount,"
        + " currency: options.currency };\n"
        + "    setTimeout(function () { options.handler({ razorpay_payment_id: '" + PAYMENT_ID + "',"
        + " razorpay_order_id: options.order_id, razorpay_signature: '" + paymentSignature(ORDER_ID, PAYMENT_ID) + "' }); }, 50);\n"
        + "  };\n"
        + "};\n";
    route.fulfill(new Route.FulfillOptions().setStatus(200).setContentType("application/javascript").setBody(script));
  }

  @Test
  @Order(1)
  void anAdminSeesUsageAndTopsUpThenComplianceShowsTheBlockedSend() {
    browser.context().route("https://checkout.razorpay.com/v1/checkout.js", TokensComplianceAuditBrowserTest::fulfilCheckout);
    BrowserFixture.Tab tab = browser.newTab();
    Page page = tab.page();
    BrowserFixture.signIn(page, engine.baseUrl(), "priya@acme.example", PASSWORD, adminSecret);

    BrowserFixture.open(page, "Tokens");
    assertThat(page).hasURL(engine.baseUrl() + "/tokens");
    assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Tokens and usage"))).isVisible();
    // 750 - 2 × 0.50 (verification) - 2 × 1 (intent-classification)
    assertThat(page.locator(".tokens-balance")).hasText("747.00");
    assertThat(page.locator("[data-ai]")).hasText("Running (normal)");
    assertThat(page.getByText("3.00 of 24.00 a day")).isVisible();
    // the charts are drawn from the usage API, and their tables carry the same numbers
    assertThat(page.locator("[data-chart=usage-operation] canvas")).isVisible();
    assertUsageRow(page, "usage-operation", "intent-classification", "2.00");
    assertUsageRow(page, "usage-operation", "verification", "1.00");
    assertUsageRow(page, "usage-channel", "api", "1.00");
    assertThat(page.locator("[data-chart=usage-day] canvas")).isVisible();
    assertThat(page.locator("[data-chart=usage-day] tbody tr")).hasCount(1);
    assertThat(page.locator("[data-chart=usage-day] tbody td").first()).hasText("3.00");
    Object drawn = page.evaluate("() => [...document.querySelectorAll('[data-chart] canvas')]"
        + ".map((canvas) => window.Chart.getChart(canvas).data.datasets[0].data.reduce((a, b) => a + b, 0))");
    assertThat((List<?>) drawn).hasSize(3).allSatisfy(sum -> assertThat(((Number) sum).doubleValue()).isEqualTo(3.0));
    assertThat(page.locator("table.ledger tbody tr")).hasCount(5);

    // the top-up: pack 500 → the engine's order → Checkout → the signed answer confirmed → the balance moves
    page.getByLabel(java.util.regex.Pattern.compile("^500\\.00 tokens")).check();
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Top up")).click();
    assertThat(page.locator(".topup-status")).hasText("500.00 tokens added. The balance is now 1247.00.");
    assertThat(page.locator(".tokens-balance")).hasText("1247.00");
    assertThat(page.locator("table.ledger tbody tr").first()).containsText("+500.00");
    @SuppressWarnings("unchecked")
    Map<String, Object> opened = (Map<String, Object>) page.evaluate("() => window.razorpayOpenedWith");
    assertThat(opened).containsEntry("key", KEY_ID).containsEntry("order_id", ORDER_ID).containsEntry("currency", "USD");
    assertThat(((Number) opened.get("amount")).longValue()).isEqualTo(20_000);
    assertThat(json(engine.get("/api/v1/tenants/" + tenant + "/tokens", adminKey)).get("balance").asText())
        .isEqualTo("1247.00");
    BrowserFixture.screenshot(page, "tokens");

    BrowserFixture.open(page, "Compliance");
    assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Compliance").setExact(true))).isVisible();
    Locator windows = page.locator("table.windows tbody tr");
    assertThat(windows).hasCount(1);
    assertThat(windows.locator("th, td")).hasText(new String[] {"whatsapp", "1", "1"});
    assertThat(page.locator("table.prevented tbody tr").first().locator("th, td"))
        .hasText(new String[] {"window-closed", "block", "1"});
    assertThat(page.locator("table.decisions tbody tr")).hasCount(2);
    page.getByLabel("Verdict", exact()).selectOption("block");
    assertThat(page.locator("table.decisions tbody tr")).hasCount(1);
    assertThat(page.locator("table.decisions tbody tr").first()).containsText("window-closed");
    page.getByLabel("Verdict", exact()).selectOption("");
    page.getByLabel("Rule", exact()).selectOption("window-closed");
    assertThat(page.locator("table.decisions tbody tr")).hasCount(1);
    page.getByLabel("Rule", exact()).selectOption("");
    assertThat(page.locator("table.decisions tbody tr")).hasCount(2);
    assertThat(page.getByText("Portfolio " + WABA + ": 0 of 1000 recipients")).isVisible();
    assertThat(page.locator("#accounts-title ~ .table-scroll tbody tr").first().locator("th, td"))
        .hasText(new String[] {PHONE_NUMBER_ID, "whatsapp", "RED", "1000", "Active"});
    BrowserFixture.screenshot(page, "compliance");

    // a phone's width: nothing runs off the side of either page
    page.setViewportSize(360, 740);
    assertThat(BrowserFixture.horizontalOverflow(page)).as("compliance at 360 px").isLessThanOrEqualTo(0);
    BrowserFixture.open(page, "Tokens");
    assertThat(page.locator(".tokens-balance")).hasText("1247.00");
    assertThat(BrowserFixture.horizontalOverflow(page)).as("tokens at 360 px").isLessThanOrEqualTo(0);
    page.setViewportSize(1280, 800);

    // the only console error is the sign-in's first answer asking for the authenticator code (401)
    assertThat(tab.problems()).allSatisfy(problem -> assertThat(problem).contains("401"));
  }

  @Test
  @Order(2)
  void anAuditorFiltersTheLogAndVerifiesTheChain() {
    // the Admin's top-up (the test before) is in the trail once its projection has written it
    eventually(() -> json(engine.get("/api/v1/tenants/" + tenant + "/audit?action=tokens.topped-up", adminKey))
        .get("items").size() == 1, "the top-up in the audit trail");
    BrowserFixture.Tab tab = browser.newTab();
    Page page = tab.page();
    BrowserFixture.signIn(page, engine.baseUrl(), "omar@acme.example", PASSWORD, null);
    Locator nav = page.getByRole(AriaRole.NAVIGATION, new Page.GetByRoleOptions().setName("Main"));
    assertThat(nav.getByRole(AriaRole.LINK)).hasText(new String[] {"Leads", "Audit"});
    BrowserFixture.open(page, "Audit");
    assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Audit log"))).isVisible();

    long all = json(engine.get("/api/v1/tenants/" + tenant + "/audit?limit=1000", adminKey)).get("items").size();
    assertThat(page.locator("table.audit-log tbody tr")).hasCount((int) Math.min(all, 50));

    page.getByLabel("Action", new Page.GetByLabelOptions().setExact(true)).fill("tokens.topped-up");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Filter").setExact(true)).click();
    Locator rows = page.locator("table.audit-log tbody tr");
    assertThat(rows).hasCount(1);
    assertThat(rows.first().locator("td").nth(2)).hasText("tokens.topped-up");
    assertThat(rows.first()).containsText(PAYMENT_ID);

    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Verify chain")).click();
    Locator result = page.locator(".verification");
    assertThat(result).hasText(java.util.regex.Pattern.compile("Chain intact: \\d+ entries verified\\."));
    long verified = Long.parseLong(result.textContent().replaceAll("\\D", ""));
    assertThat(verified).as("every entry of the trail").isGreaterThanOrEqualTo(all);
    BrowserFixture.screenshot(page, "audit");
    assertThat(tab.problems()).isEmpty();
  }

  @Test
  @Order(3)
  void aManagerSeesTheBalanceButCannotBuyTokens() {
    engine.createUser(tenant, "mira@acme.example", "Manager", PASSWORD);
    String secret = engine.enrolSecondFactor("mira@acme.example", PASSWORD);
    BrowserFixture.Tab tab = browser.newTab();
    Page page = tab.page();
    BrowserFixture.signIn(page, engine.baseUrl(), "mira@acme.example", PASSWORD, secret);
    BrowserFixture.open(page, "Tokens");
    assertThat(page.locator(".tokens-balance")).hasText("1247.00");
    assertThat(page.locator("table.ledger tbody tr").first()).containsText("+500.00");
    // billing write is the Admin's alone: no pack to choose, no button
    assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Buy tokens"))).hasCount(0);
    assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Top up"))).hasCount(0);
    // a Manager may verify the audit chain too
    BrowserFixture.open(page, "Audit");
    assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Verify chain"))).isVisible();
    assertThat(tab.problems()).allSatisfy(problem -> assertThat(problem).contains("401"));
  }

  private static Page.GetByLabelOptions exact() {
    return new Page.GetByLabelOptions().setExact(true);
  }

  private static void assertUsageRow(Page page, String chart, String key, String tokens) {
    Locator row = page.locator("[data-chart=" + chart + "] tbody tr")
        .filter(new Locator.FilterOptions().setHas(page.locator("th", new Page.LocatorOptions().setHasText(key))));
    assertThat(row.locator("td").first()).hasText(tokens);
  }
}
