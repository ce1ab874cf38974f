package io.flexoraa.persistence.readmodel;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flexoraa.persistence.TenantJdbc;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Reads the lead agent's read model (V21) for the API: a lead's AI view with its score history, analyses and
 * replies; open review tasks; AI notifications. Rows are returned as JSON-ready maps whose keys are the columns in
 * camelCase, so the API spells what the tables hold.
 */
public final class AgentQueries {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int HISTORY = 50;

  private final TenantJdbc jdbc;

  public AgentQueries(TenantJdbc jdbc) {
    this.jdbc = jdbc;
  }

  /** The lead's AI view, empty when the AI has not looked at the lead yet. */
  public CompletionStage<Optional<Map<String, Object>>> lead(String tenantId, String leadId) {
    return jdbc.async(tenantId, connection -> {
      List<Map<String, Object>> rows = query(connection,
          "SELECT lead_id, score, band, top_factors, score_reason, scored_at, language, hinglish AS is_hinglish,"
              + " intent, category, tone, budget_bucket, budget_usd, timeline, authority, objections, buying_signals,"
              + " qualification_status, questions_asked, slots, escalated, escalate_reasons, escalated_at, analyzed,"
              + " skipped, replies, handled_by, taken_over_by, taken_over_at, handed_back_by, handed_back_at,"
              + " updated_at FROM lead_ai WHERE tenant_id = ? AND lead_id = ?", tenantId, leadId);
      if (rows.isEmpty()) return Optional.empty();
      Map<String, Object> view = rows.get(0);
      view.put("scoreHistory", query(connection,
          "SELECT score, band, previous_band, top_factors, reason, message_id, at FROM lead_score_history"
              + " WHERE tenant_id = ? AND lead_id = ? ORDER BY seq_nr DESC LIMIT " + HISTORY, tenantId, leadId));
      view.put("analyses", query(connection,
          "SELECT message_id, channel, analysis, provider, model, latency_ms, at FROM ai_message_analyses"
              + " WHERE tenant_id = ? AND lead_id = ? ORDER BY seq_nr DESC LIMIT " + HISTORY, tenantId, leadId));
      view.put("replies", query(connection,
          "SELECT reply_id, kind, slot, band, channel, language, source, provider, model, strategy, decision, rule,"
              + " outcome, failure, latency_ms, composed_at, handed_at FROM ai_replies"
              + " WHERE tenant_id = ? AND lead_id = ? ORDER BY COALESCE(composed_at, handed_at) DESC LIMIT " + HISTORY,
          tenantId, leadId));
      return Optional.of(view);
    });
  }

  /** Review tasks in {@code status} (open or done), oldest first. */
  public CompletionStage<List<Map<String, Object>>> reviewTasks(String tenantId, String status, int limit) {
    return jdbc.async(tenantId, connection -> query(connection,
        "SELECT task_id, lead_id, message_id, types, status, created_at FROM ai_review_tasks"
            + " WHERE tenant_id = ? AND status = ? ORDER BY created_at LIMIT " + limit, tenantId, status));
  }

  /** The newest AI notifications. */
  public CompletionStage<List<Map<String, Object>>> notifications(String tenantId, int limit) {
    return jdbc.async(tenantId, connection -> query(connection,
        "SELECT lead_id, at, kind, level, audience, message FROM ai_notifications WHERE tenant_id = ?"
            + " ORDER BY at DESC, seq_nr DESC LIMIT " + limit, tenantId));
  }

  /** The rows as JSON-ready maps keyed by the columns in camelCase (shared by the read models of this package). */
  static List<Map<String, Object>> query(Connection connection, String sql, String... parameters)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) statement.setString(i + 1, parameters[i]);
      try (ResultSet result = statement.executeQuery()) {
        ResultSetMetaData meta = result.getMetaData();
        List<Map<String, Object>> rows = new ArrayList<>();
        while (result.next()) {
          Map<String, Object> row = new LinkedHashMap<>();
          for (int column = 1; column <= meta.getColumnCount(); column++) {
            row.put(camel(meta.getColumnLabel(column)), value(result.getObject(column), meta.getColumnTypeName(column)));
          }
          rows.add(row);
        }
        return rows;
      }
    }
  }

  private static Object value(Object value, String type) throws SQLException {
    if (value == null) return null;
    if (value instanceof Array array) return List.of((Object[]) array.getArray());
    if (value instanceof Timestamp timestamp) return timestamp.toInstant().toString();
    if ("jsonb".equals(type)) {
      try {
        return JSON.readTree(value.toString());
      } catch (java.io.IOException e) {
        throw new SQLException("unreadable JSON in the read model", e);
      }
    }
    return value;
  }

  private static String camel(String column) {
    StringBuilder out = new StringBuilder();
    boolean upper = false;
    for (char c : column.toCharArray()) {
      if (c == '_') {
        upper = true;
      } else {
        out.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return out.toString();
  }
}
