package io.flexoraa.http;

import static io.flexoraa.http.TestEngine.eventually;
import static io.flexoraa.http.TestEngine.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * An SDR sees only the leads assigned to them (PRODUCT §9), over real HTTP: unassigned leads are not there for them
 * (lists leave them out, reads are 404), an assigned one is fully readable, and another SDR still sees nothing.
 * Managers see every lead. Assignment is written straight into the read model until routing assigns leads.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LeadScopeTest {
  private static final String PASSWORD = "correct horse battery staple";
  private static final String WABA = "730000000000501";
  private static final String NUMBER = "830000000000501";

  private TestEngine engine;
  private String tenantId;
  private String manager;
  private String sdrId;
  private String sdr;
  private String otherSdr;
  private String sdrKey;

  @BeforeAll
  void start(@TempDir Path dataDirectory) {
    engine = TestEngine.start(dataDirectory);
    tenantId = engine.createTenant("Scoped Spaces", "IN");
    engine.registerWhatsApp(tenantId, NUMBER, WABA);
    manager = engine.createApiKey(tenantId, "Manager");
    sdrKey = engine.createApiKey(tenantId, "SDR");
    sdrId = engine.createUser(tenantId, "sdr.one@scope.example", "SDR", PASSWORD);
    sdr = engine.signIn("sdr.one@scope.example", PASSWORD);
    engine.createUser(tenantId, "sdr.two@scope.example", "SDR", PASSWORD);
    otherSdr = engine.signIn("sdr.two@scope.example", PASSWORD);
  }

  @AfterAll
  void stop() {
    if (engine != null) engine.close();
  }

  @Test
  void anSdrSeesExactlyTheLeadsAssignedToThem() {
    String assigned = newLead("wamid.scope.1", "919845011111", "Anita Joshi", "Need a shop near FC Road");
    String unassigned = newLead("wamid.scope.2", "919845022222", "Bharat Patil", "Office space in Magarpatta?");

    assertThat(list(manager).get("total").asLong()).isEqualTo(2);
    for (String caller : List.of(sdr, otherSdr, sdrKey)) {
      assertSeesNothing(caller, assigned, unassigned);
    }

    assertThat(engine.update("UPDATE leads SET assigned_user_id = ? WHERE tenant_id = ? AND lead_id = ?",
        sdrId, tenantId, assigned)).isEqualTo(1);

    // the assignee: exactly that lead, with its conversation
    JsonNode mine = list(sdr);
    assertThat(mine.get("total").asLong()).isEqualTo(1);
    assertThat(mine.get("items").size()).isEqualTo(1);
    assertThat(mine.get("items").get(0).get("id").asText()).isEqualTo(assigned);
    assertThat(mine.get("items").get(0).get("assignedTo").asText()).isEqualTo(sdrId);
    HttpResponse<String> lead = engine.get("/api/v1/tenants/" + tenantId + "/leads/" + assigned, sdr);
    assertThat(lead.statusCode()).as(lead.body()).isEqualTo(200);
    assertThat(json(lead).get("name").asText()).isEqualTo("Anita Joshi");
    assertThat(json(lead).get("phone").asText()).isEqualTo("+919845011111");
    HttpResponse<String> messages = engine.get("/api/v1/tenants/" + tenantId + "/leads/" + assigned + "/messages", sdr);
    assertThat(messages.statusCode()).as(messages.body()).isEqualTo(200);
    assertThat(json(messages).get("items").get(0).get("text").asText()).isEqualTo("Need a shop near FC Road");
    assertThat(engine.get("/api/v1/tenants/" + tenantId + "/leads/" + assigned + "/consents", sdr).statusCode()).isEqualTo(200);
    // the other lead is still not there for them, also not when searched by its number
    assertThat(engine.get("/api/v1/tenants/" + tenantId + "/leads/" + unassigned, sdr).statusCode()).isEqualTo(404);
    assertThat(engine.get("/api/v1/tenants/" + tenantId + "/leads/" + unassigned + "/messages", sdr).statusCode()).isEqualTo(404);
    assertThat(json(engine.get("/api/v1/tenants/" + tenantId + "/leads?phone=%2B919845022222", sdr)).get("total").asLong())
        .isZero();
    assertThat(json(engine.get("/api/v1/tenants/" + tenantId + "/leads?phone=%2B919845011111", sdr)).get("total").asLong())
        .isEqualTo(1);

    // another SDR, and an SDR API key, still see nothing; the manager sees both
    assertSeesNothing(otherSdr, assigned, unassigned);
    assertSeesNothing(sdrKey, assigned, unassigned);
    assertThat(list(manager).get("total").asLong()).isEqualTo(2);
    assertThat(engine.get("/api/v1/tenants/" + tenantId + "/leads/" + unassigned, manager).statusCode()).isEqualTo(200);
  }

  // ---- helpers ----

  private void assertSeesNothing(String caller, String... leadIds) {
    JsonNode page = list(caller);
    assertThat(page.get("total").asLong()).isZero();
    assertThat(page.get("items")).isEmpty();
    for (String leadId : leadIds) {
      HttpResponse<String> lead = engine.get("/api/v1/tenants/" + tenantId + "/leads/" + leadId, caller);
      assertThat(lead.statusCode()).as(lead.body()).isEqualTo(404);
      assertThat(lead.body()).doesNotContain("Anita").doesNotContain("Bharat");
      assertThat(engine.get("/api/v1/tenants/" + tenantId + "/leads/" + leadId + "/messages", caller).statusCode())
          .isEqualTo(404);
    }
  }

  private JsonNode list(String caller) {
    HttpResponse<String> response = engine.get("/api/v1/tenants/" + tenantId + "/leads", caller);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response);
  }

  private String newLead(String messageId, String phone, String name, String text) {
    HttpResponse<String> response = engine.postWebhook(Payloads.texts(WABA, NUMBER,
        List.of(new Payloads.Text(messageId, phone, name, text, 1_763_000_000L))));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    eventually(() -> engine.count("SELECT count(*) FROM lead_messages WHERE platform_message_id = ?", messageId) == 1,
        "the message in the read model");
    JsonNode found = json(engine.get("/api/v1/tenants/" + tenantId + "/leads?phone=%2B" + phone, manager)).get("items");
    assertThat(found.size()).isEqualTo(1);
    return found.get(0).get("id").asText();
  }
}
