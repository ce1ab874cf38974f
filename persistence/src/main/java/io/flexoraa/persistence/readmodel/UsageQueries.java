package io.flexoraa.persistence.readmodel;

import io.flexoraa.persistence.TenantJdbc;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;

/**
 * A tenant's usage over a time range (PRODUCT §6), summed per operation, channel or UTC day from the read models:
 * the token debits of {@code token_ledger} and the model calls, outbound messages and external calls of
 * {@code cost_log}. Read on the API's pool under row-level security.
 *
 * <p>Keys: an operation is the ledger's operation name and the cost log's (an external call's is
 * {@code <service>:<operation>}, such as {@code razorpay:orders.create}); a channel is the cost row's own channel or
 * else its lead's channel in {@code leads}, {@code none} for what concerns no lead (a lead not yet projected counts as
 * none too); a day is {@code yyyy-MM-dd} in UTC. The range is half-open: {@code from <= at < to}.
 */
public final class UsageQueries {
  private final TenantJdbc jdbc;

  /** {@code jdbc} should run on the API pool, under row-level security. */
  public UsageQueries(TenantJdbc jdbc) {
    this.jdbc = jdbc;
  }

  public enum GroupBy {
    OPERATION("l.operation",
        "CASE WHEN c.kind = 'external_call' THEN c.provider || ':' || c.operation ELSE c.operation END"),
    CHANNEL("COALESCE(ld.channel, 'none')", "COALESCE(c.channel, ld.channel, 'none')"),
    DAY("to_char(l.at AT TIME ZONE 'UTC', 'YYYY-MM-DD')", "to_char(c.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')");

    private final String ledgerKey;
    private final String costKey;

    GroupBy(String ledgerKey, String costKey) {
      this.ledgerKey = ledgerKey;
      this.costKey = costKey;
    }

    /** The query-string spelling: operation, channel, day. */
    public String value() {
      return name().toLowerCase();
    }
  }

  /**
   * What was used: tokens debited (exact, two decimals) and how many debits; model calls and the tokens the models
   * counted; outbound messages and how many of them Meta marked billable; external calls; and money spent per
   * currency (only what a provider priced: Meta's pricing carries no price).
   */
  public record Usage(
      BigDecimal tokens, long debits, long aiCalls, long promptTokens, long completionTokens, long outboundMessages,
      long billableOutbound, long externalCalls, Map<String, BigDecimal> money) {
    public static final Usage NONE = new Usage(BigDecimal.ZERO.setScale(2), 0, 0, 0, 0, 0, 0, 0, Map.of());

    public Usage {
      money = Collections.unmodifiableMap(new TreeMap<>(money));
    }

    public Usage plus(Usage other) {
      Map<String, BigDecimal> sum = new TreeMap<>(money);
      other.money.forEach((currency, amount) -> sum.merge(currency, amount, BigDecimal::add));
      return new Usage(tokens.add(other.tokens), debits + other.debits, aiCalls + other.aiCalls,
          promptTokens + other.promptTokens, completionTokens + other.completionTokens,
          outboundMessages + other.outboundMessages, billableOutbound + other.billableOutbound,
          externalCalls + other.externalCalls, sum);
    }
  }

  public record Row(String key, Usage usage) {}

  /** The rows in key order, and their sum. */
  public record Report(List<Row> rows, Usage totals) {
    public Report {
      rows = List.copyOf(rows);
    }
  }

  public CompletionStage<Report> usage(String tenantId, Instant from, Instant to, GroupBy groupBy) {
    // only a channel needs the lead; %1$s is the alias of the table whose lead_id it is
    String joinLeads = groupBy == GroupBy.CHANNEL
        ? " LEFT JOIN leads ld ON ld.tenant_id = %1$s.tenant_id AND ld.lead_id = %1$s.lead_id"
        : "";
    String sql = "SELECT key, currency, sum(tokens), sum(debits), sum(ai_calls), sum(prompt_tokens),"
        + " sum(completion_tokens), sum(outbound), sum(billable), sum(external), sum(amount) FROM ("
        + " SELECT " + groupBy.ledgerKey + " AS key, l.tokens AS tokens, 1 AS debits, 0 AS ai_calls,"
        + " 0 AS prompt_tokens, 0 AS completion_tokens, 0 AS outbound, 0 AS billable, 0 AS external,"
        + " NULL::numeric AS amount, NULL::text AS currency"
        + " FROM token_ledger l" + joinLeads.formatted("l")
        + " WHERE l.tenant_id = ? AND l.kind = 'debit' AND l.at >= ? AND l.at < ?"
        + " UNION ALL"
        + " SELECT " + groupBy.costKey + ", 0, 0, (c.kind = 'ai_call')::int, COALESCE(c.prompt_tokens, 0),"
        + " COALESCE(c.completion_tokens, 0), (c.kind = 'outbound_message')::int,"
        + " (c.kind = 'outbound_message' AND c.billable IS TRUE)::int, (c.kind = 'external_call')::int,"
        + " c.amount, c.currency"
        + " FROM cost_log c" + joinLeads.formatted("c")
        + " WHERE c.tenant_id = ? AND c.occurred_at >= ? AND c.occurred_at < ?"
        + ") entries GROUP BY key, currency ORDER BY key, currency NULLS FIRST";
    return jdbc.async(tenantId, connection -> {
      Map<String, Usage> byKey = new LinkedHashMap<>();
      try (PreparedStatement select = connection.prepareStatement(sql)) {
        for (int branch = 0; branch < 2; branch++) {
          select.setString(branch * 3 + 1, tenantId);
          select.setTimestamp(branch * 3 + 2, Timestamp.from(from));
          select.setTimestamp(branch * 3 + 3, Timestamp.from(to));
        }
        try (ResultSet result = select.executeQuery()) {
          while (result.next()) byKey.merge(result.getString(1), usage(result), Usage::plus);
        }
      }
      List<Row> rows = new ArrayList<>();
      Usage totals = Usage.NONE;
      for (Map.Entry<String, Usage> entry : byKey.entrySet()) {
        rows.add(new Row(entry.getKey(), entry.getValue()));
        totals = totals.plus(entry.getValue());
      }
      return new Report(rows, totals);
    });
  }

  /** One (key, currency) group; its money is only the amount of that currency. */
  private static Usage usage(ResultSet result) throws SQLException {
    String currency = result.getString(2);
    BigDecimal amount = result.getBigDecimal(11);
    return new Usage(result.getBigDecimal(3).setScale(2), result.getLong(4), result.getLong(5), result.getLong(6),
        result.getLong(7), result.getLong(8), result.getLong(9), result.getLong(10),
        currency == null || amount == null ? Map.of() : Map.of(currency, amount));
  }
}
