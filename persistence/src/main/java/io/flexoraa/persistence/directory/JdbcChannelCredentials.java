package io.flexoraa.persistence.directory;

import io.flexoraa.engine.ports.ChannelCredentials;
import io.flexoraa.persistence.Jdbc;
import io.flexoraa.persistence.LruCache;
import io.flexoraa.persistence.audit.AuditFeed;
import io.flexoraa.persistence.audit.AuditLog;
import io.flexoraa.persistence.crypto.TinkPiiCipher;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Channel access tokens in {@code channel_credentials}, encrypted under the tenant's key with the account bound in
 * (see {@link TinkPiiCipher#tenantCipher}). The sender asks for a token on every message, so decrypted tokens are
 * kept in memory for {@code cacheTtl}: short, because a token replaced on another node reaches this one only when the
 * entry expires (a replacement on this node evicts it at once). Absent tokens are not cached, so a token stored a
 * moment ago is used at once.
 */
public final class JdbcChannelCredentials implements ChannelCredentials {
  /** What the audit trail names as the subject of a stored token; the token itself is never in the trail. */
  public static final String AUDIT_ACTION = "channel-account.credentials-stored";

  private final Jdbc jdbc;
  private final TinkPiiCipher cipher;
  private final Duration cacheTtl;
  private final Clock clock;
  private final LruCache<AccountKey, Cached> cache;
  /** Bumped by every store, so that a read which began before it does not cache the replaced token. */
  private final AtomicLong replacements = new AtomicLong();

  private record AccountKey(String tenantId, String channel, String externalId) {}

  private record Cached(String token, Instant expiresAt) {}

  public JdbcChannelCredentials(Jdbc jdbc, TinkPiiCipher cipher, Duration cacheTtl, int cacheSize, Clock clock) {
    if (cacheTtl.isNegative()) throw new IllegalArgumentException("cacheTtl must not be negative, was " + cacheTtl);
    this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
    this.cipher = Objects.requireNonNull(cipher, "cipher");
    this.cacheTtl = cacheTtl;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.cache = new LruCache<>(cacheSize);
  }

  /** Stored by the engine itself; audited as {@link AuditFeed#ENGINE}. */
  @Override
  public CompletionStage<Void> store(String tenantId, String channel, String externalId, String accessToken) {
    return store(tenantId, channel, externalId, accessToken, AuditFeed.ENGINE).thenAccept(stored -> {
      if (!stored) throw new AccountNotRegistered(channel, externalId);
    });
  }

  /**
   * Stores (or replaces) the token and appends the audit entry in the same transaction, naming the account and
   * {@code actor}, never the token. False, with nothing written, when the account is not registered to the tenant.
   */
  public CompletionStage<Boolean> store(
      String tenantId, String channel, String externalId, String accessToken, String actor) {
    Objects.requireNonNull(accessToken, "accessToken");
    return cipher.tenantCipher(tenantId, context(channel, externalId)).thenCompose(fieldCipher -> {
      String encrypted = fieldCipher.encrypt(accessToken);
      // PostgreSQL keeps microseconds: truncated, the audited instant is exactly the stored one
      Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
      return jdbc.transaction(connection -> {
        int written;
        try (PreparedStatement upsert = connection.prepareStatement(
            "INSERT INTO channel_credentials (channel, external_id, tenant_id, token_enc, updated_at)"
                + " SELECT channel, external_id, tenant_id, ?, ? FROM channel_accounts"
                + " WHERE channel = ? AND external_id = ? AND tenant_id = ?"
                + " ON CONFLICT (channel, external_id) DO UPDATE"
                + " SET token_enc = EXCLUDED.token_enc, updated_at = EXCLUDED.updated_at"
                + " WHERE channel_credentials.tenant_id = EXCLUDED.tenant_id")) {
          upsert.setString(1, encrypted);
          upsert.setObject(2, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
          upsert.setString(3, channel);
          upsert.setString(4, externalId);
          upsert.setString(5, tenantId);
          written = upsert.executeUpdate();
        }
        if (written == 0) return false;
        AuditLog.append(connection, new AuditLog.NewEntry(tenantId, actor, AUDIT_ACTION, channel + ":" + externalId,
            Map.of("channel", channel, "externalId", externalId)), now);
        return true;
      });
    }).thenApply(stored -> {
      cache.invalidate(List.of(new AccountKey(tenantId, channel, externalId)), replacements);
      return stored;
    });
  }

  @Override
  public CompletionStage<Optional<String>> accessToken(String tenantId, String channel, String externalId) {
    AccountKey key = new AccountKey(tenantId, channel, externalId);
    Cached cached = cache.get(key);
    if (cached != null && clock.instant().isBefore(cached.expiresAt())) {
      return CompletableFuture.completedFuture(Optional.of(cached.token()));
    }
    long generation = replacements.get();
    return jdbc.async(connection -> {
      try (PreparedStatement select = connection.prepareStatement(
          "SELECT token_enc FROM channel_credentials WHERE channel = ? AND external_id = ? AND tenant_id = ?")) {
        select.setString(1, channel);
        select.setString(2, externalId);
        select.setString(3, tenantId);
        try (ResultSet rows = select.executeQuery()) {
          return rows.next() ? Optional.of(rows.getString(1)) : Optional.<String>empty();
        }
      }
    }).thenCompose(encrypted -> {
      if (encrypted.isEmpty()) return CompletableFuture.completedFuture(Optional.<String>empty());
      return decrypt(tenantId, channel, externalId, encrypted.get(), true).thenApply(token -> {
        cache.putUnlessChanged(key, new Cached(token, clock.instant().plus(cacheTtl)), replacements, generation);
        return Optional.of(token);
      });
    });
  }

  /**
   * A token another node encrypted after rotating the tenant's key needs the new key, which this node's cached keyset
   * may not have yet: on failure, the tenant's keys are read again, once.
   */
  private CompletionStage<String> decrypt(
      String tenantId, String channel, String externalId, String encrypted, boolean mayReload) {
    return cipher.tenantCipher(tenantId, context(channel, externalId)).thenCompose(fieldCipher -> {
      try {
        return CompletableFuture.completedFuture(fieldCipher.decrypt(encrypted));
      } catch (IllegalArgumentException stale) {
        if (!mayReload) {
          throw new IllegalStateException(
              "The access token of " + channel + " account " + externalId + " cannot be decrypted with its tenant's key");
        }
        cipher.forgetTenant(tenantId);
        return decrypt(tenantId, channel, externalId, encrypted, false);
      }
    });
  }

  private static String context(String channel, String externalId) {
    return "channel-credential/" + channel + "/" + externalId;
  }
}
