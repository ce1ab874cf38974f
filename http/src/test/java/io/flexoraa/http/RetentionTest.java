package io.flexoraa.http;

import static io.flexoraa.http.TestEngine.OPERATOR_KEY;
import static io.flexoraa.http.TestEngine.eventually;
import static io.flexoraa.http.TestEngine.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The retention rules of PRODUCT §10 over real HTTP: three people wrote 25 months ago, 7 months ago and now (Meta's
 * own timestamps in the webhook say when). One operator-run retention pass expires the oldest conversation (its
 * messages gone, its key shredded), masks the contact details of the person inactive for seven months while their
 * messages stay readable, and leaves the recent one alone; a second pass finds nothing to do.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RetentionTest {
  private static final String WABA = "730000000000301";
  private static final String NUMBER = "830000000000301";
  private static final String PHONE_X = "919811100001";
  private static final String PHONE_Y = "919822204821";
  private static final String PHONE_Z = "919833307777";

  private TestEngine engine;
  private String tenantId;
  private String manager;

  @BeforeAll
  void start(@TempDir Path dataDirectory) {
    // the scheduled run is pushed far out, so that only the runs this test asks for happen
    engine = TestEngine.start(dataDirectory, Map.of("flexoraa.retention.interval", "180d"));
    tenantId = engine.createTenant("Retention Realty", "IN");
    engine.registerWhatsApp(tenantId, NUMBER, WABA);
    manager = engine.createApiKey(tenantId, "Manager");
  }

  @AfterAll
  void stop() {
    if (engine != null) engine.close();
  }

  @Test
  void oldConversationsExpireInactiveContactsAreMaskedAndASecondRunChangesNothing() throws Exception {
    Instant now = Instant.now();
    String x = newLead("wamid.ret.x", PHONE_X, "Xavier Old", "Flat in Kothrud?", now.minus(Duration.ofDays(760)));
    String y = newLead("wamid.ret.y", PHONE_Y, "Yamini Mid", "Is the Wakad plot still free?", now.minus(Duration.ofDays(213)));
    String z = newLead("wamid.ret.z", PHONE_Z, "Zubin New", "Call me about Hinjewadi", now);
    JsonNode zBefore = lead(z);
    assertThat(lead(x).get("name").asText()).isEqualTo("Xavier Old");
    assertThat(lead(y).get("phone").asText()).isEqualTo("+" + PHONE_Y);

    // tenant roles cannot run it, and a refused call changes nothing
    for (String role : List.of("Admin", "Manager", "SDR", "Product", "DevOps", "Auditor", "ReadOnly")) {
      HttpResponse<String> refused = engine.post("/api/v1/ops/retention/run", engine.createApiKey(tenantId, role), "{}");
      assertThat(refused.statusCode()).as(role + ": " + refused.body()).isEqualTo(403);
    }
    assertThat(engine.count("SELECT count(*) FROM lead_messages WHERE tenant_id = ? AND lead_id = ?", tenantId, x)).isEqualTo(1);
    assertThat(lead(x).get("conversationExpiredAt").isNull()).isTrue();

    // the operator can
    HttpResponse<String> first = engine.post("/api/v1/ops/retention/run", OPERATOR_KEY, "{}");
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    JsonNode report = json(first);
    assertCounts(report.get("total"), 1, 1, 1);
    assertThat(report.get("byTenant").size()).isEqualTo(1);
    assertCounts(report.get("byTenant").get(tenantId), 1, 1, 1);

    // X: the conversation is gone for good: no messages, no key, nothing personal readable
    JsonNode xAfter = lead(x);
    assertThat(xAfter.get("erased").asBoolean()).as(xAfter.toString()).isTrue();
    assertThat(xAfter.get("conversationExpiredAt").isNull()).isFalse();
    assertThat(xAfter.get("piiMaskedAt").isNull()).isFalse();
    assertThat(xAfter.get("name").isNull()).isTrue();
    assertThat(xAfter.get("phone").isNull()).isTrue();
    assertThat(xAfter.get("waId").isNull()).isTrue();
    assertThat(engine.count("SELECT count(*) FROM lead_keys WHERE tenant_id = ? AND lead_id = ?", tenantId, x)).isZero();
    assertThat(engine.server.piiCipher().existingLeadCipher(tenantId, x).toCompletableFuture().get()).isEmpty();
    JsonNode xMessages = messages(x);
    assertThat(xMessages.get("total").asLong()).isZero();
    assertThat(xMessages.get("items")).isEmpty();
    assertThat(engine.count("SELECT count(*) FROM lead_messages WHERE tenant_id = ? AND lead_id = ?", tenantId, x)).isZero();

    // Y: contact details masked to country code and last four digits; the conversation is still there
    JsonNode yAfter = lead(y);
    assertThat(yAfter.get("phone").isNull()).as(yAfter.toString()).isTrue();
    assertThat(yAfter.get("name").isNull()).isTrue();
    assertThat(yAfter.get("waId").isNull()).isTrue();
    assertThat(yAfter.get("phoneMasked").asText()).isEqualTo("+91******4821");
    assertThat(yAfter.get("piiMaskedAt").isNull()).isFalse();
    assertThat(yAfter.get("conversationExpiredAt").isNull()).isTrue();
    assertThat(yAfter.get("erased").asBoolean()).isFalse();
    assertThat(engine.count("SELECT count(*) FROM lead_keys WHERE tenant_id = ? AND lead_id = ?", tenantId, y)).isEqualTo(1);
    assertThat(engine.count("SELECT count(*) FROM leads WHERE tenant_id = ? AND lead_id = ? AND (name_enc IS NOT NULL"
        + " OR phone_enc IS NOT NULL OR wa_id_enc IS NOT NULL)", tenantId, y)).isZero();
    JsonNode yMessages = messages(y);
    assertThat(yMessages.get("total").asLong()).isEqualTo(1);
    assertThat(yMessages.get("items").get(0).get("text").asText()).isEqualTo("Is the Wakad plot still free?");

    // Z: untouched
    JsonNode zAfter = lead(z);
    assertThat(zAfter).isEqualTo(zBefore);
    assertThat(zAfter.get("phone").asText()).isEqualTo("+" + PHONE_Z);
    assertThat(zAfter.get("piiMaskedAt").isNull()).isTrue();
    assertThat(messages(z).get("items").get(0).get("text").asText()).isEqualTo("Call me about Hinjewadi");

    // a second run finds nothing left to do, and changes nothing
    JsonNode xSnapshot = lead(x);
    JsonNode ySnapshot = lead(y);
    JsonNode yMessagesSnapshot = messages(y);
    // the audit feed projection has caught up with the tenant, its keys and its leads: the count below is settled
    eventually(() -> actionCount("tenant.created") == 1 && actionCount("access.api-key-created") == 8
        && actionCount("lead.created") == 3, "the audit feed caught up");
    long auditEntries = json(engine.get("/api/v1/tenants/" + tenantId + "/audit/verify", OPERATOR_KEY)).get("entries").asLong();
    HttpResponse<String> second = engine.post("/api/v1/ops/retention/run", OPERATOR_KEY, "{}");
    assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
    assertCounts(json(second).get("total"), 0, 0, 0);
    assertThat(json(second).get("byTenant")).isEmpty();
    assertThat(lead(x)).isEqualTo(xSnapshot);
    assertThat(lead(y)).isEqualTo(ySnapshot);
    assertThat(lead(z)).isEqualTo(zBefore);
    assertThat(messages(y)).isEqualTo(yMessagesSnapshot);
    assertThat(json(engine.get("/api/v1/tenants/" + tenantId + "/audit/verify", OPERATOR_KEY)).get("entries").asLong())
        .isEqualTo(auditEntries);

    // one audit entry for the run that changed something, with its counts; the chain still verifies
    JsonNode applied = json(engine.get("/api/v1/tenants/" + tenantId + "/audit?action=privacy.retention-applied",
        OPERATOR_KEY)).get("items");
    assertThat(applied.size()).as(applied.toString()).isEqualTo(1);
    JsonNode entry = applied.get(0);
    assertThat(entry.get("actor").asText()).isEqualTo("retention");
    assertCounts(entry.get("details"), 1, 1, 1);
    assertThat(entry.get("details").get("conversationRetentionDays").asLong()).isEqualTo(730);
    assertThat(entry.get("details").get("piiRetentionDays").asLong()).isEqualTo(183);
    assertThat(entry.toString()).doesNotContain(PHONE_X).doesNotContain(PHONE_Y).doesNotContain("Xavier");
    JsonNode verified = json(engine.get("/api/v1/tenants/" + tenantId + "/audit/verify", manager));
    assertThat(verified.get("valid").asBoolean()).isTrue();
  }

  // ---- helpers ----

  private String newLead(String messageId, String phone, String name, String text, Instant sentAt) {
    HttpResponse<String> response = engine.postWebhook(Payloads.texts(WABA, NUMBER,
        List.of(new Payloads.Text(messageId, phone, name, text, sentAt.getEpochSecond()))));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    eventually(() -> engine.count("SELECT count(*) FROM lead_messages WHERE platform_message_id = ?", messageId) == 1,
        "the message in the read model");
    JsonNode found = json(engine.get("/api/v1/tenants/" + tenantId + "/leads?phone=%2B" + phone, manager)).get("items");
    assertThat(found.size()).isEqualTo(1);
    String leadId = found.get(0).get("id").asText();
    assertThat(engine.count("SELECT count(*) FROM leads WHERE tenant_id = ? AND lead_id = ? AND last_inbound_at < ?",
        tenantId, leadId, java.sql.Timestamp.from(sentAt.plusSeconds(1)))).as("last activity as Meta dated it").isEqualTo(1);
    return leadId;
  }

  private JsonNode lead(String leadId) {
    HttpResponse<String> response = engine.get("/api/v1/tenants/" + tenantId + "/leads/" + leadId, manager);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response);
  }

  private JsonNode messages(String leadId) {
    HttpResponse<String> response = engine.get("/api/v1/tenants/" + tenantId + "/leads/" + leadId + "/messages", manager);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response);
  }

  private long actionCount(String action) {
    return json(engine.get("/api/v1/tenants/" + tenantId + "/audit?limit=1000&action=" + action, OPERATOR_KEY))
        .get("items").size();
  }

  private static void assertCounts(JsonNode counts, long messagesDeleted, long conversationsExpired, long leadsMasked) {
    assertThat(counts).as("counts").isNotNull();
    assertThat(counts.get("messagesDeleted").asLong()).as("messagesDeleted in " + counts).isEqualTo(messagesDeleted);
    assertThat(counts.get("conversationsExpired").asLong()).as("conversationsExpired in " + counts).isEqualTo(conversationsExpired);
    assertThat(counts.get("leadsMasked").asLong()).as("leadsMasked in " + counts).isEqualTo(leadsMasked);
  }
}
