package io.flexoraa.persistence.readmodel;

import io.flexoraa.persistence.TenantJdbc;
import io.flexoraa.persistence.readmodel.LeadViews.Page;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Reads a tenant's token ledger and token notifications, newest first, on the API's pool under row-level security.
 * The ledger trails the entity by the projection's lag; the balance of record is the Tenant entity's.
 */
public final class TokenQueries {
  private final TenantJdbc jdbc;

  /** {@code jdbc} should run on the API pool, under row-level security. */
  public TokenQueries(TenantJdbc jdbc) {
    this.jdbc = jdbc;
  }

  /** One ledger entry; {@code kind} is debit or credit, amounts have two decimals. */
  public record LedgerRow(
      long entryId, Instant at, String kind, String operation, BigDecimal tokens, String leadId, String reference,
      BigDecimal balanceAfter, String actor, String reason) {}

  public record NotificationRow(long id, Instant at, String kind, String level, String message, Instant readAt) {}

  public CompletionStage<Page<LedgerRow>> ledger(String tenantId, int limit, int offset) {
    return jdbc.async(tenantId, connection -> new Page<>(
        select(connection,
            "SELECT entry_id, at, kind, operation, tokens, lead_id, reference, balance_after, actor, reason"
                + " FROM token_ledger WHERE tenant_id = ? ORDER BY entry_id DESC LIMIT ? OFFSET ?",
            tenantId, limit, offset,
            row -> new LedgerRow(row.getLong(1), instant(row.getTimestamp(2)), row.getString(3), row.getString(4),
                row.getBigDecimal(5), row.getString(6), row.getString(7), row.getBigDecimal(8), row.getString(9),
                row.getString(10))),
        count(connection, "SELECT count(*) FROM token_ledger WHERE tenant_id = ?", tenantId)));
  }

  public CompletionStage<Page<NotificationRow>> notifications(String tenantId, int limit, int offset) {
    return jdbc.async(tenantId, connection -> new Page<>(
        select(connection,
            "SELECT notification_id, at, kind, level, message, read_at FROM token_notifications WHERE tenant_id = ?"
                + " ORDER BY at DESC, notification_id DESC LIMIT ? OFFSET ?",
            tenantId, limit, offset,
            row -> new NotificationRow(row.getLong(1), instant(row.getTimestamp(2)), row.getString(3),
                row.getString(4), row.getString(5), instant(row.getTimestamp(6)))),
        count(connection, "SELECT count(*) FROM token_notifications WHERE tenant_id = ?", tenantId)));
  }

  @FunctionalInterface
  private interface RowMapper<T> {
    T map(ResultSet row) throws SQLException;
  }

  private static <T> List<T> select(Connection connection, String sql, String tenantId, int limit, int offset,
      RowMapper<T> mapper) throws SQLException {
    List<T> rows = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      select.setString(1, tenantId);
      select.setInt(2, limit);
      select.setInt(3, offset);
      try (ResultSet result = select.executeQuery()) {
        while (result.next()) rows.add(mapper.map(result));
      }
    }
    return rows;
  }

  private static long count(Connection connection, String sql, String tenantId) throws SQLException {
    try (PreparedStatement count = connection.prepareStatement(sql)) {
      count.setString(1, tenantId);
      try (ResultSet result = count.executeQuery()) {
        result.next();
        return result.getLong(1);
      }
    }
  }

  private static Instant instant(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }
}
