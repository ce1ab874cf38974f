package io.flexoraa.persistence.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexoraa.engine.ports.PiiCipher;
import io.flexoraa.persistence.TestDatabase;
import io.flexoraa.persistence.crypto.MasterKey;
import io.flexoraa.persistence.crypto.TinkPiiCipher;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The retention rules on rows of the read model, with the clock under the test's control. */
class RetentionRulesTest {
  private static final Instant NOW = Instant.parse("2026-11-22T00:00:00Z");
  private static final Retention.Settings SETTINGS = new Retention.Settings(Duration.ofDays(730), Duration.ofDays(183), 2);

  @TempDir static Path keys;
  private static TestDatabase db;
  private static ExecutorService blocking;
  private static PiiCipher cipher;
  private static final List<String> shredded = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    db = TestDatabase.open();
    blocking = Executors.newFixedThreadPool(2);
    cipher = new TinkPiiCipher(db.dataSource(), MasterKey.load(Optional.empty(), keys).aead(), blocking, 100);
  }

  @AfterAll
  static void stop() {
    blocking.shutdownNow();
    db.close();
  }

  private static Retention retentionAt(Instant now) {
    return new Retention(db.dataSource(), cipher, Clock.fixed(now, ZoneOffset.UTC), SETTINGS,
        (tenant, lead) -> shredded.add(tenant + ":" + lead));
  }

  private static void lead(String tenant, String lead, Instant lastInbound, String phone) throws Exception {
    PiiCipher.FieldCipher leadCipher = cipher.leadCipher(tenant, lead).toCompletableFuture().get();
    try (Connection connection = db.dataSource().getConnection();
        PreparedStatement insert = connection.prepareStatement(
            "INSERT INTO leads (tenant_id, lead_id, channel, name_enc, phone_enc, last_inbound_at, created_at, updated_at) "
                + "VALUES (?, ?, 'whatsapp', ?, ?, ?, ?, ?)")) {
      insert.setString(1, tenant);
      insert.setString(2, lead);
      insert.setString(3, leadCipher.encrypt("Someone"));
      insert.setString(4, leadCipher.encrypt(phone));
      insert.setTimestamp(5, Timestamp.from(lastInbound));
      insert.setTimestamp(6, Timestamp.from(lastInbound));
      insert.setTimestamp(7, Timestamp.from(lastInbound));
      insert.executeUpdate();
    }
  }

  @Test
  void masksInBatchesOnceAndAgainOnlyAfterNewActivityAges() throws Exception {
    String tenant = "tenant-mask";
    for (int i = 0; i < 5; i++) lead(tenant, "old-" + i, NOW.minus(Duration.ofDays(200)), "+9198765000" + (10 + i));
    lead(tenant, "recent", NOW.minus(Duration.ofDays(10)), "+919876500099");

    Retention.Report first = retentionAt(NOW).run();
    assertThat(first.byTenant().get(tenant).leadsMasked()).as("five leads over batches of two").isEqualTo(5);
    assertThat(db.queryString("SELECT phone_masked FROM leads WHERE tenant_id = ? AND lead_id = 'old-0'", tenant))
        .isEqualTo("+91******0010");
    assertThat(db.queryLong("SELECT count(*) FROM leads WHERE tenant_id = ? AND phone_enc IS NOT NULL", tenant)).isEqualTo(1);
    assertThat(retentionAt(NOW).run().byTenant()).as("a second run changes nothing").doesNotContainKey(tenant);

    // the lead writes again (the projection would set last_inbound_at and new details); once that ages, masked again
    db.queryLong("UPDATE leads SET last_inbound_at = ?, phone_enc = 'x' WHERE tenant_id = ? AND lead_id = 'old-0' "
        + "RETURNING 1", Timestamp.from(NOW.plus(Duration.ofDays(1))), tenant);
    assertThat(retentionAt(NOW.plus(Duration.ofDays(30))).run().byTenant()).doesNotContainKey(tenant);
    Retention.Report later = retentionAt(NOW.plus(Duration.ofDays(190))).run();
    assertThat(later.byTenant().get(tenant).leadsMasked()).isEqualTo(2);
    assertThat(db.queryLong("SELECT count(*) FROM leads WHERE tenant_id = ? AND phone_enc IS NOT NULL", tenant)).isZero();
  }

  @Test
  void aWholeConversationPastTheRetentionPeriodIsShreddedOnEveryNode() throws Exception {
    String tenant = "tenant-expire";
    lead(tenant, "ancient", NOW.minus(Duration.ofDays(800)), "+919876511111");
    Retention.Report report = retentionAt(NOW).run();
    assertThat(report.byTenant().get(tenant).conversationsExpired()).isEqualTo(1);
    assertThat(shredded).contains(tenant + ":ancient");
    assertThat(cipher.existingLeadCipher(tenant, "ancient").toCompletableFuture().get()).isEmpty();
    assertThat(db.queryLong("SELECT count(*) FROM audit_log WHERE tenant_id = ? AND action = 'privacy.retention-applied'",
        tenant)).isEqualTo(1);
    assertThat(retentionAt(NOW).run().byTenant()).doesNotContainKey(tenant);
  }
}
