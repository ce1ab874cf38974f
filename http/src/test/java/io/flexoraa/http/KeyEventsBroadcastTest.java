package io.flexoraa.http;

import static io.flexoraa.http.TestEngine.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.flexoraa.http.KeyEventsBroadcast.LeadKeyShredded;
import io.flexoraa.http.KeyEventsBroadcast.TenantKeyRotated;
import io.flexoraa.persistence.Database;
import io.flexoraa.persistence.DatabaseSettings;
import io.flexoraa.persistence.crypto.KeyRotation;
import io.flexoraa.persistence.crypto.MasterKey;
import io.flexoraa.persistence.crypto.TinkPiiCipher;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broadcast on one actor system with the local provider: topic and subscriber are the same code in a cluster, and
 * a real PostgreSQL with two ciphers stands for the node that caches and the node that changes the keys. The messages'
 * wire format (Jackson CBOR, as between nodes) is checked on its own.
 */
class KeyEventsBroadcastTest {
  @TempDir static Path directory;
  private static Database database;
  private static ExecutorService blocking;
  private static ActorTestKit testKit;
  private static TinkPiiCipher cachingNode;
  private static TinkPiiCipher otherNode;
  private static KeyEventsBroadcast broadcast;

  @BeforeAll
  static void start() {
    database =
        Database.open(new DatabaseSettings(Optional.empty(), "postgres", "postgres", directory.resolve("db"), 2));
    blocking = Executors.newFixedThreadPool(4);
    var master = MasterKey.load(Optional.empty(), directory).aead();
    cachingNode = new TinkPiiCipher(database.dataSource(), master, blocking, 100);
    otherNode = new TinkPiiCipher(database.dataSource(), master, blocking, 100);
    testKit = ActorTestKit.create(
        "key-events", ConfigFactory.parseString("pekko.actor.provider = local").withFallback(ConfigFactory.load()));
    broadcast = KeyEventsBroadcast.start(testKit.system(), cachingNode);
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
    blocking.shutdownNow();
    database.close();
  }

  private static <T> T await(CompletionStage<T> stage) {
    return stage.toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
  }

  @Test
  void everySubscribedCipherForgetsWhatWasShreddedOrRotated() {
    String tenant = "tenant-broadcast";
    await(cachingNode.leadCipher(tenant, "shredded-lead"));
    await(otherNode.shredLead(tenant, "shredded-lead"));
    await(new KeyRotation(otherNode, 500, Clock.systemUTC()).rotateTenantKey(tenant));
    assertThat(await(cachingNode.existingLeadCipher(tenant, "shredded-lead"))).isPresent();

    broadcast.tenantKeyRotated(tenant);
    broadcast.leadShredded(tenant, "shredded-lead");

    eventually(() -> await(cachingNode.existingLeadCipher(tenant, "shredded-lead")).isEmpty(),
        "the caching node forgot the shredded lead key");
    // Published earlier to the same subscriber, so handled by now: the next lead key uses the new primary.
    await(cachingNode.leadCipher(tenant, "new-lead"));
    assertThat(wrappedByVersion(tenant, "new-lead")).isEqualTo(2);
  }

  @Test
  void theScheduleRotatesATenantOnceItIsDueAndTellsEveryNode() throws Exception {
    String tenant = "tenant-due";
    await(cachingNode.leadCipher(tenant, "lead-1"));
    execute("UPDATE tenant_keys SET created_at = now() - interval '91 days' WHERE tenant_id = ?", tenant);
    KeyRotation.Settings settings = new KeyRotation.Settings(Duration.ofDays(90), 500, Duration.ofMillis(100));
    Cancellable schedule = KeyRotationSchedule.start(
        testKit.system(), new KeyRotation(otherNode, 500, Clock.systemUTC()), broadcast, settings, Clock.systemUTC());
    try {
      eventually(() -> queryInt("SELECT key_version FROM tenant_keys WHERE tenant_id = ?", tenant) == 2,
          "the due tenant rotated");
      // The rotating node published the rotation; the caching node's next lead key uses the new primary.
      eventually(() -> {
        String lead = "lead-" + UUID.randomUUID();
        await(cachingNode.leadCipher(tenant, lead));
        return wrappedByVersion(tenant, lead) == 2;
      }, "the caching node forgot the tenant's previous keyset");
      Thread.sleep(500);
      assertThat(queryInt("SELECT key_version FROM tenant_keys WHERE tenant_id = ?", tenant))
          .as("rotated once, not at every check")
          .isEqualTo(2);
    } finally {
      schedule.cancel();
    }
  }

  @Test
  void theMessagesTravelAsJacksonCbor() throws Exception {
    assertThat(SerializationExtension.get(Adapter.toClassic(testKit.system()))
            .serializerFor(LeadKeyShredded.class).getClass().getSimpleName())
        .isEqualTo("JacksonCborSerializer");
    var serialization = testKit.serializationTestKit();
    assertThat(serialization.verifySerialization(new LeadKeyShredded("tenant-1", "lead-1"), true))
        .isEqualTo(new LeadKeyShredded("tenant-1", "lead-1"));
    assertThat(serialization.verifySerialization(new TenantKeyRotated("tenant-1"), true))
        .isEqualTo(new TenantKeyRotated("tenant-1"));
  }

  private static int wrappedByVersion(String tenant, String lead) {
    return queryInt("SELECT wrapped_by_version FROM lead_keys WHERE tenant_id = ? AND lead_id = ?", tenant, lead);
  }

  private static int queryInt(String sql, String... parameters) {
    try (Connection connection = database.dataSource().getConnection();
        PreparedStatement select = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) select.setString(i + 1, parameters[i]);
      try (ResultSet rows = select.executeQuery()) {
        rows.next();
        return rows.getInt(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  private static void execute(String sql, String... parameters) throws SQLException {
    try (Connection connection = database.dataSource().getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) statement.setString(i + 1, parameters[i]);
      statement.executeUpdate();
    }
  }
}
