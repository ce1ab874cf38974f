package io.flexoraa.http;

import static io.flexoraa.http.TestEngine.OPERATOR_KEY;
import static io.flexoraa.http.TestEngine.eventually;
import static io.flexoraa.http.TestEngine.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tenant's key status and on-demand rotation over real HTTP: the key appears with the first lead, an administrator
 * (or DevOps) rotates it without any lead becoming unreadable, leads arriving afterwards work under the new key,
 * every rotation is audited under the key that asked for it, and neither a manager nor a tenant without a key can.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeyRotationApiTest {
  private static final String WABA = "730000000000401";
  private static final String NUMBER = "830000000000401";

  private TestEngine engine;
  private Path dataDirectory;
  private String tenantId;
  private String adminKeyId;
  private String admin;
  private String devOpsKeyId;
  private String devOps;
  private String manager;

  @BeforeAll
  void start(@TempDir Path dataDirectory) {
    this.dataDirectory = dataDirectory;
    engine = TestEngine.start(dataDirectory);
    tenantId = engine.createTenant("Rotating Realty", "IN");
    engine.registerWhatsApp(tenantId, NUMBER, WABA);
    String[] adminKey = engine.createApiKeyWithId(tenantId, "Admin");
    adminKeyId = adminKey[0];
    admin = adminKey[1];
    String[] devOpsKey = engine.createApiKeyWithId(tenantId, "DevOps");
    devOpsKeyId = devOpsKey[0];
    devOps = devOpsKey[1];
    manager = engine.createApiKey(tenantId, "Manager");
  }

  @AfterAll
  void stop() {
    if (engine != null) engine.close();
  }

  @Test
  void rotationKeepsEveryLeadReadableAndIsAuditedUnderTheCallersKey() {
    JsonNode none = keys(admin);
    assertThat(none.get("tenantId").asText()).isEqualTo(tenantId);
    assertThat(none.get("keyVersion").asInt()).isZero();
    assertThat(none.get("createdAt").isNull()).isTrue();

    String before = newLead("wamid.rot.1", "919845012345", "Priya Nair", "2BHK in Aundh, ready to move");
    JsonNode first = keys(admin);
    assertThat(first.get("keyVersion").asInt()).isEqualTo(1);
    assertThat(first.get("createdAt").isNull()).isFalse();
    assertThat(first.get("rotatedAt").isNull()).isTrue();
    JsonNode leadBefore = lead(before);
    JsonNode messagesBefore = messages(before);

    // an administrator's key rotates
    HttpResponse<String> rotated = engine.post("/api/v1/tenants/" + tenantId + "/keys/rotate", admin, "{}");
    assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
    assertThat(json(rotated).get("newVersion").asInt()).isEqualTo(2);
    assertThat(json(rotated).get("leadKeysRewrapped").asLong()).isEqualTo(1);
    JsonNode second = keys(admin);
    assertThat(second.get("keyVersion").asInt()).isEqualTo(2);
    assertThat(second.get("rotatedAt").isNull()).isFalse();
    assertThat(engine.count("SELECT count(*) FROM lead_keys WHERE tenant_id = ? AND lead_id = ? AND wrapped_by_version = 2",
        tenantId, before)).isEqualTo(1);

    // the old lead reads exactly as before: name, phone, message text
    JsonNode leadAfter = lead(before);
    assertThat(leadAfter.get("name").asText()).isEqualTo("Priya Nair");
    assertThat(leadAfter.get("phone").asText()).isEqualTo("+919845012345");
    assertThat(leadAfter.get("erased").asBoolean()).isFalse();
    assertThat(leadAfter).isEqualTo(leadBefore);
    assertThat(messages(before).get("items").get(0).get("text").asText()).isEqualTo("2BHK in Aundh, ready to move");
    assertThat(messages(before)).isEqualTo(messagesBefore);

    // a lead arriving after the rotation gets its key under the new primary and reads fine
    String after = newLead("wamid.rot.2", "919845054321", "Rahul Menon", "Any villas in Bavdhan?");
    assertThat(lead(after).get("name").asText()).isEqualTo("Rahul Menon");
    assertThat(lead(after).get("phone").asText()).isEqualTo("+919845054321");
    assertThat(messages(after).get("items").get(0).get("text").asText()).isEqualTo("Any villas in Bavdhan?");
    assertThat(engine.count("SELECT count(*) FROM lead_keys WHERE tenant_id = ? AND lead_id = ? AND wrapped_by_version = 2",
        tenantId, after)).isEqualTo(1);

    // DevOps may rotate too; a manager may not, and a refusal changes nothing
    HttpResponse<String> byDevOps = engine.post("/api/v1/tenants/" + tenantId + "/keys/rotate", devOps, "{}");
    assertThat(byDevOps.statusCode()).as(byDevOps.body()).isEqualTo(200);
    assertThat(json(byDevOps).get("newVersion").asInt()).isEqualTo(3);
    assertThat(json(byDevOps).get("leadKeysRewrapped").asLong()).isEqualTo(2);
    HttpResponse<String> byManager = engine.post("/api/v1/tenants/" + tenantId + "/keys/rotate", manager, "{}");
    assertThat(byManager.statusCode()).as(byManager.body()).isEqualTo(403);
    assertThat(byManager.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(keys(devOps).get("keyVersion").asInt()).isEqualTo(3);
    assertThat(lead(before).get("name").asText()).isEqualTo("Priya Nair");
    assertThat(lead(after).get("name").asText()).isEqualTo("Rahul Menon");
    assertThat(messages(after).get("items").get(0).get("text").asText()).isEqualTo("Any villas in Bavdhan?");

    // each rotation audited under the key that asked for it, with the version it made
    JsonNode entries = json(engine.get("/api/v1/tenants/" + tenantId + "/audit?action=key.rotated", admin)).get("items");
    assertThat(entries.size()).as(entries.toString()).isEqualTo(2);
    List<String> actors = new ArrayList<>();
    entries.forEach(entry -> actors.add(entry.get("actor").asText() + "@" + entry.get("details").get("keyVersion").asInt()));
    assertThat(actors).containsExactly("api-key:" + adminKeyId + "@2", "api-key:" + devOpsKeyId + "@3");
    assertThat(json(engine.get("/api/v1/tenants/" + tenantId + "/audit/verify", admin)).get("valid").asBoolean()).isTrue();

    // after a restart nothing is cached: both lead keys are unwrapped from the database under the rotated keyset
    JsonNode afterLead = lead(after);
    engine.close();
    engine = TestEngine.start(dataDirectory);
    assertThat(lead(before)).isEqualTo(leadBefore);
    assertThat(messages(before)).isEqualTo(messagesBefore);
    assertThat(lead(after)).isEqualTo(afterLead);
    assertThat(messages(after).get("items").get(0).get("text").asText()).isEqualTo("Any villas in Bavdhan?");
    assertThat(keys(admin).get("keyVersion").asInt()).isEqualTo(3);
  }

  @Test
  void aTenantWithoutAKeyHasNothingToRotate() {
    String empty = engine.createTenant("No Leads Yet", "IN");
    String emptyAdmin = engine.createApiKey(empty, "Admin");
    HttpResponse<String> refused = engine.post("/api/v1/tenants/" + empty + "/keys/rotate", emptyAdmin, "{}");
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
    assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(json(refused).get("title").asText()).isEqualTo("No key yet");
    assertThat(engine.post("/api/v1/tenants/" + empty + "/keys/rotate", OPERATOR_KEY, "{}").statusCode()).isEqualTo(409);
    assertThat(keys(emptyAdmin, empty).get("keyVersion").asInt()).isZero();
    assertThat(engine.count("SELECT count(*) FROM tenant_keys WHERE tenant_id = ?", empty)).isZero();
    assertThat(json(engine.get("/api/v1/tenants/" + empty + "/audit?action=key.rotated", emptyAdmin)).get("items")).isEmpty();
    // one tenant's key cannot rotate another's
    assertThat(engine.post("/api/v1/tenants/" + tenantId + "/keys/rotate", emptyAdmin, "{}").statusCode()).isEqualTo(403);
  }

  // ---- helpers ----

  private String newLead(String messageId, String phone, String name, String text) {
    HttpResponse<String> response = engine.postWebhook(Payloads.texts(WABA, NUMBER,
        List.of(new Payloads.Text(messageId, phone, name, text, 1_763_000_000L))));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    eventually(() -> engine.count("SELECT count(*) FROM lead_messages WHERE platform_message_id = ?", messageId) == 1,
        "the message in the read model");
    JsonNode found = json(engine.get("/api/v1/tenants/" + tenantId + "/leads?phone=%2B" + phone, admin)).get("items");
    assertThat(found.size()).isEqualTo(1);
    return found.get(0).get("id").asText();
  }

  private JsonNode keys(String credential) {
    return keys(credential, tenantId);
  }

  private JsonNode keys(String credential, String tenant) {
    HttpResponse<String> response = engine.get("/api/v1/tenants/" + tenant + "/keys", credential);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response);
  }

  private JsonNode lead(String leadId) {
    HttpResponse<String> response = engine.get("/api/v1/tenants/" + tenantId + "/leads/" + leadId, admin);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response);
  }

  private JsonNode messages(String leadId) {
    HttpResponse<String> response = engine.get("/api/v1/tenants/" + tenantId + "/leads/" + leadId + "/messages", admin);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response);
  }
}
