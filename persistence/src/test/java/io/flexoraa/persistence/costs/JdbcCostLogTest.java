package io.flexoraa.persistence.costs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flexoraa.engine.ports.CostLog.AiCall;
import io.flexoraa.engine.ports.CostLog.ExternalCall;
import io.flexoraa.engine.ports.CostLog.Outcome;
import io.flexoraa.persistence.Jdbc;
import io.flexoraa.persistence.TenantJdbc;
import io.flexoraa.persistence.TestDatabase;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The CostLog port on a real migrated PostgreSQL: model and external calls land as one row per reference with every
 * figure exact, a repeat records nothing, and the API's role can read its tenant's rows but never write any.
 */
class JdbcCostLogTest {
  private static final Instant AT = Instant.parse("2026-03-14T09:00:00Z");

  private static TestDatabase db;
  private static ExecutorService blocking;
  private static JdbcCostLog costLog;
  private static TenantJdbc api;

  @BeforeAll
  static void start() {
    db = TestDatabase.open();
    blocking = Executors.newFixedThreadPool(2);
    costLog = new JdbcCostLog(new Jdbc(db.dataSource(), blocking));
    api = new TenantJdbc(db.database().apiDataSource(), blocking);
  }

  @AfterAll
  static void stop() {
    blocking.shutdownNow();
    db.close();
  }

  private static <T> T await(java.util.concurrent.CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static String column(String tenant, String reference, String column) {
    return db.queryString("SELECT " + column + "::text FROM cost_log WHERE tenant_id = ? AND reference = ?", tenant,
        reference);
  }

  @Test
  void anAiCallIsRecordedOncePerReferenceWithExactFigures() throws Exception {
    String tenant = "tenant-" + UUID.randomUUID();
    AiCall call = new AiCall(tenant, "ai-call-1", "lead-7", "intent-classification", "openai", "gpt-4o-mini", 812, 64,
        new BigDecimal("0.00016020"), "USD", Duration.ofMillis(742), Outcome.OK, AT);

    assertThat(await(costLog.recordAiCall(call))).isTrue();
    AiCall retried = new AiCall(tenant, "ai-call-1", "lead-7", "intent-classification", "openai", "gpt-4o-mini", 900,
        70, new BigDecimal("0.5"), "USD", Duration.ofMillis(1), Outcome.OK, AT.plusSeconds(5));
    assertThat(await(costLog.recordAiCall(retried))).as("the same reference again").isFalse();

    assertThat(db.queryLong("SELECT count(*) FROM cost_log WHERE tenant_id = ?", tenant)).isEqualTo(1);
    assertThat(column(tenant, "ai-call-1", "kind")).isEqualTo("ai_call");
    assertThat(column(tenant, "ai-call-1", "operation")).isEqualTo("intent-classification");
    assertThat(column(tenant, "ai-call-1", "lead_id")).isEqualTo("lead-7");
    assertThat(column(tenant, "ai-call-1", "provider")).isEqualTo("openai");
    assertThat(column(tenant, "ai-call-1", "model")).isEqualTo("gpt-4o-mini");
    assertThat(column(tenant, "ai-call-1", "prompt_tokens")).isEqualTo("812");
    assertThat(column(tenant, "ai-call-1", "completion_tokens")).isEqualTo("64");
    assertThat(new BigDecimal(column(tenant, "ai-call-1", "amount"))).isEqualByComparingTo("0.0001602");
    assertThat(column(tenant, "ai-call-1", "currency")).isEqualTo("USD");
    assertThat(column(tenant, "ai-call-1", "outcome")).isEqualTo("ok");
    assertThat(column(tenant, "ai-call-1", "latency_ms")).isEqualTo("742");
    assertThat(db.queryLong("SELECT extract(epoch FROM occurred_at)::bigint FROM cost_log WHERE tenant_id = ?", tenant))
        .isEqualTo(AT.getEpochSecond());
  }

  @Test
  void externalCallsKeepTheirOutcomeLatencyAndError() throws Exception {
    String tenant = "tenant-" + UUID.randomUUID();
    assertThat(await(costLog.recordExternalCall(new ExternalCall(tenant, "topup_ok", "razorpay", "orders.create",
        Outcome.OK, Duration.ofMillis(180), null, AT)))).isTrue();
    assertThat(await(costLog.recordExternalCall(new ExternalCall(tenant, "topup_refused", "razorpay", "orders.create",
        Outcome.ERROR, Duration.ofMillis(95), "HTTP 400: Currency is not supported " + "x".repeat(400), AT)))).isTrue();

    assertThat(column(tenant, "topup_ok", "kind")).isEqualTo("external_call");
    assertThat(column(tenant, "topup_ok", "provider")).isEqualTo("razorpay");
    assertThat(column(tenant, "topup_ok", "outcome")).isEqualTo("ok");
    assertThat(column(tenant, "topup_ok", "details")).isEqualTo("{}");
    assertThat(column(tenant, "topup_ok", "amount")).isNull();
    assertThat(column(tenant, "topup_refused", "outcome")).isEqualTo("error");
    assertThat(column(tenant, "topup_refused", "latency_ms")).isEqualTo("95");
    assertThat(column(tenant, "topup_refused", "details->>'error'"))
        .startsWith("HTTP 400: Currency is not supported").hasSize(301);
  }

  @Test
  void theApiRoleReadsItsTenantsRowsAndCannotWriteAny() throws Exception {
    String mine = "tenant-" + UUID.randomUUID();
    String theirs = "tenant-" + UUID.randomUUID();
    await(costLog.recordExternalCall(new ExternalCall(mine, "topup_a", "razorpay", "orders.create", Outcome.OK,
        Duration.ZERO, null, AT)));
    await(costLog.recordExternalCall(new ExternalCall(theirs, "topup_b", "razorpay", "orders.create", Outcome.OK,
        Duration.ZERO, null, AT)));

    long visible = api.run(mine, connection -> {
      try (PreparedStatement count = connection.prepareStatement("SELECT count(*) FROM cost_log");
          var rows = count.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    });
    assertThat(visible).isEqualTo(1);
    CostRow planted = new CostRow(mine, CostRow.EXTERNAL_CALL, "planted", AT, "orders.create", null, null, "razorpay",
        null, null, null, null, null, null, null, null, null, "ok", 0L, "{}");
    assertThatThrownBy(() -> api.run(mine, connection -> {
      try (PreparedStatement insert = connection.prepareStatement(CostRow.INSERT)) {
        planted.bind(insert);
        return insert.executeUpdate();
      }
    })).hasStackTraceContaining("permission denied for table cost_log");
  }

  @Test
  void callsThatCannotBeRecordedExactlyAreRefusedBeforeTheDatabase() {
    assertThatThrownBy(() -> new AiCall("t", "r", null, "scoring", "openai", "gpt-4o-mini", 1, 1,
        new BigDecimal("0.01"), null, Duration.ZERO, Outcome.OK, AT)).hasMessageContaining("both set or both null");
    assertThatThrownBy(() -> new AiCall("t", "r", null, "scoring", "openai", "gpt-4o-mini", 1, 1,
        new BigDecimal("0.000000001"), "USD", Duration.ZERO, Outcome.OK, AT)).hasMessageContaining("decimals");
    assertThatThrownBy(() -> new AiCall("t", "r", null, "scoring", "openai", "gpt-4o-mini", 1, 1,
        new BigDecimal("0.01"), "usd", Duration.ZERO, Outcome.OK, AT)).hasMessageContaining("ISO 4217");
    assertThatThrownBy(() -> new AiCall("t", "r", null, "scoring", "openai", "gpt-4o-mini", -1, 1, null, null,
        Duration.ZERO, Outcome.OK, AT)).hasMessageContaining("token counts");
    assertThatThrownBy(() -> new ExternalCall("t", " ", "razorpay", "orders.create", Outcome.OK, Duration.ZERO, null,
        AT)).hasMessageContaining("reference is required");
    assertThatThrownBy(() -> new ExternalCall("t", "r", "razorpay", "orders.create", Outcome.OK, Duration.ofMillis(-1),
        null, AT)).hasMessageContaining("latency");
  }
}
