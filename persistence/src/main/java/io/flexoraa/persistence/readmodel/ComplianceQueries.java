package io.flexoraa.persistence.readmodel;

import io.flexoraa.persistence.TenantJdbc;
import io.flexoraa.persistence.readmodel.LeadViews.Page;
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
 * The compliance read model for the API (docs/decisions/0022-compliance-gate.md): the gate's decisions, newest first,
 * filtered by lead, rule and verdict; and the summary's parts kept in SQL — customer-service windows from the leads'
 * last inbound message per channel, quality history, violations prevented per rule, notifications. Read on the API's
 * pool under row-level security.
 */
public final class ComplianceQueries {
  private final TenantJdbc jdbc;

  public ComplianceQueries(TenantJdbc jdbc) {
    this.jdbc = jdbc;
  }

  public record DecisionRow(
      String messageId, String leadId, String channel, String account, String author, String verdict, String rule,
      String templateName, String templateLanguage, String templateCategory, Instant notBefore, String messagingType,
      String tag, boolean outsideWindow, Instant decidedAt) {}

  /** Leads whose customer-service window on {@code channel} is open (last inbound message within the window) or closed. */
  public record WindowState(String channel, long open, long closed) {}

  public record HealthRow(
      String channel, String account, Instant at, String kind, String event, String previousQuality, String quality,
      Integer tierLimit, String reason, String health, Instant nextCheckAt) {}

  public record Prevented(String verdict, String rule, long count) {}

  public record NotificationRow(String channel, String account, Instant at, String kind, String level, String message) {}

  public record Summary(List<WindowState> windows, List<HealthRow> history, List<Prevented> prevented,
      List<NotificationRow> notifications) {}

  /** Null filters match everything. */
  public CompletionStage<Page<DecisionRow>> decisions(String tenantId, String leadId, String rule, String verdict,
      int limit, int offset) {
    String where = " WHERE tenant_id = ? AND (?::text IS NULL OR lead_id = ?) AND (?::text IS NULL OR rule = ?)"
        + " AND (?::text IS NULL OR verdict = ?)";
    return jdbc.async(tenantId, connection -> {
      List<DecisionRow> rows = new ArrayList<>();
      try (PreparedStatement select = connection.prepareStatement(
          "SELECT message_id, lead_id, channel, account_id, author, verdict, rule, template_name, template_language,"
              + " template_category, not_before, messaging_type, tag, outside_window, decided_at"
              + " FROM compliance_decisions" + where + " ORDER BY decided_at DESC, seq_nr DESC LIMIT ? OFFSET ?")) {
        int next = filters(select, tenantId, leadId, rule, verdict);
        select.setInt(next, limit);
        select.setInt(next + 1, offset);
        try (ResultSet result = select.executeQuery()) {
          while (result.next()) {
            rows.add(new DecisionRow(result.getString(1), result.getString(2), result.getString(3), result.getString(4),
                result.getString(5), result.getString(6), result.getString(7), result.getString(8), result.getString(9),
                result.getString(10), instant(result, 11), result.getString(12), result.getString(13),
                result.getBoolean(14), instant(result, 15)));
          }
        }
      }
      long total;
      try (PreparedStatement count = connection.prepareStatement("SELECT count(*) FROM compliance_decisions" + where)) {
        filters(count, tenantId, leadId, rule, verdict);
        try (ResultSet result = count.executeQuery()) {
          result.next();
          total = result.getLong(1);
        }
      }
      return new Page<>(rows, total);
    });
  }

  private static int filters(PreparedStatement statement, String tenantId, String leadId, String rule, String verdict)
      throws SQLException {
    statement.setString(1, tenantId);
    statement.setString(2, leadId);
    statement.setString(3, leadId);
    statement.setString(4, rule);
    statement.setString(5, rule);
    statement.setString(6, verdict);
    statement.setString(7, verdict);
    return 8;
  }

  /** {@code windowStart}: a lead whose last inbound message on a channel is after it has that channel's window open. */
  public CompletionStage<Summary> summary(String tenantId, Instant windowStart, int historyLimit) {
    return jdbc.async(tenantId, connection -> new Summary(windows(connection, tenantId, windowStart),
        history(connection, tenantId, historyLimit), prevented(connection, tenantId),
        notifications(connection, tenantId, historyLimit)));
  }

  private static List<WindowState> windows(Connection connection, String tenantId, Instant windowStart)
      throws SQLException {
    List<WindowState> rows = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(
        "SELECT channel, count(*) FILTER (WHERE last_inbound > ?), count(*) FILTER (WHERE last_inbound <= ?)"
            + " FROM (SELECT channel, lead_id, max(sent_at) AS last_inbound FROM lead_messages"
            + " WHERE tenant_id = ? AND direction = 'inbound' AND sent_at IS NOT NULL GROUP BY channel, lead_id) AS last"
            + " GROUP BY channel ORDER BY channel")) {
      select.setTimestamp(1, Timestamp.from(windowStart));
      select.setTimestamp(2, Timestamp.from(windowStart));
      select.setString(3, tenantId);
      try (ResultSet result = select.executeQuery()) {
        while (result.next()) rows.add(new WindowState(result.getString(1), result.getLong(2), result.getLong(3)));
      }
    }
    return rows;
  }

  private static List<HealthRow> history(Connection connection, String tenantId, int limit) throws SQLException {
    List<HealthRow> rows = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(
        "SELECT channel, account_id, at, kind, event, previous_quality, quality, tier_limit, reason, health,"
            + " next_check_at FROM account_health_history WHERE tenant_id = ? ORDER BY at DESC, seq_nr DESC LIMIT ?")) {
      select.setString(1, tenantId);
      select.setInt(2, limit);
      try (ResultSet result = select.executeQuery()) {
        while (result.next()) {
          int tier = result.getInt(8);
          rows.add(new HealthRow(result.getString(1), result.getString(2), instant(result, 3), result.getString(4),
              result.getString(5), result.getString(6), result.getString(7), result.wasNull() ? null : tier,
              result.getString(9), result.getString(10), instant(result, 11)));
        }
      }
    }
    return rows;
  }

  private static List<Prevented> prevented(Connection connection, String tenantId) throws SQLException {
    List<Prevented> rows = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(
        "SELECT verdict, rule, count(*) FROM compliance_decisions WHERE tenant_id = ? AND verdict IN ('block', 'defer')"
            + " GROUP BY verdict, rule ORDER BY verdict, rule")) {
      select.setString(1, tenantId);
      try (ResultSet result = select.executeQuery()) {
        while (result.next()) rows.add(new Prevented(result.getString(1), result.getString(2), result.getLong(3)));
      }
    }
    return rows;
  }

  private static List<NotificationRow> notifications(Connection connection, String tenantId, int limit)
      throws SQLException {
    List<NotificationRow> rows = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(
        "SELECT channel, account_id, at, kind, level, message FROM compliance_notifications WHERE tenant_id = ?"
            + " ORDER BY at DESC, seq_nr DESC LIMIT ?")) {
      select.setString(1, tenantId);
      select.setInt(2, limit);
      try (ResultSet result = select.executeQuery()) {
        while (result.next()) {
          rows.add(new NotificationRow(result.getString(1), result.getString(2), instant(result, 3), result.getString(4),
              result.getString(5), result.getString(6)));
        }
      }
    }
    return rows;
  }

  private static Instant instant(ResultSet result, int column) throws SQLException {
    Timestamp timestamp = result.getTimestamp(column);
    return timestamp == null ? null : timestamp.toInstant();
  }
}
