package io.flexoraa.http;

import static io.flexoraa.http.TestEngine.OPERATOR_KEY;
import static io.flexoraa.http.TestEngine.eventually;
import static io.flexoraa.http.TestEngine.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.flexoraa.engine.tenant.Tokens.DebitOutcome;
import io.flexoraa.engine.tenant.Tokens.Debited;
import io.flexoraa.engine.tenant.Tokens.Refusal;
import io.flexoraa.engine.tenant.Tokens.Refused;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The token economy end to end on a real node: debits through the node's batcher land as a few journal rows with
 * the exact balance, the API shows the balance, the ledger (which adds up to it) and the notifications, and a
 * support grant is credited once per idempotency key and audited.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenApiTest {
  private TestEngine engine;
  private String tenantId;
  private String admin;

  @BeforeAll
  void start(@TempDir Path dataDirectory) {
    // the token economy alone: burning a day's tokens in the first hour is also a burn spike (AbuseProtectionTest)
    engine = TestEngine.start(dataDirectory, java.util.Map.of("flexoraa.abuse.tenant.burn-spike.multiplier", 1000));
    tenantId = engine.createTenant("Acme Realty", "IN"); // leados-pro: 750 tokens a month, 24 a day
    admin = engine.createApiKey(tenantId, "Admin");
  }

  @AfterAll
  void stop() {
    if (engine != null) engine.close();
  }

  private JsonNode tokens() {
    HttpResponse<String> response = engine.get("/api/v1/tenants/" + tenantId + "/tokens", admin);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response);
  }

  private JsonNode ledger() {
    HttpResponse<String> response = engine.get("/api/v1/tenants/" + tenantId + "/tokens/ledger?limit=500", admin);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response);
  }

  private HttpResponse<String> grant(String body, String idempotencyKey) {
    HttpRequest.Builder request = HttpRequest.newBuilder(
            URI.create(engine.baseUrl() + "/api/v1/tenants/" + tenantId + "/tokens/grants"))
        .header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + OPERATOR_KEY)
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (idempotencyKey != null) request.header("Idempotency-Key", idempotencyKey);
    return engine.send(request.build());
  }

  private List<DebitOutcome> debitConcurrently(int count, String operation) throws Exception {
    List<CompletableFuture<DebitOutcome>> outcomes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      outcomes.add(engine.server.tokens().debit(tenantId, operation, "lead-" + i, "wamid." + i).toCompletableFuture());
    }
    List<DebitOutcome> done = new ArrayList<>();
    for (CompletableFuture<DebitOutcome> outcome : outcomes) done.add(outcome.get(20, TimeUnit.SECONDS));
    return done;
  }

  @Test
  void theTokenEconomyEndToEnd() throws Exception {
    JsonNode opened = tokens();
    assertThat(opened.get("plan").asText()).isEqualTo("leados-pro");
    assertThat(opened.get("balance").asText()).isEqualTo("750.00");
    assertThat(opened.get("monthlyTokens").asText()).isEqualTo("750.00");
    assertThat(opened.get("dailyBurnLimit").asText()).isEqualTo("24.00");
    assertThat(opened.get("aiPaused").asBoolean()).isFalse();
    assertThat(opened.get("aiMode").asText()).isEqualTo("normal");
    assertThat(opened.get("ledgerPosition").asLong()).isEqualTo(1);

    // 200 debits at once: each answered, exactly, in a handful of persisted events
    List<DebitOutcome> outcomes = debitConcurrently(200, "inbound-whatsapp-message");
    assertThat(outcomes).allMatch(Debited.class::isInstance);
    long journalRows = engine.count("SELECT count(*) FROM event_journal WHERE persistence_id = ?", "Tenant|" + tenantId);
    assertThat(journalRows - 2).as("events persisted for 200 debits (after TenantCreated and the opening)")
        .isBetween(1L, 40L);
    JsonNode afterDebits = tokens();
    assertThat(afterDebits.get("balance").asText()).isEqualTo("730.00");
    assertThat(afterDebits.get("consumed").asText()).isEqualTo("20.00");
    assertThat(afterDebits.get("burnToday").asText()).isEqualTo("20.00");

    // a support grant: credited once per idempotency key, audited
    HttpResponse<String> granted = grant("{\"tokens\": \"25.5\", \"reason\": \"goodwill after the outage\"}", "ticket-991");
    assertThat(granted.statusCode()).as(granted.body()).isEqualTo(201);
    assertThat(json(granted).get("tokens").asText()).isEqualTo("25.50");
    assertThat(json(granted).get("balanceAfter").asText()).isEqualTo("755.50");
    assertThat(json(granted).get("entryId").asLong()).isEqualTo(202);
    HttpResponse<String> again = grant("{\"tokens\": \"25.5\", \"reason\": \"goodwill after the outage\"}", "ticket-991");
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(json(again).get("duplicate").asBoolean()).isTrue();
    assertThat(tokens().get("balance").asText()).isEqualTo("755.50");
    HttpResponse<String> number = grant("{\"tokens\": 0.1, \"reason\": \"a JSON number, read exactly\"}", null);
    assertThat(json(number).get("balanceAfter").asText()).isEqualTo("755.60");
    eventually(() -> json(engine.get("/api/v1/tenants/" + tenantId + "/audit?action=tokens.granted", admin))
        .get("items").size() == 2, "the grants in the audit trail");
    JsonNode audited = json(engine.get("/api/v1/tenants/" + tenantId + "/audit?action=tokens.granted", admin))
        .get("items").get(0);
    assertThat(audited.get("actor").asText()).isEqualTo("operator");
    assertThat(audited.get("details").get("tokens").asText()).isEqualTo("25.50");
    assertThat(audited.get("details").get("reason").asText()).isEqualTo("goodwill after the outage");
    assertThat(audited.get("details").get("reference").asText()).isEqualTo("grant:ticket-991");

    // the ledger adds up to the balance
    eventually(() -> ledger().get("total").asLong() == 203, "the ledger projection");
    JsonNode ledger = ledger();
    BigDecimal sum = BigDecimal.ZERO;
    for (JsonNode entry : ledger.get("items")) {
      BigDecimal tokens = new BigDecimal(entry.get("tokens").asText());
      sum = "credit".equals(entry.get("kind").asText()) ? sum.add(tokens) : sum.subtract(tokens);
    }
    assertThat(sum.toPlainString()).isEqualTo("755.60");
    assertThat(ledger.get("items").get(0).get("balanceAfter").asText()).isEqualTo("755.60");
    assertThat(ledger.get("items").get(0).get("entryId").asLong()).isEqualTo(203);
    JsonNode opening = ledger.get("items").get(202);
    assertThat(opening.get("operation").asText()).isEqualTo("opening");
    assertThat(opening.get("tokens").asText()).isEqualTo("750.00");
    JsonNode aDebit = ledger.get("items").get(10);
    assertThat(aDebit.get("kind").asText()).isEqualTo("debit");
    assertThat(aDebit.get("operation").asText()).isEqualTo("inbound-whatsapp-message");
    assertThat(aDebit.get("tokens").asText()).isEqualTo("0.10");
    assertThat(aDebit.get("leadId").asText()).startsWith("lead-");

    // the day's limit pauses AI, and the tenant is told
    List<DebitOutcome> pastTheLimit = debitConcurrently(45, "inbound-whatsapp-message");
    assertThat(pastTheLimit.stream().filter(Debited.class::isInstance).count()).isEqualTo(40);
    assertThat(pastTheLimit).contains(new Refused(Refusal.AI_PAUSED));
    JsonNode paused = tokens();
    assertThat(paused.get("aiPaused").asBoolean()).isTrue();
    assertThat(paused.get("aiMode").asText()).isEqualTo("paused");
    assertThat(paused.get("pauseReason").asText()).isEqualTo("daily-burn-limit");
    assertThat(paused.get("burnToday").asText()).isEqualTo("24.00");
    eventually(() -> json(engine.get("/api/v1/tenants/" + tenantId + "/tokens/notifications", admin)).get("total").asLong() == 1,
        "the pause notification");
    JsonNode notification = json(engine.get("/api/v1/tenants/" + tenantId + "/tokens/notifications", admin)).get("items").get(0);
    assertThat(notification.get("kind").asText()).isEqualTo("tokens.ai-paused");
    assertThat(notification.get("level").asText()).isEqualTo("critical");
    assertThat(notification.get("message").asText()).contains("daily token limit");
    eventually(() -> json(engine.get("/api/v1/tenants/" + tenantId + "/audit?action=tokens.ai-paused", admin))
        .get("items").size() == 1, "the pause in the audit trail");
    assertThat(json(engine.get("/api/v1/tenants/" + tenantId + "/audit?subject=tokens", admin)).get("items").size())
        .as("debits are not audited one by one").isLessThan(10);
  }

  @Test
  void withoutRazorpayKeysTopUpsAreUnavailableAndTheEngineRuns() {
    HttpResponse<String> order = engine.post("/api/v1/tenants/" + tenantId + "/tokens/topups", admin, "{\"pack\": \"500\"}");
    assertThat(order.statusCode()).isEqualTo(503);
    assertThat(order.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(json(order).get("title").asText()).isEqualTo("Payments not configured");
    HttpResponse<String> confirmation = engine.post("/api/v1/tenants/" + tenantId + "/tokens/topups/order_X/confirm",
        admin, "{\"razorpay_payment_id\": \"pay_X\", \"razorpay_signature\": \"00\"}");
    assertThat(confirmation.statusCode()).isEqualTo(503);
    HttpResponse<String> webhook = engine.send(HttpRequest.newBuilder(URI.create(engine.baseUrl() + "/webhooks/razorpay"))
        .header("X-Razorpay-Signature", "00").POST(HttpRequest.BodyPublishers.ofString("{}")).build());
    assertThat(webhook.statusCode()).as("Razorpay retries until the secret is set").isEqualTo(503);
    HttpResponse<String> listed = engine.get("/api/v1/tenants/" + tenantId + "/tokens/topups", admin);
    assertThat(listed.statusCode()).isEqualTo(200);
    assertThat(json(listed).get("total").asLong()).isZero();
  }

  @Test
  void grantsAreValidatedAndForTheOperatorOnly() {
    assertThat(json(grant("{\"tokens\": \"0.001\", \"reason\": \"x\"}", null)).get("field").asText()).isEqualTo("tokens");
    assertThat(grant("{\"tokens\": \"-5\", \"reason\": \"x\"}", null).statusCode()).isEqualTo(400);
    assertThat(grant("{\"tokens\": \"1e9\", \"reason\": \"x\"}", null).statusCode()).as("over max-grant").isEqualTo(400);
    assertThat(grant("{\"tokens\": \"ten\", \"reason\": \"x\"}", null).statusCode()).isEqualTo(400);
    assertThat(json(grant("{\"tokens\": \"10\"}", null)).get("field").asText()).isEqualTo("reason");
    assertThat(grant("{\"tokens\": \"10\", \"reason\": \"x\"}", "bad key with spaces").statusCode()).isEqualTo(400);
    HttpResponse<String> asAdmin = engine.post("/api/v1/tenants/" + tenantId + "/tokens/grants", admin,
        "{\"tokens\": \"10\", \"reason\": \"I would like more\"}");
    assertThat(asAdmin.statusCode()).isEqualTo(403);
    HttpResponse<String> unknownTenant = engine.post("/api/v1/tenants/no-such-tenant/tokens/grants", OPERATOR_KEY,
        "{\"tokens\": \"10\", \"reason\": \"x\"}");
    assertThat(unknownTenant.statusCode()).isEqualTo(404);
  }
}
