package io.flexoraa.persistence.privacy;

import io.flexoraa.engine.ports.PiiCipher;
import io.flexoraa.persistence.audit.AuditLog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import javax.sql.DataSource;

/**
 * The retention rules of PRODUCT §10, applied to what people can read:
 *
 * <ul>
 *   <li>messages older than the conversation period (24 months) leave the read model;
 *   <li>a lead whose whole conversation is older than that has its data key shredded, so its journal events become
 *       unreadable too, and is kept only as an anonymous row;
 *   <li>contact details (name, phone, WhatsApp id, BSUID) of a lead inactive longer than the PII period (6 months)
 *       are masked: the clear values go, a display mask such as {@code +91******3210} and the salted blind index
 *       stay, so duplicates are still recognised;
 *   <li>the audit log is never touched.
 * </ul>
 *
 * Every step selects only rows not yet handled since their last activity, in batches, so running it twice (or on two
 * nodes at once) changes nothing the second time, while a lead who wrote again after being masked or expired is
 * handled again once that new activity ages too. Each tenant touched gets one audit entry with the counts. The journal is append-only and
 * is not rewritten: a lead's events stay readable under its key until that key is shredded.
 */
public final class Retention {
  public record Settings(Duration conversationRetention, Duration piiRetention, int batchSize) {
    public static Settings fromConfig(com.typesafe.config.Config config) {
      return new Settings(config.getDuration("flexoraa.retention.conversation-retention"),
          config.getDuration("flexoraa.retention.pii-retention"), config.getInt("flexoraa.retention.batch-size"));
    }
  }

  /** Per tenant: messages deleted, conversations expired (key shredded), leads whose contact details were masked. */
  public record Counts(long messagesDeleted, long conversationsExpired, long leadsMasked) {
    Counts plus(Counts other) {
      return new Counts(messagesDeleted + other.messagesDeleted, conversationsExpired + other.conversationsExpired,
          leadsMasked + other.leadsMasked);
    }
  }

  public record Report(Instant ranAt, Counts total, Map<String, Counts> byTenant) {}

  private final DataSource dataSource;
  private final PiiCipher cipher;
  private final Clock clock;
  private final Settings settings;
  private final BiConsumer<String, String> onLeadShredded;

  /** {@code onLeadShredded} tells the other nodes to forget a shredded key (tenant id, lead id). */
  public Retention(DataSource dataSource, PiiCipher cipher, Clock clock, Settings settings,
      BiConsumer<String, String> onLeadShredded) {
    this.dataSource = dataSource;
    this.cipher = cipher;
    this.clock = clock;
    this.settings = settings;
    this.onLeadShredded = onLeadShredded;
  }

  /** Runs every rule to completion; blocking, so call it off the actor dispatchers. */
  public Report run() {
    Instant now = clock.instant();
    Instant conversationCutoff = now.minus(settings.conversationRetention());
    Instant piiCutoff = now.minus(settings.piiRetention());
    Map<String, Counts> byTenant = new LinkedHashMap<>();
    try {
      deleteOldMessages(conversationCutoff, byTenant);
      expireConversations(conversationCutoff, now, byTenant);
      maskContactDetails(piiCutoff, now, byTenant);
      audit(byTenant, now);
    } catch (SQLException e) {
      throw new IllegalStateException("retention failed: " + e.getSQLState(), e);
    }
    Counts total = byTenant.values().stream().reduce(new Counts(0, 0, 0), Counts::plus);
    return new Report(now, total, Map.copyOf(byTenant));
  }

  private void deleteOldMessages(Instant cutoff, Map<String, Counts> byTenant) throws SQLException {
    while (true) {
      Map<String, Long> deleted = new LinkedHashMap<>();
      try (Connection connection = dataSource.getConnection();
          PreparedStatement delete = connection.prepareStatement(
              "DELETE FROM lead_messages WHERE ctid IN (SELECT ctid FROM lead_messages "
                  + "WHERE COALESCE(sent_at, received_at) < ? LIMIT ?) RETURNING tenant_id")) {
        delete.setTimestamp(1, Timestamp.from(cutoff));
        delete.setInt(2, settings.batchSize());
        try (ResultSet rows = delete.executeQuery()) {
          while (rows.next()) deleted.merge(rows.getString(1), 1L, Long::sum);
        }
      }
      deleted.forEach((tenant, count) -> byTenant.merge(tenant, new Counts(count, 0, 0), Counts::plus));
      if (deleted.values().stream().mapToLong(Long::longValue).sum() < settings.batchSize()) return;
    }
  }

  private void expireConversations(Instant cutoff, Instant now, Map<String, Counts> byTenant) throws SQLException {
    while (true) {
      List<String[]> leads = select(
          "SELECT tenant_id, lead_id, NULL FROM leads WHERE COALESCE(last_inbound_at, created_at) < ? "
              + "AND (conversation_expired_at IS NULL OR conversation_expired_at < COALESCE(last_inbound_at, created_at)) "
              + "LIMIT ?", cutoff);
      for (String[] lead : leads) {
        cipher.shredLead(lead[0], lead[1]).toCompletableFuture().join();
        onLeadShredded.accept(lead[0], lead[1]);
        update("UPDATE leads SET name_enc = NULL, phone_enc = NULL, wa_id_enc = NULL, bsuid_enc = NULL, email_enc = NULL, "
            + "conversation_expired_at = ?, pii_masked_at = COALESCE(pii_masked_at, ?) WHERE tenant_id = ? AND lead_id = ?",
            Timestamp.from(now), Timestamp.from(now), lead[0], lead[1]);
        byTenant.merge(lead[0], new Counts(0, 1, 0), Counts::plus);
      }
      if (leads.size() < settings.batchSize()) return;
    }
  }

  private void maskContactDetails(Instant cutoff, Instant now, Map<String, Counts> byTenant) throws SQLException {
    while (true) {
      List<String[]> leads = select(
          "SELECT tenant_id, lead_id, phone_enc FROM leads WHERE anonymized_at IS NULL "
              + "AND COALESCE(last_inbound_at, created_at) < ? "
              + "AND (pii_masked_at IS NULL OR pii_masked_at < COALESCE(last_inbound_at, created_at)) LIMIT ?", cutoff);
      for (String[] lead : leads) {
        String mask = lead[2] == null ? null : cipher.existingLeadCipher(lead[0], lead[1]).toCompletableFuture().join()
            .flatMap(leadCipher -> decryptQuietly(leadCipher, lead[2]))
            .map(Retention::maskPhone)
            .orElse(null);
        update("UPDATE leads SET name_enc = NULL, phone_enc = NULL, wa_id_enc = NULL, bsuid_enc = NULL, email_enc = NULL, "
            + "pii_masked_at = ?, phone_masked = COALESCE(?::text, phone_masked) WHERE tenant_id = ? AND lead_id = ?",
            Timestamp.from(now), mask, lead[0], lead[1]);
        byTenant.merge(lead[0], new Counts(0, 0, 1), Counts::plus);
      }
      if (leads.size() < settings.batchSize()) return;
    }
  }

  private static Optional<String> decryptQuietly(PiiCipher.FieldCipher leadCipher, String ciphertext) {
    try {
      return Optional.of(leadCipher.decrypt(ciphertext));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** Keeps the country code and the last four digits: enough to recognise a number, not to dial it. */
  static String maskPhone(String e164) {
    if (e164 == null || e164.length() < 8) return null;
    String digits = e164.startsWith("+") ? e164.substring(1) : e164;
    int keepStart = Math.min(2, digits.length() - 4);
    String middle = "*".repeat(digits.length() - keepStart - 4);
    return "+" + digits.substring(0, keepStart) + middle + digits.substring(digits.length() - 4);
  }

  private void audit(Map<String, Counts> byTenant, Instant now) throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      for (Map.Entry<String, Counts> tenant : byTenant.entrySet()) {
        Counts counts = tenant.getValue();
        AuditLog.append(connection, new AuditLog.NewEntry(tenant.getKey(), "retention", "privacy.retention-applied", null,
            Map.of("messagesDeleted", counts.messagesDeleted(), "conversationsExpired", counts.conversationsExpired(),
                "leadsMasked", counts.leadsMasked(),
                "conversationRetentionDays", settings.conversationRetention().toDays(),
                "piiRetentionDays", settings.piiRetention().toDays())), now);
      }
    }
  }

  private List<String[]> select(String sql, Instant cutoff) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = connection.prepareStatement(sql)) {
      select.setTimestamp(1, Timestamp.from(cutoff));
      select.setInt(2, settings.batchSize());
      List<String[]> rows = new ArrayList<>();
      try (ResultSet result = select.executeQuery()) {
        while (result.next()) rows.add(new String[] {result.getString(1), result.getString(2), result.getString(3)});
      }
      return rows;
    }
  }

  private void update(String sql, Object... parameters) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement update = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) update.setObject(i + 1, parameters[i]);
      update.executeUpdate();
    }
  }
}
