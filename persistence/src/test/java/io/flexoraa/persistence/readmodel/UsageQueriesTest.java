package io.flexoraa.persistence.readmodel;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexoraa.engine.ports.CostLog.AiCall;
import io.flexoraa.engine.ports.CostLog.ExternalCall;
import io.flexoraa.engine.ports.CostLog.Outcome;
import io.flexoraa.persistence.Jdbc;
import io.flexoraa.persistence.TenantJdbc;
import io.flexoraa.persistence.TestDatabase;
import io.flexoraa.persistence.costs.CostRow;
import io.flexoraa.persistence.costs.JdbcCostLog;
import io.flexoraa.persistence.readmodel.UsageQueries.GroupBy;
import io.flexoraa.persistence.readmodel.UsageQueries.Report;
import io.flexoraa.persistence.readmodel.UsageQueries.Row;
import io.flexoraa.persistence.readmodel.UsageQueries.Usage;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The usage report's sums on a real migrated PostgreSQL, through the API's role: token debits (never credits) and the
 * cost log per operation, channel and UTC day, exact to the cent and the currency, over a half-open range whose
 * bounds are tested to the millisecond, and nothing of another tenant (which even has a lead of the same id).
 */
class UsageQueriesTest {
  private static final String A = "usage-tenant-a";
  private static final String B = "usage-tenant-b";
  private static final Instant MARCH = Instant.parse("2026-03-01T00:00:00Z");
  private static final Instant APRIL = Instant.parse("2026-04-01T00:00:00Z");
  private static final AtomicLong ENTRY_IDS = new AtomicLong();

  private static TestDatabase db;
  private static ExecutorService blocking;
  private static UsageQueries queries;

  @BeforeAll
  static void start() throws Exception {
    db = TestDatabase.open();
    blocking = Executors.newFixedThreadPool(2);
    queries = new UsageQueries(new TenantJdbc(db.database().apiDataSource(), blocking));
    JdbcCostLog costLog = new JdbcCostLog(new Jdbc(db.dataSource(), blocking));
    try (Connection owner = db.dataSource().getConnection()) {
      lead(owner, A, "lead-wa", "whatsapp");
      lead(owner, A, "lead-form", "api");
      lead(owner, B, "lead-wa", "instagram");

      ledger(owner, A, "credit", "opening", "750", null, MARCH);
      ledger(owner, A, "debit", "verification", "0.5", "lead-form", MARCH);
      ledger(owner, A, "debit", "intent-classification", "1", "lead-wa", Instant.parse("2026-03-02T10:00:00Z"));
      ledger(owner, A, "debit", "intent-classification", "1", "lead-wa", Instant.parse("2026-03-02T23:59:59.999Z"));
      ledger(owner, A, "debit", "inbound-whatsapp-message", "0.1", "lead-wa", Instant.parse("2026-03-03T00:00:00Z"));
      ledger(owner, A, "debit", "routing", "1", null, Instant.parse("2026-03-03T12:00:00Z"));
      ledger(owner, A, "debit", "intent-classification", "1", "lead-wa", APRIL);
      ledger(owner, A, "debit", "routing", "1", null, MARCH.minusMillis(1));
      ledger(owner, B, "debit", "intent-classification", "5", "lead-wa", Instant.parse("2026-03-02T10:00:00Z"));

      outbound(owner, A, "wamid.m1", "lead-wa", true, Instant.parse("2026-03-02T12:00:00Z"));
      outbound(owner, A, "wamid.m2", "lead-wa", false, Instant.parse("2026-03-03T09:00:00Z"));
    }
    aiCall(costLog, A, "c1", "lead-wa", "intent-classification", 800, 60, "0.00016", "USD", "2026-03-02T10:00:00Z");
    aiCall(costLog, A, "c2", "lead-wa", "intent-classification", 400, 40, "0.00012", "USD", "2026-03-02T11:00:00Z");
    aiCall(costLog, A, "c3", "lead-form", "scoring", 300, 10, "0.0009", "EUR", "2026-03-03T08:00:00Z");
    aiCall(costLog, A, "c4", "lead-wa", "intent-classification", 999, 99, "0.5", "USD", "2026-04-01T00:00:00Z");
    aiCall(costLog, B, "c1", "lead-wa", "intent-classification", 5000, 500, "9.99", "USD", "2026-03-02T10:00:00Z");
    external(costLog, A, "topup_1", Outcome.OK, Instant.parse("2026-03-03T10:00:00Z"));
    external(costLog, A, "topup_2", Outcome.ERROR, MARCH);
  }

  @AfterAll
  static void stop() {
    blocking.shutdownNow();
    db.close();
  }

  private static void lead(Connection owner, String tenant, String lead, String channel) throws Exception {
    try (PreparedStatement insert = owner.prepareStatement(
        "INSERT INTO leads (tenant_id, lead_id, channel, created_at, updated_at) VALUES (?, ?, ?, now(), now())")) {
      insert.setString(1, tenant);
      insert.setString(2, lead);
      insert.setString(3, channel);
      insert.executeUpdate();
    }
  }

  private static void ledger(Connection owner, String tenant, String kind, String operation, String tokens,
      String lead, Instant at) throws Exception {
    try (PreparedStatement insert = owner.prepareStatement(
        "INSERT INTO token_ledger (tenant_id, entry_id, at, kind, operation, tokens, lead_id, balance_after)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, 100)")) {
      insert.setString(1, tenant);
      insert.setLong(2, ENTRY_IDS.incrementAndGet());
      insert.setTimestamp(3, Timestamp.from(at));
      insert.setString(4, kind);
      insert.setString(5, operation);
      insert.setBigDecimal(6, new BigDecimal(tokens));
      insert.setString(7, lead);
      insert.executeUpdate();
    }
  }

  private static void outbound(Connection owner, String tenant, String messageId, String lead, boolean billable,
      Instant at) throws Exception {
    try (PreparedStatement insert = owner.prepareStatement(CostRow.INSERT)) {
      new CostRow(tenant, CostRow.OUTBOUND_MESSAGE, messageId, at, "outbound-whatsapp-message", "whatsapp", lead,
          "meta", null, null, null, null, null, billable, "PMP", "utility", "regular", null, null, "{}").bind(insert);
      insert.executeUpdate();
    }
  }

  private static void aiCall(JdbcCostLog costLog, String tenant, String reference, String lead, String operation,
      int prompt, int completion, String cost, String currency, String at) throws Exception {
    costLog.recordAiCall(new AiCall(tenant, reference, lead, operation, "openai", "gpt-4o-mini", prompt, completion,
        new BigDecimal(cost), currency, Duration.ofMillis(500), Outcome.OK, Instant.parse(at)))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static void external(JdbcCostLog costLog, String tenant, String reference, Outcome outcome, Instant at)
      throws Exception {
    costLog.recordExternalCall(new ExternalCall(tenant, reference, "razorpay", "orders.create", outcome,
        Duration.ofMillis(200), null, at)).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static Report usage(String tenant, Instant from, Instant to, GroupBy groupBy) throws Exception {
    return queries.usage(tenant, from, to, groupBy).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static Usage usage(String tokens, long debits, long aiCalls, long prompt, long completion, long outbound,
      long billable, long external, Map<String, String> money) {
    Map<String, BigDecimal> exact = new java.util.TreeMap<>();
    money.forEach((currency, amount) -> exact.put(currency, new BigDecimal(amount)));
    return new Usage(new BigDecimal(tokens), debits, aiCalls, prompt, completion, outbound, billable, external, exact);
  }

  /** Compares amounts by value (the database keeps eight places of money), everything else exactly. */
  private static void assertUsage(Usage actual, Usage expected) {
    assertThat(actual.tokens()).isEqualTo(expected.tokens());
    assertThat(actual).usingRecursiveComparison().ignoringFields("tokens", "money").isEqualTo(expected);
    assertThat(actual.money().keySet()).isEqualTo(expected.money().keySet());
    expected.money().forEach((currency, amount) -> assertThat(actual.money().get(currency)).isEqualByComparingTo(amount));
  }

  /** Exactly these rows, in this order. */
  private static void assertRows(Report report, Row... expected) {
    assertThat(report.rows()).extracting(Row::key)
        .containsExactly(java.util.Arrays.stream(expected).map(Row::key).toArray(String[]::new));
    for (int i = 0; i < expected.length; i++) assertUsage(report.rows().get(i).usage(), expected[i].usage());
  }

  @Test
  void byOperationDebitsAndCostsOfAnOperationShareARow() throws Exception {
    Report report = usage(A, MARCH, APRIL, GroupBy.OPERATION);

    assertRows(report,
        new Row("inbound-whatsapp-message", usage("0.10", 1, 0, 0, 0, 0, 0, 0, Map.of())),
        new Row("intent-classification", usage("2.00", 2, 2, 1200, 100, 0, 0, 0, Map.of("USD", "0.00028"))),
        new Row("outbound-whatsapp-message", usage("0.00", 0, 0, 0, 0, 2, 1, 0, Map.of())),
        new Row("razorpay:orders.create", usage("0.00", 0, 0, 0, 0, 0, 0, 2, Map.of())),
        new Row("routing", usage("1.00", 1, 0, 0, 0, 0, 0, 0, Map.of())),
        new Row("scoring", usage("0.00", 0, 1, 300, 10, 0, 0, 0, Map.of("EUR", "0.0009"))),
        new Row("verification", usage("0.50", 1, 0, 0, 0, 0, 0, 0, Map.of())));
    assertUsage(report.totals(),
        usage("3.60", 5, 3, 1500, 110, 2, 1, 2, Map.of("USD", "0.00028", "EUR", "0.0009")));
  }

  @Test
  void byChannelEachEntryTakesItsLeadsChannelAndNoLeadIsNone() throws Exception {
    Report report = usage(A, MARCH, APRIL, GroupBy.CHANNEL);

    assertRows(report,
        new Row("api", usage("0.50", 1, 1, 300, 10, 0, 0, 0, Map.of("EUR", "0.0009"))),
        new Row("none", usage("1.00", 1, 0, 0, 0, 0, 0, 2, Map.of())),
        new Row("whatsapp", usage("2.10", 3, 2, 1200, 100, 2, 1, 0, Map.of("USD", "0.00028"))));
  }

  @Test
  void byDayInUtcWithAHalfOpenRange() throws Exception {
    Report march = usage(A, MARCH, APRIL, GroupBy.DAY);

    assertRows(march,
        new Row("2026-03-01", usage("0.50", 1, 0, 0, 0, 0, 0, 1, Map.of())),
        new Row("2026-03-02", usage("2.00", 2, 2, 1200, 100, 1, 1, 0, Map.of("USD", "0.00028"))),
        new Row("2026-03-03", usage("1.10", 2, 1, 300, 10, 1, 0, 1, Map.of("EUR", "0.0009"))));

    Report secondOfMarch = usage(A, Instant.parse("2026-03-02T00:00:00Z"), Instant.parse("2026-03-03T00:00:00Z"),
        GroupBy.DAY);
    assertThat(secondOfMarch.rows()).extracting(Row::key).containsExactly("2026-03-02");
    Report lastMillisecond = usage(A, Instant.parse("2026-03-02T23:59:59.999Z"), Instant.parse("2026-03-03T00:00:00Z"),
        GroupBy.DAY);
    assertUsage(lastMillisecond.totals(), usage("1.00", 1, 0, 0, 0, 0, 0, 0, Map.of()));
    Report april = usage(A, APRIL, APRIL.plusSeconds(1), GroupBy.DAY);
    assertUsage(april.totals(), usage("1.00", 1, 1, 999, 99, 0, 0, 0, Map.of("USD", "0.5")));
    assertThat(usage(A, MARCH.minusSeconds(86_400), MARCH, GroupBy.DAY).rows()).extracting(Row::key)
        .containsExactly("2026-02-28");
  }

  @Test
  void aTenantSeesNothingOfAnother() throws Exception {
    Report theirs = usage(B, MARCH, APRIL, GroupBy.CHANNEL);

    assertThat(theirs.rows()).extracting(Row::key).containsExactly("instagram");
    assertUsage(theirs.totals(), usage("5.00", 1, 1, 5000, 500, 0, 0, 0, Map.of("USD", "9.99")));
    assertThat(usage("usage-tenant-c", MARCH, APRIL, GroupBy.OPERATION).rows()).isEmpty();
    assertUsage(usage("usage-tenant-c", MARCH, APRIL, GroupBy.OPERATION).totals(), Usage.NONE);
  }
}
