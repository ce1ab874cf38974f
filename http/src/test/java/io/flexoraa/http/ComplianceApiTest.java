package io.flexoraa.http;

import static io.flexoraa.http.TestEngine.eventually;
import static io.flexoraa.http.TestEngine.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.flexoraa.engine.compliance.ComplianceGate;
import io.flexoraa.engine.compliance.GateDecision;
import io.flexoraa.engine.compliance.GateRequest;
import io.flexoraa.engine.compliance.GateRequest.Author;
import io.flexoraa.engine.compliance.GateRequest.Form;
import io.flexoraa.engine.compliance.Verdict;
import io.flexoraa.engine.ports.MetaAccountProbe.AccountHealth;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compliance gate end to end on a real engine (embedded PostgreSQL, real HTTP, signed webhooks): Meta's quality
 * and account webhooks through /webhooks/meta change what the gate decides, the recovery check asks a stand-in for
 * the Graph API, and the decisions, summary and templates APIs show the result.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ComplianceApiTest {
  /** The business and phone number ids of Meta's webhook examples. */
  private static final String WABA = "102290129340398";
  private static final String PHONE_NUMBER_ID = "106540352242922";

  private final AtomicReference<AccountHealth> health = new AtomicReference<>(AccountHealth.RESTRICTED);
  private TestEngine engine;
  private ComplianceGate gate;
  private String tenantId;
  private String admin;

  @BeforeAll
  void start(@TempDir Path dataDirectory) {
    // Kamon's registry without bytecode instrumentation (that is Main's job); a short tick so /metrics is fresh
    kamon.Kamon.initWithoutAttaching(com.typesafe.config.ConfigFactory.parseString("kamon.metric.tick-interval = 500ms")
        .withFallback(com.typesafe.config.ConfigFactory.load()));
    engine = TestEngine.start(dataDirectory, Map.of(
            "flexoraa.compliance.suspension.check-every", "1s",
            "flexoraa.compliance.suspension.keep-alive-every", "300ms"),
        (tenant, channel, externalId) -> CompletableFuture.completedFuture(health.get()));
    gate = engine.server.complianceGate();
    tenantId = engine.createTenant("Compliance Co", "IN");
    admin = engine.createApiKey(tenantId, "Admin");
    engine.registerWhatsApp(tenantId, PHONE_NUMBER_ID, WABA);
  }

  @AfterAll
  void stop() {
    if (engine != null) engine.close();
  }

  /** A WABA-level change as Meta sends it. */
  private static String accountChange(String field, String valueJson) {
    return "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"" + WABA + "\",\"time\":1773480000,"
        + "\"changes\":[{\"field\":\"" + field + "\",\"value\":" + valueJson + "}]}]}";
  }

  private GateDecision decide(Author author, Form form, String template, String recipient, Instant lastInboundAt) {
    GateRequest request = new GateRequest(UUID.randomUUID().toString(), tenantId, "lead-" + recipient, "whatsapp",
        PHONE_NUMBER_ID, WABA, recipient, author, form, template, "en_US", "follow-up", 40, null, null, lastInboundAt,
        false, false, false);
    return gate.decide(request).toCompletableFuture().join();
  }

  private String templatesPath() {
    return "/api/v1/tenants/" + tenantId + "/channel-accounts/whatsapp/" + PHONE_NUMBER_ID + "/templates";
  }

  private JsonNode templateNamed(String name) {
    for (JsonNode template : json(engine.get(templatesPath(), admin)).get("items")) {
      if (template.get("name").asText().equals(name)) return template;
    }
    return null;
  }

  @Test
  void webhooksDriveTheGateAndTheReadSideShowsIt() {
    // templates: the operator may set a status (approved before the account was connected); a tenant's is PENDING
    assertThat(engine.post(templatesPath(), admin, "{\"name\":\"promo_offer\",\"language\":\"en_US\","
        + "\"category\":\"MARKETING\",\"purpose\":\"promo\",\"status\":\"APPROVED\"}").statusCode()).isEqualTo(400);
    assertThat(engine.post(templatesPath(), TestEngine.OPERATOR_KEY, "{\"name\":\"promo_offer\",\"language\":\"en_US\","
        + "\"category\":\"MARKETING\",\"purpose\":\"promo\",\"status\":\"APPROVED\"}").statusCode()).isEqualTo(201);
    HttpResponse<String> pending = engine.post(templatesPath(), admin, "{\"name\":\"order_confirmation\","
        + "\"language\":\"en_US\",\"category\":\"UTILITY\",\"purpose\":\"follow-up\"}");
    assertThat(pending.statusCode()).as(pending.body()).isEqualTo(201);
    assertThat(json(pending).get("status").asText()).isEqualTo("PENDING");
    assertThat(decide(Author.AI, Form.FREE_FORM, null, "r-0", null).rule()).isEqualTo("no-approved-template");

    // Meta approves it (its doc example spells the language en-US)
    assertThat(engine.postWebhook(Payloads.whatsAppFixture("wa_template_status_approved_metadoc.json")).statusCode()).isEqualTo(200);
    eventually(() -> "APPROVED".equals(templateNamed("order_confirmation").get("status").asText()), "the approval");
    GateDecision fallback = decide(Author.AI, Form.FREE_FORM, null, "r-1", Instant.now().minusSeconds(25 * 3600));
    assertThat(fallback.verdict()).isEqualTo(Verdict.TEMPLATE);
    assertThat(fallback.templateName()).isEqualTo("order_confirmation");
    assertThat(decide(Author.CAMPAIGN, Form.TEMPLATE, "promo_offer", "r-2", null).verdict()).isEqualTo(Verdict.SEND);

    // a RED quality rating stops marketing on the number
    assertThat(engine.postWebhook(accountChange("phone_number_quality_update",
        "{\"display_phone_number\":\"15550783881\",\"event\":\"FLAGGED\",\"current_limit\":\"TIER_10K\"}")).statusCode())
        .isEqualTo(200);
    eventually(() -> "RED".equals(gate.accountView(tenantId, "whatsapp", PHONE_NUMBER_ID).toCompletableFuture().join()
        .quality()), "the quality update");
    GateDecision red = decide(Author.CAMPAIGN, Form.TEMPLATE, "promo_offer", "r-3", null);
    assertThat(red.verdict()).isEqualTo(Verdict.BLOCK);
    assertThat(red.rule()).isEqualTo("quality-red");

    // a violation suspends the account; the hourly (here: every second) check resumes it once the probe is healthy
    assertThat(engine.postWebhook(Payloads.whatsAppFixture("wa_account_update_violation_metadoc.json")).statusCode()).isEqualTo(200);
    eventually(() -> gate.accountView(tenantId, "whatsapp", PHONE_NUMBER_ID).toCompletableFuture().join()
        .suspension() != null, "the suspension");
    GateDecision paused = decide(Author.HUMAN, Form.FREE_FORM, null, "r-4", Instant.now());
    assertThat(paused.verdict()).isEqualTo(Verdict.DEFER);
    assertThat(paused.rule()).isEqualTo("account-suspended");
    assertThat(paused.notBefore()).isAfter(Instant.now().minusSeconds(1));
    eventually(() -> gate.accountView(tenantId, "whatsapp", PHONE_NUMBER_ID).toCompletableFuture().join()
        .suspension().checks() >= 1, "a recovery check that finds the account still restricted");
    health.set(AccountHealth.HEALTHY);
    eventually(() -> gate.accountView(tenantId, "whatsapp", PHONE_NUMBER_ID).toCompletableFuture().join()
        .suspension() == null, "the recovery");
    assertThat(decide(Author.HUMAN, Form.FREE_FORM, null, "r-4", Instant.now()).verdict()).isEqualTo(Verdict.SEND);

    // a ban, lifted by Meta's reinstatement webhook
    assertThat(engine.postWebhook(accountChange("account_update",
        "{\"event\":\"DISABLED_UPDATE\",\"ban_info\":{\"waba_ban_state\":\"DISABLE\",\"waba_ban_date\":\"March 14, 2026\"}}"))
        .statusCode()).isEqualTo(200);
    eventually(() -> gate.accountView(tenantId, "whatsapp", PHONE_NUMBER_ID).toCompletableFuture().join()
        .suspension() != null, "the ban");
    health.set(AccountHealth.RESTRICTED);
    assertThat(engine.postWebhook(Payloads.whatsAppFixture("wa_account_update_disabled_ban_metadoc.json")).statusCode()).isEqualTo(200);
    eventually(() -> gate.accountView(tenantId, "whatsapp", PHONE_NUMBER_ID).toCompletableFuture().join()
        .suspension() == null, "the reinstatement");

    // the read side
    String base = "/api/v1/tenants/" + tenantId + "/compliance/";
    eventually(() -> json(engine.get(base + "decisions?leadId=lead-r-4", admin)).get("total").asLong() == 2,
        "the decisions projection");
    JsonNode blocked = json(engine.get(base + "decisions?rule=quality-red", admin)).get("items").get(0);
    assertThat(blocked.get("verdict").asText()).isEqualTo("block");
    assertThat(blocked.get("templateName").asText()).isEqualTo("promo_offer");
    assertThat(blocked.get("leadId").asText()).isEqualTo("lead-r-3");
    JsonNode lead4 = json(engine.get(base + "decisions?leadId=lead-r-4", admin));
    assertThat(lead4.get("items").findValuesAsText("verdict")).containsExactly("send", "defer");
    assertThat(json(engine.get(base + "decisions?verdict=defer&limit=1", admin)).get("items")).hasSize(1);
    assertThat(engine.get(base + "decisions?verdict=maybe", admin).statusCode()).isEqualTo(400);
    assertThat(engine.get(base + "decisions?rule=nonsense", admin).statusCode()).isEqualTo(400);

    eventually(() -> json(engine.get(base + "summary", admin)).get("notifications").size() >= 5, "the notifications");
    JsonNode summary = json(engine.get(base + "summary", admin));
    assertThat(summary.get("prevented").findValuesAsText("rule"))
        .contains("quality-red", "account-suspended", "no-approved-template");
    assertThat(summary.get("suspendedAccounts")).isEmpty();
    assertThat(summary.get("accounts").get(0).get("quality").asText()).isEqualTo("RED");
    assertThat(summary.get("tiers").get(0).get("businessAccountId").asText()).isEqualTo(WABA);
    assertThat(summary.get("tiers").get(0).get("limit").asText()).isEqualTo("10000");
    assertThat(summary.get("tiers").get(0).get("used").asInt()).as("r-1 and r-2 reached outside the window")
        .isEqualTo(2);
    assertThat(summary.get("qualityHistory").findValuesAsText("kind"))
        .contains("quality", "suspended", "recovery-checked", "resumed");
    assertThat(summary.get("notifications").findValuesAsText("kind")).contains("compliance.quality-red",
        "compliance.account-suspended", "compliance.account-resumed");
    assertThat(engine.count("SELECT count(*) FROM audit_log WHERE tenant_id = ? AND action IN"
        + " ('channel.suspended', 'channel.resumed')", tenantId)).isEqualTo(4);

    eventually(() -> engine.get("/metrics", null).body().lines().anyMatch(line ->
        line.startsWith("flexoraa_compliance_decisions_total{") && line.contains("rule=\"quality-red\"")
            && line.contains("verdict=\"block\"") && line.contains("channel=\"whatsapp\"")), "the decisions metric");
  }

  @Test
  void templatesOfAnotherTenantsOrAnUnknownAccountAreNotFound() {
    String other = engine.createTenant("Other Co", "IN");
    String otherAdmin = engine.createApiKey(other, "Admin");
    assertThat(engine.get("/api/v1/tenants/" + other + "/channel-accounts/whatsapp/" + PHONE_NUMBER_ID + "/templates",
        otherAdmin).statusCode()).isEqualTo(404);
    assertThat(engine.post("/api/v1/tenants/" + tenantId + "/channel-accounts/whatsapp/999/templates", admin,
        "{\"name\":\"x\",\"language\":\"en\",\"category\":\"UTILITY\"}").statusCode()).isEqualTo(404);
    HttpResponse<String> badCategory = engine.post(templatesPath(), admin,
        "{\"name\":\"x\",\"language\":\"en\",\"category\":\"SPAM\"}");
    assertThat(badCategory.statusCode()).isEqualTo(400);
    assertThat(badCategory.body()).contains("category");
    assertThat(engine.post("/api/v1/tenants/" + tenantId + "/channel-accounts/instagram/" + PHONE_NUMBER_ID
        + "/templates", admin, "{\"name\":\"x\",\"language\":\"en\",\"category\":\"UTILITY\"}").statusCode())
        .isEqualTo(400);
  }
}
