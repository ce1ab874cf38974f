package io.flexoraa.http;

import static io.flexoraa.http.TestEngine.eventually;
import static io.flexoraa.http.TestEngine.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.flexoraa.engine.ports.CostLog;
import io.flexoraa.engine.tenant.Tokens.Debited;
import io.flexoraa.persistence.Jdbc;
import io.flexoraa.persistence.costs.JdbcCostLog;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cost log and the usage report end to end on a real node: Meta's own status examples (with their pricing
 * objects) delivered through the signed webhook become one cost row per message, token debits and model calls add up
 * per operation and channel, the range is half-open and validated, and a tenant sees only its own usage.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UsageApiTest {
  /** The business and phone number ids of Meta's webhook examples, and the customer they write to. */
  private static final String META_WABA = "102290129340398";
  private static final String META_PHONE_NUMBER_ID = "106540352242922";
  private static final String META_CUSTOMER = "16505551234";
  /** wa_status_sent_pmp_metadoc.json: sent 2025-06-15T23:27:53Z, PMP marketing. */
  private static final String PMP_MESSAGE = "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=";

  private TestEngine engine;
  private ExecutorService blocking;
  private CostLog costLog;

  @BeforeAll
  void start(@TempDir Path dataDirectory) {
    engine = TestEngine.start(dataDirectory);
    blocking = Executors.newFixedThreadPool(2);
    costLog = new JdbcCostLog(new Jdbc(engine.server.database().dataSource(), blocking));
  }

  @AfterAll
  void stop() {
    if (engine != null) engine.close();
    if (blocking != null) blocking.shutdownNow();
  }

  private JsonNode usage(String tenantId, String key, String query) {
    HttpResponse<String> response = engine.get("/api/v1/tenants/" + tenantId + "/usage" + query, key);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response);
  }

  private static List<String> keys(JsonNode report) {
    return report.get("rows").findValuesAsText("key");
  }

  private static JsonNode row(JsonNode report, String key) {
    for (JsonNode row : report.get("rows")) if (row.get("key").asText().equals(key)) return row;
    throw new AssertionError("no row " + key + " in " + report);
  }

  @Test
  void metasPricedStatusesAreOneCostRowPerMessageReportedPerDayChannelAndOperation() {
    String tenantId = engine.createTenant("Meta's example business", "US");
    String admin = engine.createApiKey(tenantId, "Admin");
    engine.registerWhatsApp(tenantId, META_PHONE_NUMBER_ID, META_WABA);
    // the customer writes first, so the statuses of our replies reach a lead
    engine.postWebhook(Payloads.text(META_WABA, META_PHONE_NUMBER_ID, "wamid.in-1", META_CUSTOMER, "Hi"));
    eventually(() -> engine.count("SELECT count(*) FROM leads WHERE tenant_id = ?", tenantId) == 1, "the lead");

    String sent = Payloads.whatsAppFixture("wa_status_sent_pmp_metadoc.json");
    String delivered = sent.replace("\"status\": \"sent\"", "\"status\": \"delivered\"")
        .replace("\"timestamp\": \"1750030073\"", "\"timestamp\": \"1750030080\"");
    String read = sent.replace("\"status\": \"sent\"", "\"status\": \"read\"")
        .replace("\"timestamp\": \"1750030073\"", "\"timestamp\": \"1750030200\"");
    assertThat(delivered).contains("\"delivered\"", "\"pricing\"").isNotEqualTo(sent);
    for (String body : List.of(sent, delivered, sent, read, Payloads.whatsAppFixture("wa_status_delivered_metadoc.json"))) {
      assertThat(engine.postWebhook(body).statusCode()).isEqualTo(200);
    }
    // the last status is of another message on the same lead (same projection tag): once it is in, all are
    eventually(() -> engine.count("SELECT count(*) FROM cost_log WHERE tenant_id = ?", tenantId) == 2,
        "the cost-log projection");
    assertThat(engine.count("SELECT count(*) FROM cost_log WHERE tenant_id = ? AND reference = ?"
        + " AND kind = 'outbound_message' AND pricing_model = 'PMP' AND pricing_category = 'marketing'"
        + " AND billable AND details->>'status' = 'sent'", tenantId, PMP_MESSAGE)).isEqualTo(1);

    JsonNode byDay = usage(tenantId, admin, "?from=2025-06-01&to=2025-07-01&groupBy=day");
    assertThat(byDay.get("from").asText()).isEqualTo("2025-06-01T00:00:00Z");
    assertThat(byDay.get("to").asText()).isEqualTo("2025-07-01T00:00:00Z");
    assertThat(byDay.get("groupBy").asText()).isEqualTo("day");
    assertThat(keys(byDay)).containsExactly("2025-06-15", "2025-06-18");
    assertThat(row(byDay, "2025-06-15").get("outboundMessages").asLong()).isEqualTo(1);
    assertThat(row(byDay, "2025-06-15").get("billableOutbound").asLong()).isEqualTo(1);
    assertThat(row(byDay, "2025-06-15").get("tokens").asText()).isEqualTo("0.00");
    assertThat(row(byDay, "2025-06-15").get("money").size()).as("Meta's pricing carries no price").isZero();
    assertThat(byDay.get("totals").get("outboundMessages").asLong()).isEqualTo(2);
    assertThat(byDay.get("totals").get("billableOutbound").asLong()).isEqualTo(2);

    JsonNode byChannel = usage(tenantId, admin, "?from=2025-06-01&to=2025-07-01&groupBy=channel");
    assertThat(keys(byChannel)).containsExactly("whatsapp");
    JsonNode byOperation = usage(tenantId, admin, "?from=2025-06-01&to=2025-07-01");
    assertThat(byOperation.get("groupBy").asText()).isEqualTo("operation");
    assertThat(keys(byOperation)).containsExactly("outbound-whatsapp-message");
    assertThat(row(byOperation, "outbound-whatsapp-message").get("outboundMessages").asLong()).isEqualTo(2);

    // half-open: the sent instant itself is in, the day named by `to` is out
    JsonNode halfOpen = usage(tenantId, admin, "?from=2025-06-15T23:27:53Z&to=2025-06-18&groupBy=day");
    assertThat(keys(halfOpen)).containsExactly("2025-06-15");
    assertThat(keys(usage(tenantId, admin, "?from=2025-06-15T23:27:54Z&to=2025-06-18&groupBy=day"))).isEmpty();

    // another tenant sees nothing of it, and cannot ask for it
    String other = engine.createTenant("Other business", "US");
    String otherAdmin = engine.createApiKey(other, "Admin");
    JsonNode theirs = usage(other, otherAdmin, "?from=2025-06-01&to=2025-07-01&groupBy=channel");
    assertThat(theirs.get("rows").size()).isZero();
    assertThat(theirs.get("totals").get("outboundMessages").asLong()).isZero();
    assertThat(engine.get("/api/v1/tenants/" + tenantId + "/usage", otherAdmin).statusCode()).isEqualTo(403);
  }

  @Test
  void debitsAndModelCallsOfThisMonthAddUpPerOperationAndChannel() throws Exception {
    String tenantId = engine.createTenant("Acme Realty", "IN");
    String admin = engine.createApiKey(tenantId, "Admin");
    String manager = engine.createApiKey(tenantId, "Manager");
    engine.registerWhatsApp(tenantId, "pn-usage", "waba-usage");
    engine.postWebhook(Payloads.text("waba-usage", "pn-usage", "wamid.in-usage", "919800000001", "Is the flat free?"));
    eventually(() -> json(engine.get("/api/v1/tenants/" + tenantId + "/leads", admin)).get("total").asLong() == 1,
        "the WhatsApp lead");
    String whatsappLead = json(engine.get("/api/v1/tenants/" + tenantId + "/leads", admin)).get("items").get(0)
        .get("id").asText();
    // a lead from a form: verification debits 0.50 tokens, channel api. The cluster's rate budget answers 429 (and
    // takes nothing in) until its first lease after start (decision 14), so this retries until it is let in
    eventually(() -> engine.post("/api/v1/tenants/" + tenantId + "/leads", admin,
        "{\"name\": \"Ravi\", \"phone\": \"+919800000002\"}").statusCode() == 201, "the submitted lead");

    assertThat(engine.server.tokens().debit(tenantId, "intent-classification", whatsappLead, "wamid.in-usage")
        .toCompletableFuture().get(10, TimeUnit.SECONDS)).isInstanceOf(Debited.class);
    assertThat(engine.server.tokens().debit(tenantId, "routing", null, "route-1")
        .toCompletableFuture().get(10, TimeUnit.SECONDS)).isInstanceOf(Debited.class);
    Instant now = Instant.now();
    assertThat(record(tenantId, "call-1", whatsappLead, 812, 64, "0.00016")).isTrue();
    assertThat(record(tenantId, "call-2", whatsappLead, 400, 40, "0.00012")).isTrue();
    assertThat(record(tenantId, "call-1", whatsappLead, 812, 64, "0.00016")).as("a retried record").isFalse();
    eventually(() -> json(engine.get("/api/v1/tenants/" + tenantId + "/tokens/ledger", admin)).get("total").asLong() == 4,
        "the ledger projection");
    eventually(() -> engine.count("SELECT count(*) FROM leads WHERE tenant_id = ?", tenantId) == 2, "both leads");

    JsonNode byOperation = usage(tenantId, manager, "");
    YearMonth month = YearMonth.from(now.atZone(ZoneOffset.UTC));
    assertThat(byOperation.get("from").asText()).isEqualTo(month.atDay(1) + "T00:00:00Z");
    assertThat(byOperation.get("to").asText()).isEqualTo(month.plusMonths(1).atDay(1) + "T00:00:00Z");
    assertThat(keys(byOperation)).containsExactly("intent-classification", "routing", "verification");
    JsonNode intent = row(byOperation, "intent-classification");
    assertThat(intent.get("tokens").asText()).isEqualTo("1.00");
    assertThat(intent.get("debits").asLong()).isEqualTo(1);
    assertThat(intent.get("aiCalls").asLong()).isEqualTo(2);
    assertThat(intent.get("promptTokens").asLong()).isEqualTo(1212);
    assertThat(intent.get("completionTokens").asLong()).isEqualTo(104);
    assertThat(intent.get("money").get("USD").asText()).isEqualTo("0.00028");
    assertThat(row(byOperation, "verification").get("tokens").asText()).isEqualTo("0.50");
    JsonNode totals = byOperation.get("totals");
    assertThat(totals.get("tokens").asText()).isEqualTo("2.50");
    assertThat(totals.get("debits").asLong()).isEqualTo(3);
    assertThat(totals.get("aiCalls").asLong()).isEqualTo(2);
    assertThat(totals.get("externalCalls").asLong()).isZero();
    assertThat(totals.get("money").get("USD").asText()).isEqualTo("0.00028");

    JsonNode byChannel = usage(tenantId, admin, "?groupBy=channel");
    assertThat(keys(byChannel)).containsExactly("api", "none", "whatsapp");
    assertThat(row(byChannel, "api").get("tokens").asText()).isEqualTo("0.50");
    assertThat(row(byChannel, "none").get("tokens").asText()).isEqualTo("1.00");
    assertThat(row(byChannel, "whatsapp").get("tokens").asText()).isEqualTo("1.00");
    assertThat(row(byChannel, "whatsapp").get("aiCalls").asLong()).isEqualTo(2);
    assertThat(row(byChannel, "whatsapp").get("money").get("USD").asText()).isEqualTo("0.00028");
  }

  private boolean record(String tenantId, String reference, String lead, int prompt, int completion, String cost)
      throws Exception {
    return costLog.recordAiCall(new CostLog.AiCall(tenantId, reference, lead, "intent-classification", "openai",
            "gpt-4o-mini", prompt, completion, new BigDecimal(cost), "USD", Duration.ofMillis(640),
            CostLog.Outcome.OK, Instant.now()))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void badParametersAre400NamingTheParameter() {
    String tenantId = engine.createTenant("Validation", "IN");
    String admin = engine.createApiKey(tenantId, "Admin");
    String[][] cases = {
        {"?from=yesterday", "from"},
        {"?from=2026-02-30", "from"},
        {"?to=2026-03-01T00:00:00", "to"},
        {"?from=2026-03-02&to=2026-03-01", "to"},
        {"?from=2026-03-01&to=2026-03-01", "to"},
        {"?from=2024-01-01&to=2026-01-01", "to"},
        {"?groupBy=lead", "groupBy"},
        {"?groupBy=DAY", "groupBy"},
    };
    for (String[] bad : cases) {
      HttpResponse<String> response = engine.get("/api/v1/tenants/" + tenantId + "/usage" + bad[0], admin);
      assertThat(response.statusCode()).as(bad[0]).isEqualTo(400);
      assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
      assertThat(json(response).get("field").asText()).as(bad[0]).isEqualTo(bad[1]);
    }
    // an offset is honoured (its + escaped in the query string), and a year of days is allowed
    JsonNode offset = usage(tenantId, admin, "?from=2026-03-01T05:30:00%2B05:30&to=2027-03-01&groupBy=day");
    assertThat(offset.get("from").asText()).isEqualTo("2026-03-01T00:00:00Z");
    assertThat(offset.get("to").asText()).isEqualTo("2027-03-01T00:00:00Z");
  }
}
