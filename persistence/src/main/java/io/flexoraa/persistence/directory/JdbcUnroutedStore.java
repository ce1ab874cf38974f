package io.flexoraa.persistence.directory;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.flexoraa.engine.Digests;
import io.flexoraa.engine.ports.UnroutedStore;
import io.flexoraa.persistence.Jdbc;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** Unrouted webhook content in PostgreSQL: written before the webhook is acknowledged, listed for operators. */
public final class JdbcUnroutedStore implements UnroutedStore {
  private final Jdbc jdbc;

  public JdbcUnroutedStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public CompletionStage<Void> store(UnroutedItem item) {
    return jdbc.async(connection -> {
      try (PreparedStatement insert = connection.prepareStatement(
          "INSERT INTO unrouted_webhooks (payload_digest, source, reason, account_ref, payload, received_at)"
              + " VALUES (?, ?, ?, ?, ?::jsonb, ?) ON CONFLICT (payload_digest) DO NOTHING")) {
        String payload = asJson(item.payloadJson());
        insert.setString(1, Digests.sha256Hex(item.source(), item.reason(), item.accountRef(), payload));
        insert.setString(2, item.source());
        insert.setString(3, item.reason());
        insert.setString(4, item.accountRef());
        insert.setString(5, payload);
        insert.setTimestamp(6, Timestamp.from(item.receivedAt()));
        insert.executeUpdate();
        return null;
      }
    });
  }

  /** Anything that is not a JSON document is kept as a JSON string, so the column type never rejects it. */
  private static String asJson(String payload) {
    String trimmed = payload == null ? "" : payload.trim();
    if (trimmed.startsWith("{") || trimmed.startsWith("[")) return trimmed;
    return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(trimmed)) + "\"";
  }

  public record UnroutedRow(long id, String source, String reason, String accountRef, String payload, Instant receivedAt) {}

  public CompletionStage<List<UnroutedRow>> list(int limit, int offset) {
    return jdbc.async(connection -> {
      try (PreparedStatement select = connection.prepareStatement(
          "SELECT id, source, reason, account_ref, payload::text, received_at FROM unrouted_webhooks"
              + " ORDER BY id DESC LIMIT ? OFFSET ?")) {
        select.setInt(1, limit);
        select.setInt(2, offset);
        List<UnroutedRow> rows = new ArrayList<>();
        try (ResultSet result = select.executeQuery()) {
          while (result.next()) {
            rows.add(new UnroutedRow(result.getLong(1), result.getString(2), result.getString(3),
                result.getString(4), result.getString(5), result.getTimestamp(6).toInstant()));
          }
        }
        return rows;
      }
    });
  }

  public CompletionStage<Long> count() {
    return jdbc.async(connection -> {
      try (PreparedStatement select = connection.prepareStatement("SELECT count(*) FROM unrouted_webhooks");
           ResultSet result = select.executeQuery()) {
        result.next();
        return result.getLong(1);
      }
    });
  }
}
