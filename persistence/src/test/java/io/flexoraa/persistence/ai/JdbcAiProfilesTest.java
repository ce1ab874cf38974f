package io.flexoraa.persistence.ai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flexoraa.engine.ai.AiProfile;
import io.flexoraa.persistence.Jdbc;
import io.flexoraa.persistence.TenantJdbc;
import io.flexoraa.persistence.TestDatabase;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * AI profiles against a real PostgreSQL: stored whole and read back exactly (prices to the paisa, every script),
 * audited in outline without the texts, cached per node for the reply stage and replaced at once on the node that
 * stored them, and isolated per tenant for the API's role, which may not write them.
 */
class JdbcAiProfilesTest {
  private static final AtomicInteger IDS = new AtomicInteger();
  private static final String INSUFFICIENT_PRIVILEGE = "42501";
  private static final Duration TTL = Duration.ofSeconds(30);

  @TempDir static Path directory;

  private static TestDatabase db;
  private static ExecutorService blocking;
  private static Jdbc jdbc;
  private static TenantJdbc tenantJdbc;

  /** Moves only when the test moves it. */
  private static final class MovableClock extends Clock {
    private volatile Instant now = Instant.parse("2026-11-21T10:00:00Z");

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  @BeforeAll
  static void start() {
    db = TestDatabase.open(directory);
    blocking = Executors.newFixedThreadPool(4);
    jdbc = new Jdbc(db.dataSource(), blocking);
    tenantJdbc = new TenantJdbc(db.database().apiDataSource(), blocking);
  }

  @AfterAll
  static void stop() {
    blocking.shutdownNow();
    db.close();
  }

  private static String tenant() {
    return "ai-tenant-" + IDS.incrementAndGet();
  }

  private static AiProfile profile(String description) {
    return new AiProfile("Skyline Homes", description,
        List.of(new AiProfile.Product("Sky Villa 3BHK", "deck", new BigDecimal("9500000.50"), "INR", null),
            new AiProfile.Product("Studio Loft", null, null, null, null)),
        List.of("Rated 4.7★ by 1,200 families"), "formal",
        List.of(new AiProfile.Faq("Parking hai kya?", "Haan, covered parking.", "hi-Latn"),
            new AiProfile.Faq("هل يوجد موقف؟", "نعم، موقف مغطى.", "ar")),
        List.of("Lodha"), Map.of("hi", Map.of("holding", "धन्यवाद, {business} की टीम आपसे बात करेगी।")),
        "https://book.skyline.example/visit", "en", Instant.parse("1999-01-01T00:00:00Z"));
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aProfileIsStoredWholeAndReadBackExactly() throws Exception {
    MovableClock clock = new MovableClock();
    JdbcAiProfiles profiles = new JdbcAiProfiles(jdbc, tenantJdbc, TTL, 100, clock);
    String tenant = tenant();

    AiProfile stored = await(profiles.put(tenant, profile("Apartments in Pune"), "user:7"));

    assertThat(stored.updatedAt()).isEqualTo(clock.instant());
    AiProfile read = await(new JdbcAiProfiles(jdbc, tenantJdbc, TTL, 100, clock).get(tenant)).orElseThrow();
    assertThat(read).isEqualTo(stored);
    assertThat(read.products().get(0).price()).isEqualByComparingTo("9500000.50");
    assertThat(read.faq().get(1).answer()).isEqualTo("نعم، موقف مغطى.");
    assertThat(await(profiles.read(tenant))).contains(new JdbcAiProfiles.Stored(stored, "user:7"));
    assertThat(db.queryString("SELECT profile->>'updatedAt' FROM ai_profiles WHERE tenant_id = ?", tenant)).isNull();
  }

  @Test
  void everyChangeIsAuditedInOutlineWithoutTheTexts() throws Exception {
    JdbcAiProfiles profiles = new JdbcAiProfiles(jdbc, tenantJdbc, TTL, 100, new MovableClock());
    String tenant = tenant();

    await(profiles.put(tenant, profile("Apartments in Pune"), "user:7"));
    await(profiles.put(tenant, profile("Apartments and villas in Pune"), "api-key:k1"));

    assertThat(db.queryLong("SELECT count(*) FROM audit_log WHERE tenant_id = ? AND action = ? AND subject = ?",
        tenant, JdbcAiProfiles.AUDIT_ACTION, JdbcAiProfiles.AUDIT_SUBJECT)).isEqualTo(2);
    String second = db.queryString("SELECT details FROM audit_log WHERE tenant_id = ? AND actor = 'api-key:k1'", tenant);
    assertThat(second).contains("\"changed\":[\"description\"]").contains("\"created\":false")
        .contains("\"products\":2").contains("\"pricedProducts\":1").contains("\"faq\":2")
        .contains("\"templateLanguages\":[\"hi\"]");
    String all = db.queryString("SELECT string_agg(details, ' ') FROM audit_log WHERE tenant_id = ?", tenant);
    assertThat(all).doesNotContain("Pune").doesNotContain("Parking").doesNotContain("9500000")
        .doesNotContain("book.skyline");
    assertThat(db.queryString("SELECT updated_by FROM ai_profiles WHERE tenant_id = ?", tenant)).isEqualTo("api-key:k1");
  }

  @Test
  void theReplyStagesReadIsCachedAndAPutOnThisNodeIsSeenAtOnce() throws Exception {
    MovableClock clock = new MovableClock();
    JdbcAiProfiles thisNode = new JdbcAiProfiles(jdbc, tenantJdbc, TTL, 100, clock);
    JdbcAiProfiles otherNode = new JdbcAiProfiles(jdbc, tenantJdbc, TTL, 100, clock);
    String tenant = tenant();

    assertThat(await(thisNode.get(tenant))).isEmpty();
    assertThat(await(otherNode.get(tenant))).isEmpty();
    await(thisNode.put(tenant, profile("first"), "user:7"));
    assertThat(await(thisNode.get(tenant)).map(AiProfile::description)).contains("first");
    assertThat(await(otherNode.get(tenant))).as("the other node's cached absence, until it expires").isEmpty();

    await(otherNode.put(tenant, profile("second"), "user:8"));
    assertThat(await(thisNode.get(tenant)).map(AiProfile::description)).contains("first");
    clock.advance(TTL);
    assertThat(await(thisNode.get(tenant)).map(AiProfile::description)).contains("second");
    assertThat(await(otherNode.get(tenant)).map(AiProfile::description)).contains("second");
  }

  @Test
  void theApiRoleSeesOnlyItsTenantsProfileAndCannotWriteOne() throws Exception {
    JdbcAiProfiles profiles = new JdbcAiProfiles(jdbc, tenantJdbc, TTL, 100, new MovableClock());
    String tenantA = tenant();
    String tenantB = tenant();
    await(profiles.put(tenantA, profile("A's secret pricing"), "user:1"));

    assertThat(await(profiles.read(tenantA))).isPresent();
    assertThat(await(profiles.read(tenantB))).isEmpty();
    long seenByB = tenantJdbc.run(tenantB, connection -> {
      try (var select = connection.prepareStatement("SELECT count(*) FROM ai_profiles")) {
        try (var rows = select.executeQuery()) {
          rows.next();
          return rows.getLong(1);
        }
      }
    });
    assertThat(seenByB).isZero();
    assertThatThrownBy(() -> tenantJdbc.run(tenantB, connection -> {
      try (var insert = connection.prepareStatement("INSERT INTO ai_profiles VALUES (?, '{}'::jsonb, now(), 'x')")) {
        insert.setString(1, tenantB);
        return insert.executeUpdate();
      }
    })).hasRootCauseInstanceOf(SQLException.class)
        .rootCause().extracting(cause -> ((SQLException) cause).getSQLState()).isEqualTo(INSUFFICIENT_PRIVILEGE);
  }

  @Test
  void theOutlineOfAFirstProfileNamesEveryFieldItSets() {
    Map<String, Object> outline = JdbcAiProfiles.outline(Optional.empty(), profile("x"));
    assertThat(outline.get("created")).isEqualTo(true);
    assertThat(outline.get("changed")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.list(String.class)).contains("business", "products", "faq", "bookingLink", "tone")
        .doesNotContain("defaultLanguage");
  }
}
