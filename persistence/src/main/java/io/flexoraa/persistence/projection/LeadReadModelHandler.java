package io.flexoraa.persistence.projection;

import io.flexoraa.engine.lead.LeadModel;
import io.flexoraa.engine.lead.LeadModel.Event;
import io.flexoraa.engine.lead.LeadModel.Identifier;
import io.flexoraa.engine.lead.StatusOrder;
import io.flexoraa.persistence.live.LiveSignals;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the {@code leads}, {@code lead_messages}, {@code consent_records} and {@code lead_submissions} read models
 * from the lead event stream. A group of events is written in one transaction together with the projection offset
 * (exactly-once). Every write is also idempotent on its own — message rows on the platform id, statuses guarded by
 * rank, consent on the record id, submissions on the submission id — so even a replay changes nothing.
 *
 * <p>A submission (form, CRM, import) adds a {@code lead_submissions} row, fills the lead's name and e-mail when it
 * has none, sets its first-touch attribution (source and UTM) when it has none, and puts the submitted message in
 * the conversation as an inbound {@code form} message (id {@code submission:<id>}), so the rep sees what the lead
 * wrote. Its verification updates the submission row and, as the latest, the lead.
 *
 * <p>Anonymization nulls every personal column of the lead ({@link #PERSONAL_COLUMNS}) in the same transaction, and
 * every later write checks {@code leads.anonymized_at}, so an event the lead persisted after its anonymization (a
 * message routed to it before its identifiers were retired) never writes personal data back.
 */
public final class LeadReadModelHandler extends JdbcHandler<List<EventEnvelope<Event>>, PooledJdbcSession> {
  private static final Logger log = LoggerFactory.getLogger(LeadReadModelHandler.class);

  /**
   * Every column of the read models that holds personal data, by table (all keyed by tenant_id and lead_id). A
   * test compares this with the schema, so a new {@code *_enc} column cannot be forgotten here.
   */
  static final Map<String, List<String>> PERSONAL_COLUMNS = Map.of(
      "leads", List.of("name_enc", "phone_enc", "wa_id_enc", "bsuid_enc", "email_enc", "igsid_enc", "psid_enc"),
      "lead_messages", List.of("text_enc"),
      "consent_records", List.of("ip_enc", "user_agent_enc"));

  /** A parameter of personal data that stays NULL once the lead (two more parameters: tenant, lead) is anonymized. */
  static final String UNLESS_ANONYMIZED =
      "CASE WHEN EXISTS (SELECT 1 FROM leads WHERE tenant_id = ? AND lead_id = ? AND anonymized_at IS NOT NULL)"
          + " THEN NULL ELSE ? END";

  private static final com.fasterxml.jackson.databind.ObjectMapper SIGNALS = new com.fasterxml.jackson.databind.ObjectMapper();

  private final String tag;

  public LeadReadModelHandler(String tag) {
    this.tag = tag;
  }

  @Override
  public void start() {
    log.info("Lead read-model projection for {} started", tag);
  }

  @Override
  public void stop() {
    log.info("Lead read-model projection for {} stopped", tag);
  }

  @Override
  public void process(PooledJdbcSession session, List<EventEnvelope<Event>> envelopes) throws Exception {
    session.withConnection(connection -> {
      LiveSignals live = new LiveSignals();
      for (EventEnvelope<Event> envelope : envelopes) {
        apply(connection, envelope.event());
        LeadLiveSignals.add(live, envelope.event());
      }
      // delivered by PostgreSQL when this group's transaction commits (docs/decisions/0034-live-feed.md)
      live.send(connection);
      return null;
    });
  }

  private void apply(Connection connection, Event event) throws SQLException {
    if (event instanceof LeadModel.LeadCreated created) {
      leadCreated(connection, created);
    } else if (event instanceof LeadModel.IdentifierAttached attached) {
      identifier(connection, attached.tenantId(), attached.leadId(), attached.identifier(), false);
    } else if (event instanceof LeadModel.PhoneNumberChanged changed) {
      for (Identifier identifier : changed.newIdentifiers()) {
        identifier(connection, changed.tenantId(), changed.leadId(), identifier, true);
      }
    } else if (event instanceof LeadModel.MessageReceived received) {
      messageReceived(connection, received);
    } else if (event instanceof LeadModel.MessageStatusChanged changed) {
      statusChanged(connection, changed);
    } else if (event instanceof LeadModel.ConsentRecorded recorded) {
      consentRecorded(connection, recorded);
    } else if (event instanceof LeadModel.LeadAnonymized anonymized) {
      leadAnonymized(connection, anonymized);
    } else if (event instanceof LeadModel.LeadSubmitted submitted) {
      leadSubmitted(connection, submitted);
    } else if (event instanceof LeadModel.LeadVerified verified) {
      leadVerified(connection, verified);
    } else if (event instanceof LeadModel.OutboundRequested requested) {
      OutboundMessageRows.requested(connection, requested);
    } else if (event instanceof LeadModel.OutboundDecided decided) {
      OutboundMessageRows.decided(connection, decided);
    } else if (event instanceof LeadModel.OutboundSent sent) {
      OutboundMessageRows.sent(connection, sent);
    } else if (event instanceof LeadModel.OutboundFailed failed) {
      OutboundMessageRows.failed(connection, failed);
    } else {
      MessagingRows.apply(connection, event);
    }
  }

  private void leadCreated(Connection connection, LeadModel.LeadCreated created) throws SQLException {
    Identifier phone = find(created.identifiers(), LeadModel.PHONE);
    Identifier waId = find(created.identifiers(), LeadModel.WA_ID);
    Identifier bsuid = find(created.identifiers(), LeadModel.BSUID);
    Identifier email = find(created.identifiers(), LeadModel.EMAIL);
    Identifier igsid = find(created.identifiers(), LeadModel.IGSID);
    Identifier psid = find(created.identifiers(), LeadModel.PSID);
    try (PreparedStatement insert = connection.prepareStatement(
        "INSERT INTO leads (tenant_id, lead_id, channel, name_enc, phone_enc, phone_index, phone_valid, wa_id_enc,"
            + " bsuid_enc, created_at, updated_at, email_enc, igsid_enc, psid_enc)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
      insert.setString(1, created.tenantId());
      insert.setString(2, created.leadId());
      insert.setString(3, created.channel());
      insert.setString(4, created.nameEnc());
      insert.setString(5, phone == null ? null : phone.valueEnc());
      insert.setString(6, phone == null ? null : phone.index());
      insert.setObject(7, phone == null ? null : phone.valid());
      insert.setString(8, waId == null ? null : waId.valueEnc());
      insert.setString(9, bsuid == null ? null : bsuid.valueEnc());
      insert.setTimestamp(10, Timestamp.from(created.at()));
      insert.setTimestamp(11, Timestamp.from(created.at()));
      insert.setString(12, email == null ? null : email.valueEnc());
      insert.setString(13, igsid == null ? null : igsid.valueEnc());
      insert.setString(14, psid == null ? null : psid.valueEnc());
      insert.executeUpdate();
    }
  }

  /** A learnt identifier fills an empty slot; a number change ({@code replace}) overrides the current one. */
  static void identifier(Connection connection, String tenantId, String leadId, Identifier identifier, boolean replace)
      throws SQLException {
    String sql = switch (identifier.kind()) {
      case LeadModel.PHONE -> replace
          ? "UPDATE leads SET phone_enc = ?, phone_index = ?, phone_valid = ?, updated_at = now()"
              + " WHERE tenant_id = ? AND lead_id = ?"
          : "UPDATE leads SET phone_enc = ?, phone_index = ?, phone_valid = ?, updated_at = now()"
              + " WHERE tenant_id = ? AND lead_id = ? AND phone_enc IS NULL";
      case LeadModel.WA_ID -> "UPDATE leads SET wa_id_enc = ?, updated_at = now() WHERE tenant_id = ? AND lead_id = ?"
          + (replace ? "" : " AND wa_id_enc IS NULL");
      case LeadModel.BSUID -> "UPDATE leads SET bsuid_enc = ?, updated_at = now() WHERE tenant_id = ? AND lead_id = ?"
          + (replace ? "" : " AND bsuid_enc IS NULL");
      case LeadModel.EMAIL -> "UPDATE leads SET email_enc = ?, updated_at = now() WHERE tenant_id = ? AND lead_id = ?"
          + (replace ? "" : " AND email_enc IS NULL");
      case LeadModel.IGSID -> "UPDATE leads SET igsid_enc = ?, updated_at = now() WHERE tenant_id = ? AND lead_id = ?"
          + (replace ? "" : " AND igsid_enc IS NULL");
      case LeadModel.PSID -> "UPDATE leads SET psid_enc = ?, updated_at = now() WHERE tenant_id = ? AND lead_id = ?"
          + (replace ? "" : " AND psid_enc IS NULL");
      default -> null;
    };
    if (sql == null) return;
    // an anonymized lead keeps the phone_index it had (the salted hash, for duplicate detection) and learns nothing
    sql += " AND anonymized_at IS NULL";
    try (PreparedStatement update = connection.prepareStatement(sql)) {
      int index = 1;
      update.setString(index++, identifier.valueEnc());
      if (LeadModel.PHONE.equals(identifier.kind())) {
        update.setString(index++, identifier.index());
        update.setBoolean(index++, identifier.valid());
      }
      update.setString(index++, tenantId);
      update.setString(index, leadId);
      update.executeUpdate();
    }
  }

  private void messageReceived(Connection connection, LeadModel.MessageReceived received) throws SQLException {
    LeadModel.InboundMessage message = received.message();
    Instant sentAt = message.sentAt() != null ? message.sentAt() : received.receivedAt();
    int inserted;
    try (PreparedStatement insert = connection.prepareStatement(
        "INSERT INTO lead_messages (tenant_id, lead_id, platform_message_id, direction, channel, channel_account, type,"
            + " text_enc, sent_at, received_at, ai_screen) VALUES (?, ?, ?, 'inbound', ?, ?, ?, " + UNLESS_ANONYMIZED
            + ", ?, ?, ?) ON CONFLICT (tenant_id, platform_message_id) DO NOTHING")) {
      insert.setString(1, received.tenantId());
      insert.setString(2, received.leadId());
      insert.setString(3, message.platformMessageId());
      insert.setString(4, message.channel());
      insert.setString(5, message.channelAccount());
      insert.setString(6, message.type());
      insert.setString(7, received.tenantId());
      insert.setString(8, received.leadId());
      insert.setString(9, message.textEnc());
      insert.setTimestamp(10, Timestamp.from(sentAt));
      insert.setTimestamp(11, Timestamp.from(received.receivedAt()));
      insert.setString(12, received.aiScreen());
      inserted = insert.executeUpdate();
    }
    if (inserted == 0) return;
    if (MessagingRows.followMerge(connection, received.tenantId(), received.leadId(), 0)) return; // counted on the survivor
    try (PreparedStatement update = connection.prepareStatement(
        "UPDATE leads SET inbound_count = inbound_count + 1,"
            + " first_inbound_at = LEAST(COALESCE(first_inbound_at, ?), ?),"
            + " last_inbound_at = GREATEST(COALESCE(last_inbound_at, ?), ?), updated_at = ?"
            + " WHERE tenant_id = ? AND lead_id = ?")) {
      Timestamp at = Timestamp.from(sentAt);
      update.setTimestamp(1, at);
      update.setTimestamp(2, at);
      update.setTimestamp(3, at);
      update.setTimestamp(4, at);
      update.setTimestamp(5, Timestamp.from(received.receivedAt()));
      update.setString(6, received.tenantId());
      update.setString(7, received.leadId());
      update.executeUpdate();
    }
  }

  private void statusChanged(Connection connection, LeadModel.MessageStatusChanged changed) throws SQLException {
    LeadModel.StatusChange status = changed.status();
    Timestamp at = Timestamp.from(status.at() != null ? status.at() : changed.recordedAt());
    boolean newMessage = false;
    try (PreparedStatement upsert = connection.prepareStatement(
        "INSERT INTO lead_messages (tenant_id, lead_id, platform_message_id, direction, channel, status, status_rank,"
            + " status_at) VALUES (?, ?, ?, 'outbound', ?, ?, ?, ?)"
            + " ON CONFLICT (tenant_id, platform_message_id) DO UPDATE SET status = EXCLUDED.status,"
            + " status_rank = EXCLUDED.status_rank, status_at = EXCLUDED.status_at"
            + " WHERE lead_messages.status_rank < EXCLUDED.status_rank RETURNING (xmax = 0)")) {
      upsert.setString(1, changed.tenantId());
      upsert.setString(2, changed.leadId());
      upsert.setString(3, status.platformMessageId());
      upsert.setString(4, status.channel());
      upsert.setString(5, status.status());
      upsert.setInt(6, StatusOrder.rank(status.status()));
      upsert.setTimestamp(7, at);
      try (ResultSet result = upsert.executeQuery()) {
        if (!result.next()) return; // an older status: the read model already shows a later one
        newMessage = result.getBoolean(1);
      }
    }
    MessagingRows.followMerge(connection, changed.tenantId(), changed.leadId(), 0);
    try (PreparedStatement update = connection.prepareStatement(
        "UPDATE leads SET last_status = ?, last_status_at = ?, outbound_count = outbound_count + ?, updated_at = now()"
            + " WHERE tenant_id = ? AND lead_id = ?")) {
      update.setString(1, status.status());
      update.setTimestamp(2, at);
      update.setInt(3, newMessage ? 1 : 0);
      update.setString(4, changed.tenantId());
      update.setString(5, changed.leadId());
      update.executeUpdate();
    }
  }

  private void consentRecorded(Connection connection, LeadModel.ConsentRecorded recorded) throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(
        "INSERT INTO consent_records (tenant_id, lead_id, record_id, channel, purpose, granted, source, ip_enc,"
            + " user_agent_enc, actor, given_at, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, " + UNLESS_ANONYMIZED
            + ", " + UNLESS_ANONYMIZED + ", ?, ?, ?) ON CONFLICT (tenant_id, record_id) DO NOTHING")) {
      int index = 1;
      insert.setString(index++, recorded.tenantId());
      insert.setString(index++, recorded.leadId());
      insert.setString(index++, recorded.recordId());
      insert.setString(index++, recorded.channel());
      insert.setString(index++, recorded.purpose());
      insert.setBoolean(index++, recorded.granted());
      insert.setString(index++, recorded.source());
      for (String personal : new String[] {recorded.ipEnc(), recorded.userAgentEnc()}) {
        insert.setString(index++, recorded.tenantId());
        insert.setString(index++, recorded.leadId());
        insert.setString(index++, personal);
      }
      insert.setString(index++, recorded.actor());
      insert.setTimestamp(index++, Timestamp.from(recorded.at()));
      insert.setTimestamp(index, Timestamp.from(recorded.recordedAt()));
      insert.executeUpdate();
    }
  }

  private void leadSubmitted(Connection connection, LeadModel.LeadSubmitted submitted) throws SQLException {
    LeadModel.Submission submission = submitted.submission();
    LeadModel.Utm utm = submission.utm();
    int inserted;
    try (PreparedStatement insert = connection.prepareStatement(
        "INSERT INTO lead_submissions (tenant_id, lead_id, submission_id, via, source, utm_source, utm_medium,"
            + " utm_campaign, utm_term, utm_content, created_lead, actor, submitted_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, submission_id) DO NOTHING")) {
      int index = 1;
      insert.setString(index++, submitted.tenantId());
      insert.setString(index++, submitted.leadId());
      insert.setString(index++, submission.submissionId());
      insert.setString(index++, submission.via());
      insert.setString(index++, submission.source());
      for (String part : attribution(utm)) insert.setString(index++, part);
      insert.setBoolean(index++, submitted.createdLead());
      insert.setString(index++, submission.actor());
      insert.setTimestamp(index, Timestamp.from(submission.submittedAt()));
      inserted = insert.executeUpdate();
    }
    if (inserted == 0) return;
    Timestamp at = Timestamp.from(submitted.at());
    try (PreparedStatement update = connection.prepareStatement(
        "UPDATE leads SET submission_count = submission_count + 1,"
            + " last_submitted_at = GREATEST(COALESCE(last_submitted_at, ?), ?), updated_at = ?"
            + " WHERE tenant_id = ? AND lead_id = ?")) {
      update.setTimestamp(1, at);
      update.setTimestamp(2, at);
      update.setTimestamp(3, at);
      update.setString(4, submitted.tenantId());
      update.setString(5, submitted.leadId());
      update.executeUpdate();
    }
    // personal data only while the lead is not anonymized; a name or e-mail it already has is kept
    try (PreparedStatement update = connection.prepareStatement(
        "UPDATE leads SET name_enc = COALESCE(name_enc, ?), email_enc = COALESCE(email_enc, ?)"
            + " WHERE tenant_id = ? AND lead_id = ? AND anonymized_at IS NULL")) {
      update.setString(1, submission.nameEnc());
      update.setString(2, submission.emailEnc());
      update.setString(3, submitted.tenantId());
      update.setString(4, submitted.leadId());
      update.executeUpdate();
    }
    if (submission.source() != null || attribution(utm).stream().anyMatch(part -> part != null)) {
      try (PreparedStatement update = connection.prepareStatement(
          "UPDATE leads SET source = ?, utm_source = ?, utm_medium = ?, utm_campaign = ?, utm_term = ?,"
              + " utm_content = ? WHERE tenant_id = ? AND lead_id = ? AND source IS NULL AND utm_source IS NULL"
              + " AND utm_medium IS NULL AND utm_campaign IS NULL AND utm_term IS NULL AND utm_content IS NULL")) {
        int index = 1;
        update.setString(index++, submission.source());
        for (String part : attribution(utm)) update.setString(index++, part);
        update.setString(index++, submitted.tenantId());
        update.setString(index, submitted.leadId());
        update.executeUpdate();
      }
    }
    if (submission.messageEnc() != null) {
      LeadModel.InboundMessage message = new LeadModel.InboundMessage(
          "submission:" + submission.submissionId(), submission.via(), null, "form", submission.submittedAt(),
          submission.messageEnc(), null, null, List.of(), null);
      messageReceived(connection, new LeadModel.MessageReceived(
          submitted.tenantId(), submitted.leadId(), message, submitted.at()));
    }
  }

  private void leadVerified(Connection connection, LeadModel.LeadVerified verified) throws SQLException {
    LeadModel.Verification verification = verified.verification();
    String signals = json(verification.signals());
    int updated;
    try (PreparedStatement update = connection.prepareStatement(
        "UPDATE lead_submissions SET verification_status = ?, verification_skipped_reason = ?, phone_valid = ?,"
            + " phone_mobile_capable = ?, duplicate_of = ?, previously_erased = ?, fraud_score = ?, fraud_signals = ?,"
            + " tokens_debited = ?, verified_at = ?"
            + " WHERE tenant_id = ? AND submission_id = ? AND verification_status IS NULL")) {
      int index = bindVerification(update, verification, signals);
      update.setBigDecimal(index++, verification.tokensDebited());
      update.setTimestamp(index++, Timestamp.from(verified.at()));
      update.setString(index++, verified.tenantId());
      update.setString(index, verified.submissionId());
      updated = update.executeUpdate();
    }
    if (updated == 0) return;
    try (PreparedStatement update = connection.prepareStatement(
        "UPDATE leads SET verification_status = ?, verification_skipped_reason = ?,"
            + " phone_valid = COALESCE(?, phone_valid), phone_mobile_capable = ?, duplicate_of = ?,"
            + " previously_erased = ?, fraud_score = ?, fraud_signals = ?, verified_at = ?, updated_at = ?"
            + " WHERE tenant_id = ? AND lead_id = ? AND (verified_at IS NULL OR verified_at <= ?)")) {
      int index = bindVerification(update, verification, signals);
      Timestamp at = Timestamp.from(verified.at());
      update.setTimestamp(index++, at);
      update.setTimestamp(index++, at);
      update.setString(index++, verified.tenantId());
      update.setString(index++, verified.leadId());
      update.setTimestamp(index, at);
      update.executeUpdate();
    }
  }

  /** Binds status, reason, validity, mobile, duplicate, erased, score and signals; returns the next index. */
  private static int bindVerification(
      PreparedStatement statement, LeadModel.Verification verification, String signals) throws SQLException {
    int index = 1;
    statement.setString(index++, verification.status());
    statement.setString(index++, verification.skippedReason());
    statement.setObject(index++, verification.phoneValid());
    statement.setObject(index++, verification.phoneMobileCapable());
    statement.setString(index++, verification.duplicateOf());
    statement.setBoolean(index++, verification.previouslyErased());
    statement.setBigDecimal(index++, verification.fraudScore());
    statement.setString(index++, signals);
    return index;
  }

  private static String json(List<String> values) {
    try {
      return SIGNALS.writeValueAsString(values);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a list of strings is always JSON", e);
    }
  }

  private static List<String> attribution(LeadModel.Utm utm) {
    return java.util.Arrays.asList(utm.source(), utm.medium(), utm.campaign(), utm.term(), utm.content());
  }

  /**
   * Nulls the lead's personal columns everywhere and marks it anonymized; phone_index stays (a keyed hash, kept for
   * duplicate detection), and so do counts, statuses and the consent evidence without its IP and user agent.
   */
  private void leadAnonymized(Connection connection, LeadModel.LeadAnonymized anonymized) throws SQLException {
    Timestamp at = Timestamp.from(anonymized.at());
    try (PreparedStatement update = connection.prepareStatement(
        "UPDATE leads SET " + nulled("leads") + ", anonymized_at = COALESCE(anonymized_at, ?),"
            + " pii_masked_at = COALESCE(pii_masked_at, ?), updated_at = ? WHERE tenant_id = ? AND lead_id = ?")) {
      update.setTimestamp(1, at);
      update.setTimestamp(2, at);
      update.setTimestamp(3, at);
      update.setString(4, anonymized.tenantId());
      update.setString(5, anonymized.leadId());
      update.executeUpdate();
    }
    for (String table : PERSONAL_COLUMNS.keySet()) {
      if (table.equals("leads")) continue; // done above, together with the mark
      try (PreparedStatement update = connection.prepareStatement(
          "UPDATE " + table + " SET " + nulled(table) + " WHERE tenant_id = ? AND lead_id = ?")) {
        update.setString(1, anonymized.tenantId());
        update.setString(2, anonymized.leadId());
        update.executeUpdate();
      }
    }
  }

  private static String nulled(String table) {
    return String.join(", ", PERSONAL_COLUMNS.get(table).stream().map(column -> column + " = NULL").toList());
  }

  private static Identifier find(List<Identifier> identifiers, String kind) {
    return identifiers.stream().filter(identifier -> kind.equals(identifier.kind())).findFirst().orElse(null);
  }
}
