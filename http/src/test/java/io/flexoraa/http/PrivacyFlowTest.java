package io.flexoraa.http;

import static io.flexoraa.http.TestEngine.OPERATOR_KEY;
import static io.flexoraa.http.TestEngine.eventually;
import static io.flexoraa.http.TestEngine.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lead's privacy rights end to end, over real HTTP against a real engine: consent evidence, the export, an erasure
 * request approved by a manager (after which the lead is unreadable in events and read models while its audit
 * entries stay), and an audit chain that verifies after normal use and names the first entry altered in PostgreSQL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrivacyFlowTest {
  private static final String WABA = "730000000000001";
  private static final String NUMBER = "830000000000001";
  private static final String PHONE = "919876501234";
  private static final String NAME = "Meera Kulkarni";
  private static final String TEXT = "Looking for a 3BHK near Baner, budget 95 lakh";

  private TestEngine engine;
  private String tenantId;
  private String manager;
  private String auditor;
  private String sdr;

  @BeforeAll
  void start(@TempDir Path dataDirectory) {
    engine = TestEngine.start(dataDirectory);
    tenantId = engine.createTenant("Pune Homes", "IN");
    engine.registerWhatsApp(tenantId, NUMBER, WABA);
    manager = engine.createApiKey(tenantId, "Manager");
    auditor = engine.createApiKey(tenantId, "Auditor");
    sdr = engine.createApiKey(tenantId, "SDR");
  }

  @AfterAll
  void stop() {
    if (engine != null) engine.close();
  }

  private String newLead(String messageId, String phone, String name, String text) {
    assertThat(engine.postWebhook(Payloads.texts(WABA, NUMBER,
        List.of(new Payloads.Text(messageId, phone, name, text, 1_763_000_000L)))).statusCode()).isEqualTo(200);
    eventually(() -> engine.count("SELECT count(*) FROM lead_messages WHERE platform_message_id = ?", messageId) == 1,
        "the message in the read model");
    return json(engine.get("/api/v1/tenants/" + tenantId + "/leads?phone=%2B" + phone, manager)).get("items").get(0)
        .get("id").asText();
  }

  @Test
  void consentIsRecordedWithItsEvidenceAndListedForAudits() {
    String leadId = newLead("wamid.consent.1", "919876500001", "Ravi Shah", "Hello");
    HttpResponse<String> recorded = engine.post("/api/v1/tenants/" + tenantId + "/leads/" + leadId + "/consents", manager,
        "{\"channel\":\"whatsapp\",\"purpose\":\"marketing\",\"granted\":true,\"source\":\"web form /offers\","
            + "\"ip\":\"203.0.113.7\",\"userAgent\":\"Mozilla/5.0 (Android 14)\",\"givenAt\":\"2026-11-20T10:15:00Z\"}");
    assertThat(recorded.statusCode()).as(recorded.body()).isEqualTo(201);

    JsonNode consents = json(engine.get("/api/v1/tenants/" + tenantId + "/leads/" + leadId + "/consents", auditor));
    eventually(() -> json(engine.get("/api/v1/tenants/" + tenantId + "/leads/" + leadId + "/consents", auditor))
        .get("total").asInt() == 1, "the consent record in the read model");
    consents = json(engine.get("/api/v1/tenants/" + tenantId + "/leads/" + leadId + "/consents", auditor));
    JsonNode record = consents.get("items").get(0);
    assertThat(record.get("purpose").asText()).isEqualTo("marketing");
    assertThat(record.get("granted").asBoolean()).isTrue();
    assertThat(record.get("ip").asText()).isEqualTo("203.0.113.7");
    assertThat(record.get("userAgent").asText()).isEqualTo("Mozilla/5.0 (Android 14)");
    assertThat(record.get("source").asText()).isEqualTo("web form /offers");
    assertThat(record.get("givenAt").asText()).isEqualTo("2026-11-20T10:15:00Z");
    // the IP and user agent are personal data: stored only as ciphertext
    assertThat(engine.count("SELECT count(*) FROM consent_records WHERE ip_enc LIKE '%203.0.113.7%'")).isZero();

    // the withdrawal arrives as STOP on WhatsApp and is evidence too
    engine.postWebhook(Payloads.texts(WABA, NUMBER, List.of(new Payloads.Text("wamid.consent.2", "919876500001",
        "Ravi Shah", "STOP", 1_763_000_100L))));
    eventually(() -> json(engine.get("/api/v1/tenants/" + tenantId + "/leads/" + leadId + "/consents", auditor))
        .get("total").asInt() == 2, "the opt-out recorded");

    assertProblem(engine.post("/api/v1/tenants/" + tenantId + "/leads/" + leadId + "/consents", manager,
        "{\"channel\":\"whatsapp\",\"purpose\":\"marketing\",\"source\":\"x\"}"), 400, "granted");
    assertThat(engine.post("/api/v1/tenants/" + tenantId + "/leads/no-such-lead/consents", manager,
        "{\"channel\":\"whatsapp\",\"purpose\":\"marketing\",\"granted\":true,\"source\":\"x\"}").statusCode()).isEqualTo(404);
    eventually(() -> actions().contains("consent.granted") && actions().contains("consent.withdrawn"),
        "consent changes in the audit trail");
  }

  @Test
  void anApprovedErasureLeavesTheLeadUnreadableEverywhereWhileItsAuditTrailStays() throws Exception {
    String leadId = newLead("wamid.erase.1", PHONE, NAME, TEXT);
    engine.post("/api/v1/tenants/" + tenantId + "/leads/" + leadId + "/consents", manager,
        "{\"channel\":\"whatsapp\",\"purpose\":\"messaging\",\"granted\":true,\"source\":\"chat\",\"ip\":\"198.51.100.23\"}");

    // portability first: every datum, and the export itself is audited
    JsonNode export = json(engine.get("/api/v1/tenants/" + tenantId + "/leads/" + leadId + "/export", manager));
    assertThat(export.get("lead").get("name").asText()).isEqualTo(NAME);
    assertThat(export.get("lead").get("phone").asText()).isEqualTo("+" + PHONE);
    assertThat(export.get("messages").get(0).get("text").asText()).isEqualTo(TEXT);
    assertThat(export.toString()).contains("lead.exported");
    assertThat(engine.get("/api/v1/tenants/" + tenantId + "/leads/" + leadId + "/export", auditor).statusCode()).isEqualTo(403);

    // an SDR may file only for their own leads; a manager files, an auditor may not decide
    assertThat(engine.post("/api/v1/tenants/" + tenantId + "/privacy/deletion-requests", sdr,
        "{\"leadId\":\"" + leadId + "\",\"requestedBy\":\"the lead, on WhatsApp\"}").statusCode()).isEqualTo(400);
    HttpResponse<String> filed = engine.post("/api/v1/tenants/" + tenantId + "/privacy/deletion-requests", manager,
        "{\"leadId\":\"" + leadId + "\",\"requestedBy\":\"the lead, on WhatsApp; identity checked by a call-back\","
            + "\"reason\":\"asked to be forgotten\"}");
    assertThat(filed.statusCode()).as(filed.body()).isEqualTo(201);
    String requestId = json(filed).get("requestId").asText();
    assertThat(json(filed).get("status").asText()).isEqualTo("pending");
    assertThat(engine.post("/api/v1/tenants/" + tenantId + "/privacy/deletion-requests", manager,
        "{\"leadId\":\"" + leadId + "\",\"requestedBy\":\"again\"}").statusCode()).isEqualTo(409);
    String approve = "/api/v1/tenants/" + tenantId + "/privacy/deletion-requests/" + requestId + "/approve";
    assertThat(engine.post(approve, auditor, "{}").statusCode()).isEqualTo(403);

    HttpResponse<String> approved = engine.post(approve, manager, "{}");
    assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
    assertThat(json(approved).get("status").asText()).isEqualTo("approved");
    assertThat(engine.post(approve, manager, "{}").statusCode()).isEqualTo(409);

    // the read models: anonymized, nothing personal left
    eventually(() -> json(engine.get("/api/v1/tenants/" + tenantId + "/leads/" + leadId, manager)).get("anonymized").asBoolean(),
        "the lead anonymized in the read model");
    JsonNode lead = json(engine.get("/api/v1/tenants/" + tenantId + "/leads/" + leadId, manager));
    assertThat(lead.get("erased").asBoolean()).isTrue();
    assertThat(lead.get("name").isNull()).isTrue();
    assertThat(lead.get("phone").isNull()).isTrue();
    assertThat(lead.get("waId").isNull()).isTrue();
    JsonNode messages = json(engine.get("/api/v1/tenants/" + tenantId + "/leads/" + leadId + "/messages", manager));
    assertThat(messages.get("items").get(0).get("text").isNull()).isTrue();
    assertThat(engine.count("SELECT count(*) FROM lead_messages WHERE tenant_id = ? AND lead_id = ? AND text_enc IS NOT NULL",
        tenantId, leadId)).isZero();
    eventually(() -> engine.count("SELECT count(*) FROM consent_records WHERE tenant_id = ? AND lead_id = ? AND ip_enc IS NOT NULL",
        tenantId, leadId) == 0, "consent evidence without its IP");
    JsonNode exportAfter = json(engine.get("/api/v1/tenants/" + tenantId + "/leads/" + leadId + "/export", manager));
    assertThat(exportAfter.toString()).doesNotContain(NAME).doesNotContain(PHONE).doesNotContain("Baner");

    // the events: their key is gone on this node and in the database, so the journal can no longer be read
    assertThat(engine.count("SELECT count(*) FROM lead_keys WHERE tenant_id = ? AND lead_id = ?", tenantId, leadId)).isZero();
    assertThat(engine.server.piiCipher().existingLeadCipher(tenantId, leadId).toCompletableFuture().get()).isEmpty();
    assertThat(engine.count("SELECT count(*) FROM event_journal WHERE persistence_id LIKE ?", "Lead|" + tenantId + ":" + leadId)
        ).isPositive();
    assertThat(engine.count("SELECT count(*) FROM event_journal WHERE position(convert_to(?, 'UTF8') in event_payload) > 0",
        "Baner")).isZero();

    // the identifiers are retired (kept only as salted hashes): the same person writing again is a new lead
    assertThat(engine.count("SELECT count(*) FROM lead_identities WHERE tenant_id = ? AND lead_id = ?", tenantId, leadId)).isZero();
    assertThat(engine.count("SELECT count(*) FROM erased_identifiers WHERE tenant_id = ? AND lead_id = ?", tenantId, leadId))
        .isPositive();
    String again = newLead("wamid.erase.2", PHONE, NAME, "Hi again");
    assertThat(again).isNotEqualTo(leadId);

    // the audit trail keeps the whole story, without the personal data, and still verifies
    eventually(() -> actions().containsAll(List.of("lead.created", "lead.exported", "privacy.deletion-requested",
        "privacy.deletion-approved", "lead.anonymized")), "the erasure story in the audit trail");
    JsonNode trail = json(engine.get("/api/v1/tenants/" + tenantId + "/audit?subject=" + leadId, auditor));
    assertThat(trail.toString()).doesNotContain(NAME).doesNotContain(PHONE);
    JsonNode verified = json(engine.get("/api/v1/tenants/" + tenantId + "/audit/verify", auditor));
    assertThat(verified.get("valid").asBoolean()).isTrue();
    assertThat(verified.get("entries").asLong()).isGreaterThan(5);
  }

  @Test
  void aRejectedRequestChangesNothingButIsAudited() {
    String leadId = newLead("wamid.reject.1", "919876500002", "Kiran Das", "Price list please");
    HttpResponse<String> filed = engine.post("/api/v1/tenants/" + tenantId + "/privacy/deletion-requests", manager,
        "{\"leadId\":\"" + leadId + "\",\"requestedBy\":\"unverified e-mail\"}");
    String requestId = json(filed).get("requestId").asText();
    HttpResponse<String> rejected = engine.post("/api/v1/tenants/" + tenantId + "/privacy/deletion-requests/" + requestId
        + "/reject", manager, "{\"note\":\"requester could not be verified\"}");
    assertThat(rejected.statusCode()).as(rejected.body()).isEqualTo(200);
    assertThat(json(rejected).get("status").asText()).isEqualTo("rejected");
    JsonNode lead = json(engine.get("/api/v1/tenants/" + tenantId + "/leads/" + leadId, manager));
    assertThat(lead.get("name").asText()).isEqualTo("Kiran Das");
    assertThat(json(engine.get("/api/v1/tenants/" + tenantId + "/privacy/deletion-requests?status=rejected", auditor))
        .get("items").get(0).get("requestId").asText()).isEqualTo(requestId);
    assertThat(actions()).contains("privacy.deletion-rejected");
  }

  @Test
  void anAuditEntryAlteredInsidePostgresqlIsFoundByVerify(@TempDir Path otherDirectory) throws Exception {
    try (TestEngine isolated = TestEngine.start(otherDirectory)) {
      String tenant = isolated.createTenant("Tamper Test", "IN");
      String admin = isolated.createApiKey(tenant, "Admin");
      isolated.createApiKey(tenant, "ReadOnly");
      isolated.createApiKey(tenant, "Auditor");
      eventually(() -> json(isolated.get("/api/v1/tenants/" + tenant + "/audit/verify", admin)).get("entries").asLong() >= 4,
          "tenant and key entries");
      assertThat(json(isolated.get("/api/v1/tenants/" + tenant + "/audit/verify", admin)).get("valid").asBoolean()).isTrue();

      try (Connection connection = isolated.server.database().dataSource().getConnection();
          Statement statement = connection.createStatement()) {
        // an ordinary UPDATE is refused by the table's trigger
        assertThatThrownBy(() -> statement.executeUpdate(
            "UPDATE audit_log SET actor = 'someone-else' WHERE tenant_id = '" + tenant + "' AND seq = 2"))
            .hasMessageContaining("append-only");
        // a superuser who switches triggers off can change the row, but not its hash chain
        statement.execute("SET session_replication_role = replica");
        statement.executeUpdate("UPDATE audit_log SET details = '{\"name\":\"x\",\"role\":\"Admin\"}' WHERE tenant_id = '"
            + tenant + "' AND seq = 3");
        statement.execute("SET session_replication_role = DEFAULT");
      }
      JsonNode verified = json(isolated.get("/api/v1/tenants/" + tenant + "/audit/verify", admin));
      assertThat(verified.get("valid").asBoolean()).isFalse();
      assertThat(verified.get("firstBrokenSeq").asLong()).isEqualTo(3);
    }
  }

  private List<String> actions() {
    JsonNode items = json(engine.get("/api/v1/tenants/" + tenantId + "/audit?limit=1000", OPERATOR_KEY)).get("items");
    List<String> actions = new ArrayList<>();
    items.forEach(item -> actions.add(item.get("action").asText()));
    return actions;
  }

  private static void assertProblem(HttpResponse<String> response, int status, String field) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(json(response).get("field").asText()).isEqualTo(field);
  }
}
