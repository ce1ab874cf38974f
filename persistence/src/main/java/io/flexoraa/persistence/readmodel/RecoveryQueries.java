package io.flexoraa.persistence.readmodel;

import io.flexoraa.persistence.Jdbc;
import io.flexoraa.persistence.TenantJdbc;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Reads the cold recovery's read model (V24): a tenant's success figures over a period, a lead's sequences, and —
 * for the keeper, across tenants — the sequences whose deadline is due (an indexed range on {@code due_at}).
 */
public final class RecoveryQueries {
  private final TenantJdbc tenantJdbc;
  private final Jdbc jdbc;

  public RecoveryQueries(TenantJdbc tenantJdbc, Jdbc jdbc) {
    this.tenantJdbc = tenantJdbc;
    this.jdbc = jdbc;
  }

  /**
   * Sequences started in [{@code from}, {@code to}): started, active, replied (recovered), lapsed, stopped, the
   * success rate (replied / finished; null when none finished) and replies per step (the last step sent before).
   */
  public CompletionStage<Map<String, Object>> stats(String tenantId, Instant from, Instant to) {
    return tenantJdbc.async(tenantId, connection -> {
      Map<String, Object> stats = new LinkedHashMap<>();
      stats.put("from", from.toString());
      stats.put("to", to.toString());
      try (PreparedStatement statement = connection.prepareStatement(
          "SELECT count(*), count(*) FILTER (WHERE status = 'active'), count(*) FILTER (WHERE status = 'replied'),"
              + " count(*) FILTER (WHERE status = 'lapsed'), count(*) FILTER (WHERE status = 'stopped'),"
              + " COALESCE(sum(steps_sent), 0), COALESCE(sum(steps_skipped), 0)"
              + " FROM cold_recoveries WHERE tenant_id = ? AND started_at >= ? AND started_at < ?")) {
        bind(statement, tenantId, from, to);
        try (ResultSet result = statement.executeQuery()) {
          result.next();
          long replied = result.getLong(3);
          long finished = replied + result.getLong(4) + result.getLong(5);
          stats.put("started", result.getLong(1));
          stats.put("active", result.getLong(2));
          stats.put("replied", replied);
          stats.put("lapsed", result.getLong(4));
          stats.put("stopped", result.getLong(5));
          stats.put("stepsSent", result.getLong(6));
          stats.put("stepsSkipped", result.getLong(7));
          stats.put("successRate", finished == 0 ? null : Math.round(replied * 10000.0 / finished) / 10000.0);
        }
      }
      Map<String, Long> perStep = new LinkedHashMap<>();
      try (PreparedStatement statement = connection.prepareStatement(
          "SELECT COALESCE(replied_after_step, 'before-first-step'), count(*) FROM cold_recoveries"
              + " WHERE tenant_id = ? AND started_at >= ? AND started_at < ? AND status = 'replied'"
              + " GROUP BY 1 ORDER BY 1")) {
        bind(statement, tenantId, from, to);
        try (ResultSet result = statement.executeQuery()) {
          while (result.next()) perStep.put(result.getString(1), result.getLong(2));
        }
      }
      stats.put("repliesAfterStep", perStep);
      return stats;
    });
  }

  /** The lead's sequences, newest first. */
  public CompletionStage<List<Map<String, Object>>> lead(String tenantId, String leadId) {
    return tenantJdbc.async(tenantId, connection -> AgentQueries.query(connection,
        "SELECT sequence, status, started_at, steps, steps_sent, steps_skipped, replied_at, replied_after_step,"
            + " lapsed_at, stopped_at, stopped_reason, routed_at FROM cold_recoveries"
            + " WHERE tenant_id = ? AND lead_id = ? ORDER BY sequence DESC", tenantId, leadId));
  }

  /** Entity ids ({@code tenantId:leadId}) of sequences due by {@code until}, soonest first, at most {@code limit}. */
  public CompletionStage<List<String>> dueBy(Instant until, int limit) {
    return jdbc.async(connection -> {
      List<String> ids = new ArrayList<>();
      try (PreparedStatement statement = connection.prepareStatement(
          "SELECT tenant_id, lead_id FROM recovery_deadlines WHERE due_at <= ? ORDER BY due_at LIMIT ?")) {
        statement.setTimestamp(1, Timestamp.from(until));
        statement.setInt(2, limit);
        try (ResultSet result = statement.executeQuery()) {
          while (result.next()) ids.add(result.getString(1) + ":" + result.getString(2));
        }
      }
      return ids;
    });
  }

  private static void bind(PreparedStatement statement, String tenantId, Instant from, Instant to) throws java.sql.SQLException {
    statement.setString(1, tenantId);
    statement.setTimestamp(2, Timestamp.from(from));
    statement.setTimestamp(3, Timestamp.from(to));
  }
}
