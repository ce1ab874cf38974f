package io.flexoraa.persistence.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flexoraa.engine.lead.LeadModel;
import io.flexoraa.engine.lead.LeadModel.ConsentRecorded;
import io.flexoraa.engine.lead.LeadModel.Event;
import io.flexoraa.engine.lead.LeadModel.Identifier;
import io.flexoraa.engine.lead.LeadModel.IdentifierAttached;
import io.flexoraa.engine.lead.LeadModel.InboundMessage;
import io.flexoraa.engine.lead.LeadModel.LeadAnonymized;
import io.flexoraa.engine.lead.LeadModel.LeadCreated;
import io.flexoraa.engine.lead.LeadModel.MessageReceived;
import io.flexoraa.engine.lead.LeadModel.MessageStatusChanged;
import io.flexoraa.engine.lead.LeadModel.PhoneNumberChanged;
import io.flexoraa.engine.lead.LeadModel.StatusChange;
import io.flexoraa.persistence.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The lead read models as the projection writes them, on a real migrated PostgreSQL: consent evidence, and
 * anonymization masking every personal column while nothing written afterwards (or replayed) brings any back.
 */
class LeadReadModelHandlerTest {
  private static final Instant CREATED_AT = Instant.parse("2026-03-14T09:20:00Z");
  private static final Instant ANONYMIZED_AT = Instant.parse("2026-04-02T11:00:00Z");
  private static final String CHANNEL = "whatsapp";

  private static TestDatabase db;
  private static ProjectedEvents projection;

  @BeforeAll
  static void start() {
    db = TestDatabase.open();
    projection = new ProjectedEvents(db.dataSource());
  }

  @AfterAll
  static void stop() {
    db.close();
  }

  /** One lead's events, under a tenant of its own so that tests never see each other's rows. */
  private static final class LeadStream {
    final String tenant = "tenant-" + UUID.randomUUID();
    final String lead = "lead-" + UUID.randomUUID();

    Identifier phone(String value) {
      return new Identifier(LeadModel.PHONE, "bidx:phone:" + value, "enc:" + value, true);
    }

    Identifier identifier(String kind, String value) {
      return new Identifier(kind, "bidx:" + kind + ":" + value, "enc:" + value, true);
    }

    LeadCreated created() {
      return new LeadCreated(tenant, lead, CHANNEL,
          List.of(phone("+919111844757"), identifier(LeadModel.WA_ID, "919111844757")), "enc:Amara", CREATED_AT);
    }

    MessageReceived received(String platformMessageId) {
      return new MessageReceived(tenant, lead, new InboundMessage(
          platformMessageId, CHANNEL, "418800112233445", "text", CREATED_AT, "enc:budget 40 lakh", "enc:{raw}", null,
          List.of(), null), CREATED_AT);
    }

    ConsentRecorded consent(String recordId) {
      return new ConsentRecorded(tenant, lead, recordId, CHANNEL, "marketing", true, "web-form:pricing",
          "enc:203.0.113.7", "enc:Mozilla/5.0", "user:42", CREATED_AT.minusSeconds(3600), CREATED_AT);
    }

    LeadAnonymized anonymized() {
      return new LeadAnonymized(tenant, lead, "erasure-41", "user:dpo", ANONYMIZED_AT);
    }

    /** Every personal column of the lead's rows that still holds a value, as "table.column". */
    List<String> personalValuesLeft() throws Exception {
      List<String> left = new ArrayList<>();
      try (Connection connection = db.dataSource().getConnection()) {
        for (Map.Entry<String, List<String>> table : LeadReadModelHandler.PERSONAL_COLUMNS.entrySet()) {
          for (String column : table.getValue()) {
            try (PreparedStatement select = connection.prepareStatement("SELECT count(*) FROM " + table.getKey()
                + " WHERE tenant_id = ? AND lead_id = ? AND " + column + " IS NOT NULL")) {
              select.setString(1, tenant);
              select.setString(2, lead);
              try (ResultSet rows = select.executeQuery()) {
                rows.next();
                if (rows.getLong(1) > 0) left.add(table.getKey() + "." + column);
              }
            }
          }
        }
      }
      return left;
    }
  }

  private static LeadModel.Submission submission(String id, String source, LeadModel.Utm utm, String message) {
    return new LeadModel.Submission(id, "api", source, utm, "enc:Priya", "enc:priya@example.com", message,
        "api-key:k1", CREATED_AT.plusSeconds(60));
  }

  private static final LeadModel.Verification VERIFIED = new LeadModel.Verification(LeadModel.Verification.VERIFIED,
      null, true, true, "lead-older", false, new java.math.BigDecimal("0.30"), List.of("disposable-email"),
      new java.math.BigDecimal("0.50"));

  @Test
  void aSubmissionFillsTheLeadAndTheConversationOnceEvenWhenReplayed() throws Exception {
    LeadStream stream = new LeadStream();
    LeadModel.Utm utm = new LeadModel.Utm("google", "cpc", "diwali", null, null);
    Identifier email = stream.identifier(LeadModel.EMAIL, "priya@example.com");
    LeadCreated created = new LeadCreated(stream.tenant, stream.lead, LeadModel.API_CHANNEL,
        List.of(stream.phone("+919812345678"), email), "enc:Priya", CREATED_AT);
    LeadModel.LeadSubmitted first = new LeadModel.LeadSubmitted(stream.tenant, stream.lead,
        submission("api:k1", "website", utm, "enc:2BHK please"), created.identifiers(), true, CREATED_AT);
    LeadModel.LeadVerified verified = new LeadModel.LeadVerified(stream.tenant, stream.lead, "api:k1", VERIFIED,
        CREATED_AT.plusSeconds(1));
    projection.project(created, first, verified);
    projection.project(first, verified);

    assertThat(db.queryString("SELECT concat_ws('|', channel, email_enc, source, utm_source, utm_medium, utm_campaign,"
        + " submission_count, verification_status, phone_mobile_capable, duplicate_of, fraud_score, fraud_signals)"
        + " FROM leads WHERE tenant_id = ?", stream.tenant))
        .isEqualTo("api|enc:priya@example.com|website|google|cpc|diwali|1|verified|t|lead-older|0.30"
            + "|[\"disposable-email\"]");
    assertThat(db.queryString("SELECT concat_ws('|', via, source, created_lead, actor, verification_status,"
        + " tokens_debited, fraud_score) FROM lead_submissions WHERE tenant_id = ?", stream.tenant))
        .isEqualTo("api|website|t|api-key:k1|verified|0.50|0.30");
    assertThat(db.queryString("SELECT concat_ws('|', platform_message_id, direction, type, text_enc) FROM lead_messages"
        + " WHERE tenant_id = ?", stream.tenant)).isEqualTo("submission:api:k1|inbound|form|enc:2BHK please");
    assertThat(db.queryLong("SELECT inbound_count FROM leads WHERE tenant_id = ?", stream.tenant)).isEqualTo(1);
  }

  @Test
  void attributionIsFirstTouchAndALaterSubmissionKeepsTheNameAndEmailTheLeadHas() throws Exception {
    LeadStream stream = new LeadStream();
    projection.project(stream.created(), stream.received("wamid.1"));
    projection.project(new IdentifierAttached(stream.tenant, stream.lead,
            stream.identifier(LeadModel.EMAIL, "priya@example.com"), CREATED_AT),
        new LeadModel.LeadSubmitted(stream.tenant, stream.lead, submission("api:k1", "expo", LeadModel.Utm.NONE, null),
            List.of(), false, CREATED_AT));
    projection.project(new LeadModel.LeadSubmitted(stream.tenant, stream.lead,
        submission("api:k2", "website", new LeadModel.Utm("google", null, null, null, null), null), List.of(), false,
        CREATED_AT.plusSeconds(5)));

    assertThat(db.queryString("SELECT concat_ws('|', channel, name_enc, email_enc, source, utm_source,"
        + " submission_count, inbound_count) FROM leads WHERE tenant_id = ?", stream.tenant))
        .as("NULLs are left out by concat_ws: the second submission's UTM source was not taken")
        .isEqualTo("whatsapp|enc:Amara|enc:priya@example.com|expo|2|1");
    assertThat(db.queryLong("SELECT count(*) FROM lead_submissions WHERE tenant_id = ?", stream.tenant)).isEqualTo(2);
  }

  @Test
  void anAnonymizedLeadLosesItsEmailAndASubmissionAfterwardsBringsNothingBack() throws Exception {
    LeadStream stream = new LeadStream();
    projection.project(stream.created(), new IdentifierAttached(stream.tenant, stream.lead,
        stream.identifier(LeadModel.EMAIL, "priya@example.com"), CREATED_AT));
    projection.project(stream.anonymized());
    projection.project(new LeadModel.LeadSubmitted(stream.tenant, stream.lead,
        submission("api:k9", "website", LeadModel.Utm.NONE, "enc:call me"), List.of(), false, ANONYMIZED_AT));

    assertThat(stream.personalValuesLeft()).isEmpty();
    assertThat(db.queryLong("SELECT submission_count FROM leads WHERE tenant_id = ?", stream.tenant)).isEqualTo(1);
  }

  @Test
  void consentEvidenceIsWrittenOnceEvenWhenReplayed() throws Exception {
    LeadStream stream = new LeadStream();
    projection.project(stream.created(), stream.consent("form-1"));

    projection.project(stream.consent("form-1"));

    assertThat(db.queryLong("SELECT count(*) FROM consent_records WHERE tenant_id = ?", stream.tenant)).isEqualTo(1);
    assertThat(db.queryString(
            "SELECT concat_ws('|', lead_id, channel, purpose, granted, source, ip_enc, user_agent_enc, actor,"
                + " given_at AT TIME ZONE 'UTC', recorded_at AT TIME ZONE 'UTC')"
                + " FROM consent_records WHERE tenant_id = ? AND record_id = 'form-1'", stream.tenant))
        .isEqualTo(stream.lead + "|whatsapp|marketing|t|web-form:pricing|enc:203.0.113.7|enc:Mozilla/5.0|user:42"
            + "|2026-03-14 08:20:00|2026-03-14 09:20:00");
  }

  @Test
  void anonymizationMasksEveryPersonalColumnAndKeepsTheRest() throws Exception {
    LeadStream stream = new LeadStream();
    LeadStream neighbour = new LeadStream();
    projection.project(
        stream.created(), new IdentifierAttached(stream.tenant, stream.lead,
            stream.identifier(LeadModel.BSUID, "IN.abc"), CREATED_AT),
        stream.received("wamid.1"),
        new MessageStatusChanged(stream.tenant, stream.lead,
            new StatusChange("wamid.out", CHANNEL, "read", CREATED_AT, null, null), CREATED_AT),
        stream.consent("form-1"), neighbour.created(), neighbour.received("wamid.n1"));
    String phoneIndex = db.queryString(
        "SELECT phone_index FROM leads WHERE tenant_id = ? AND lead_id = ?", stream.tenant, stream.lead);
    assertThat(stream.personalValuesLeft()).hasSize(7);

    projection.project(stream.anonymized());

    assertThat(stream.personalValuesLeft()).isEmpty();
    assertThat(db.queryString(
            "SELECT concat_ws('|', phone_index, inbound_count, outbound_count, last_status,"
                + " anonymized_at AT TIME ZONE 'UTC', pii_masked_at AT TIME ZONE 'UTC')"
                + " FROM leads WHERE tenant_id = ? AND lead_id = ?", stream.tenant, stream.lead))
        .as("the salted hash, counts and statuses stay")
        .isEqualTo(phoneIndex + "|1|1|read|2026-04-02 11:00:00|2026-04-02 11:00:00");
    assertThat(db.queryLong("SELECT count(*) FROM lead_messages WHERE tenant_id = ?", stream.tenant)).isEqualTo(2);
    assertThat(db.queryString(
            "SELECT concat_ws('|', granted, source, actor) FROM consent_records WHERE tenant_id = ?", stream.tenant))
        .as("the evidence stays, without IP and user agent")
        .isEqualTo("t|web-form:pricing|user:42");
    assertThat(neighbour.personalValuesLeft()).as("another lead is untouched").hasSize(4);
  }

  @Test
  void nothingProjectedAfterTheAnonymizationWritesPersonalDataBack() throws Exception {
    LeadStream stream = new LeadStream();
    List<Event> history = List.of(stream.created(), stream.received("wamid.1"), stream.consent("form-1"),
        stream.anonymized());
    projection.project(history.toArray(Event[]::new));

    // routed here before the identifiers were retired
    projection.project(
        new IdentifierAttached(stream.tenant, stream.lead, stream.identifier(LeadModel.BSUID, "IN.late"), Instant.now()),
        new PhoneNumberChanged(stream.tenant, stream.lead, "wamid.sys",
            List.of(stream.phone("+919876543210")), Instant.now()),
        stream.received("wamid.2"), stream.consent("form-2"));
    // and the whole stream replayed, as after an offset reset
    projection.project(history.toArray(Event[]::new));

    assertThat(stream.personalValuesLeft()).isEmpty();
    assertThat(db.queryString(
            "SELECT phone_index FROM leads WHERE tenant_id = ? AND lead_id = ?", stream.tenant, stream.lead))
        .as("the new number does not replace the erased one's hash").isEqualTo("bidx:phone:+919111844757");
    assertThat(db.queryLong(
            "SELECT inbound_count FROM leads WHERE tenant_id = ? AND lead_id = ?", stream.tenant, stream.lead))
        .isEqualTo(2);
    assertThat(db.queryLong("SELECT count(*) FROM consent_records WHERE tenant_id = ?", stream.tenant)).isEqualTo(2);
  }

  /** The API's role reads consent evidence of its own tenant only, and the erased identifiers not at all. */
  @Test
  void theApplicationRoleSeesItsTenantsConsentAndNoErasedIdentifiers() throws Exception {
    LeadStream mine = new LeadStream();
    LeadStream theirs = new LeadStream();
    projection.project(mine.created(), mine.consent("form-1"), theirs.created(), theirs.consent("form-1"));

    try (Connection connection = db.dataSource().getConnection()) {
      connection.setAutoCommit(false);
      try (PreparedStatement role = connection.prepareStatement(
          "SELECT set_config('app.tenant_id', ?, true), set_config('role', 'flexoraa_app', true)")) {
        role.setString(1, mine.tenant);
        role.executeQuery().close();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT tenant_id FROM consent_records WHERE tenant_id IN (?, ?)")) {
          select.setString(1, mine.tenant);
          select.setString(2, theirs.tenant);
          try (ResultSet rows = select.executeQuery()) {
            List<String> tenants = new ArrayList<>();
            while (rows.next()) tenants.add(rows.getString(1));
            assertThat(tenants).containsExactly(mine.tenant);
          }
        }
        try (PreparedStatement select = connection.prepareStatement("SELECT count(*) FROM erased_identifiers")) {
          assertThatThrownBy(select::executeQuery).hasMessageContaining("permission denied");
        }
      } finally {
        connection.rollback();
        connection.setAutoCommit(true);
      }
    }
  }

  /** A personal column added to a read model later must be masked too: this fails until the handler knows it. */
  @Test
  void everyEncryptedColumnOfTheLeadReadModelsIsMaskedOnAnonymization() throws Exception {
    Map<String, List<String>> inSchema = new TreeMap<>();
    try (Connection connection = db.dataSource().getConnection();
        PreparedStatement select = connection.prepareStatement(
            "SELECT c.table_name, c.column_name FROM information_schema.columns c"
                + " WHERE c.table_schema = 'public' AND c.column_name LIKE '%\\_enc'"
                + " AND EXISTS (SELECT 1 FROM information_schema.columns l WHERE l.table_schema = 'public'"
                + " AND l.table_name = c.table_name AND l.column_name = 'lead_id')"
                + " ORDER BY c.table_name, c.ordinal_position");
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        inSchema.computeIfAbsent(rows.getString(1), table -> new ArrayList<>()).add(rows.getString(2));
      }
    }

    assertThat(inSchema).isEqualTo(new TreeMap<>(LeadReadModelHandler.PERSONAL_COLUMNS));
  }
}
