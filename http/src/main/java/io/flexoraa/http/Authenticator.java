package io.flexoraa.http;

import io.flexoraa.engine.access.Role;
import io.flexoraa.engine.tenant.Tenant;
import io.flexoraa.engine.tenant.TenantEntity;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * Bearer credentials: the operator key (from the environment or the data directory) sees everything; a tenant API
 * key, shaped {@code flx.<tenantId>.<keyId>.<secret>}, acts with its role on its tenant only; anything else is taken
 * for a person's access token and checked by {@link UserTokens}. Tenant keys are checked against the
 * tenant entity (which keeps only their SHA-256) and the answer is cached briefly so a busy client costs no ask.
 */
public final class Authenticator {
  /** Checks a signed-in person's access token (JWT) and its session; empty when invalid, expired or idle too long. */
  @FunctionalInterface
  public interface UserTokens {
    CompletionStage<Optional<Principal>> authenticate(String token);
  }

  private record Cached(Optional<Principal> principal, long expiresAtNanos) {}

  private final String operatorKey;
  private final ClusterSharding sharding;
  private final Duration askTimeout;
  private final long cacheTtlNanos;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  private final UserTokens userTokens;

  public Authenticator(
      String operatorKey, ActorSystem<?> system, Duration askTimeout, Duration cacheTtl, UserTokens userTokens) {
    this.operatorKey = operatorKey;
    this.userTokens = userTokens;
    this.sharding = ClusterSharding.get(system);
    this.askTimeout = askTimeout;
    this.cacheTtlNanos = cacheTtl.toNanos();
  }

  public static String newKey(String tenantId, String keyId, String secret) {
    return "flx." + tenantId + "." + keyId + "." + secret;
  }

  public CompletionStage<Optional<Principal>> authenticate(String bearer) {
    if (bearer == null || bearer.isEmpty()) return CompletableFuture.completedFuture(Optional.empty());
    if (Secrets.constantTimeEquals(bearer, operatorKey)) {
      return CompletableFuture.completedFuture(Optional.of(new Principal.Operator()));
    }
    if (!bearer.startsWith("flx.")) return userTokens.authenticate(bearer);
    String[] parts = bearer.split("\\.", 4);
    if (parts.length != 4) return CompletableFuture.completedFuture(Optional.empty());
    String digest = Secrets.sha256Hex(bearer);
    Cached cached = cache.get(digest);
    if (cached != null && cached.expiresAtNanos() > System.nanoTime()) {
      return CompletableFuture.completedFuture(cached.principal());
    }
    String tenantId = parts[1];
    String keyId = parts[2];
    String secretHash = Secrets.sha256Hex(parts[3]);
    return sharding
        .entityRefFor(TenantEntity.TYPE_KEY, tenantId)
        .<Tenant.AuthenticationResult>ask(replyTo -> new Tenant.Authenticate(keyId, secretHash, replyTo), askTimeout)
        .thenApply(result -> {
          Optional<Principal> principal = result.authenticated()
              ? Role.parse(result.role()).map(role -> (Principal) new Principal.ApiKey(tenantId, keyId, role))
              : Optional.empty();
          if (cache.size() > 100_000) cache.clear();
          cache.put(digest, new Cached(principal, System.nanoTime() + cacheTtlNanos));
          return principal;
        });
  }

  /** A revoked key must stop working on this node at once, not after the cache expires. */
  public void forgetKeysOf(String tenantId, String keyId) {
    cache.values().removeIf(entry -> entry.principal()
        .filter(principal -> principal instanceof Principal.ApiKey key && key.tenantId().equals(tenantId) && key.keyId().equals(keyId))
        .isPresent());
  }
}
