package io.flexoraa.persistence.readmodel;

import io.flexoraa.engine.ports.PiiCipher;
import io.flexoraa.engine.ports.PiiCipher.FieldCipher;
import io.flexoraa.persistence.TenantJdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Reads a lead's consent evidence for audits, oldest first. IP and user agent are opened with the lead's key; once
 * the lead is anonymized or its key destroyed they come back null, while the record itself (who, what, when, how)
 * stays. It runs on the API's pool, scoped to the tenant (row-level security).
 */
public final class ConsentQueries {
  private static final String LIST =
      "SELECT record_id, channel, purpose, granted, source, ip_enc, user_agent_enc, actor, given_at, recorded_at"
          + " FROM consent_records WHERE tenant_id = ? AND lead_id = ? ORDER BY recorded_at, record_id";

  private final TenantJdbc jdbc;
  private final PiiCipher cipher;

  /** {@code jdbc} should run on the API pool, under row-level security. */
  public ConsentQueries(TenantJdbc jdbc, PiiCipher cipher) {
    this.jdbc = jdbc;
    this.cipher = cipher;
  }

  /** One consent record, decrypted; {@code ip} and {@code userAgent} are null when not given or no longer readable. */
  public record ConsentRecord(
      String recordId,
      String channel,
      String purpose,
      boolean granted,
      String source,
      String ip,
      String userAgent,
      String actor,
      Instant givenAt,
      Instant recordedAt) {}

  public CompletionStage<List<ConsentRecord>> list(String tenantId, String leadId) {
    return jdbc.async(tenantId, connection -> select(connection, tenantId, leadId))
        .thenCompose(rows -> cipher.existingLeadCipher(tenantId, leadId)
            .thenApply(leadCipher -> rows.stream().map(row -> row.open(leadCipher)).toList()));
  }

  private static List<EncryptedRecord> select(Connection connection, String tenantId, String leadId)
      throws SQLException {
    List<EncryptedRecord> records = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(LIST)) {
      select.setString(1, tenantId);
      select.setString(2, leadId);
      try (ResultSet result = select.executeQuery()) {
        while (result.next()) {
          records.add(new EncryptedRecord(result.getString(1), result.getString(2), result.getString(3),
              result.getBoolean(4), result.getString(5), result.getString(6), result.getString(7),
              result.getString(8), result.getTimestamp(9).toInstant(), result.getTimestamp(10).toInstant()));
        }
      }
    }
    return records;
  }

  private record EncryptedRecord(
      String recordId, String channel, String purpose, boolean granted, String source, String ipEnc,
      String userAgentEnc, String actor, Instant givenAt, Instant recordedAt) {
    ConsentRecord open(Optional<FieldCipher> cipher) {
      return new ConsentRecord(recordId, channel, purpose, granted, source, ConsentQueries.open(cipher, ipEnc),
          ConsentQueries.open(cipher, userAgentEnc), actor, givenAt, recordedAt);
    }
  }

  private static String open(Optional<FieldCipher> cipher, String ciphertext) {
    if (ciphertext == null || cipher.isEmpty()) return null;
    return cipher.get().decrypt(ciphertext);
  }
}
