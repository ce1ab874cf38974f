package io.flexoraa.engine.tenant;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.flexoraa.engine.CborSerializable;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;

/**
 * A tenant (a business using the product): its profile, its API keys and its token account. Keys are stored only
 * as SHA-256 of their high-entropy secret, so a leaked journal does not leak working keys. The token rules are in
 * {@link TokenAccount} and its messages in {@link Tokens}; limits and the SDR roster will join this state. The
 * decisions here are pure and clock-injected.
 *
 * <p>{@code tokens} is null for a tenant created before the token economy (its journal and snapshots have none):
 * such an account opens with the plan's monthly tokens, persisted with the first token command that changes it.
 */
public record Tenant(
    String tenantId, String name, String plan, String defaultRegion, Instant createdAt, Map<String, ApiKey> apiKeys,
    TokenAccount tokens, AbuseGuard abuse) implements CborSerializable {

  public Tenant {
    apiKeys = Map.copyOf(apiKeys == null ? Map.of() : apiKeys);
    // snapshots taken before abuse protection existed have none
    abuse = abuse == null ? AbuseGuard.EMPTY : abuse;
  }

  public static Tenant empty() {
    return new Tenant(null, null, null, null, null, Map.of(), null, AbuseGuard.EMPTY);
  }

  private Tenant with(TokenAccount tokens, AbuseGuard abuse) {
    return new Tenant(tenantId, name, plan, defaultRegion, createdAt, apiKeys, tokens, abuse);
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
  public sealed interface Command extends CborSerializable
      permits Create, Get, CreateApiKey, RevokeApiKey, ListApiKeys, Authenticate, Tokens.Debit, Tokens.DebitBatch,
          Tokens.Credit, Tokens.RenewPeriod, Tokens.GetTokens, Abuse.RecordActivity, Abuse.GetRestrictions,
          Abuse.ParkWork, Abuse.Release, Abuse.GetAbuse {}

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

  public record ApiKeys(List<KeyView> keys) implements CborSerializable {}

  // ---- events ----
  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
  @JsonSubTypes({
    @JsonSubTypes.Type(value = TenantCreated.class, name = "tenant-created.v1"),
    @JsonSubTypes.Type(value = ApiKeyCreated.class, name = "api-key-created.v1"),
    @JsonSubTypes.Type(value = ApiKeyRevoked.class, name = "api-key-revoked.v1"),
    @JsonSubTypes.Type(value = Tokens.TokenAccountOpened.class, name = "token-account-opened.v1"),
    @JsonSubTypes.Type(value = Tokens.TokensDebited.class, name = "tokens-debited.v1"),
    @JsonSubTypes.Type(value = Tokens.TokensCredited.class, name = "tokens-credited.v1"),
    @JsonSubTypes.Type(value = Tokens.TokenAlertRaised.class, name = "token-alert-raised.v1"),
    @JsonSubTypes.Type(value = Tokens.AiPaused.class, name = "ai-paused.v1"),
    @JsonSubTypes.Type(value = Tokens.AiResumed.class, name = "ai-resumed.v1"),
    @JsonSubTypes.Type(value = Abuse.ActivityRecorded.class, name = "activity-recorded.v1"),
    @JsonSubTypes.Type(value = Abuse.AbuseTriggered.class, name = "abuse-triggered.v1"),
    @JsonSubTypes.Type(value = Abuse.AbuseReleased.class, name = "abuse-released.v1"),
    @JsonSubTypes.Type(value = Abuse.WorkParked.class, name = "work-parked.v1")
  })
  public sealed interface Event extends CborSerializable
      permits TenantCreated, ApiKeyCreated, ApiKeyRevoked, Tokens.TokenAccountOpened, Tokens.TokensDebited,
          Tokens.TokensCredited, Tokens.TokenAlertRaised, Tokens.AiPaused, Tokens.AiResumed, Abuse.ActivityRecorded,
          Abuse.AbuseTriggered, Abuse.AbuseReleased, Abuse.WorkParked {
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

  // ---- decisions: events to persist, or the reason for refusing ----

  /** A new tenant opens its token account at once: the plan's monthly tokens for the current month. */
  public Decision decideCreate(Create command, Billing billing, Clock clock) {
    if (exists()) return Decision.rejected("tenant already exists");
    if (!billing.plans().containsKey(command.plan())) return Decision.rejected("unknown plan");
    Instant now = clock.instant();
    return Decision.accepted(
        new TenantCreated(command.tenantId(), command.name(), command.plan(), command.defaultRegion(), now),
        TokenAccount.opening(command.tenantId(), billing.plan(command.plan()), now));
  }

  public Decision decideCreateApiKey(CreateApiKey command, Clock clock) {
    if (!exists()) return Decision.rejected("unknown tenant");
    if (apiKeys.containsKey(command.keyId())) return Decision.rejected("api key id already used");
    return Decision.accepted(
        new ApiKeyCreated(tenantId, command.keyId(), command.name(), command.secretHash(), clock.instant(),
            command.role(), command.actor()));
  }

  public Decision decideRevoke(RevokeApiKey command, Clock clock) {
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

  public List<KeyView> keyViews() {
    return apiKeys.values().stream().map(ApiKey::view).toList();
  }

  // ---- token decisions (the rules are TokenAccount's) ----

  /** Debits in order, no abuse rule applied; an unknown tenant refuses them all and persists nothing. */
  public TokenAccount.DebitDecision decideDebits(List<Tokens.DebitRequest> requests, Billing billing, Clock clock) {
    return decideDebits(requests, billing, AbuseGuard.Settings.NEVER, clock);
  }

  /**
   * Debits in order, the high-token operations refused during a burn spike; a batch that makes the hour's burn a
   * spike adds the trigger (it restricts the batches after it).
   */
  public TokenAccount.DebitDecision decideDebits(
      List<Tokens.DebitRequest> requests, Billing billing, AbuseGuard.Settings guard, Clock clock) {
    if (!exists()) {
      return new TokenAccount.DebitDecision(List.of(),
          requests.stream().<Tokens.DebitOutcome>map(request -> new Tokens.Refused(Tokens.Refusal.UNKNOWN_TENANT)).toList());
    }
    List<Event> events = new ArrayList<>();
    TokenAccount account = account(billing, clock, events);
    Instant now = clock.instant();
    TokenAccount.DebitDecision decision = account.decideDebits(
        tenantId, billing.plan(plan), requests, billing, abuse.refusedOperations(now, guard), clock);
    List<Event> decided = new ArrayList<>(decision.events());
    BigDecimal spent = decided.stream()
        .filter(event -> event instanceof Tokens.TokensDebited)
        .map(event -> ((Tokens.TokensDebited) event).total())
        .reduce(Billing.zero(), BigDecimal::add);
    abuse.burnSpike(tenantId, spent, now, guard).ifPresent(decided::add);
    return new TokenAccount.DebitDecision(withOpening(events, decided), decision.outcomes());
  }

  /** A renewal credited through {@link Tokens.Credit} starts the period of the clock's current month. */
  public TokenAccount.CreditDecision decideCredit(Tokens.Credit command, Billing billing, Clock clock) {
    if (!exists()) return TokenAccount.CreditDecision.rejected("unknown tenant");
    List<Event> events = new ArrayList<>();
    TokenAccount account = account(billing, clock, events);
    TokenAccount.CreditDecision decision = account.decideCredit(tenantId, command.kind(), command.tokens(),
        command.reference(), command.actor(), command.reason(), TokenAccount.monthOf(clock.instant()), clock);
    return withOpening(events, decision);
  }

  public TokenAccount.CreditDecision decideRenewal(Tokens.RenewPeriod command, Billing billing, Clock clock) {
    if (!exists()) return TokenAccount.CreditDecision.rejected("unknown tenant");
    if (command.at() == null) return TokenAccount.CreditDecision.rejected("at is required");
    List<Event> events = new ArrayList<>();
    TokenAccount account = account(billing, clock, events);
    TokenAccount.CreditDecision decision = account.decideRenewal(tenantId, billing.plan(plan), command.at(), clock);
    return withOpening(events, decision);
  }

  /** The token account as of the clock's instant, or empty for an unknown tenant. Persists nothing. */
  public Optional<Tokens.TokenView> tokenView(Billing billing, Clock clock) {
    if (!exists()) return Optional.empty();
    return Optional.of(account(billing, clock, new ArrayList<>()).view(billing.plan(plan), clock));
  }

  /** The account; for a tenant that predates it, one opened from the plan (its opening event added to {@code events}). */
  private TokenAccount account(Billing billing, Clock clock, List<Event> events) {
    if (tokens != null) return tokens;
    Tokens.TokenAccountOpened opened = TokenAccount.opening(tenantId, billing.plan(plan), clock.instant());
    events.add(opened);
    return TokenAccount.opened(opened);
  }

  private static TokenAccount.CreditDecision withOpening(List<Event> opening, TokenAccount.CreditDecision decision) {
    return new TokenAccount.CreditDecision(
        withOpening(opening, decision.events()), decision.credited(), decision.rejection());
  }

  /** The opening is persisted only together with a change: a refused or repeated command still persists nothing. */
  private static List<Event> withOpening(List<Event> opening, List<Event> events) {
    if (events.isEmpty()) return List.of();
    List<Event> all = new ArrayList<>(opening);
    all.addAll(events);
    return all;
  }

  // ---- abuse decisions (the rules are AbuseGuard's) ----

  public List<Event> decideActivity(Abuse.RecordActivity command, AbuseGuard.Settings guard, Clock clock) {
    if (!exists()) return List.of();
    return abuse.decideActivity(tenantId, command.intake(), command.failures(), clock.instant(), guard);
  }

  public Optional<Abuse.WorkParked> decidePark(Abuse.ParkWork command, Clock clock) {
    if (!exists()) return Optional.empty();
    return abuse.decidePark(tenantId, command.items(), clock.instant());
  }

  public Optional<Abuse.AbuseReleased> decideRelease(Abuse.Release command, Clock clock) {
    if (!exists()) return Optional.empty();
    return abuse.decideRelease(tenantId, command.kind(), command.actor(), clock.instant());
  }

  public Tenant apply(Event event) {
    if (event instanceof TenantCreated created) {
      return new Tenant(created.tenantId(), created.name(), created.plan(), created.defaultRegion(), created.at(), apiKeys,
          tokens, abuse);
    }
    if (event instanceof Tokens.TokenAccountOpened opened) {
      return with(TokenAccount.opened(opened), abuse);
    }
    if (event instanceof Abuse.ActivityRecorded || event instanceof Abuse.AbuseTriggered
        || event instanceof Abuse.AbuseReleased || event instanceof Abuse.WorkParked) {
      return with(tokens, abuse.apply(event));
    }
    if (event instanceof Tokens.TokensDebited debited) {
      if (tokens == null) throw new IllegalStateException("token event before the account was opened: " + event);
      return with(tokens.apply(event), abuse.withBurn(debited.at(), debited.total()));
    }
    if (event instanceof Tokens.TokensCredited
        || event instanceof Tokens.TokenAlertRaised || event instanceof Tokens.AiPaused
        || event instanceof Tokens.AiResumed) {
      if (tokens == null) throw new IllegalStateException("token event before the account was opened: " + event);
      return with(tokens.apply(event), abuse);
    }
    Map<String, ApiKey> keys = new LinkedHashMap<>(apiKeys);
    if (event instanceof ApiKeyCreated created) {
      keys.put(created.keyId(), new ApiKey(created.keyId(), created.name(), created.role(), created.secretHash(), created.at(), null));
    } else if (event instanceof ApiKeyRevoked revoked) {
      ApiKey key = keys.get(revoked.keyId());
      keys.put(revoked.keyId(), new ApiKey(key.keyId(), key.name(), key.role(), key.secretHash(), key.createdAt(), revoked.at()));
    }
    return new Tenant(tenantId, name, plan, defaultRegion, createdAt, keys, tokens, abuse);
  }

  /** Either events to persist or a rejection that persists nothing. */
  public record Decision(List<Event> events, String rejection) {
    public Decision {
      events = List.copyOf(events);
    }

    static Decision accepted(Event... events) {
      return new Decision(List.of(events), null);
    }

    static Decision rejected(String reason) {
      return new Decision(List.of(), reason);
    }

    public boolean rejected() {
      return rejection != null;
    }
  }
}
