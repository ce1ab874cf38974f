package io.flexoraa.persistence.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.mac.MacConfig;
import com.google.crypto.tink.mac.PredefinedMacParameters;
import io.flexoraa.engine.ports.PiiCipher;
import io.flexoraa.engine.ports.PiiCipher.BlindIndex;
import io.flexoraa.engine.ports.PiiCipher.FieldCipher;
import io.flexoraa.persistence.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TinkPiiCipherTest {
  private static TestDatabase db;
  private static ExecutorService blocking;
  private static Aead master;

  @TempDir static Path masterKeyDirectory;

  @BeforeAll
  static void start() throws Exception {
    MacConfig.register();
    db = TestDatabase.open();
    blocking = Executors.newFixedThreadPool(8);
    master = MasterKey.load(Optional.empty(), masterKeyDirectory).aead();
  }

  @AfterAll
  static void stop() {
    blocking.shutdownNow();
    db.close();
  }

  private static PiiCipher newCipher() {
    return new TinkPiiCipher(db.dataSource(), master, blocking, 1_000);
  }

  private static String tenant() {
    return "tenant-" + UUID.randomUUID();
  }

  private static <T> T await(CompletionStage<T> stage) {
    return stage.toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
  }

  @Test
  void encryptsAndDecryptsAField() {
    FieldCipher cipher = await(newCipher().leadCipher(tenant(), "lead-1"));

    String ciphertext = cipher.encrypt("+49 151 2345678 · Jürgen");

    assertThat(ciphertext).matches("[A-Za-z0-9_-]+").doesNotContain("Jürgen");
    assertThat(cipher.decrypt(ciphertext)).isEqualTo("+49 151 2345678 · Jürgen");
    assertThat(cipher.encrypt("same")).isNotEqualTo(cipher.encrypt("same"));
  }

  @Test
  void aCiphertextOfOneLeadDoesNotDecryptWithAnotherLeadsCipher() {
    PiiCipher pii = newCipher();
    String tenant = tenant();
    FieldCipher leadA = await(pii.leadCipher(tenant, "lead-a"));
    FieldCipher leadB = await(pii.leadCipher(tenant, "lead-b"));

    String ciphertext = leadA.encrypt("secret");

    assertThatThrownBy(() -> leadB.decrypt(ciphertext))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not produced by this lead's key");
    assertThat(db.queryLong("SELECT count(*) FROM lead_keys WHERE tenant_id = ?", tenant)).isEqualTo(2);
  }

  @Test
  void rejectsTamperedAndMalformedCiphertexts() {
    FieldCipher cipher = await(newCipher().leadCipher(tenant(), "lead-1"));
    String ciphertext = cipher.encrypt("hello");
    char[] tampered = ciphertext.toCharArray();
    int middle = tampered.length / 2;
    tampered[middle] = tampered[middle] == 'A' ? 'B' : 'A';

    assertThatThrownBy(() -> cipher.decrypt(new String(tampered))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> cipher.decrypt("not base64 at all!")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> cipher.decrypt("")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theKeyIsStoredAndServesAFreshInstance() {
    String tenant = tenant();
    String ciphertext = await(newCipher().leadCipher(tenant, "lead-1")).encrypt("kept");

    Optional<FieldCipher> reopened = await(newCipher().existingLeadCipher(tenant, "lead-1"));

    assertThat(reopened).isPresent();
    assertThat(reopened.get().decrypt(ciphertext)).isEqualTo("kept");
  }

  @Test
  void aWrongMasterKeyCannotOpenATenantsKeys() throws Exception {
    String tenant = tenant();
    await(newCipher().leadCipher(tenant, "lead-1"));
    Aead otherMaster = MasterKey.fromFile(Files.createTempDirectory(masterKeyDirectory, "other")).aead();
    PiiCipher withOtherMaster = new TinkPiiCipher(db.dataSource(), otherMaster, blocking, 100);

    assertThatThrownBy(() -> await(withOtherMaster.leadCipher(tenant, "lead-1")))
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot be decrypted with this master key");
    assertThatThrownBy(() -> await(withOtherMaster.blindIndex(tenant)))
        .cause()
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void existingLeadCipherNeverCreatesAKey() {
    String tenant = tenant();

    assertThat(await(newCipher().existingLeadCipher(tenant, "never-seen"))).isEmpty();
    assertThat(db.queryLong("SELECT count(*) FROM lead_keys WHERE tenant_id = ?", tenant)).isZero();
    assertThat(db.queryLong("SELECT count(*) FROM tenant_keys WHERE tenant_id = ?", tenant)).isZero();
  }

  @Test
  void shreddingDestroysOnlyThatLeadsKey() {
    String tenant = tenant();
    PiiCipher pii = newCipher();
    String ofA = await(pii.leadCipher(tenant, "lead-a")).encrypt("a's phone");
    String ofB = await(pii.leadCipher(tenant, "lead-b")).encrypt("b's phone");

    assertThat(await(pii.shredLead(tenant, "lead-a"))).isTrue();

    assertThat(await(pii.existingLeadCipher(tenant, "lead-a"))).isEmpty();
    assertThat(await(newCipher().existingLeadCipher(tenant, "lead-a"))).isEmpty();
    assertThat(db.queryLong("SELECT count(*) FROM lead_keys WHERE tenant_id = ? AND lead_id = ?", tenant, "lead-a"))
        .isZero();
    assertThat(await(newCipher().existingLeadCipher(tenant, "lead-b")).orElseThrow().decrypt(ofB))
        .isEqualTo("b's phone");
    assertThat(await(pii.shredLead(tenant, "lead-a"))).isFalse();
    FieldCipher recreated = await(newCipher().leadCipher(tenant, "lead-a"));
    assertThatThrownBy(() -> recreated.decrypt(ofA))
        .as("a key created after shredding is a new key: the old ciphertexts stay unreadable")
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void concurrentFirstUseFromManyThreadsAndTwoInstancesSettlesOnOneKey() throws Exception {
    String tenant = tenant();
    List<PiiCipher> instances = List.of(newCipher(), newCipher());
    int threads = 16;
    ExecutorService callers = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<FieldCipher>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        PiiCipher instance = instances.get(i % 2);
        futures.add(
            callers.submit(
                () -> {
                  go.await();
                  return await(instance.leadCipher(tenant, "racing-lead"));
                }));
      }
      go.countDown();
      List<FieldCipher> ciphers = new ArrayList<>();
      for (Future<FieldCipher> future : futures) ciphers.add(future.get(30, TimeUnit.SECONDS));

      for (int writer = 0; writer < threads; writer++) {
        String ciphertext = ciphers.get(writer).encrypt("from " + writer);
        for (FieldCipher reader : ciphers) assertThat(reader.decrypt(ciphertext)).isEqualTo("from " + writer);
      }
      assertThat(db.queryLong("SELECT count(*) FROM lead_keys WHERE tenant_id = ?", tenant)).isEqualTo(1);
      assertThat(db.queryLong("SELECT count(*) FROM tenant_keys WHERE tenant_id = ?", tenant)).isEqualTo(1);
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void blindIndexIsDeterministicPerTenantAndDiffersAcrossTenants() {
    String tenant = tenant();
    BlindIndex first = await(newCipher().blindIndex(tenant));
    BlindIndex again = await(newCipher().blindIndex(tenant));
    BlindIndex otherTenant = await(newCipher().blindIndex(tenant()));

    String digest = first.of("phone", "+4915123456789");

    assertThat(digest).matches("[0-9a-f]+");
    assertThat(again.of("phone", "+4915123456789")).isEqualTo(digest);
    assertThat(first.of("wa_id", "+4915123456789")).isNotEqualTo(digest);
    assertThat(first.of("phone", "+4915123456780")).isNotEqualTo(digest);
    assertThat(otherTenant.of("phone", "+4915123456789")).isNotEqualTo(digest);
  }

  @Test
  void masterKeyFileIsCreatedOnceAndReused(@TempDir Path directory) throws Exception {
    Aead created = MasterKey.load(Optional.empty(), directory).aead();
    Path file = directory.resolve(MasterKey.FILE_NAME);
    String contents = Files.readString(file);

    Aead reloaded = MasterKey.load(Optional.of("  "), directory).aead();

    assertThat(Files.readString(file)).isEqualTo(contents);
    byte[] sealed = created.encrypt("x".getBytes(StandardCharsets.UTF_8), new byte[0]);
    assertThat(reloaded.decrypt(sealed, new byte[0])).isEqualTo("x".getBytes(StandardCharsets.UTF_8));
    if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }
    try (var leftovers = Files.list(directory)) {
      assertThat(leftovers).containsExactly(file);
    }
  }

  @Test
  void masterKeyIsAcceptedFromConfigurationAsJsonOrBase64(@TempDir Path directory) throws Exception {
    MasterKey.fromFile(directory);
    String json = Files.readString(directory.resolve(MasterKey.FILE_NAME));
    Path elsewhere = Files.createDirectory(directory.resolve("elsewhere"));

    Aead fromJson = MasterKey.load(Optional.of(json), elsewhere).aead();
    Aead fromBase64 =
        MasterKey.load(Optional.of(Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8))),
            elsewhere).aead();
    String urlSafe = Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    Aead fromUrlBase64 = MasterKey.fromValue(urlSafe).aead();

    byte[] sealed = fromJson.encrypt("y".getBytes(StandardCharsets.UTF_8), new byte[0]);
    assertThat(fromBase64.decrypt(sealed, new byte[0])).isEqualTo("y".getBytes(StandardCharsets.UTF_8));
    assertThat(fromUrlBase64.decrypt(sealed, new byte[0])).isEqualTo("y".getBytes(StandardCharsets.UTF_8));
    try (var files = Files.list(elsewhere)) {
      assertThat(files).as("a configured key writes no key file").isEmpty();
    }
  }

  @Test
  void masterKeyGarbageIsRejectedWithoutBeingEchoed() throws Exception {
    String garbage = "s3cr3t-but-not-a-keyset!";
    String brokenJson = "{\"primaryKeyId\": s3cr3t";
    String macKeyset =
        TinkJsonProtoKeysetFormat.serializeKeyset(
            KeysetHandle.generateNew(PredefinedMacParameters.HMAC_SHA256_256BITTAG, RegistryConfiguration.get()),
            RegistryConfiguration.get(),
            InsecureSecretKeyAccess.get());

    assertThatThrownBy(() -> MasterKey.fromValue(garbage))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(MasterKey.ENVIRONMENT_VARIABLE)
        .hasMessageContaining("neither a Tink JSON keyset nor base64")
        .hasMessageNotContaining("s3cr3t")
        .hasNoCause();
    assertThatThrownBy(() -> MasterKey.fromValue(brokenJson))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not a valid Tink JSON keyset")
        .hasMessageNotContaining("s3cr3t")
        .hasNoCause();
    assertThatThrownBy(() -> MasterKey.fromValue(Base64.getEncoder().encodeToString("hello".getBytes())))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not a Tink JSON keyset");
    assertThatThrownBy(() -> MasterKey.fromValue(macKeyset))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not an AEAD one");
  }

  @Test
  void corruptMasterKeyFileIsRejectedNamingTheFileButNotItsContents(@TempDir Path directory) throws Exception {
    Files.writeString(directory.resolve(MasterKey.FILE_NAME), "s3cr3t junk");

    assertThatThrownBy(() -> MasterKey.load(Optional.empty(), directory))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(MasterKey.FILE_NAME)
        .hasMessageNotContaining("s3cr3t");
  }
}
