package io.flexoraa.http;

import static io.flexoraa.http.TestEngine.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.flexoraa.engine.ai.AiProfile;
import io.flexoraa.engine.ai.Analysis;
import io.flexoraa.engine.ai.ReplyDraft;
import io.flexoraa.engine.ai.ReplyRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET/PUT /api/v1/tenants/{t}/ai-profile} on a real node: stored and read back exactly, validated field by field
 * (400 problem+json naming the field), refused to roles without AI write, audited in outline, kept apart per tenant,
 * and used at once by the reply stage of the node that stored it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AiProfileApiTest {
  private static final String PROFILE = """
      {
        "business": "Skyline Homes",
        "description": "Ready-to-move apartments in Pune",
        "products": [
          {"name": "Sky Villa 3BHK", "description": "private deck", "price": 9500000.50, "currency": "INR"},
          {"name": "Studio Loft"}
        ],
        "proofPoints": ["Rated 4.7★ by 1,200 families"],
        "tone": "friendly",
        "faq": [
          {"question": "Is there parking?", "answer": "Yes: one covered slot per apartment.", "language": "en"},
          {"question": "Parking hai kya?", "answer": "Haan, har apartment ke saath covered parking.", "language": "hi-Latn"}
        ],
        "competitors": ["Lodha"],
        "replyTemplates": {"hi": {"holding": "धन्यवाद! {business} की टीम आपसे बात करेगी।"}},
        "bookingLink": "https://book.skyline.example/visit",
        "defaultLanguage": "en"
      }
      """;

  private TestEngine engine;
  private String tenantA;
  private String tenantB;
  private String adminA;
  private String adminB;

  @BeforeAll
  void start(@TempDir Path dataDirectory) {
    engine = TestEngine.start(dataDirectory);
    tenantA = engine.createTenant("Skyline Homes", "IN");
    tenantB = engine.createTenant("Other Homes", "AE");
    adminA = engine.createApiKey(tenantA, "Admin");
    adminB = engine.createApiKey(tenantB, "Admin");
  }

  @AfterAll
  void stop() {
    if (engine != null) engine.close();
  }

  private HttpResponse<String> put(String tenant, String key, String body) {
    return engine.request("PUT", "/api/v1/tenants/" + tenant + "/ai-profile", key, body);
  }

  private HttpResponse<String> get(String tenant, String key) {
    return engine.get("/api/v1/tenants/" + tenant + "/ai-profile", key);
  }

  @Test
  void aProfileIsStoredReadBackAndPutBackUnchanged() {
    HttpResponse<String> stored = put(tenantA, adminA, PROFILE);

    assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
    JsonNode body = json(stored);
    assertThat(body.get("updatedBy").asText()).startsWith("api-key:");
    assertThat(body.get("updatedAt").asText()).isNotBlank();
    HttpResponse<String> read = get(tenantA, adminA);
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(json(read)).isEqualTo(body);
    assertThat(read.body()).contains("\"price\":9500000.50").contains("\"language\":\"hi-Latn\"")
        .contains("{business} की टीम");
    assertThat(json(read).at("/products/1/price").isNull()).isTrue();

    HttpResponse<String> again = put(tenantA, adminA, read.body());
    assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
    JsonNode audit = json(engine.get("/api/v1/tenants/" + tenantA + "/audit?action=ai-profile.updated", adminA));
    JsonNode last = audit.path("items").get(audit.path("items").size() - 1);
    assertThat(last.path("subject").asText()).isEqualTo("ai-profile");
    assertThat(last.path("actor").asText()).isEqualTo(body.get("updatedBy").asText());
    assertThat(last.path("details").path("changed")).isEmpty();
    assertThat(audit.path("items").get(0).path("details").path("created").asBoolean()).isTrue();
    assertThat(audit.path("items").get(0).path("details").path("faq").asInt()).isEqualTo(2);
    assertThat(audit.toString()).doesNotContain("Ready-to-move").doesNotContain("covered slot");
  }

  @Test
  void aTenantWithoutAProfileReadsTheEmptyOne() {
    String tenant = engine.createTenant("Fresh Co", "IN");
    HttpResponse<String> read = get(tenant, engine.createApiKey(tenant, "SDR"));
    assertThat(read.statusCode()).isEqualTo(200);
    JsonNode body = json(read);
    assertThat(body.get("products")).isEmpty();
    assertThat(body.get("defaultLanguage").asText()).isEqualTo("en");
    assertThat(body.get("tone").asText()).isEqualTo("friendly");
    assertThat(body.get("updatedAt").isNull()).isTrue();
  }

  @Test
  void everyInvalidFieldIsA400NamingIt() {
    String tenant = engine.createTenant("Strict Homes", "IN");
    String admin = engine.createApiKey(tenant, "Admin");
    Map<String, String> bodyToField = new java.util.LinkedHashMap<>();
    bodyToField.put("{\"products\":[{\"name\":\"X\",\"price\":10}]}", "products[0].currency");
    bodyToField.put("{\"products\":[{\"name\":\"X\",\"price\":10,\"currency\":\"RUPEES\"}]}", "products[0].currency");
    bodyToField.put("{\"products\":[{\"name\":\"X\",\"price\":\"cheap\",\"currency\":\"INR\"}]}", "products[0].price");
    bodyToField.put("{\"products\":[{\"name\":\"X\",\"colour\":\"red\"}]}", "products[0].colour");
    bodyToField.put("{\"replyTemplates\":{\"en\":{\"question.salary\":\"What do you earn?\"}}}",
        "replyTemplates.en.question.salary");
    bodyToField.put("{\"replyTemplates\":{\"en\":{\"holding\":\"Hi {first_name}!\"}}}", "replyTemplates.en.holding");
    bodyToField.put("{\"replyTemplates\":{\"english\":{\"holding\":\"Hi!\"}}}", "replyTemplates.english");
    bodyToField.put("{\"replyTemplates\":{\"en\":{\"holding\":null}}}", "replyTemplates.en.holding");
    bodyToField.put("{\"bookingLink\":\"http://book.example/x\"}", "bookingLink");
    bodyToField.put("{\"faq\":[{\"question\":\"Parking?\",\"answer\":\"Yes\",\"language\":\"english\"}]}",
        "faq[0].language");
    bodyToField.put("{\"faq\":[{\"question\":\"Parking?\"}]}", "faq[0].answer");
    bodyToField.put("{\"proofPoints\":[null]}", "proofPoints[0]");
    bodyToField.put("{\"tone\":\"sarcastic\"}", "tone");
    bodyToField.put("{\"defaultLanguage\":\"EN\"}", "defaultLanguage");
    bodyToField.put("{\"pricing\":\"cheap\"}", "pricing");
    bodyToField.put("[1,2]", "body");
    bodyToField.put("not json", "body");
    for (Map.Entry<String, String> invalid : bodyToField.entrySet()) {
      HttpResponse<String> response = put(tenant, admin, invalid.getKey());
      assertThat(response.statusCode()).as(invalid.getKey() + " -> " + response.body()).isEqualTo(400);
      assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
      assertThat(json(response).path("field").asText()).as(invalid.getKey()).isEqualTo(invalid.getValue());
    }
    assertThat(engine.count("SELECT count(*) FROM ai_profiles WHERE tenant_id = ?", tenant)).isZero();
  }

  @Test
  void aRoleWithoutAiWriteIsRefusedAndAnotherTenantsKeyToo() {
    assertThat(put(tenantA, engine.createApiKey(tenantA, "SDR"), PROFILE).statusCode()).isEqualTo(403);
    assertThat(get(tenantA, engine.createApiKey(tenantA, "ReadOnly")).statusCode()).isEqualTo(403);
    assertThat(get(tenantA, adminB).statusCode()).isEqualTo(403);
    assertThat(put(tenantA, adminB, PROFILE).statusCode()).isEqualTo(403);
  }

  @Test
  void eachTenantReadsOnlyItsOwnProfile() {
    assertThat(put(tenantA, adminA, PROFILE).statusCode()).isEqualTo(200);
    String other = PROFILE.replace("Skyline Homes", "Other Homes").replace("9500000.50", "1200000");
    assertThat(put(tenantB, adminB, other).statusCode()).isEqualTo(200);

    assertThat(json(get(tenantA, adminA)).get("business").asText()).isEqualTo("Skyline Homes");
    assertThat(json(get(tenantB, adminB)).get("business").asText()).isEqualTo("Other Homes");
    assertThat(engine.count("SELECT count(*) FROM ai_profiles WHERE tenant_id IN (?, ?)", tenantA, tenantB))
        .isEqualTo(2);
  }

  @Test
  void theReplyStageUsesAStoredProfileAtOnce() throws Exception {
    String tenant = engine.createTenant("Reply Homes", "IN");
    String admin = engine.createApiKey(tenant, "Admin");
    assertThat(engine.server.aiProfiles().get(tenant).toCompletableFuture().get(10, TimeUnit.SECONDS)).isEmpty();
    assertThat(put(tenant, admin, PROFILE).statusCode()).isEqualTo(200);

    AiProfile profile = engine.server.aiProfiles().get(tenant).toCompletableFuture().get(10, TimeUnit.SECONDS)
        .orElseThrow();
    Analysis analysis = new Analysis("hi", true, "MEDIUM", "INFORMATION", "NEUTRAL", null, null, null, List.of(),
        List.of(), List.of(), false, List.of(), false, List.of(), 0.9, Analysis.PROVIDER_BUILTIN, "test");
    ReplyDraft draft = engine.server.replies().reply(new ReplyRequest(tenant, "lead-1",
        ReplyRequest.Kind.PERSUASION, null, "WARM", "hi", true, "parking hai kya?", analysis, List.of(), List.of(),
        profile, "reply-1")).toCompletableFuture().get(10, TimeUnit.SECONDS);

    assertThat(draft.source()).isEqualTo(ReplyDraft.FAQ);
    assertThat(draft.text()).isEqualTo("Haan, har apartment ke saath covered parking.");
  }
}
