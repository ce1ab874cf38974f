package io.flexoraa.engine.tenant;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.flexoraa.engine.CborSerializable;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;

/**
 * A tenant (a business using the product): its profile and its API keys. Keys are stored only as SHA-256 of
 * their high-entropy secret, so a leaked journal does not leak working keys. The token economy, limits and SDR
 * roster will join this state; the decisions here are pure and clock-injected.
 */
public record Tenant(
    String tenantId, String name, String plan, String defaultRegion, Instant createdAt, Map<String, ApiKey> apiKeys)
    implements CborSerializable {

  public Tenant {
    apiKeys = Map.copyOf(apiKeys == null ? Map.of() : apiKeys);
  }

  public static Tenant empty() {
    return new Tenant(null, null, null, null, null, Map.of());
  }

  public boolean exists() {
    return tenantId != null;
  }

  /** {@code role} is the display name of an {@link io.flexoraa.engine.access.Role}. */
  public record ApiKey(String keyId, String name, String role, String secretHash, Instant createdAt, Instant revokedAt)
      implements CborSerializable {
    boolean active() {
      return revokedAt == null;
    }

    public KeyView view() {
      return new KeyView(keyId, name, role, createdAt, revokedAt);
    }
  }

  /** What the API lists of a key: never its hash. */
  public record KeyView(String id, String name, String role, Instant createdAt, Instant revokedAt)
      implements CborSerializable {}

  /** What the API shows of a tenant. */
  public record View(String id, String name, String plan, String defaultRegion, Instant createdAt)
      implements CborSerializable {}

  public View view() {
    return new View(tenantId, name, plan, defaultRegion, createdAt);
  }

  // ---- commands ----
  public sealed interface Command extends CborSerializable {}

  public record Create(String tenantId, String name, String plan, String defaultRegion, ActorRef<StatusReply<View>> replyTo)
      implements Command {}

  public record Get(ActorRef<Lookup> replyTo) implements Command {}

  public record CreateApiKey(
      String keyId, String name, String role, String secretHash, String actor, ActorRef<StatusReply<Done>> replyTo)
      implements Command {}

  public record RevokeApiKey(String keyId, String actor, ActorRef<StatusReply<Done>> replyTo) implements Command {}

  public record ListApiKeys(ActorRef<ApiKeys> replyTo) implements Command {}

  public record Authenticate(String keyId, String secretHash, ActorRef<AuthenticationResult> replyTo)
      implements Command {}

  // ---- replies ----
  /** {@code tenant} is null when no such tenant exists. */
  public record Lookup(View tenant) implements CborSerializable {}

  /** {@code role} is null when not authenticated. */
  public record AuthenticationResult(boolean authenticated, String role) implements CborSerializable {}

  public record ApiKeys(java.util.List<KeyView> keys) implements CborSerializable {}

  // ---- events ----
  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
  @JsonSubTypes({
    @JsonSubTypes.Type(value = TenantCreated.class, name = "tenant-created.v1"),
    @JsonSubTypes.Type(value = ApiKeyCreated.class, name = "api-key-created.v1"),
    @JsonSubTypes.Type(value = ApiKeyRevoked.class, name = "api-key-revoked.v1")
  })
  public sealed interface Event extends CborSerializable {
    String tenantId();
  }

  public record TenantCreated(String tenantId, String name, String plan, String defaultRegion, Instant at)
      implements Event {}

  /**
   * {@code role} and {@code actor} were added after the first release: keys created before roles existed had full
   * access to their tenant, so a missing role reads as Admin; a missing actor as the operator who could then create
   * keys.
   */
  public record ApiKeyCreated(String tenantId, String keyId, String name, String secretHash, Instant at, String role, String actor)
      implements Event {
    public ApiKeyCreated {
      role = role == null ? io.flexoraa.engine.access.Role.ADMIN.displayName() : role;
      actor = actor == null ? "operator" : actor;
    }
  }

  public record ApiKeyRevoked(String tenantId, String keyId, Instant at, String actor) implements Event {
    public ApiKeyRevoked {
      actor = actor == null ? "operator" : actor;
    }
  }

  // ---- decisions: an event to persist, or the reason for refusing ----

  public Decision<TenantCreated> decideCreate(Create command, Clock clock) {
    if (exists()) return Decision.rejected("tenant already exists");
    return Decision.accepted(
        new TenantCreated(command.tenantId(), command.name(), command.plan(), command.defaultRegion(), clock.instant()));
  }

  public Decision<ApiKeyCreated> decideCreateApiKey(CreateApiKey command, Clock clock) {
    if (!exists()) return Decision.rejected("unknown tenant");
    if (apiKeys.containsKey(command.keyId())) return Decision.rejected("api key id already used");
    return Decision.accepted(
        new ApiKeyCreated(tenantId, command.keyId(), command.name(), command.secretHash(), clock.instant(),
            command.role(), command.actor()));
  }

  public Decision<ApiKeyRevoked> decideRevoke(RevokeApiKey command, Clock clock) {
    ApiKey key = apiKeys.get(command.keyId());
    if (key == null) return Decision.rejected("unknown api key");
    if (!key.active()) return Decision.rejected("api key already revoked");
    return Decision.accepted(new ApiKeyRevoked(tenantId, command.keyId(), clock.instant(), command.actor()));
  }

  /** The role of the active key with this id and secret hash, or empty. */
  public Optional<String> authenticates(String keyId, String secretHash) {
    ApiKey key = apiKeys.get(keyId);
    boolean matches = key != null
        && key.active()
        && java.security.MessageDigest.isEqual(
            key.secretHash().getBytes(java.nio.charset.StandardCharsets.US_ASCII),
            secretHash.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    return matches ? Optional.of(key.role()) : Optional.empty();
  }

  public java.util.List<KeyView> keyViews() {
    return apiKeys.values().stream().map(ApiKey::view).toList();
  }

  public Tenant apply(Event event) {
    if (event instanceof TenantCreated created) {
      return new Tenant(created.tenantId(), created.name(), created.plan(), created.defaultRegion(), created.at(), apiKeys);
    }
    Map<String, ApiKey> keys = new LinkedHashMap<>(apiKeys);
    if (event instanceof ApiKeyCreated created) {
      keys.put(created.keyId(), new ApiKey(created.keyId(), created.name(), created.role(), created.secretHash(), created.at(), null));
    } else if (event instanceof ApiKeyRevoked revoked) {
      ApiKey key = keys.get(revoked.keyId());
      keys.put(revoked.keyId(), new ApiKey(key.keyId(), key.name(), key.role(), key.secretHash(), key.createdAt(), revoked.at()));
    }
    return new Tenant(tenantId, name, plan, defaultRegion, createdAt, keys);
  }

  /** Either an event to persist or a rejection that persists nothing. */
  public record Decision<E>(Optional<E> event, String rejection) {
    static <E> Decision<E> accepted(E event) {
      return new Decision<>(Optional.of(event), null);
    }

    static <E> Decision<E> rejected(String reason) {
      return new Decision<>(Optional.empty(), reason);
    }
  }
}
