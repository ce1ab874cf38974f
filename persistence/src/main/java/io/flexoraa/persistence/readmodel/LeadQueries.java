package io.flexoraa.persistence.readmodel;

import io.flexoraa.engine.ports.PiiCipher;
import io.flexoraa.engine.ports.PiiCipher.FieldCipher;
import io.flexoraa.persistence.TenantJdbc;
import io.flexoraa.persistence.readmodel.LeadViews.Attribution;
import io.flexoraa.persistence.readmodel.LeadViews.LeadView;
import io.flexoraa.persistence.readmodel.LeadViews.MessageView;
import io.flexoraa.persistence.readmodel.LeadViews.Page;
import io.flexoraa.persistence.readmodel.LeadViews.VerificationView;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Reads the lead read models for the API, always scoped to one tenant. Encrypted columns are opened with the
 * lead's key; a lead whose key was destroyed comes back with its personal fields null and {@code erased} set.
 *
 * <p>The scope is enforced twice: every query filters on the tenant, and every query runs through {@link TenantJdbc}
 * on the API's pool, where PostgreSQL's row-level security hides other tenants' rows even from a query that forgot
 * its filter (docs/decisions/0008-row-level-security.md).
 */
public final class LeadQueries {
  private static final String LEAD_COLUMNS =
      "lead_id, channel, name_enc, phone_enc, phone_valid, wa_id_enc, bsuid_enc, first_inbound_at, last_inbound_at,"
          + " inbound_count, outbound_count, last_status, last_status_at, created_at, updated_at, assigned_user_id,"
          + " phone_masked, anonymized_at, pii_masked_at, conversation_expired_at, email_enc, source, utm_source,"
          + " utm_medium, utm_campaign, utm_term, utm_content, submission_count, last_submitted_at,"
          + " verification_status, verification_skipped_reason, phone_mobile_capable, duplicate_of, previously_erased,"
          + " fraud_score, fraud_signals, verified_at, igsid_enc, psid_enc, merged_into, merged_at,"
          // the AI's score, band and language (lead_ai, issue 6); the first-response SLA of the open assignment or,
          // for a lead nobody could take, of its wait in the queue (routing, issue 7)
          + " ai_score, ai_band, ai_language, COALESCE(sla_due_at, queue_sla_due), sla_responded_at,"
          + " COALESCE(sla_breached_at, queue_breached_at), queued_at,"
          // who answers the lead: the AI unless a person took it over (decision 35)
          + " COALESCE(ai_handled_by, 'ai'), ai_taken_over_by, ai_taken_over_at";

  /**
   * The leads with what other read models know of them, one row per lead: lateral joins keep each side's columns
   * apart (lead_ai and the routing tables have their own tenant_id, band and updated_at), and each is an index
   * lookup by (tenant, lead): lead_ai's key, lead_assignments_lead_idx, routing_queue's key.
   */
  private static final String LEADS_JOINED = " FROM leads"
      + " LEFT JOIN LATERAL (SELECT a.score AS ai_score, a.band AS ai_band, a.language AS ai_language,"
      + "   a.handled_by AS ai_handled_by, a.taken_over_by AS ai_taken_over_by, a.taken_over_at AS ai_taken_over_at"
      + "   FROM lead_ai a"
      + "   WHERE a.tenant_id = leads.tenant_id AND a.lead_id = leads.lead_id) ai ON true"
      + " LEFT JOIN LATERAL (SELECT s.due_at AS sla_due_at, s.responded_at AS sla_responded_at,"
      + "   s.breached_at AS sla_breached_at FROM lead_assignments la JOIN sla_records s"
      + "   ON s.tenant_id = la.tenant_id AND s.assignment_id = la.assignment_id"
      + "   WHERE la.tenant_id = leads.tenant_id AND la.lead_id = leads.lead_id AND la.ended_at IS NULL"
      + "   ORDER BY la.assigned_at DESC LIMIT 1) sla ON true"
      + " LEFT JOIN LATERAL (SELECT q.queued_at, q.sla_due AS queue_sla_due, q.breached_at AS queue_breached_at"
      + "   FROM routing_queue q WHERE q.tenant_id = leads.tenant_id AND q.lead_id = leads.lead_id) q ON true";

  /**
   * What a list of leads is narrowed to; a null field does not narrow. {@code phoneIndex} is the blind index of one
   * number; {@code assignedTo} a user id or {@link #UNASSIGNED}; {@code band} HOT, WARM, COLD or {@link #UNSCORED};
   * {@code source} the first-touch attribution source; {@code language} the AI's detected language. The API
   * validates the values.
   */
  public record Filter(
      Optional<String> phoneIndex, String channel, String assignedTo, String source, String language, String band) {
    public static final String UNASSIGNED = "none";
    public static final String UNSCORED = "NONE";

    public static Filter none() {
      return new Filter(Optional.empty(), null, null, null, null, null);
    }

    public static Filter phone(Optional<String> phoneIndex) {
      return new Filter(phoneIndex, null, null, null, null, null);
    }

    public Filter withPhoneIndex(String index) {
      return new Filter(Optional.of(index), channel, assignedTo, source, language, band);
    }

    /** The SQL conditions after the tenant's, each with one {@code ?} bound by {@link #bind}. */
    String where() {
      StringBuilder sql = new StringBuilder();
      if (phoneIndex.isPresent()) sql.append(" AND phone_index = ?");
      if (channel != null) sql.append(" AND channel = ?");
      if (assignedTo != null) {
        sql.append(UNASSIGNED.equals(assignedTo) ? " AND assigned_user_id IS NULL" : " AND assigned_user_id = ?");
      }
      if (source != null) sql.append(" AND source = ?");
      if (language != null) sql.append(" AND ai_language = ?");
      if (band != null) sql.append(UNSCORED.equals(band) ? " AND ai_band IS NULL" : " AND ai_band = ?");
      return sql.toString();
    }

    int bind(PreparedStatement statement, int from) throws SQLException {
      int next = from;
      if (phoneIndex.isPresent()) statement.setString(next++, phoneIndex.get());
      // the sentinels (unassigned, unscored) are IS NULL conditions without a parameter
      for (String value : java.util.Arrays.asList(channel, UNASSIGNED.equals(assignedTo) ? null : assignedTo, source,
          language, UNSCORED.equals(band) ? null : band)) {
        if (value != null) statement.setString(next++, value);
      }
      return next;
    }
  }

  /**
   * Which of a tenant's leads a caller may see: all of them, or only those assigned to one user (an SDR). A lead
   * outside the scope is not there for that caller.
   */
  public record Scope(String assignedTo) {
    private static final Scope ALL = new Scope(null);

    public static Scope all() {
      return ALL;
    }

    public static Scope assignedTo(String userId) {
      if (userId == null || userId.isBlank()) throw new IllegalArgumentException("an assignee is required");
      return new Scope(userId);
    }

    public boolean restricted() {
      return assignedTo != null;
    }
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper SIGNALS = new com.fasterxml.jackson.databind.ObjectMapper();

  private final TenantJdbc jdbc;
  private final PiiCipher cipher;

  /** {@code jdbc} should run on {@link io.flexoraa.persistence.Database#apiDataSource()}. */
  public LeadQueries(TenantJdbc jdbc, PiiCipher cipher) {
    this.jdbc = jdbc;
    this.cipher = cipher;
  }

  /** Leads of a tenant, newest activity first; {@code phoneIndex} (a blind index) narrows to one number. */
  public CompletionStage<Page<LeadView>> list(String tenantId, int limit, int offset, Optional<String> phoneIndex) {
    return list(tenantId, limit, offset, Filter.phone(phoneIndex), Scope.all());
  }

  /** As {@link #list(String, int, int, Optional)}, narrowed by {@code filter}, within the caller's scope. */
  public CompletionStage<Page<LeadView>> list(String tenantId, int limit, int offset, Filter filter, Scope scope) {
    // a lead merged into another is that other lead now: listed through it, still readable by its id
    String where = " WHERE tenant_id = ? AND merged_into IS NULL" + filter.where()
        + (scope.restricted() ? " AND assigned_user_id = ?" : "");
    CompletionStage<Page<EncryptedLead>> rows = jdbc.async(tenantId, connection -> {
      long total;
      try (PreparedStatement count = connection.prepareStatement("SELECT count(*)" + LEADS_JOINED + where)) {
        bindFilter(count, tenantId, filter, scope);
        try (ResultSet result = count.executeQuery()) {
          result.next();
          total = result.getLong(1);
        }
      }
      List<EncryptedLead> leads = new ArrayList<>();
      try (PreparedStatement select = connection.prepareStatement(
          "SELECT " + LEAD_COLUMNS + LEADS_JOINED + where
              + " ORDER BY last_inbound_at DESC NULLS LAST, created_at DESC, lead_id LIMIT ? OFFSET ?")) {
        int next = bindFilter(select, tenantId, filter, scope);
        select.setInt(next++, limit);
        select.setInt(next, offset);
        try (ResultSet result = select.executeQuery()) {
          while (result.next()) leads.add(readLead(result));
        }
      }
      return new Page<>(leads, total);
    });
    return rows.thenCompose(page -> {
      List<CompletableFuture<LeadView>> views =
          page.items().stream().map(lead -> decrypt(tenantId, lead).toCompletableFuture()).toList();
      return CompletableFuture.allOf(views.toArray(CompletableFuture[]::new))
          .thenApply(done -> new Page<>(views.stream().map(CompletableFuture::join).toList(), page.total()));
    });
  }

  public CompletionStage<Optional<LeadView>> get(String tenantId, String leadId) {
    return get(tenantId, leadId, Scope.all());
  }

  /** The lead, if it exists and is within the caller's scope. */
  public CompletionStage<Optional<LeadView>> get(String tenantId, String leadId, Scope scope) {
    CompletionStage<Optional<EncryptedLead>> row = jdbc.async(tenantId, connection -> {
      try (PreparedStatement select = connection.prepareStatement(
          "SELECT " + LEAD_COLUMNS + LEADS_JOINED + " WHERE tenant_id = ? AND lead_id = ?"
              + (scope.restricted() ? " AND assigned_user_id = ?" : ""))) {
        select.setString(1, tenantId);
        select.setString(2, leadId);
        if (scope.restricted()) select.setString(3, scope.assignedTo());
        try (ResultSet result = select.executeQuery()) {
          return result.next() ? Optional.of(readLead(result)) : Optional.empty();
        }
      }
    });
    return row.thenCompose(lead -> lead.isEmpty()
        ? CompletableFuture.completedFuture(Optional.<LeadView>empty())
        : decrypt(tenantId, lead.get()).thenApply(Optional::of));
  }

  /**
   * How many inbound messages the customer screen kept from AI work since {@code since}, by reason
   * ({@code rapid-fire}, {@code daily-cap}, {@code repetition}, {@code gibberish}).
   */
  public CompletionStage<java.util.Map<String, Long>> screenedSince(String tenantId, Instant since) {
    return jdbc.async(tenantId, connection -> {
      java.util.Map<String, Long> counts = new java.util.TreeMap<>();
      try (PreparedStatement select = connection.prepareStatement(
          "SELECT ai_screen, count(*) FROM lead_messages WHERE tenant_id = ? AND ai_screen IS NOT NULL"
              + " AND received_at >= ? GROUP BY ai_screen")) {
        select.setString(1, tenantId);
        select.setTimestamp(2, java.sql.Timestamp.from(since));
        try (ResultSet result = select.executeQuery()) {
          while (result.next()) counts.put(result.getString(1), result.getLong(2));
        }
      }
      return counts;
    });
  }

  /** When the lead sent the inbound message (a comment, say) with this platform id; empty when it is not the lead's. */
  public CompletionStage<Optional<Instant>> inboundSentAt(String tenantId, String leadId, String platformMessageId) {
    return jdbc.async(tenantId, connection -> {
      try (PreparedStatement select = connection.prepareStatement(
          "SELECT sent_at FROM lead_messages WHERE tenant_id = ? AND lead_id = ? AND platform_message_id = ?"
              + " AND direction = 'inbound'")) {
        select.setString(1, tenantId);
        select.setString(2, leadId);
        select.setString(3, platformMessageId);
        try (ResultSet result = select.executeQuery()) {
          return result.next() ? Optional.ofNullable(instant(result, 1)) : Optional.<Instant>empty();
        }
      }
    });
  }

  /** The lead's conversation in the order it happened. */
  public CompletionStage<Page<MessageView>> messages(String tenantId, String leadId, int limit, int offset) {
    CompletionStage<Page<EncryptedMessage>> rows = jdbc.async(tenantId, connection -> {
      long total;
      try (PreparedStatement count = connection.prepareStatement(
          "SELECT count(*) FROM lead_messages WHERE tenant_id = ? AND lead_id = ?")) {
        count.setString(1, tenantId);
        count.setString(2, leadId);
        try (ResultSet result = count.executeQuery()) {
          result.next();
          total = result.getLong(1);
        }
      }
      List<EncryptedMessage> messages = new ArrayList<>();
      try (PreparedStatement select = connection.prepareStatement(
          "SELECT platform_message_id, direction, channel, channel_account, type, status, text_enc, sent_at,"
              + " received_at, status_at, ai_screen, deleted_at, COALESCE(key_lead_id, lead_id), message_id, author,"
              + " decision, decision_rule, not_before, outcome"
              + " FROM lead_messages WHERE tenant_id = ? AND lead_id = ?"
              + " ORDER BY COALESCE(sent_at, status_at), platform_message_id LIMIT ? OFFSET ?")) {
        select.setString(1, tenantId);
        select.setString(2, leadId);
        select.setInt(3, limit);
        select.setInt(4, offset);
        try (ResultSet result = select.executeQuery()) {
          while (result.next()) {
            messages.add(new EncryptedMessage(result.getString(1), result.getString(2), result.getString(3),
                result.getString(4), result.getString(5), result.getString(6), result.getString(7),
                instant(result, 8), instant(result, 9), instant(result, 10), result.getString(11),
                instant(result, 12), result.getString(13),
                result.getString(14) == null ? null : new LeadViews.OutboundView(result.getString(14),
                    result.getString(15), result.getString(16), result.getString(17), instant(result, 18),
                    result.getString(19))));
          }
        }
      }
      return new Page<>(messages, total);
    });
    // a merged conversation holds messages encrypted under the absorbed leads' keys: each opens with its own
    return rows.thenCompose(page -> {
      Map<String, CompletableFuture<Optional<FieldCipher>>> ciphers = new java.util.LinkedHashMap<>();
      page.items().forEach(message -> ciphers.computeIfAbsent(message.keyLeadId(),
          keyLead -> cipher.existingLeadCipher(tenantId, keyLead).toCompletableFuture()));
      return CompletableFuture.allOf(ciphers.values().toArray(CompletableFuture[]::new)).thenApply(done -> new Page<>(
          page.items().stream().map(message -> message.open(ciphers.get(message.keyLeadId()).join())).toList(),
          page.total()));
    });
  }

  private CompletionStage<LeadView> decrypt(String tenantId, EncryptedLead lead) {
    return cipher.existingLeadCipher(tenantId, lead.id()).thenApply(lead::open);
  }

  private static int bindFilter(PreparedStatement statement, String tenantId, Filter filter, Scope scope)
      throws SQLException {
    int next = 1;
    statement.setString(next++, tenantId);
    next = filter.bind(statement, next);
    if (scope.restricted()) statement.setString(next++, scope.assignedTo());
    return next;
  }

  private static EncryptedLead readLead(ResultSet result) throws SQLException {
    Object phoneValid = result.getObject(5);
    return new EncryptedLead(result.getString(1), result.getString(2), result.getString(3), result.getString(4),
        phoneValid == null ? null : (Boolean) phoneValid, result.getString(6), result.getString(7),
        instant(result, 8), instant(result, 9), result.getInt(10), result.getInt(11), result.getString(12),
        instant(result, 13), instant(result, 14), instant(result, 15), result.getString(16), result.getString(17),
        instant(result, 18), instant(result, 19), instant(result, 20), result.getString(21),
        attribution(result), result.getInt(28), instant(result, 29), verification(result, phoneValid),
        result.getString(38), result.getString(39), result.getString(40), instant(result, 41),
        (Integer) result.getObject(42), result.getString(43), result.getString(44), instant(result, 45),
        instant(result, 46), instant(result, 47), instant(result, 48),
        result.getString(49), result.getString(50), instant(result, 51));
  }

  private static Attribution attribution(ResultSet result) throws SQLException {
    String[] parts = new String[6];
    boolean any = false;
    for (int i = 0; i < parts.length; i++) {
      parts[i] = result.getString(22 + i);
      any |= parts[i] != null;
    }
    return any ? new Attribution(parts[0], parts[1], parts[2], parts[3], parts[4], parts[5]) : null;
  }

  private static VerificationView verification(ResultSet result, Object phoneValid) throws SQLException {
    String status = result.getString(30);
    if (status == null) return null;
    Object mobileCapable = result.getObject(32);
    Object previouslyErased = result.getObject(34);
    return new VerificationView(status, result.getString(31), phoneValid == null ? null : (Boolean) phoneValid,
        mobileCapable == null ? null : (Boolean) mobileCapable, result.getString(33),
        previouslyErased == null ? null : (Boolean) previouslyErased, result.getBigDecimal(35),
        signals(result.getString(36)), instant(result, 37));
  }

  private static List<String> signals(String json) {
    if (json == null) return List.of();
    try {
      return List.of(SIGNALS.readValue(json, String[].class));
    } catch (java.io.IOException e) {
      throw new IllegalStateException("fraud_signals is not a JSON array of strings", e);
    }
  }

  private static Instant instant(ResultSet result, int column) throws SQLException {
    Timestamp timestamp = result.getTimestamp(column);
    return timestamp == null ? null : timestamp.toInstant();
  }

  private static String open(Optional<FieldCipher> cipher, String ciphertext) {
    if (ciphertext == null || cipher.isEmpty()) return null;
    return cipher.get().decrypt(ciphertext);
  }

  private record EncryptedLead(
      String id, String channel, String nameEnc, String phoneEnc, Boolean phoneValid, String waIdEnc, String bsuidEnc,
      Instant firstInboundAt, Instant lastInboundAt, int inboundCount, int outboundCount, String lastStatus,
      Instant lastStatusAt, Instant createdAt, Instant updatedAt, String assignedTo, String phoneMasked,
      Instant anonymizedAt, Instant piiMaskedAt, Instant conversationExpiredAt, String emailEnc,
      Attribution attribution, int submissions, Instant lastSubmittedAt, VerificationView verification,
      String igsidEnc, String psidEnc, String mergedInto, Instant mergedAt, Integer score, String band,
      String language, Instant slaDueAt, Instant slaRespondedAt, Instant slaBreachedAt, Instant queuedAt,
      String handledBy, String takenOverBy, Instant takenOverAt) {
    LeadView open(Optional<FieldCipher> cipher) {
      return new LeadView(id, channel, LeadQueries.open(cipher, nameEnc), LeadQueries.open(cipher, phoneEnc),
          phoneValid, LeadQueries.open(cipher, waIdEnc), LeadQueries.open(cipher, bsuidEnc), firstInboundAt,
          lastInboundAt, inboundCount, outboundCount, lastStatus, lastStatusAt, createdAt, updatedAt,
          cipher.isEmpty(), assignedTo, phoneMasked, anonymizedAt != null, anonymizedAt, piiMaskedAt,
          conversationExpiredAt, LeadQueries.open(cipher, emailEnc), attribution, submissions, lastSubmittedAt,
          verification, LeadQueries.open(cipher, igsidEnc), LeadQueries.open(cipher, psidEnc), mergedInto, mergedAt, score,
          band, language, slaDueAt, slaRespondedAt, slaBreachedAt, queuedAt,
          handledBy, takenOverBy, takenOverAt);
    }
  }

  private record EncryptedMessage(
      String platformMessageId, String direction, String channel, String channelAccount, String type, String status,
      String textEnc, Instant sentAt, Instant receivedAt, Instant statusAt, String aiScreen, Instant deletedAt,
      String keyLeadId, LeadViews.OutboundView outbound) {
    MessageView open(Optional<FieldCipher> cipher) {
      return new MessageView(platformMessageId, direction, channel, channelAccount, type, status,
          LeadQueries.open(cipher, textEnc), sentAt, receivedAt, statusAt, aiScreen, deletedAt, outbound);
    }
  }
}
