package io.flexoraa.persistence.costs;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;

/**
 * One row of {@code cost_log} (V14), as every writer inserts it: {@link JdbcCostLog} for model and external calls, the
 * cost-log projection for outbound messages. Columns a kind does not use are null; {@code detailsJson} is a JSON
 * object.
 */
public record CostRow(
    String tenantId, String kind, String reference, Instant occurredAt, String operation, String channel,
    String leadId, String provider, String model, Integer promptTokens, Integer completionTokens, BigDecimal amount,
    String currency, Boolean billable, String pricingModel, String pricingCategory, String pricingType,
    String outcome, Long latencyMs, String detailsJson) {
  public static final String AI_CALL = "ai_call";
  public static final String OUTBOUND_MESSAGE = "outbound_message";
  public static final String EXTERNAL_CALL = "external_call";

  /** Idempotent on the reference: a row already there stays as it is and the insert counts 0. */
  public static final String INSERT = "INSERT INTO cost_log (tenant_id, kind, reference, occurred_at, operation, channel,"
      + " lead_id, provider, model, prompt_tokens, completion_tokens, amount, currency, billable, pricing_model,"
      + " pricing_category, pricing_type, outcome, latency_ms, details)"
      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)"
      + " ON CONFLICT (tenant_id, kind, reference) DO NOTHING";

  /** Sets this row's values on a statement prepared from {@link #INSERT}. */
  public void bind(PreparedStatement insert) throws SQLException {
    insert.setString(1, tenantId);
    insert.setString(2, kind);
    insert.setString(3, reference);
    insert.setTimestamp(4, Timestamp.from(occurredAt));
    insert.setString(5, operation);
    insert.setString(6, channel);
    insert.setString(7, leadId);
    insert.setString(8, provider);
    insert.setString(9, model);
    insert.setObject(10, promptTokens, Types.INTEGER);
    insert.setObject(11, completionTokens, Types.INTEGER);
    insert.setBigDecimal(12, amount);
    insert.setString(13, currency);
    insert.setObject(14, billable, Types.BOOLEAN);
    insert.setString(15, pricingModel);
    insert.setString(16, pricingCategory);
    insert.setString(17, pricingType);
    insert.setString(18, outcome);
    insert.setObject(19, latencyMs, Types.BIGINT);
    insert.setString(20, detailsJson == null ? "{}" : detailsJson);
  }
}
