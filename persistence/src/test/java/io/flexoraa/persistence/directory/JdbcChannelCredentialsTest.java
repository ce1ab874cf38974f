package io.flexoraa.persistence.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.crypto.tink.Aead;
import io.flexoraa.engine.ports.ChannelCredentials.AccountNotRegistered;
import io.flexoraa.engine.ports.ChannelDirectory.ChannelRoute;
import io.flexoraa.persistence.Jdbc;
import io.flexoraa.persistence.TenantJdbc;
import io.flexoraa.persistence.TestDatabase;
import io.flexoraa.persistence.crypto.KeyRotation;
import io.flexoraa.persistence.crypto.MasterKey;
import io.flexoraa.persistence.crypto.TinkPiiCipher;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Access tokens of channel accounts against a real PostgreSQL: encrypted at rest under the tenant's key and bound to
 * their account, attached only to an account of the same tenant, audited without the token, isolated per tenant for
 * the API's role, and still readable after another node rotated the tenant's key.
 */
class JdbcChannelCredentialsTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-06-01T10:00:00Z"), ZoneOffset.UTC);
  private static final AtomicInteger IDS = new AtomicInteger();
  private static final String INSUFFICIENT_PRIVILEGE = "42501";

  @TempDir static Path directory;
  @TempDir static Path masterKeyDirectory;

  private static TestDatabase db;
  private static ExecutorService blocking;
  private static Jdbc jdbc;
  private static Aead master;
  private static TinkPiiCipher cipher;
  private static JdbcChannelDirectory accounts;
  private static JdbcChannelCredentials credentials;

  @BeforeAll
  static void start() {
    db = TestDatabase.open(directory);
    blocking = Executors.newFixedThreadPool(4);
    jdbc = new Jdbc(db.dataSource(), blocking);
    master = MasterKey.load(Optional.empty(), masterKeyDirectory).aead();
    cipher = new TinkPiiCipher(db.dataSource(), master, blocking, 100);
    accounts = new JdbcChannelDirectory(jdbc);
    credentials = node(cipher, Duration.ofMinutes(1));
  }

  @AfterAll
  static void stop() {
    blocking.shutdownNow();
    db.close();
  }

  @Test
  void aTokenIsStoredEncryptedAuditedWithoutItAndReadBack() throws Exception {
    String tenant = tenant();
    String account = register(tenant, "whatsapp");
    String token = "EAAG" + "secret-token-" + IDS.incrementAndGet();

    assertThat(await(credentials.store(tenant, "whatsapp", account, token, "user:42"))).isTrue();

    String stored = db.queryString(
        "SELECT token_enc FROM channel_credentials WHERE channel = 'whatsapp' AND external_id = ?", account);
    assertThat(stored).isNotBlank().doesNotContain(token).doesNotContain("secret-token");
    assertThat(await(credentials.accessToken(tenant, "whatsapp", account))).contains(token);
    // a fresh node (no cache) decrypts it from the table
    assertThat(await(node(new TinkPiiCipher(db.dataSource(), master, blocking, 100), Duration.ZERO)
        .accessToken(tenant, "whatsapp", account))).contains(token);

    assertThat(db.queryLong("SELECT count(*) FROM audit_log WHERE tenant_id = ? AND action = ? AND actor = 'user:42'"
        + " AND subject = ?", tenant, JdbcChannelCredentials.AUDIT_ACTION, "whatsapp:" + account)).isEqualTo(1);
    assertThat(db.queryString("SELECT string_agg(details, ' ') FROM audit_log WHERE tenant_id = ?", tenant))
        .contains(account).doesNotContain(token).doesNotContain(stored);
  }

  @Test
  void aReplacedTokenIsUsedAtOnceOnTheNodeThatReplacedIt() throws Exception {
    String tenant = tenant();
    String account = register(tenant, "messenger");
    await(credentials.store(tenant, "messenger", account, "first-token"));
    assertThat(await(credentials.accessToken(tenant, "messenger", account))).contains("first-token");

    await(credentials.store(tenant, "messenger", account, "second-token"));

    assertThat(await(credentials.accessToken(tenant, "messenger", account))).contains("second-token");
    assertThat(db.queryLong("SELECT count(*) FROM channel_credentials WHERE external_id = ?", account)).isEqualTo(1);
  }

  @Test
  void anotherNodeServesItsCachedTokenUntilTheEntryExpires() throws Exception {
    String tenant = tenant();
    String account = register(tenant, "instagram");
    JdbcChannelCredentials caching = node(cipher, Duration.ofMinutes(1));
    JdbcChannelCredentials uncached = node(cipher, Duration.ZERO);
    await(credentials.store(tenant, "instagram", account, "old-token"));
    assertThat(await(caching.accessToken(tenant, "instagram", account))).contains("old-token");
    assertThat(await(uncached.accessToken(tenant, "instagram", account))).contains("old-token");

    await(credentials.store(tenant, "instagram", account, "new-token"));

    // the clock stands still: the caching node's entry has not expired, the other node has none
    assertThat(await(caching.accessToken(tenant, "instagram", account))).contains("old-token");
    assertThat(await(uncached.accessToken(tenant, "instagram", account))).contains("new-token");
  }

  @Test
  void aTokenAttachesOnlyToAnAccountOfTheSameTenant() throws Exception {
    String owner = tenant();
    String intruder = tenant();
    String account = register(owner, "whatsapp");
    await(credentials.store(owner, "whatsapp", account, "owners-token"));

    assertThat(await(credentials.store(intruder, "whatsapp", account, "intruders-token", "user:7"))).isFalse();
    assertThat(await(credentials.store(intruder, "whatsapp", "no-such-account", "token", "user:7"))).isFalse();
    assertThatThrownBy(() -> await(credentials.store(intruder, "whatsapp", account, "intruders-token")))
        .hasCauseInstanceOf(AccountNotRegistered.class);

    assertThat(await(credentials.accessToken(owner, "whatsapp", account))).contains("owners-token");
    assertThat(await(credentials.accessToken(intruder, "whatsapp", account))).isEmpty();
    assertThat(db.queryLong("SELECT count(*) FROM audit_log WHERE tenant_id = ?", intruder)).isZero();
  }

  @Test
  void noTokenIsEmpty() throws Exception {
    String tenant = tenant();
    assertThat(await(credentials.accessToken(tenant, "whatsapp", register(tenant, "whatsapp")))).isEmpty();
  }

  @Test
  void aCiphertextCopiedToAnotherAccountDoesNotDecrypt() throws Exception {
    String tenant = tenant();
    String first = register(tenant, "whatsapp");
    String second = register(tenant, "whatsapp");
    await(credentials.store(tenant, "whatsapp", first, "first-account-token"));
    await(credentials.store(tenant, "whatsapp", second, "second-account-token"));
    db.execute("UPDATE channel_credentials SET token_enc = (SELECT token_enc FROM channel_credentials"
        + " WHERE external_id = '" + first + "') WHERE external_id = '" + second + "'");

    JdbcChannelCredentials fresh = node(new TinkPiiCipher(db.dataSource(), master, blocking, 100), Duration.ZERO);
    assertThatThrownBy(() -> await(fresh.accessToken(tenant, "whatsapp", second)))
        .hasRootCauseInstanceOf(IllegalStateException.class)
        .hasStackTraceContaining("cannot be decrypted");
  }

  @Test
  void theApiRoleSeesOnlyItsTenantsAccountsAndNeverTheCiphertext() throws Exception {
    String tenantA = tenant();
    String tenantB = tenant();
    String accountA = register(tenantA, "whatsapp");
    String accountB = register(tenantB, "whatsapp");
    await(credentials.store(tenantA, "whatsapp", accountA, "token-a"));
    await(credentials.store(tenantB, "whatsapp", accountB, "token-b"));
    TenantJdbc api = new TenantJdbc(db.database().apiDataSource(), blocking);

    List<String> seenByA = api.run(tenantA, connection -> externalIds(connection.prepareStatement(
        "SELECT external_id FROM channel_credentials")));
    assertThat(seenByA).containsExactly(accountA);
    assertThatThrownBy(() -> api.run(tenantA, connection -> externalIds(connection.prepareStatement(
        "SELECT token_enc FROM channel_credentials"))))
        .hasRootCauseInstanceOf(SQLException.class)
        .rootCause().satisfies(cause -> assertThat(((SQLException) cause).getSQLState()).isEqualTo(INSUFFICIENT_PRIVILEGE));
  }

  @Test
  void aTokenStoredAfterAnotherNodeRotatedTheTenantKeyIsReadHere() throws Exception {
    String tenant = tenant();
    String account = register(tenant, "whatsapp");
    await(credentials.store(tenant, "whatsapp", account, "before-rotation"));
    // this node now caches the tenant's keyset as it was before the rotation
    assertThat(await(cipher.tenantCipher(tenant, "warm-up"))).isNotNull();

    TinkPiiCipher otherNode = new TinkPiiCipher(db.dataSource(), master, blocking, 100);
    await(new KeyRotation(otherNode, 100, CLOCK).rotateTenantKey(tenant));
    await(node(otherNode, Duration.ZERO).store(tenant, "whatsapp", account, "after-rotation"));

    JdbcChannelCredentials here = node(cipher, Duration.ZERO);
    assertThat(await(here.accessToken(tenant, "whatsapp", account))).contains("after-rotation");
  }

  // ---- helpers ----

  private static JdbcChannelCredentials node(TinkPiiCipher nodeCipher, Duration cacheTtl) {
    return new JdbcChannelCredentials(jdbc, nodeCipher, cacheTtl, 100, CLOCK);
  }

  private static String tenant() {
    return "credentials-tenant-" + IDS.incrementAndGet();
  }

  private static String register(String tenant, String channel) throws Exception {
    String externalId = "10" + (100_000 + IDS.incrementAndGet());
    await(accounts.register(new ChannelRoute(tenant, channel, externalId, null, "Sales", "IN"), "hash-" + externalId));
    return externalId;
  }

  private static List<String> externalIds(PreparedStatement select) throws SQLException {
    List<String> ids = new ArrayList<>();
    try (select; ResultSet rows = select.executeQuery()) {
      while (rows.next()) ids.add(rows.getString(1));
    }
    return ids;
  }

  private static <T> T await(CompletionStage<T> stage)
      throws InterruptedException, ExecutionException, java.util.concurrent.TimeoutException {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
