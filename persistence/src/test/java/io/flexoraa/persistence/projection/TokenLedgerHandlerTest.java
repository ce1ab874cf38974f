package io.flexoraa.persistence.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.flexoraa.engine.tenant.Billing;
import io.flexoraa.engine.tenant.Tenant;
import io.flexoraa.engine.tenant.Tokens;
import io.flexoraa.engine.tenant.Tokens.AiPaused;
import io.flexoraa.engine.tenant.Tokens.AiResumed;
import io.flexoraa.engine.tenant.Tokens.CreditKind;
import io.flexoraa.engine.tenant.Tokens.LedgerEntry;
import io.flexoraa.engine.tenant.Tokens.PauseReason;
import io.flexoraa.engine.tenant.Tokens.ResumeReason;
import io.flexoraa.engine.tenant.Tokens.TokenAccountOpened;
import io.flexoraa.engine.tenant.Tokens.TokenAlertRaised;
import io.flexoraa.engine.tenant.Tokens.TokensCredited;
import io.flexoraa.engine.tenant.Tokens.TokensDebited;
import io.flexoraa.persistence.TenantJdbc;
import io.flexoraa.persistence.TestDatabase;
import io.flexoraa.persistence.audit.AuditFeed;
import io.flexoraa.persistence.readmodel.LeadViews.Page;
import io.flexoraa.persistence.readmodel.TokenQueries;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The token read models as the projection writes them on a real migrated PostgreSQL: the ledger adds up to the
 * balance, a replay adds nothing, the ledger cannot be edited, notifications speak the product's words, each tenant
 * reads only its own rows through the API's role, and only credits, alerts and pauses reach the audit trail.
 */
class TokenLedgerHandlerTest {
  private static final Billing BILLING = Billing.fromConfig(ConfigFactory.load());
  private static final Instant AT = Instant.parse("2026-03-14T09:00:00Z");
  private static final AtomicLong OFFSETS = new AtomicLong();

  private static TestDatabase db;
  private static ExecutorService blocking;
  private static TokenQueries queries;
  private final TokenLedgerHandler handler = new TokenLedgerHandler("tenant", BILLING);

  @BeforeAll
  static void start() {
    db = TestDatabase.open();
    blocking = Executors.newFixedThreadPool(2);
    queries = new TokenQueries(new TenantJdbc(db.database().apiDataSource(), blocking));
  }

  @AfterAll
  static void stop() {
    blocking.shutdownNow();
    db.close();
  }

  private static BigDecimal amount(String value) {
    return new BigDecimal(value).setScale(2);
  }

  /** A tenant's events with the sequence numbers the journal would give them. */
  private static final class Stream {
    final String tenant = "tenant-" + UUID.randomUUID();
    final List<EventEnvelope<Tenant.Event>> envelopes = new ArrayList<>();

    Stream add(Tenant.Event... events) {
      for (Tenant.Event event : events) {
        long offset = OFFSETS.incrementAndGet();
        envelopes.add(EventEnvelope.create(Offset.sequence(offset), "Tenant|" + tenant, envelopes.size() + 1L, event, 0L));
      }
      return this;
    }
  }

  private void project(List<EventEnvelope<Tenant.Event>> envelopes) throws Exception {
    PooledJdbcSession session = new PooledJdbcSession(db.dataSource());
    try {
      handler.process(session, envelopes);
      session.commit();
    } finally {
      session.close();
    }
  }

  private static Stream history() {
    Stream stream = new Stream();
    String t = stream.tenant;
    List<LedgerEntry> entries = new ArrayList<>();
    BigDecimal balance = amount("100");
    for (int i = 0; i < 300; i++) {
      balance = balance.subtract(amount("0.3"));
      entries.add(new LedgerEntry(2 + i, "ai-call", amount("0.3"), "lead-" + i, "wamid." + i, balance));
    }
    return stream.add(
        new TokenAccountOpened(t, 1, amount("100"), LocalDate.parse("2026-03-01"), AT),
        new TokensDebited(t, entries.subList(0, 200), AT),
        new TokenAlertRaised(t, 50, amount("60"), amount("100"), null, AT),
        new TokensDebited(t, entries.subList(200, 300), AT),
        new TokenAlertRaised(t, 80, amount("90"), amount("100"), "leados-pro", AT),
        new TokensCredited(t, 302, CreditKind.GRANT, amount("25.5"), "grant:ticket-991", "operator",
            "goodwill for the outage", amount("35.50"), null, AT.plusSeconds(60)),
        new AiPaused(t, PauseReason.DAILY_BURN_LIMIT, amount("35.50"), amount("24"), AT.plusSeconds(61)),
        new AiResumed(t, ResumeReason.NEW_DAY, AT.plusSeconds(86_400)));
  }

  @Test
  void theLedgerAddsUpToTheBalanceAndAReplayAddsNothing() throws Exception {
    Stream stream = history();
    project(stream.envelopes);
    project(stream.envelopes);

    assertThat(db.queryLong("SELECT count(*) FROM token_ledger WHERE tenant_id = ?", stream.tenant)).isEqualTo(302);
    assertThat(db.queryString("SELECT sum(CASE kind WHEN 'credit' THEN tokens ELSE -tokens END) FROM token_ledger"
        + " WHERE tenant_id = ?", stream.tenant)).isEqualTo("35.50");
    assertThat(db.queryString("SELECT balance_after FROM token_ledger WHERE tenant_id = ? ORDER BY entry_id DESC LIMIT 1",
        stream.tenant)).isEqualTo("35.50");
    assertThat(db.queryString("SELECT concat_ws('|', kind, operation, tokens, reference, balance_after, actor, reason)"
        + " FROM token_ledger WHERE tenant_id = ? AND entry_id = 302", stream.tenant))
        .isEqualTo("credit|grant|25.50|grant:ticket-991|35.50|operator|goodwill for the outage");
    assertThat(db.queryString("SELECT concat_ws('|', kind, operation, tokens, lead_id, reference, balance_after)"
        + " FROM token_ledger WHERE tenant_id = ? AND entry_id = 2", stream.tenant))
        .isEqualTo("debit|ai-call|0.30|lead-0|wamid.0|99.70");
    assertThat(db.queryString("SELECT concat_ws('|', kind, operation, tokens, balance_after, actor)"
        + " FROM token_ledger WHERE tenant_id = ? AND entry_id = 1", stream.tenant))
        .isEqualTo("credit|opening|100.00|100.00|engine");
    assertThat(db.queryLong("SELECT count(*) FROM token_notifications WHERE tenant_id = ?", stream.tenant)).isEqualTo(4);
  }

  @Test
  void notificationsSayWhatHappenedAndWhatToDo() throws Exception {
    Stream stream = history();
    project(stream.envelopes);

    Page<TokenQueries.NotificationRow> page = queries.notifications(stream.tenant, 10, 0).toCompletableFuture().get(10, TimeUnit.SECONDS);

    assertThat(page.total()).isEqualTo(4);
    assertThat(page.items()).extracting(TokenQueries.NotificationRow::level)
        .containsExactly("info", "critical", "urgent", "warning");
    assertThat(page.items().get(3).message()).isEqualTo("50 % of this period's tokens are used (60.00 of 100.00).");
    assertThat(page.items().get(2).message()).isEqualTo("80 % of this period's tokens are used (90.00 of 100.00)."
        + " Upgrade to leados-pro (750.00 tokens a month) or top up to keep AI running this period.");
    assertThat(page.items().get(1).message()).startsWith("AI paused until 00:00 UTC")
        .endsWith("Inbound messages are still received and leads still routed to your team.");
    assertThat(page.items().get(0).message()).isEqualTo("AI resumed: a new day started.");
    assertThat(page.items().get(1).id()).isEqualTo(7);
  }

  @Test
  void eachTenantReadsOnlyItsOwnLedgerThroughTheApiRole() throws Exception {
    Stream mine = history();
    Stream theirs = history();
    project(mine.envelopes);
    project(theirs.envelopes);

    Page<TokenQueries.LedgerRow> page = queries.ledger(mine.tenant, 5, 0).toCompletableFuture().get(10, TimeUnit.SECONDS);

    assertThat(page.total()).isEqualTo(302);
    assertThat(page.items()).extracting(TokenQueries.LedgerRow::entryId).containsExactly(302L, 301L, 300L, 299L, 298L);
    assertThat(page.items().get(0).tokens()).isEqualTo(amount("25.50"));
    try (Connection api = db.database().apiDataSource().getConnection(); Statement statement = api.createStatement()) {
      var rows = statement.executeQuery("SELECT count(*) FROM token_ledger");
      rows.next();
      assertThat(rows.getLong(1)).as("no tenant set: no rows").isZero();
    }
  }

  @Test
  void theLedgerIsInsertOnlyEvenForItsOwner() throws Exception {
    Stream stream = history();
    project(stream.envelopes);

    try (Connection owner = db.dataSource().getConnection(); Statement statement = owner.createStatement()) {
      assertThatThrownBy(() -> statement.executeUpdate(
              "UPDATE token_ledger SET tokens = 0.01 WHERE tenant_id = '" + stream.tenant + "'"))
          .isInstanceOf(SQLException.class).hasMessageContaining("token_ledger is insert-only: UPDATE");
      assertThatThrownBy(() -> statement.executeUpdate(
              "DELETE FROM token_ledger WHERE tenant_id = '" + stream.tenant + "'"))
          .isInstanceOf(SQLException.class).hasMessageContaining("insert-only: DELETE");
    }
    assertThat(db.queryLong("SELECT count(*) FROM token_ledger WHERE tenant_id = ?", stream.tenant)).isEqualTo(302);
  }

  @Test
  void creditsAlertsAndPausesAreAuditedAndDebitsAreNot() {
    Stream stream = history();
    List<String> actions = stream.envelopes.stream()
        .map(envelope -> AuditFeed.entryFor(envelope.event()))
        .flatMap(java.util.Optional::stream)
        .map(timed -> timed.entry().action())
        .toList();

    assertThat(actions).containsExactly(
        "tokens.renewed", "tokens.alert", "tokens.alert", "tokens.granted", "tokens.ai-paused", "tokens.ai-resumed");
    Tokens.TokensCredited topUp = new Tokens.TokensCredited(stream.tenant, 9, CreditKind.TOP_UP, amount("100"),
        "razorpay:pay_1", "razorpay", null, amount("100"), null, AT);
    var entry = AuditFeed.entryFor(topUp).orElseThrow().entry();
    assertThat(entry.action()).isEqualTo("tokens.topped-up");
    assertThat(entry.actor()).isEqualTo("razorpay");
    assertThat(entry.details().get("tokens")).isEqualTo("100.00");
    assertThat(entry.details().get("reference")).isEqualTo("razorpay:pay_1");
  }
}
