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
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Routing's read side (V23) for the API and the keeper: SLA figures per tenant and per SDR over a period, what the
 * AI knows of a lead for the routing payload, a lead's assignment history and leaks, and which desks have a
 * deadline coming due (an indexed range query on {@code routing_deadlines}, never a scan of leads).
 */
public final class RoutingQueries {
  private static final String FIGURES =
      "count(*) AS assignments, count(responded_at) AS responded,"
          + " count(*) FILTER (WHERE breached_at IS NOT NULL) AS breached,"
          + " count(*) FILTER (WHERE responded_at IS NOT NULL AND responded_at <= due_at AND breached_at IS NULL)"
          + " AS met,"
          + " percentile_cont(0.5) WITHIN GROUP (ORDER BY first_response_ms) AS median_first_response_ms,"
          + " percentile_cont(0.9) WITHIN GROUP (ORDER BY first_response_ms) AS p90_first_response_ms";

  private final TenantJdbc jdbc;
  private final Jdbc owner;

  public RoutingQueries(TenantJdbc jdbc, Jdbc owner) {
    this.jdbc = jdbc;
    this.owner = owner;
  }

  /** First-response SLA figures of assignments made in [{@code from}, {@code to}): the tenant's and each SDR's. */
  public CompletionStage<Map<String, Object>> sla(String tenantId, Instant from, Instant to) {
    return jdbc.async(tenantId, connection -> {
      String where = " FROM sla_records WHERE tenant_id = ? AND assigned_at >= ?::timestamptz"
          + " AND assigned_at < ?::timestamptz";
      Map<String, Object> tenant = withMetPercent(AgentQueries.query(connection, "SELECT " + FIGURES + where,
          tenantId, from.toString(), to.toString()).get(0));
      List<Map<String, Object>> sdrs = new ArrayList<>();
      for (Map<String, Object> row : AgentQueries.query(connection, "SELECT user_id, " + FIGURES + where
          + " GROUP BY user_id ORDER BY user_id", tenantId, from.toString(), to.toString())) {
        sdrs.add(withMetPercent(row));
      }
      Map<String, Object> queue = AgentQueries.query(connection, "SELECT count(*) AS waiting,"
          + " count(breached_at) AS breached FROM routing_queue WHERE tenant_id = ?", tenantId).get(0);
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("from", from.toString());
      body.put("to", to.toString());
      body.put("tenant", tenant);
      body.put("sdrs", sdrs);
      body.put("queue", queue);
      return body;
    });
  }

  private static Map<String, Object> withMetPercent(Map<String, Object> row) {
    long assignments = ((Number) row.get("assignments")).longValue();
    long met = ((Number) row.get("met")).longValue();
    row.put("metPercent", assignments == 0 ? null : Math.round(met * 1000.0 / assignments) / 10.0);
    return row;
  }

  /** What the AI extracted from the lead's messages (score, band, top factors, intent, budget, timeline...). */
  public CompletionStage<Optional<Map<String, Object>>> leadAi(String tenantId, String leadId) {
    return jdbc.async(tenantId, connection -> AgentQueries.query(connection,
            "SELECT score, band, top_factors, score_reason, language, intent, category, budget_bucket, budget_usd,"
                + " timeline, authority, objections, buying_signals, qualification_status, escalated,"
                + " escalate_reasons FROM lead_ai WHERE tenant_id = ? AND lead_id = ?", tenantId, leadId)
        .stream().findFirst());
  }

  /** The lead's assignments (newest first) and leaks. */
  public CompletionStage<Map<String, Object>> history(String tenantId, String leadId) {
    return jdbc.async(tenantId, connection -> {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("assignments", AgentQueries.query(connection,
          "SELECT assignment_id, user_id, previous_user_id, band, reason, actor, assigned_at, ended_at, end_reason"
              + " FROM lead_assignments WHERE tenant_id = ? AND lead_id = ? ORDER BY assigned_at DESC LIMIT 20",
          tenantId, leadId));
      body.put("leaks", AgentQueries.query(connection,
          "SELECT user_id, band, kind, action, since, at FROM routing_leakage WHERE tenant_id = ? AND lead_id = ?"
              + " ORDER BY at DESC LIMIT 20", tenantId, leadId));
      return body;
    });
  }

  /** Tenants with a deadline due before {@code until}, or leads waiting (a working-hours start may free an SDR). */
  public CompletionStage<List<String>> desksToWake(Instant until) {
    return owner.async(connection -> {
      List<String> tenants = new ArrayList<>();
      try (PreparedStatement statement = connection.prepareStatement(
          "SELECT DISTINCT tenant_id FROM routing_deadlines WHERE due_at <= ?"
              + " UNION SELECT DISTINCT tenant_id FROM routing_queue")) {
        statement.setTimestamp(1, Timestamp.from(until));
        try (ResultSet result = statement.executeQuery()) {
          while (result.next()) tenants.add(result.getString(1));
        }
      }
      return tenants;
    });
  }
}
