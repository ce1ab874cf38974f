package io.flexoraa.persistence.outbound;

import io.flexoraa.engine.ports.OutboundQueue;
import io.flexoraa.persistence.Jdbc;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The deferred-outbound queue in PostgreSQL ({@code outbound_queue}), through the owner pool: the dispatcher works
 * for every tenant. Claiming uses {@code FOR UPDATE SKIP LOCKED}, so nodes polling at once never claim the same row.
 * Times come from the engine's clock, not the database's, so the rules and their tests share one notion of now.
 */
public final class JdbcOutboundQueue implements OutboundQueue {
  private final Jdbc jdbc;

  public JdbcOutboundQueue(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public CompletionStage<Void> schedule(Item item, Instant now) {
    return jdbc.async(connection -> {
      try (PreparedStatement upsert = connection.prepareStatement(
          "INSERT INTO outbound_queue (tenant_id, message_id, lead_id, not_before, attempts, queued_at)"
              + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, message_id) DO UPDATE SET"
              + " not_before = EXCLUDED.not_before, claimed_until = NULL")) {
        upsert.setString(1, item.tenantId());
        upsert.setString(2, item.messageId());
        upsert.setString(3, item.leadId());
        upsert.setTimestamp(4, Timestamp.from(item.notBefore()));
        upsert.setInt(5, item.attempts());
        upsert.setTimestamp(6, Timestamp.from(now));
        upsert.executeUpdate();
        return null;
      }
    });
  }

  @Override
  public CompletionStage<List<Item>> claimDue(Instant now, int max, Duration lease) {
    return jdbc.async(connection -> {
      List<Item> claimed = new ArrayList<>();
      try (PreparedStatement claim = connection.prepareStatement(
          "UPDATE outbound_queue SET claimed_until = ?, attempts = attempts + 1 WHERE (tenant_id, message_id) IN ("
              + " SELECT tenant_id, message_id FROM outbound_queue WHERE not_before <= ?"
              + " AND (claimed_until IS NULL OR claimed_until <= ?) ORDER BY not_before, queued_at LIMIT ?"
              + " FOR UPDATE SKIP LOCKED)"
              + " RETURNING tenant_id, lead_id, message_id, not_before, attempts")) {
        claim.setTimestamp(1, Timestamp.from(now.plus(lease)));
        claim.setTimestamp(2, Timestamp.from(now));
        claim.setTimestamp(3, Timestamp.from(now));
        claim.setInt(4, max);
        try (ResultSet result = claim.executeQuery()) {
          while (result.next()) {
            claimed.add(new Item(result.getString(1), result.getString(2), result.getString(3),
                result.getTimestamp(4).toInstant(), result.getInt(5)));
          }
        }
      }
      claimed.sort(Comparator.comparing(Item::notBefore));
      return claimed;
    });
  }

  @Override
  public CompletionStage<Void> remove(String tenantId, String messageId) {
    return jdbc.async(connection -> {
      try (PreparedStatement delete = connection.prepareStatement(
          "DELETE FROM outbound_queue WHERE tenant_id = ? AND message_id = ?")) {
        delete.setString(1, tenantId);
        delete.setString(2, messageId);
        delete.executeUpdate();
        return null;
      }
    });
  }

  @Override
  public CompletionStage<Long> depth() {
    return jdbc.async(connection -> {
      try (PreparedStatement count = connection.prepareStatement("SELECT count(*) FROM outbound_queue");
          ResultSet result = count.executeQuery()) {
        result.next();
        return result.getLong(1);
      }
    });
  }
}
