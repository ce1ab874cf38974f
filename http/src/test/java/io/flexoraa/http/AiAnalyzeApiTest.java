package io.flexoraa.http;

import static io.flexoraa.http.TestEngine.OPERATOR_KEY;
import static io.flexoraa.http.TestEngine.eventually;
import static io.flexoraa.http.TestEngine.json;
import static io.flexoraa.http.ai.OpenAiStub.completion;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import io.flexoraa.engine.tenant.Tokens;
import io.flexoraa.http.ai.OpenAiStub;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import kamon.Kamon;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /api/v1/tenants/{t}/ai/analyze} on a real node: the built-in engine answers when no OpenAI key is set;
 * every analysis debits intent-classification first, and a refused debit (402, 429) analyses nothing; bad input is
 * 400 problem+json and roles without AI read are 403. With the key set (the OpenAI stub), OpenAI answers, its call
 * is in the cost log beside the debit, and when it fails the built-in engine still answers 200.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AiAnalyzeApiTest {
  private static final List<String> FIELDS = List.of("language", "isHinglish", "intent", "category", "tone",
      "budgetBucket", "budgetUsd", "budgetText", "budgetAmount", "budgetCurrency", "budgetPeriod", "timeline",
      "authority", "objections", "buyingSignals", "competitors", "escalate", "escalateReasons", "highRisk",
      "highRiskTypes", "confidence", "provider", "model");

  private TestEngine engine;
  private String tenantId;
  private String admin;

  @BeforeAll
  void start(@TempDir Path dataDirectory) {
    // Kamon's registry without bytecode instrumentation (that is Main's job); a short tick so /metrics is fresh
    Kamon.initWithoutAttaching(ConfigFactory.parseString("kamon.metric.tick-interval = 500ms").withFallback(ConfigFactory.load()));
    // refusals come from the balance and the day's limit here, not from abuse protection's burn-spike rule
    engine = TestEngine.start(dataDirectory, Map.of(
        "flexoraa.abuse.tenant.burn-spike.multiplier", 100000,
        "flexoraa.billing.plans.leados-starter.daily-burn-limit", 1000));
    tenantId = engine.createTenant("Acme Realty", "IN");
    admin = engine.createApiKey(tenantId, "Admin");
  }

  @AfterAll
  void stop() {
    if (engine != null) engine.close();
  }

  private HttpResponse<String> analyze(TestEngine on, String tenant, String key, String body) {
    return on.post("/api/v1/tenants/" + tenant + "/ai/analyze", key, body);
  }

  private String balance(String tenant) {
    return json(engine.get("/api/v1/tenants/" + tenant + "/tokens", OPERATOR_KEY)).get("balance").asText();
  }

  @Test
  void theBuiltInEngineAnswersByDefaultAndTheAnalysisIsDebited() {
    assertThat(engine.server.aiProvider().name()).isEqualTo("builtin");
    assertThat(engine.server.embedder()).isNull();

    HttpResponse<String> response = analyze(engine, tenantId, admin,
        "{\"text\": \"Is the 2BHK still available? My budget is 60 lakh.\", \"channel\": \"whatsapp\"}");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode analysis = json(response);
    List<String> fields = new ArrayList<>();
    analysis.fieldNames().forEachRemaining(fields::add);
    assertThat(fields).containsExactlyElementsOf(FIELDS);
    assertThat(analysis.get("provider").asText()).isEqualTo("builtin");
    assertThat(analysis.get("model").asText()).isEqualTo(io.flexoraa.engine.ai.builtin.BuiltInAnalyzer.MODEL);
    // 60 lakh = 6,000,000 INR = $72,289 at 83 INR/USD: 50K+, which escalates
    assertThat(analysis.get("budgetBucket").asText()).isEqualTo("50K+");
    assertThat(analysis.get("budgetUsd").asLong()).isEqualTo(72289);
    assertThat(analysis.get("budgetText").asText()).isEqualTo("60 lakh");
    assertThat(analysis.get("escalate").asBoolean()).isTrue();
    assertThat(analysis.get("escalateReasons").toString()).contains("budget_50k_plus");
    assertThat(analysis.get("buyingSignals").toString()).contains("asks_availability");
    assertThat(analysis.get("language").asText()).isEqualTo("en");
    assertThat(analysis.get("confidence").asDouble()).isBetween(0.6, 1.0);
    assertThat(balance(tenantId)).isEqualTo("749.00");
    eventually(() -> engine.count("SELECT count(*) FROM token_ledger WHERE tenant_id = ? AND operation = "
        + "'intent-classification' AND reference LIKE 'analyze:%'", tenantId) == 1, "the debit in the ledger");
    assertThat(engine.count("SELECT count(*) FROM cost_log WHERE tenant_id = ?", tenantId))
        .as("the built-in engine costs us nothing").isZero();
  }

  @Test
  void badInputIs400AndDebitsNothing() {
    String tenant = engine.createTenant("Input Co", "IN");
    String key = engine.createApiKey(tenant, "SDR");
    Map<String, String> bodies = new HashMap<>();
    bodies.put("{}", "text");
    bodies.put("{\"text\": \"   \"}", "text");
    bodies.put("{\"text\": 42}", "text");
    bodies.put("{\"text\": \"" + "a".repeat(4_001) + "\"}", "text");
    bodies.put("{\"text\": \"hello\", \"channel\": \"fax\"}", "channel");
    bodies.put("not json", "body");
    bodies.put("[\"hello\"]", "body");
    bodies.forEach((body, field) -> {
      HttpResponse<String> response = analyze(engine, tenant, key, body);
      assertThat(response.statusCode()).as(body).isEqualTo(400);
      assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
      assertThat(json(response).get("field").asText()).as(body).isEqualTo(field);
    });
    assertThat(analyze(engine, tenant, key, "{\"text\": \"" + "a".repeat(4_000) + "\", \"channel\": \"sms\"}")
        .statusCode()).as("4,000 characters is allowed").isEqualTo(200);
    assertThat(balance(tenant)).as("only the one good request was debited").isEqualTo("749.00");
  }

  @Test
  void rolesWithoutAiReadAndOtherTenantsAre403() {
    String other = engine.createTenant("Other Co", "AE");
    for (String role : List.of("Auditor", "ReadOnly", "DevOps")) {
      HttpResponse<String> response = analyze(engine, tenantId, engine.createApiKey(tenantId, role), "{\"text\": \"hi\"}");
      assertThat(response.statusCode()).as(role).isEqualTo(403);
    }
    assertThat(analyze(engine, other, admin, "{\"text\": \"hi\"}").statusCode()).isEqualTo(403);
    assertThat(analyze(engine, tenantId, null, "{\"text\": \"hi\"}").statusCode()).isEqualTo(401);
  }

  @Test
  void anExhaustedBalanceIs402AndTheDaysLimitIs429() throws Exception {
    HttpResponse<String> created = engine.post("/api/v1/tenants", OPERATOR_KEY,
        "{\"name\": \"Small Co\", \"plan\": \"leados-starter\", \"defaultRegion\": \"IN\"}");
    String small = json(created).get("id").asText();
    // 250 tokens a month (the day's limit raised for this test): leave half a token, less than an analysis
    Tokens.DebitOutcome drained = engine.server.tokens()
        .debit(small, "intent-classification", new BigDecimal("249.50"), null, "drain").toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    assertThat(drained).isInstanceOf(Tokens.Debited.class);

    HttpResponse<String> exhausted = analyze(engine, small, OPERATOR_KEY, "{\"text\": \"price please\"}");
    assertThat(exhausted.statusCode()).isEqualTo(402);
    assertThat(exhausted.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(json(exhausted).get("title").asText()).isEqualTo("Tokens exhausted");
    HttpResponse<String> paused = analyze(engine, small, OPERATOR_KEY, "{\"text\": \"price please\"}");
    assertThat(paused.statusCode()).isEqualTo(402);
    assertThat(json(paused).get("title").asText()).isEqualTo("AI paused");
    assertThat(balance(small)).isEqualTo("0.50");

    String pro = engine.createTenant("Busy Co", "IN"); // leados-pro: 24 tokens a day
    engine.server.tokens().debit(pro, "intent-classification", new BigDecimal("23.50"), null, "busy-day")
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    HttpResponse<String> limited = analyze(engine, pro, OPERATOR_KEY, "{\"text\": \"price please\"}");
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(json(limited).get("title").asText()).isEqualTo("Daily token limit reached");
    assertThat(balance(pro)).isEqualTo("726.50");
  }

  @Test
  void withAnOpenAiKeyOpenAiAnswersAndFailingItTheBuiltInEngineDoes(@TempDir Path otherDirectory) {
    try (OpenAiStub stub = new OpenAiStub()) {
      Map<String, Object> overrides = new HashMap<>(stub.engineOverrides());
      overrides.put("flexoraa.ai.openai.max-retries", 0);
      try (TestEngine withOpenAi = TestEngine.start(otherDirectory, overrides)) {
        String tenant = withOpenAi.createTenant("Open Co", "IN");
        String key = withOpenAi.createApiKey(tenant, "Manager");
        assertThat(withOpenAi.server.aiProvider().name()).isEqualTo("openai+builtin");
        assertThat(withOpenAi.server.embedder().name()).isEqualTo("openai:text-embedding-3-small");
        stub.answerChat(completion("""
            {"language": "hi", "is_hinglish": true, "intent": "HIGH", "category": "BUYING", "tone": "EXCITED",
             "budget": {"amount": 6000000, "currency": "INR", "period": "total", "text": "60 lakh"},
             "timeline": "1-3MO", "authority": "NEEDS_APPROVAL", "objections": [], "buying_signals": ["asks_availability"],
             "competitors": [], "high_risk_types": [], "confidence": 0.82}
            """, 640, 90));

        HttpResponse<String> response = analyze(withOpenAi, tenant, key,
            "{\"text\": \"2BHK available hai kya? 60 lakh tak budget hai, next month shift karna hai, wife se puchna padega\","
                + " \"channel\": \"whatsapp\"}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode analysis = json(response);
        assertThat(analysis.get("provider").asText()).isEqualTo("openai");
        assertThat(analysis.get("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(analysis.get("language").asText()).isEqualTo("hi");
        assertThat(analysis.get("isHinglish").asBoolean()).isTrue();
        assertThat(analysis.get("budgetBucket").asText()).isEqualTo("50K+");
        assertThat(analysis.get("budgetUsd").asLong()).isEqualTo(72_289L);
        assertThat(analysis.get("budgetText").asText()).isEqualTo("60 lakh");
        assertThat(analysis.get("budgetCurrency").asText()).isEqualTo("INR");
        assertThat(analysis.get("budgetPeriod").asText()).isEqualTo("total");
        assertThat(analysis.get("timeline").asText()).isEqualTo("1-3MO");
        assertThat(analysis.get("authority").asText()).isEqualTo("NEEDS_APPROVAL");
        assertThat(analysis.get("escalate").asBoolean()).isTrue();
        assertThat(analysis.get("escalateReasons").get(0).asText()).isEqualTo("budget_50k_plus");
        // the model's tokens and money beside the tokens the tenant was debited, under one reference
        eventually(() -> withOpenAi.count("SELECT count(*) FROM cost_log c JOIN token_ledger t ON t.tenant_id = c.tenant_id"
            + " AND t.reference = c.reference WHERE c.tenant_id = ? AND c.operation = 'intent-classification'"
            + " AND c.prompt_tokens = 640 AND c.completion_tokens = 90 AND c.amount > 0 AND c.outcome = 'ok'", tenant) == 1,
            "the call in the cost log beside its debit");

        stub.reset();
        stub.answerChat(OpenAiStub.serverError());
        HttpResponse<String> fallenBack = analyze(withOpenAi, tenant, key, "{\"text\": \"hello, what do you sell?\"}");
        assertThat(fallenBack.statusCode()).isEqualTo(200);
        assertThat(json(fallenBack).get("provider").asText()).isEqualTo("builtin");
        assertThat(withOpenAi.count("SELECT count(*) FROM cost_log WHERE tenant_id = ? AND outcome = 'error'", tenant))
            .isEqualTo(1);
        eventually(() -> withOpenAi.get("/metrics", null).body().lines().anyMatch(line ->
                line.startsWith("flexoraa_ai_fallbacks_total{") && line.contains("reason=\"error\"")),
            "the fallback in /metrics");
      }
    }
  }
}
