package io.flexoraa.http;

import static io.flexoraa.http.TestEngine.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.flexoraa.engine.lead.LeadEntity;
import io.flexoraa.engine.lead.LeadModel;
import io.flexoraa.engine.lead.LeadModel.ConsentView;
import io.flexoraa.engine.lead.LeadModel.LeadSnapshot;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * STOP and START sent over WhatsApp become consent evidence: intake recognises the keyword while the text is still
 * plain, the lead records it idempotently with the message, and the projection lists it in consent_records.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsentKeywordIngestTest {
  private static final String WABA = "730000000000001";
  private static final String NUMBER = "830000000000001";

  TestEngine engine;
  String tenantId;

  @BeforeAll
  void start(@TempDir Path dataDirectory) {
    engine = TestEngine.start(dataDirectory);
    tenantId = engine.createTenant("Clinic", "IN");
    engine.registerWhatsApp(tenantId, NUMBER, WABA);
  }

  @AfterAll
  void stop() {
    engine.close();
  }

  private long journalRows() {
    return engine.count("SELECT count(*) FROM event_journal");
  }

  private long consentRows(String recordId) {
    return engine.count("SELECT count(*) FROM consent_records WHERE record_id = ?", recordId);
  }

  private String consentRow(String recordId) throws Exception {
    try (Connection connection = engine.server.database().dataSource().getConnection();
        PreparedStatement select = connection.prepareStatement(
            "SELECT concat_ws('|', lead_id, channel, purpose, granted, source, actor) FROM consent_records"
                + " WHERE record_id = ?")) {
      select.setString(1, recordId);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? rows.getString(1) : null;
      }
    }
  }

  private LeadSnapshot lead(String leadId) {
    return ClusterSharding.get(engine.server.system())
        .entityRefFor(LeadEntity.TYPE_KEY, LeadEntity.entityId(tenantId, leadId))
        .<LeadSnapshot>ask(LeadModel.GetLead::new, Duration.ofSeconds(5))
        .toCompletableFuture().join();
  }

  @Test
  void stopThenStartAreRecordedOnceEachAndTheLastOneIsInForce() throws Exception {
    String phone = "919844000001";
    String stop = Payloads.text(WABA, NUMBER, "wamid.consent.stop", phone, "  Stop ");
    long before = journalRows();

    assertThat(engine.postWebhook(stop).statusCode()).isEqualTo(200);
    assertThat(journalRows()).as("lead created, message received, consent recorded").isEqualTo(before + 3);
    assertThat(engine.postWebhook(stop).statusCode()).as("Meta's retry").isEqualTo(200);
    assertThat(journalRows()).isEqualTo(before + 3);

    eventually(() -> consentRows("inbound:wamid.consent.stop") == 1, "the opt-out in consent_records");
    String row = consentRow("inbound:wamid.consent.stop");
    String leadId = row.substring(0, row.indexOf('|'));
    assertThat(row).isEqualTo(leadId + "|whatsapp|messaging|f|inbound-keyword:whatsapp|lead");

    assertThat(engine.postWebhook(Payloads.text(WABA, NUMBER, "wamid.consent.start", phone, "START")).statusCode())
        .isEqualTo(200);
    eventually(() -> consentRows("inbound:wamid.consent.start") == 1, "the opt-in in consent_records");
    assertThat(consentRow("inbound:wamid.consent.start"))
        .isEqualTo(leadId + "|whatsapp|messaging|t|inbound-keyword:whatsapp|lead");

    LeadSnapshot lead = lead(leadId);
    assertThat(lead.consents()).extracting(ConsentView::recordId).containsExactly("inbound:wamid.consent.start");
    assertThat(lead.consents().get(0).granted()).isTrue();
  }

  @Test
  void aSentenceContainingAKeywordIsJustAMessage() {
    long before = journalRows();

    assertThat(engine.postWebhook(
            Payloads.text(WABA, NUMBER, "wamid.consent.sentence", "919844000002", "please stop the calls after 6"))
        .statusCode()).isEqualTo(200);

    assertThat(journalRows()).as("lead created, message received").isEqualTo(before + 2);
    eventually(() -> engine.count(
        "SELECT count(*) FROM lead_messages WHERE platform_message_id = 'wamid.consent.sentence'") == 1, "the message");
    assertThat(consentRows("inbound:wamid.consent.sentence")).isZero();
  }
}
