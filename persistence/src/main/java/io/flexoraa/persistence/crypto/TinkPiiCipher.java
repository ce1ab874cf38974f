package io.flexoraa.persistence.crypto;

import io.flexoraa.persistence.LruCache;
import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.Mac;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.google.crypto.tink.mac.MacConfig;
import com.google.crypto.tink.mac.PredefinedMacParameters;
import io.flexoraa.engine.ports.PiiCipher;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * Envelope encryption on Tink: master key → tenant keys (table {@code tenant_keys}) → one data key per lead (table
 * {@code lead_keys}). Keys are created on first use with INSERT ... ON CONFLICT DO NOTHING followed by reading back
 * whichever row won, so threads and processes racing on a new lead all end up with the one stored key.
 *
 * <p>After first use everything is served from bounded caches holding already-completed stages, so the hot path does
 * no SQL and allocates little more than the lookup key.
 *
 * <p>Several nodes share the tables, each with its own caches. A tenant key rotated by another node ({@link
 * KeyRotation}) only adds keys, so a node's cached tenant keys stay good for everything they were good for; the one
 * thing they cannot open is a lead key wrapped under the newer primary, and that failure reloads the tenant keys once
 * and retries. Shredding and rotation on another node reach this one through {@link #forgetLead} and {@link
 * #forgetTenant}.
 */
public final class TinkPiiCipher implements PiiCipher {
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
  private static final HexFormat HEX = HexFormat.of();

  static {
    try {
      AeadConfig.register();
      MacConfig.register();
    } catch (GeneralSecurityException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final DataSource dataSource;
  private final Aead master;
  private final Executor blockingExecutor;
  private final LruCache<String, TenantKeys> tenants;
  private final LruCache<LeadId, LeadEntry> leads;
  /** Bumped by every shred so that a load which started before it does not put the destroyed key back in cache. */
  private final AtomicLong shreds = new AtomicLong();
  /** Bumped by every forgetTenant so that a load which read the keyset before it does not cache that keyset again. */
  private final AtomicLong tenantForgets = new AtomicLong();

  public TinkPiiCipher(DataSource dataSource, Aead master, Executor blockingExecutor, int cacheSize) {
    if (cacheSize < 1) throw new IllegalArgumentException("cacheSize must be positive, was " + cacheSize);
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.master = Objects.requireNonNull(master, "master");
    this.blockingExecutor = Objects.requireNonNull(blockingExecutor, "blockingExecutor");
    this.tenants = new LruCache<>(cacheSize);
    this.leads = new LruCache<>(cacheSize);
  }

  @Override
  public CompletionStage<FieldCipher> leadCipher(String tenantId, String leadId) {
    LeadEntry cached = leads.get(new LeadId(tenantId, leadId));
    if (cached != null) return cached.cipherStage();
    long generation = shreds.get();
    return CompletableFuture.supplyAsync(
        () -> loadLead(tenantId, leadId, true, generation).orElseThrow().cipher(), blockingExecutor);
  }

  @Override
  public CompletionStage<Optional<FieldCipher>> existingLeadCipher(String tenantId, String leadId) {
    LeadEntry cached = leads.get(new LeadId(tenantId, leadId));
    if (cached != null) return cached.existingStage();
    long generation = shreds.get();
    return CompletableFuture.supplyAsync(
        () -> loadLead(tenantId, leadId, false, generation).map(LeadEntry::cipher), blockingExecutor);
  }

  @Override
  public CompletionStage<BlindIndex> blindIndex(String tenantId) {
    TenantKeys cached = tenants.get(tenantId);
    if (cached != null) return cached.blindIndexStage();
    return CompletableFuture.supplyAsync(
        () -> {
          try (Connection connection = dataSource.getConnection()) {
            return tenantKeys(connection, tenantId, true).blindIndex();
          } catch (SQLException e) {
            throw new IllegalStateException("Could not load the keys of tenant " + tenantId, e);
          }
        },
        blockingExecutor);
  }

  /**
   * A cipher directly under the tenant's key, for the tenant's own secrets (a channel account's access token) rather
   * than a person's data: no lead key sits between, because such a secret must survive any lead's erasure.
   * {@code context} (for example "channel-credential/whatsapp/1234") is bound into every ciphertext with the tenant
   * id, so a value copied to another row or tenant does not decrypt. Creates the tenant's keys on first use. A key
   * rotation keeps older keys enabled, so what this encrypted stays readable; after another node rotated, a cipher
   * from this node's cache cannot open what that node encrypted under the new key until {@link #forgetTenant}.
   */
  public CompletionStage<FieldCipher> tenantCipher(String tenantId, String context) {
    Objects.requireNonNull(context, "context");
    byte[] associatedData = ("tenant-secret/" + tenantId + "/" + context).getBytes(StandardCharsets.UTF_8);
    TenantKeys cached = tenants.get(tenantId);
    if (cached != null) return CompletableFuture.completedFuture(new AeadFieldCipher(cached.aead(), associatedData));
    return CompletableFuture.supplyAsync(
        () -> {
          try (Connection connection = dataSource.getConnection()) {
            return new AeadFieldCipher(tenantKeys(connection, tenantId, true).aead(), associatedData);
          } catch (SQLException e) {
            throw new IllegalStateException("Could not load the keys of tenant " + tenantId, e);
          }
        },
        blockingExecutor);
  }

  @Override
  public CompletionStage<Boolean> shredLead(String tenantId, String leadId) {
    return CompletableFuture.supplyAsync(
        () -> {
          int deleted;
          try (Connection connection = dataSource.getConnection();
              PreparedStatement delete =
                  connection.prepareStatement("DELETE FROM lead_keys WHERE tenant_id = ? AND lead_id = ?")) {
            delete.setString(1, tenantId);
            delete.setString(2, leadId);
            deleted = delete.executeUpdate();
          } catch (SQLException e) {
            throw new IllegalStateException("Could not shred lead " + leadId + " of tenant " + tenantId, e);
          }
          forgetLead(tenantId, leadId);
          return deleted > 0;
        },
        blockingExecutor);
  }

  /**
   * Drops this node's cached key of the lead, for when another node has shredded it. Like a shred here, it also stops
   * a load that is in flight from putting the key back.
   */
  public void forgetLead(String tenantId, String leadId) {
    leads.invalidate(List.of(new LeadId(tenantId, leadId)), shreds);
  }

  /**
   * Drops this node's cached keys of the tenant, for when another node has rotated them, so the next use reads the
   * current keyset. A load that read the table before this call does not put what it read back in cache.
   */
  public void forgetTenant(String tenantId) {
    tenants.invalidate(List.of(tenantId), tenantForgets);
  }

  private Optional<LeadEntry> loadLead(String tenantId, String leadId, boolean create, long generation) {
    byte[] associatedData = leadAssociatedData(tenantId, leadId);
    try (Connection connection = dataSource.getConnection()) {
      byte[] wrapped = selectLeadKeyset(connection, tenantId, leadId);
      if (wrapped == null && !create) return Optional.empty();
      TenantKeys cachedTenant = tenants.get(tenantId);
      TenantKeys tenant = cachedTenant != null ? cachedTenant : loadTenantKeys(connection, tenantId, create);
      if (wrapped == null) {
        byte[] fresh = wrap(newKeyset(PredefinedAeadParameters.AES256_GCM), tenant.aead(), associatedData);
        insertLeadKeyset(connection, tenantId, leadId, fresh, tenant.version());
        wrapped = selectLeadKeyset(connection, tenantId, leadId);
        if (wrapped == null) {
          throw new IllegalStateException(
              "Lead " + leadId + " of tenant " + tenantId + " was shredded while its key was being created");
        }
      }
      Optional<LeadEntry> entry = openLead(tenant, wrapped, associatedData);
      if (entry.isEmpty() && cachedTenant != null) {
        // Another node rotated the tenant key and wrapped this lead key under the new primary, which the cached
        // keyset does not have yet: read the tenant keys again, once.
        entry = openLead(loadTenantKeys(connection, tenantId, false), wrapped, associatedData);
      }
      if (entry.isEmpty()) {
        throw new IllegalStateException(
            "The key of lead " + leadId + " of tenant " + tenantId + " cannot be decrypted with its tenant's key");
      }
      leads.putUnlessChanged(new LeadId(tenantId, leadId), entry.get(), shreds, generation);
      return entry;
    } catch (SQLException e) {
      throw new IllegalStateException("Could not load the key of lead " + leadId + " of tenant " + tenantId, e);
    }
  }

  /** Empty when the tenant keyset cannot open the lead key, so that the caller can decide whether to reload. */
  private static Optional<LeadEntry> openLead(TenantKeys tenant, byte[] wrapped, byte[] associatedData) {
    Aead aead;
    try {
      aead = unwrap(wrapped, tenant.aead(), associatedData).getPrimitive(RegistryConfiguration.get(), Aead.class);
    } catch (GeneralSecurityException e) {
      return Optional.empty();
    }
    AeadFieldCipher cipher = new AeadFieldCipher(aead, associatedData);
    return Optional.of(new LeadEntry(
        cipher, CompletableFuture.completedStage(cipher), CompletableFuture.completedStage(Optional.of(cipher))));
  }

  private TenantKeys tenantKeys(Connection connection, String tenantId, boolean create) throws SQLException {
    TenantKeys cached = tenants.get(tenantId);
    return cached != null ? cached : loadTenantKeys(connection, tenantId, create);
  }

  /** Reads the tenant keys from the table, creating them when asked, and caches them. */
  private TenantKeys loadTenantKeys(Connection connection, String tenantId, boolean create) throws SQLException {
    long generation = tenantForgets.get();
    byte[] associatedData = tenantAssociatedData(tenantId);
    StoredTenantKeys stored = selectTenantKeysets(connection, tenantId);
    if (stored == null) {
      if (!create) {
        throw new IllegalStateException("Tenant " + tenantId + " has lead keys but no tenant keys");
      }
      insertTenantKeysets(
          connection,
          tenantId,
          wrap(newKeyset(PredefinedAeadParameters.AES256_GCM), master, associatedData),
          wrap(newKeyset(PredefinedMacParameters.HMAC_SHA256_256BITTAG), master, associatedData));
      stored = selectTenantKeysets(connection, tenantId);
      if (stored == null) throw new IllegalStateException("The keys of tenant " + tenantId + " vanished");
    }
    TenantKeys keys;
    try {
      Aead aead =
          unwrap(stored.aead(), master, associatedData).getPrimitive(RegistryConfiguration.get(), Aead.class);
      Mac mac = unwrap(stored.mac(), master, associatedData).getPrimitive(RegistryConfiguration.get(), Mac.class);
      BlindIndex blindIndex = new TenantBlindIndex(mac);
      keys = new TenantKeys(aead, stored.version(), blindIndex, CompletableFuture.completedStage(blindIndex));
    } catch (GeneralSecurityException e) {
      throw wrongMasterKey(tenantId);
    }
    tenants.putUnlessChanged(tenantId, keys, tenantForgets, generation);
    return keys;
  }

  static IllegalStateException wrongMasterKey(String tenantId) {
    return new IllegalStateException(
        "The keys of tenant " + tenantId + " cannot be decrypted with this master key: is "
            + MasterKey.ENVIRONMENT_VARIABLE + " (or " + MasterKey.FILE_NAME
            + ") the key this database was created with?");
  }

  DataSource dataSource() {
    return dataSource;
  }

  Aead master() {
    return master;
  }

  Executor blockingExecutor() {
    return blockingExecutor;
  }

  /** What the tenant keysets are bound to under the master key, so a row copied to another tenant does not open. */
  static byte[] tenantAssociatedData(String tenantId) {
    return tenantId.getBytes(StandardCharsets.UTF_8);
  }

  /** What a lead keyset and its field ciphertexts are bound to. */
  static byte[] leadAssociatedData(String tenantId, String leadId) {
    return (tenantId + "/" + leadId).getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] selectLeadKeyset(Connection connection, String tenantId, String leadId) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement("SELECT keyset FROM lead_keys WHERE tenant_id = ? AND lead_id = ?")) {
      select.setString(1, tenantId);
      select.setString(2, leadId);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? rows.getBytes(1) : null;
      }
    }
  }

  /** {@code wrappedByVersion}: the version of the tenant keyset used, which may trail the table's after a rotation. */
  private static void insertLeadKeyset(
      Connection connection, String tenantId, String leadId, byte[] keyset, int wrappedByVersion)
      throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO lead_keys (tenant_id, lead_id, keyset, wrapped_by_version) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT DO NOTHING")) {
      insert.setString(1, tenantId);
      insert.setString(2, leadId);
      insert.setBytes(3, keyset);
      insert.setInt(4, wrappedByVersion);
      insert.executeUpdate();
    }
  }

  private static StoredTenantKeys selectTenantKeysets(Connection connection, String tenantId) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT aead_keyset, mac_keyset, key_version FROM tenant_keys WHERE tenant_id = ?")) {
      select.setString(1, tenantId);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? new StoredTenantKeys(rows.getBytes(1), rows.getBytes(2), rows.getInt(3)) : null;
      }
    }
  }

  private static void insertTenantKeysets(Connection connection, String tenantId, byte[] aead, byte[] mac)
      throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO tenant_keys (tenant_id, aead_keyset, mac_keyset) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
      insert.setString(1, tenantId);
      insert.setBytes(2, aead);
      insert.setBytes(3, mac);
      insert.executeUpdate();
    }
  }

  static KeysetHandle newKeyset(com.google.crypto.tink.Parameters parameters) {
    try {
      return KeysetHandle.generateNew(parameters, RegistryConfiguration.get());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Could not generate a key", e);
    }
  }

  static byte[] wrap(KeysetHandle keyset, Aead wrappingKey, byte[] associatedData) {
    try {
      return TinkProtoKeysetFormat.serializeEncryptedKeyset(
          keyset, wrappingKey, associatedData, RegistryConfiguration.get());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Could not encrypt a key", e);
    }
  }

  static KeysetHandle unwrap(byte[] wrapped, Aead wrappingKey, byte[] associatedData)
      throws GeneralSecurityException {
    return TinkProtoKeysetFormat.parseEncryptedKeyset(
        wrapped, wrappingKey, associatedData, RegistryConfiguration.get());
  }

  private record LeadId(String tenantId, String leadId) {}

  /** {@code version} is the key_version the AEAD keyset was read at; new lead keys record it as their wrapper. */
  private record TenantKeys(
      Aead aead, int version, BlindIndex blindIndex, CompletionStage<BlindIndex> blindIndexStage) {}

  private record StoredTenantKeys(byte[] aead, byte[] mac, int version) {}

  /** The stages are built once so that cache hits hand out the same completed, caller-proof objects every time. */
  private record LeadEntry(
      FieldCipher cipher,
      CompletionStage<FieldCipher> cipherStage,
      CompletionStage<Optional<FieldCipher>> existingStage) {}

  private static final class AeadFieldCipher implements FieldCipher {
    private final Aead aead;
    /**
     * Binds each ciphertext to its lead (or a tenant secret to its place), so a field copied onto another lead's
     * event does not decrypt there.
     */
    private final byte[] associatedData;

    AeadFieldCipher(Aead aead, byte[] associatedData) {
      this.aead = aead;
      this.associatedData = associatedData;
    }

    @Override
    public String encrypt(String plaintext) {
      Objects.requireNonNull(plaintext, "plaintext");
      try {
        return ENCODER.encodeToString(aead.encrypt(plaintext.getBytes(StandardCharsets.UTF_8), associatedData));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("Encryption failed", e);
      }
    }

    /** Failures carry no cause: Tink's exception adds nothing, and a bad ciphertext is an input error, not a bug. */
    @Override
    public String decrypt(String ciphertext) {
      Objects.requireNonNull(ciphertext, "ciphertext");
      byte[] bytes;
      try {
        bytes = DECODER.decode(ciphertext);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("Ciphertext is not URL-safe base64");
      }
      try {
        return new String(aead.decrypt(bytes, associatedData), StandardCharsets.UTF_8);
      } catch (GeneralSecurityException e) {
        throw new IllegalArgumentException("Ciphertext was not produced by this lead's key or was altered");
      }
    }
  }

  private static final class TenantBlindIndex implements BlindIndex {
    private final Mac mac;

    TenantBlindIndex(Mac mac) {
      this.mac = mac;
    }

    @Override
    public String of(String kind, String value) {
      try {
        return HEX.formatHex(mac.computeMac((kind + ":" + value).getBytes(StandardCharsets.UTF_8)));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("Could not compute a blind index", e);
      }
    }
  }
}
