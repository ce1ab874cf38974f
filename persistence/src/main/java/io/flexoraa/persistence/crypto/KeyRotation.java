package io.flexoraa.persistence.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.typesafe.config.Config;
import io.flexoraa.persistence.audit.AuditLog;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rotation of tenant keys (PRODUCT §9: every 90 days, without downtime). A rotation adds a fresh AES-256-GCM key to
 * the tenant's AEAD keyset, makes it the primary and keeps every older key enabled, so all lead keys wrapped before
 * stay readable at every moment, on every node, whatever their caches hold. It then re-wraps the tenant's lead keys
 * under the new primary in small transactions. The lead keys themselves (the data keys) do not change, so no event
 * or read model ciphertext has to be touched.
 *
 * <p>The tenant's MAC keyset is deliberately not rotated: lead_identities stores HMACs of phone numbers and WhatsApp
 * ids under it, and look-ups recompute the HMAC of the incoming identifier. A new MAC key gives a different digest
 * for the same phone, so existing leads would no longer be found (each old contact's next message would start a
 * duplicate lead), and re-indexing would need the identifiers in clear text, which are never stored.
 *
 * <p>Two nodes rotating one tenant at the same moment are serialised by the row lock on tenant_keys: each adds its
 * own key on top of the other's, both succeed, and no key is ever removed. Re-wrapping only ever moves a lead key to
 * a higher version, so the two re-wrap passes cannot undo each other.
 */
public final class KeyRotation {
  private static final Logger log = LoggerFactory.getLogger(KeyRotation.class);

  private final TinkPiiCipher cipher;
  private final DataSource dataSource;
  private final Aead master;
  private final int rewrapBatchSize;
  private final Clock clock;

  /** One rotation as it should be audited. {@code at} is when the new key became the primary. */
  public record Rotation(String tenantId, int newVersion, Instant at, long leadKeysRewrapped) {}

  /** The {@code flexoraa.crypto} tunables of rotation. */
  public record Settings(Duration rotationInterval, int rewrapBatchSize, Duration rotationCheckInterval) {
    public Settings {
      if (rotationInterval.isNegative() || rotationInterval.isZero()) {
        throw new IllegalArgumentException("tenant-key-rotation-interval must be positive, was " + rotationInterval);
      }
      if (rewrapBatchSize < 1) {
        throw new IllegalArgumentException("rewrap-batch-size must be positive, was " + rewrapBatchSize);
      }
      if (rotationCheckInterval.isNegative() || rotationCheckInterval.isZero()) {
        throw new IllegalArgumentException("rotation-check-interval must be positive, was " + rotationCheckInterval);
      }
    }

    public static Settings fromConfig(Config config) {
      Config crypto = config.getConfig("flexoraa.crypto");
      return new Settings(
          crypto.getDuration("tenant-key-rotation-interval"),
          crypto.getInt("rewrap-batch-size"),
          crypto.getDuration("rotation-check-interval"));
    }
  }

  /**
   * Shares the cipher's database, master key and blocking executor, and evicts the rotated tenant from the cipher's
   * cache; other nodes learn of the rotation from whoever calls this (see the http module's KeyEventsBroadcast).
   */
  /** The actor the audit trail names for rotations the periodic job does. */
  public static final String SCHEDULE = "key-rotation-schedule";

  public KeyRotation(TinkPiiCipher cipher, int rewrapBatchSize, Clock clock) {
    if (rewrapBatchSize < 1) {
      throw new IllegalArgumentException("rewrapBatchSize must be positive, was " + rewrapBatchSize);
    }
    this.cipher = Objects.requireNonNull(cipher, "cipher");
    this.dataSource = cipher.dataSource();
    this.master = cipher.master();
    this.rewrapBatchSize = rewrapBatchSize;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Rotates now, whenever the last rotation was. Fails with {@link IllegalArgumentException} when the tenant has no
   * keys yet (they are created with its first lead, already fresh).
   */
  public CompletionStage<Rotation> rotateTenantKey(String tenantId) {
    return rotateTenantKey(tenantId, SCHEDULE);
  }

  /** As {@link #rotateTenantKey(String)}, audited as done by {@code actor} (a user, a key, the operator). */
  public CompletionStage<Rotation> rotateTenantKey(String tenantId, String actor) {
    return CompletableFuture.supplyAsync(
        () -> rotate(tenantId, Optional.empty(), actor).orElseThrow(), cipher.blockingExecutor());
  }

  /**
   * Rotates only if the key is still older than {@code maxAge} once its row is locked; empty otherwise. This is what
   * a periodic job on every node calls, so that nodes which saw the same tenant due rotate it once, not once each.
   */
  public CompletionStage<Optional<Rotation>> rotateTenantKeyIfDue(String tenantId, Duration maxAge) {
    Objects.requireNonNull(maxAge, "maxAge");
    return CompletableFuture.supplyAsync(() -> rotate(tenantId, Optional.of(maxAge), SCHEDULE), cipher.blockingExecutor());
  }

  /** What an administrator sees of a tenant's key: its version and when it was made and last rotated. */
  public record KeyStatus(String tenantId, int keyVersion, Instant createdAt, Instant rotatedAt) {}

  /** Empty when the tenant has no keys yet (they are made with its first lead). */
  public CompletionStage<Optional<KeyStatus>> status(String tenantId) {
    return CompletableFuture.supplyAsync(() -> {
      try (Connection connection = dataSource.getConnection();
          PreparedStatement select = connection.prepareStatement(
              "SELECT key_version, created_at, rotated_at FROM tenant_keys WHERE tenant_id = ?")) {
        select.setString(1, tenantId);
        try (ResultSet rows = select.executeQuery()) {
          if (!rows.next()) return Optional.<KeyStatus>empty();
          OffsetDateTime rotated = rows.getObject(3, OffsetDateTime.class);
          return Optional.of(new KeyStatus(tenantId, rows.getInt(1), rows.getObject(2, OffsetDateTime.class).toInstant(),
              rotated == null ? null : rotated.toInstant()));
        }
      } catch (SQLException e) {
        throw new IllegalStateException("Could not read the key status of tenant " + tenantId, e);
      }
    }, cipher.blockingExecutor());
  }

  /**
   * Tenants whose key was last rotated (or, if never rotated, created) {@code maxAge} or longer before {@code now},
   * oldest first, at most {@code limit}.
   */
  public CompletionStage<List<String>> tenantsDueForRotation(Duration maxAge, Instant now, int limit) {
    if (limit < 1) throw new IllegalArgumentException("limit must be positive, was " + limit);
    OffsetDateTime cutoff = OffsetDateTime.ofInstant(now.minus(maxAge), ZoneOffset.UTC);
    return CompletableFuture.supplyAsync(
        () -> {
          try (Connection connection = dataSource.getConnection();
              PreparedStatement select =
                  connection.prepareStatement(
                      "SELECT tenant_id FROM tenant_keys WHERE coalesce(rotated_at, created_at) <= ?"
                          + " ORDER BY coalesce(rotated_at, created_at), tenant_id LIMIT ?")) {
            select.setObject(1, cutoff);
            select.setInt(2, limit);
            List<String> due = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) due.add(rows.getString(1));
            }
            return due;
          } catch (SQLException e) {
            throw new IllegalStateException("Could not list the tenants due for key rotation", e);
          }
        },
        cipher.blockingExecutor());
  }

  private Optional<Rotation> rotate(String tenantId, Optional<Duration> onlyIfOlderThan, String actor) {
    Optional<NewPrimary> rotated = addPrimaryKey(tenantId, onlyIfOlderThan, actor);
    if (rotated.isEmpty()) return Optional.empty();
    NewPrimary primary = rotated.get();
    // This node's next use reads the new keyset; until then the cached one still opens everything it opened before.
    cipher.forgetTenant(tenantId);
    long rewrapped = rewrapLeadKeys(tenantId, primary.version(), primary.aead());
    Rotation rotation = new Rotation(tenantId, primary.version(), primary.at(), rewrapped);
    log.info(
        "Rotated the key of tenant {} to version {} at {}; re-wrapped {} lead keys",
        tenantId, rotation.newVersion(), rotation.at(), rotation.leadKeysRewrapped());
    return Optional.of(rotation);
  }

  /** The only step under the tenant's row lock: one read, one key generation, one update. */
  private Optional<NewPrimary> addPrimaryKey(String tenantId, Optional<Duration> onlyIfOlderThan, String actor) {
    byte[] associatedData = TinkPiiCipher.tenantAssociatedData(tenantId);
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        // PostgreSQL keeps microseconds: truncated, the audited instant is exactly the stored one.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        byte[] wrapped;
        try (PreparedStatement select =
            connection.prepareStatement(
                "SELECT aead_keyset, coalesce(rotated_at, created_at) FROM tenant_keys WHERE tenant_id = ?"
                    + " FOR UPDATE")) {
          select.setString(1, tenantId);
          try (ResultSet rows = select.executeQuery()) {
            if (!rows.next()) throw new IllegalArgumentException("Tenant " + tenantId + " has no keys to rotate");
            wrapped = rows.getBytes(1);
            Instant lastRotation = rows.getObject(2, OffsetDateTime.class).toInstant();
            if (onlyIfOlderThan.isPresent() && lastRotation.isAfter(now.minus(onlyIfOlderThan.get()))) {
              connection.rollback();
              return Optional.empty();
            }
          }
        }
        KeysetHandle current;
        try {
          current = TinkPiiCipher.unwrap(wrapped, master, associatedData);
        } catch (GeneralSecurityException e) {
          throw TinkPiiCipher.wrongMasterKey(tenantId);
        }
        KeysetHandle next = withNewPrimary(current);
        Aead nextAead = next.getPrimitive(RegistryConfiguration.get(), Aead.class);
        int version;
        try (PreparedStatement update =
            connection.prepareStatement(
                "UPDATE tenant_keys SET aead_keyset = ?, key_version = key_version + 1, rotated_at = ?"
                    + " WHERE tenant_id = ? RETURNING key_version")) {
          update.setBytes(1, TinkPiiCipher.wrap(next, master, associatedData));
          update.setObject(2, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
          update.setString(3, tenantId);
          try (ResultSet rows = update.executeQuery()) {
            rows.next();
            version = rows.getInt(1);
          }
        }
        // audited in the rotation's own transaction: there is no rotation without its entry, nor the reverse
        AuditLog.append(connection, new AuditLog.NewEntry(tenantId, actor, "key.rotated", "tenant-key",
            java.util.Map.of("keyVersion", version)), now);
        connection.commit();
        return Optional.of(new NewPrimary(version, now, nextAead));
      } catch (SQLException | GeneralSecurityException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    } catch (SQLException | GeneralSecurityException e) {
      throw new IllegalStateException("Could not rotate the key of tenant " + tenantId, e);
    }
  }

  /** The old keys stay as they are (enabled), so ciphertexts under them keep decrypting; only the primary moves. */
  private static KeysetHandle withNewPrimary(KeysetHandle current) throws GeneralSecurityException {
    return KeysetHandle.newBuilder(current)
        .addEntry(
            KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM).withRandomId().makePrimary())
        .build();
  }

  /**
   * Moves the tenant's lead keys below {@code version} to the new primary, a batch per transaction so that no lock is
   * held for long: readers never wait (plain SELECTs do not block on row locks), a shred waits for one batch at most.
   * The batch's rows are locked FOR UPDATE between reading and writing them, so a lead shredded meanwhile stays
   * shredded instead of being written back. A lead key created during the pass by a node still caching the previous
   * keyset is wrapped under an older (still enabled) key and is left for the next rotation; that is safe, just not
   * re-wrapped yet. Returns how many lead keys were re-wrapped.
   */
  private long rewrapLeadKeys(String tenantId, int version, Aead tenantAead) {
    String after = null;
    long rewrapped = 0;
    while (true) {
      Batch batch = rewrapBatch(tenantId, version, tenantAead, after);
      // With LIMIT and FOR UPDATE, rows changed by a concurrent rotation can drop out of a batch, so a short batch
      // does not mean the end; only an empty one does.
      if (batch.lastLeadId() == null) return rewrapped;
      rewrapped += batch.rewrapped();
      after = batch.lastLeadId();
    }
  }

  private Batch rewrapBatch(String tenantId, int version, Aead tenantAead, String after) {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        String lastLeadId = null;
        int rewrapped = 0;
        try (PreparedStatement select =
                connection.prepareStatement(
                    "SELECT lead_id, keyset FROM lead_keys WHERE tenant_id = ? AND wrapped_by_version < ?"
                        + (after == null ? "" : " AND lead_id > ?")
                        + " ORDER BY lead_id LIMIT ? FOR UPDATE");
            PreparedStatement update =
                connection.prepareStatement(
                    "UPDATE lead_keys SET keyset = ?, wrapped_by_version = ? WHERE tenant_id = ? AND lead_id = ?")) {
          int parameter = 1;
          select.setString(parameter++, tenantId);
          select.setInt(parameter++, version);
          if (after != null) select.setString(parameter++, after);
          select.setInt(parameter, rewrapBatchSize);
          try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
              String leadId = rows.getString(1);
              lastLeadId = leadId;
              Optional<byte[]> rewrappedKeyset = rewrap(tenantId, leadId, rows.getBytes(2), tenantAead);
              if (rewrappedKeyset.isEmpty()) continue;
              update.setBytes(1, rewrappedKeyset.get());
              update.setInt(2, version);
              update.setString(3, tenantId);
              update.setString(4, leadId);
              update.addBatch();
              rewrapped++;
            }
          }
          if (rewrapped > 0) update.executeBatch();
        }
        connection.commit();
        return new Batch(lastLeadId, rewrapped);
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Could not re-wrap the lead keys of tenant " + tenantId, e);
    }
  }

  /**
   * The same data key, encrypted again under the tenant's new primary. A lead key the tenant keyset cannot open is
   * logged and left alone: it was unreadable before the rotation too, and one such row must not stop the others.
   */
  private static Optional<byte[]> rewrap(String tenantId, String leadId, byte[] wrapped, Aead tenantAead) {
    byte[] associatedData = TinkPiiCipher.leadAssociatedData(tenantId, leadId);
    KeysetHandle dataKey;
    try {
      dataKey = TinkPiiCipher.unwrap(wrapped, tenantAead, associatedData);
    } catch (GeneralSecurityException e) {
      log.error(
          "The key of lead {} of tenant {} cannot be opened with its tenant's keys; left as it is", leadId, tenantId);
      return Optional.empty();
    }
    return Optional.of(TinkPiiCipher.wrap(dataKey, tenantAead, associatedData));
  }

  private record NewPrimary(int version, Instant at, Aead aead) {}

  /** {@code lastLeadId} is null when the batch found no rows: the pass is complete. */
  private record Batch(String lastLeadId, int rewrapped) {}
}
