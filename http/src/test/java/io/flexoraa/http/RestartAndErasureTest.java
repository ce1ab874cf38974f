package io.flexoraa.http;

import static io.flexoraa.http.TestEngine.OPERATOR_KEY;
import static io.flexoraa.http.TestEngine.eventually;
import static io.flexoraa.http.TestEngine.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What survives a restart, what crypto-shredding erases, and that the journal cannot be rewritten. */
class RestartAndErasureTest {
  private static final String WABA = "720000000000001";
  private static final String NUMBER = "820000000000001";

  @Test
  void aRestartLosesNothingAndStillAbsorbsDuplicates(@TempDir Path dataDirectory) {
    String tenantId;
    String key;
    long journalBefore;
    try (TestEngine first = TestEngine.start(dataDirectory)) {
      tenantId = first.createTenant("Clinic", "IN");
      first.registerWhatsApp(tenantId, NUMBER, WABA);
      key = first.createApiKey(tenantId);
      assertThat(first.postWebhook(Payloads.text(WABA, NUMBER, "wamid.restart.1", "919811111111", "before")).statusCode())
          .isEqualTo(200);
      journalBefore = first.count("SELECT count(*) FROM event_journal");
    }
    try (TestEngine second = TestEngine.start(dataDirectory)) {
      // the same data directory: same embedded database, same master key, same tenant and key
      assertThat(second.count("SELECT count(*) FROM event_journal")).isEqualTo(journalBefore);
      assertThat(second.postWebhook(Payloads.text(WABA, NUMBER, "wamid.restart.1", "919811111111", "before")).statusCode())
          .isEqualTo(200);
      assertThat(second.count("SELECT count(*) FROM event_journal")).isEqualTo(journalBefore);
      assertThat(second.postWebhook(Payloads.text(WABA, NUMBER, "wamid.restart.2", "919811111111", "after")).statusCode())
          .isEqualTo(200);

      eventually(() -> second.count("SELECT count(*) FROM lead_messages WHERE platform_message_id LIKE 'wamid.restart.%'") == 2,
          "both messages in the read model");
      JsonNode leads = json(second.get("/api/v1/tenants/" + tenantId + "/leads", key));
      assertThat(leads.get("total").asInt()).isEqualTo(1);
      JsonNode lead = leads.get("items").get(0);
      assertThat(lead.get("inboundCount").asInt()).isEqualTo(2);
      JsonNode messages = json(second.get(
          "/api/v1/tenants/" + tenantId + "/leads/" + lead.get("id").asText() + "/messages", key));
      assertThat(messages.get("items").get(0).get("text").asText()).isEqualTo("before");
      assertThat(messages.get("items").get(1).get("text").asText()).isEqualTo("after");
    }
  }

  @Test
  void shreddingALeadsKeyErasesItsDataWhileTheJournalStaysAppendOnly(@TempDir Path dataDirectory) throws Exception {
    try (TestEngine engine = TestEngine.start(dataDirectory)) {
      String tenantId = engine.createTenant("Realty", "IN");
      engine.registerWhatsApp(tenantId, NUMBER, WABA);
      engine.postWebhook(Payloads.text(WABA, NUMBER, "wamid.erase.1", "919822222222", "Confidential budget 40 lakh"));
      engine.postWebhook(Payloads.text(WABA, NUMBER, "wamid.keep.1", "919833333333", "Keep me"));
      eventually(() -> engine.count("SELECT count(*) FROM lead_messages WHERE platform_message_id IN ('wamid.erase.1','wamid.keep.1')") == 2,
          "both leads");

      // personal data is never stored in clear: not in the journal, not in the read model
      assertThat(engine.count("SELECT count(*) FROM event_journal WHERE position(convert_to('Confidential', 'UTF8') in event_payload) > 0")).isZero();
      assertThat(engine.count("SELECT count(*) FROM event_journal WHERE position(convert_to('919822222222', 'UTF8') in event_payload) > 0")).isZero();
      assertThat(engine.count("SELECT count(*) FROM lead_messages WHERE text_enc LIKE '%Confidential%'")).isZero();

      JsonNode erasedLead = json(engine.get("/api/v1/tenants/" + tenantId + "/leads?phone=%2B919822222222", OPERATOR_KEY))
          .get("items").get(0);
      String leadId = erasedLead.get("id").asText();
      long journal = engine.count("SELECT count(*) FROM event_journal");

      assertThat(engine.server.piiCipher().shredLead(tenantId, leadId).toCompletableFuture().get()).isTrue();

      JsonNode after = json(engine.get("/api/v1/tenants/" + tenantId + "/leads/" + leadId, OPERATOR_KEY));
      assertThat(after.get("erased").asBoolean()).isTrue();
      assertThat(after.get("name").isNull()).isTrue();
      assertThat(after.get("phone").isNull()).isTrue();
      assertThat(after.get("inboundCount").asInt()).isEqualTo(1);
      JsonNode message = json(engine.get("/api/v1/tenants/" + tenantId + "/leads/" + leadId + "/messages", OPERATOR_KEY))
          .get("items").get(0);
      assertThat(message.get("text").isNull()).isTrue();
      assertThat(message.get("platformMessageId").asText()).isEqualTo("wamid.erase.1");
      // the journal is untouched: the events are still there, only unreadable
      assertThat(engine.count("SELECT count(*) FROM event_journal")).isEqualTo(journal);
      assertThat(engine.count("SELECT count(*) FROM lead_keys WHERE tenant_id = ? AND lead_id = ?", tenantId, leadId)).isZero();
      // and everyone else is unaffected
      JsonNode kept = json(engine.get("/api/v1/tenants/" + tenantId + "/leads?phone=%2B919833333333", OPERATOR_KEY))
          .get("items").get(0);
      assertThat(kept.get("erased").asBoolean()).isFalse();
      assertThat(kept.get("name").asText()).isEqualTo("Asha Rao");

      try (Connection connection = engine.server.database().dataSource().getConnection();
           Statement statement = connection.createStatement()) {
        assertThatThrownBy(() -> statement.executeUpdate("UPDATE event_journal SET deleted = true"))
            .hasMessageContaining("append-only");
      }
    }
  }
}
