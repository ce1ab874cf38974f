package io.flexoraa.persistence.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeyStatus;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.typesafe.config.ConfigFactory;
import io.flexoraa.engine.ports.PiiCipher.FieldCipher;
import io.flexoraa.persistence.TestDatabase;
import io.flexoraa.persistence.crypto.KeyRotation.Rotation;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tenant key rotation against a real PostgreSQL. Separate {@link TinkPiiCipher} instances on one database stand for
 * separate nodes: each has its own caches, exactly as in a cluster.
 */
class KeyRotationTest {
  private static final Duration NINETY_DAYS = Duration.ofDays(90);

  private static TestDatabase db;
  private static ExecutorService blocking;
  private static Aead master;

  @TempDir static Path masterKeyDirectory;

  @BeforeAll
  static void start() {
    db = TestDatabase.open();
    blocking = Executors.newFixedThreadPool(8);
    master = MasterKey.load(Optional.empty(), masterKeyDirectory).aead();
  }

  @AfterAll
  static void stop() {
    blocking.shutdownNow();
    db.close();
  }

  private static TinkPiiCipher newNode() {
    return new TinkPiiCipher(db.dataSource(), master, blocking, 1_000);
  }

  /** A batch size below the lead counts used here, so every rotation re-wraps in several transactions. */
  private static KeyRotation rotationOn(TinkPiiCipher node, Clock clock) {
    return new KeyRotation(node, 2, clock);
  }

  private static String tenant() {
    return "tenant-" + UUID.randomUUID();
  }

  private static <T> T await(CompletionStage<T> stage) {
    return stage.toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
  }

  /** Lead id → ciphertext of a field of that lead, all encrypted through {@code node}. */
  private static Map<String, String> encryptedLeads(TinkPiiCipher node, String tenant, int count) {
    Map<String, String> ciphertexts = new LinkedHashMap<>();
    for (int i = 1; i <= count; i++) {
      String lead = "lead-" + i;
      ciphertexts.put(lead, await(node.leadCipher(tenant, lead)).encrypt("phone of " + lead));
    }
    return ciphertexts;
  }

  private static void assertAllReadable(TinkPiiCipher node, String tenant, Map<String, String> ciphertexts) {
    ciphertexts.forEach(
        (lead, ciphertext) ->
            assertThat(await(node.existingLeadCipher(tenant, lead)).orElseThrow().decrypt(ciphertext))
                .isEqualTo("phone of " + lead));
  }

  private static byte[] bytes(String sql, Object... parameters) {
    return HexFormat.of().parseHex(db.queryString(sql, parameters));
  }

  private static KeysetHandle storedTenantKeyset(String tenant) throws GeneralSecurityException {
    byte[] wrapped = bytes("SELECT encode(aead_keyset, 'hex') FROM tenant_keys WHERE tenant_id = ?", tenant);
    return TinkPiiCipher.unwrap(wrapped, master, TinkPiiCipher.tenantAssociatedData(tenant));
  }

  /** A keyset holding only {@code entry}, to tell which tenant key a lead key was wrapped under. */
  private static Aead only(KeysetHandle.Entry entry) throws GeneralSecurityException {
    return KeysetHandle.newBuilder()
        .addEntry(KeysetHandle.importKey(entry.getKey()).withFixedId(entry.getId()).makePrimary())
        .build()
        .getPrimitive(RegistryConfiguration.get(), Aead.class);
  }

  private static boolean leadKeyOpensWith(String tenant, String lead, Aead tenantKey) {
    byte[] wrapped =
        bytes("SELECT encode(keyset, 'hex') FROM lead_keys WHERE tenant_id = ? AND lead_id = ?", tenant, lead);
    try {
      TinkPiiCipher.unwrap(wrapped, tenantKey, TinkPiiCipher.leadAssociatedData(tenant, lead));
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static long leadsWrappedBy(String tenant, int version) {
    return db.queryLong(
        "SELECT count(*) FROM lead_keys WHERE tenant_id = ? AND wrapped_by_version = ?", tenant, version);
  }

  @Test
  void rotationKeepsOldCiphertextsReadableAndRewrapsLeadKeysUnderTheNewPrimary() throws Exception {
    String tenant = tenant();
    TinkPiiCipher node = newNode();
    Map<String, String> ciphertexts = encryptedLeads(node, tenant, 3);
    String phoneIndex = await(node.blindIndex(tenant)).of("phone", "+4915123456789");
    String macKeyset = db.queryString("SELECT encode(mac_keyset, 'hex') FROM tenant_keys WHERE tenant_id = ?", tenant);
    KeysetHandle.Entry oldPrimary = storedTenantKeyset(tenant).getPrimary();

    Rotation rotation = await(rotationOn(node, Clock.systemUTC()).rotateTenantKey(tenant));

    assertThat(rotation.tenantId()).isEqualTo(tenant);
    assertThat(rotation.newVersion()).isEqualTo(2);
    assertThat(rotation.leadKeysRewrapped()).isEqualTo(3);
    assertThat(db.queryLong("SELECT key_version FROM tenant_keys WHERE tenant_id = ?", tenant)).isEqualTo(2);
    assertThat(db.queryLong(
            "SELECT count(*) FROM tenant_keys WHERE tenant_id = ? AND rotated_at = ?",
            tenant, rotation.at().atOffset(ZoneOffset.UTC)))
        .isEqualTo(1);
    assertThat(leadsWrappedBy(tenant, 2)).isEqualTo(3);

    assertAllReadable(node, tenant, ciphertexts);
    assertAllReadable(newNode(), tenant, ciphertexts);

    KeysetHandle rotated = storedTenantKeyset(tenant);
    assertThat(rotated.size()).isEqualTo(2);
    assertThat(rotated.getPrimary().getId()).isNotEqualTo(oldPrimary.getId());
    for (int i = 0; i < rotated.size(); i++) assertThat(rotated.getAt(i).getStatus()).isEqualTo(KeyStatus.ENABLED);
    Aead newPrimaryOnly = only(rotated.getPrimary());
    Aead oldKeyOnly = only(oldPrimary);
    for (String lead : ciphertexts.keySet()) {
      assertThat(leadKeyOpensWith(tenant, lead, newPrimaryOnly)).as(lead).isTrue();
      assertThat(leadKeyOpensWith(tenant, lead, oldKeyOnly)).as(lead).isFalse();
    }

    String ofNewLead = await(node.leadCipher(tenant, "lead-after")).encrypt("phone of lead-after");
    assertThat(leadKeyOpensWith(tenant, "lead-after", newPrimaryOnly)).isTrue();
    assertThat(leadsWrappedBy(tenant, 2)).isEqualTo(4);
    assertAllReadable(newNode(), tenant, Map.of("lead-after", ofNewLead));

    assertThat(db.queryString("SELECT encode(mac_keyset, 'hex') FROM tenant_keys WHERE tenant_id = ?", tenant))
        .as("the MAC keyset never rotates")
        .isEqualTo(macKeyset);
    assertThat(await(node.blindIndex(tenant)).of("phone", "+4915123456789")).isEqualTo(phoneIndex);
    assertThat(await(newNode().blindIndex(tenant)).of("phone", "+4915123456789")).isEqualTo(phoneIndex);
  }

  @Test
  void aNodeCachingTheTenantKeysFromBeforeTheRotationOpensLeadKeysWrappedAfterIt() {
    String tenant = tenant();
    TinkPiiCipher rotating = newNode();
    TinkPiiCipher stale = newNode();
    Map<String, String> before = encryptedLeads(rotating, tenant, 1);
    assertAllReadable(stale, tenant, before);

    await(rotationOn(rotating, Clock.systemUTC()).rotateTenantKey(tenant));
    String ofLeadAfter = await(rotating.leadCipher(tenant, "lead-after")).encrypt("phone of lead-after");

    assertThat(await(stale.existingLeadCipher(tenant, "lead-after")).orElseThrow().decrypt(ofLeadAfter))
        .as("the stale node reloads the tenant keys once when its cached keyset cannot open the lead key")
        .isEqualTo("phone of lead-after");
    assertAllReadable(stale, tenant, before);

    String ofStaleLead = await(stale.leadCipher(tenant, "lead-from-stale")).encrypt("phone of lead-from-stale");
    assertAllReadable(newNode(), tenant, Map.of("lead-from-stale", ofStaleLead));
  }

  @Test
  void aNodeThatForgetsTheTenantWrapsNewLeadKeysUnderTheNewPrimary() {
    String tenant = tenant();
    TinkPiiCipher rotating = newNode();
    TinkPiiCipher other = newNode();
    encryptedLeads(rotating, tenant, 1);
    await(other.blindIndex(tenant));

    await(rotationOn(rotating, Clock.systemUTC()).rotateTenantKey(tenant));
    await(other.leadCipher(tenant, "before-forget"));
    other.forgetTenant(tenant);
    await(other.leadCipher(tenant, "after-forget"));

    assertThat(db.queryLong(
            "SELECT wrapped_by_version FROM lead_keys WHERE tenant_id = ? AND lead_id = ?", tenant, "before-forget"))
        .as("still cached: wrapped under the previous, still enabled key")
        .isEqualTo(1);
    assertThat(db.queryLong(
            "SELECT wrapped_by_version FROM lead_keys WHERE tenant_id = ? AND lead_id = ?", tenant, "after-forget"))
        .isEqualTo(2);
  }

  @Test
  void tenantsDueForRotationFollowTheLastRotationOrCreation() {
    TinkPiiCipher node = newNode();
    String createdLongAgo = tenant();
    String createdEvenEarlier = tenant();
    String createdRecently = tenant();
    String rotatedRecently = tenant();
    for (String tenant : List.of(createdLongAgo, createdEvenEarlier, createdRecently, rotatedRecently)) {
      await(node.blindIndex(tenant));
    }
    setCreatedAt(createdLongAgo, "2020-01-01T00:00:00Z");
    setCreatedAt(createdEvenEarlier, "2019-12-01T00:00:00Z");
    setCreatedAt(createdRecently, "2020-03-01T00:00:00Z");
    setCreatedAt(rotatedRecently, "2019-06-01T00:00:00Z");
    Clock march = Clock.fixed(Instant.parse("2020-03-15T00:00:00Z"), ZoneOffset.UTC);
    await(rotationOn(node, march).rotateTenantKey(rotatedRecently));
    Instant now = Instant.parse("2020-04-15T00:00:00Z");
    KeyRotation inApril = rotationOn(node, Clock.fixed(now, ZoneOffset.UTC));

    // Tenants of the other tests were created in the present, long after these instants, so they are never due here.
    assertThat(await(inApril.tenantsDueForRotation(NINETY_DAYS, now, 100)))
        .containsExactly(createdEvenEarlier, createdLongAgo);
    assertThat(await(inApril.tenantsDueForRotation(NINETY_DAYS, now, 1))).containsExactly(createdEvenEarlier);
    assertThat(await(inApril.tenantsDueForRotation(NINETY_DAYS, Instant.parse("2020-03-01T00:00:00Z"), 100)))
        .containsExactly(createdEvenEarlier);

    Optional<Rotation> rotated = await(inApril.rotateTenantKeyIfDue(createdLongAgo, NINETY_DAYS));
    assertThat(rotated).hasValueSatisfying(rotation -> assertThat(rotation.at()).isEqualTo(now));
    assertThat(await(inApril.rotateTenantKeyIfDue(createdLongAgo, NINETY_DAYS)))
        .as("a second node that found the tenant due at the same time does not rotate it again")
        .isEmpty();
    assertThat(await(inApril.rotateTenantKeyIfDue(createdRecently, NINETY_DAYS))).isEmpty();
    assertThat(await(inApril.tenantsDueForRotation(NINETY_DAYS, now, 100))).containsExactly(createdEvenEarlier);
    assertThat(db.queryLong("SELECT key_version FROM tenant_keys WHERE tenant_id = ?", createdLongAgo)).isEqualTo(2);
  }

  private static void setCreatedAt(String tenant, String instant) {
    db.queryLong(
        "WITH changed AS (UPDATE tenant_keys SET created_at = ?::timestamptz WHERE tenant_id = ? RETURNING 1)"
            + " SELECT count(*) FROM changed",
        instant, tenant);
  }

  @Test
  void twoNodesRotatingOneTenantAtOnceBothSucceedAndLoseNoKey() throws Exception {
    String tenant = tenant();
    TinkPiiCipher first = newNode();
    TinkPiiCipher second = newNode();
    Map<String, String> ciphertexts = encryptedLeads(first, tenant, 5);
    assertAllReadable(second, tenant, ciphertexts);
    KeyRotation onFirst = rotationOn(first, Clock.systemUTC());
    KeyRotation onSecond = rotationOn(second, Clock.systemUTC());

    List<CompletableFuture<Rotation>> racing = new ArrayList<>();
    racing.add(onFirst.rotateTenantKey(tenant).toCompletableFuture());
    racing.add(onSecond.rotateTenantKey(tenant).toCompletableFuture());
    List<Integer> versions = racing.stream().map(KeyRotationTest::await).map(Rotation::newVersion).toList();

    assertThat(versions).containsExactlyInAnyOrder(2, 3);
    assertThat(db.queryLong("SELECT key_version FROM tenant_keys WHERE tenant_id = ?", tenant)).isEqualTo(3);
    assertThat(storedTenantKeyset(tenant).size()).as("each rotation added its key; none was lost").isEqualTo(3);
    assertThat(leadsWrappedBy(tenant, 3)).isEqualTo(5);
    assertAllReadable(first, tenant, ciphertexts);
    assertAllReadable(second, tenant, ciphertexts);
    assertAllReadable(newNode(), tenant, ciphertexts);
  }

  @Test
  void forgetLeadDropsAKeyShreddedByAnotherNode() {
    String tenant = tenant();
    TinkPiiCipher caching = newNode();
    TinkPiiCipher shredding = newNode();
    await(caching.leadCipher(tenant, "lead-1"));

    assertThat(await(shredding.shredLead(tenant, "lead-1"))).isTrue();
    assertThat(await(caching.existingLeadCipher(tenant, "lead-1")))
        .as("until told, the other node still serves its cached key")
        .isPresent();

    caching.forgetLead(tenant, "lead-1");

    assertThat(await(caching.existingLeadCipher(tenant, "lead-1"))).isEmpty();
  }

  @Test
  void theDefaultsAreNinetyDaysHourlyChecksAndBatchesOfFiveHundred() {
    assertThat(KeyRotation.Settings.fromConfig(ConfigFactory.load()))
        .isEqualTo(new KeyRotation.Settings(NINETY_DAYS, 500, Duration.ofHours(1)));
  }

  @Test
  void aTenantWithoutKeysCannotBeRotated() {
    assertThatThrownBy(() -> await(rotationOn(newNode(), Clock.systemUTC()).rotateTenantKey(tenant())))
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("has no keys to rotate");
  }
}
