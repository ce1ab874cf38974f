package io.flexoraa.http.auth;

import com.google.crypto.tink.Aead;
import com.typesafe.config.Config;
import io.flexoraa.engine.access.LoginThrottle;
import io.flexoraa.persistence.LruCache;
import io.flexoraa.persistence.users.UserSessions;
import io.flexoraa.persistence.users.UserSessions.Session;
import io.flexoraa.persistence.users.UserStore;
import io.flexoraa.persistence.users.UserStore.User;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * User sign-in, from password to session, without any HTTP: the routes turn these results into responses.
 *
 * <p>Signing in checks the password (Argon2id, on the hashing pool, never on the caller's thread), then the second
 * factor where one applies, then opens a session and issues an access token naming it. An unknown email costs the
 * same hashing time as a known one, so response times do not reveal who has an account. Consecutive failures lock
 * the account as {@link LoginThrottle} decides; a wrong TOTP code is a failure like a wrong password, so codes
 * cannot be guessed either.
 *
 * <p>Admins and Managers must use a second factor. Until they have enrolled one, signing in gives them only a
 * restricted token ({@code secondFactor} false) that can enrol and verify a TOTP factor and nothing else; verifying
 * the first code opens a full session. Anyone with an enrolled factor must give a code, whatever their role.
 *
 * <p>Every request's token is checked against its session ({@link #authenticate}), so logging out, disabling a user
 * or changing their role takes effect at once on every node. A session also ends after a spell without use; its
 * last use is written at most once per touch interval per node, so the hot path mostly only reads.
 */
public final class AuthService {
  private final UserStore users;
  private final UserSessions sessions;
  private final PasswordHasher hasher;
  private final Totp totp;
  private final AccessTokens tokens;
  private final LoginThrottle throttle;
  private final Aead masterKey;
  private final Executor hashingExecutor;
  private final Clock clock;
  private final Settings settings;
  /** Session id -> when this node last wrote its last_seen_at. */
  private final LruCache<String, Instant> recentlyTouched;

  /** Settings from {@code flexoraa.auth}. */
  public record Settings(
      Duration enrolmentTokenTtl,
      Duration idleTimeout,
      Duration sessionTouchInterval,
      int sessionCacheSize,
      int hashingThreads) {

    public static Settings fromConfig(Config config) {
      Config auth = config.getConfig("flexoraa.auth");
      return new Settings(
          auth.getDuration("enrolment-token-ttl"),
          auth.getDuration("idle-timeout"),
          auth.getDuration("session-touch-interval"),
          auth.getInt("session-cache-size"),
          auth.getInt("hashing-threads"));
    }
  }

  // ---- results ----

  public sealed interface LoginResult
      permits Success, MfaEnrolmentRequired, InvalidCredentials, Locked, SecondFactorRequired {}

  public sealed interface MfaVerification permits Success, InvalidCode {}

  public sealed interface MfaEnrolment permits EnrolmentStarted, EnrolmentRefused {}

  public sealed interface NewPassword permits PasswordAccepted, PasswordRejected {}

  /** Signed in with a full session. {@code user} is as read at sign-in. */
  public record Success(String token, Claims claims, User user) implements LoginResult, MfaVerification {
    @Override
    public String toString() {
      return "Success[" + claims + "]";
    }
  }

  /** The password was right, but the role needs a second factor and none is enrolled: the token can only enrol. */
  public record MfaEnrolmentRequired(String token, Claims claims, User user) implements LoginResult {
    @Override
    public String toString() {
      return "MfaEnrolmentRequired[" + claims + "]";
    }
  }

  /** Unknown email, wrong password, wrong or reused TOTP code, or a disabled user: deliberately one answer. */
  public record InvalidCredentials() implements LoginResult {}

  /** Too many consecutive failures; nothing is checked until the lock lifts. */
  public record Locked(Duration retryAfter) implements LoginResult {}

  /** The password was right and a factor is enrolled, but no code came with it: ask for one and sign in again. */
  public record SecondFactorRequired() implements LoginResult {}

  public record InvalidCode() implements MfaVerification {}

  /** Show {@code otpauthUri} as a QR code, and {@code secret} for typing in; confirm with {@link #verifyMfa}. */
  public record EnrolmentStarted(String otpauthUri, String secret) implements MfaEnrolment {
    @Override
    public String toString() {
      return "EnrolmentStarted[]";
    }
  }

  public record EnrolmentRefused(String reason) implements MfaEnrolment {}

  /** An Argon2id hash ready for {@link UserStore.NewUser}. */
  public record PasswordAccepted(String hash) implements NewPassword {
    @Override
    public String toString() {
      return "PasswordAccepted[]";
    }
  }

  public record PasswordRejected(String reason) implements NewPassword {}

  private static final InvalidCredentials INVALID_CREDENTIALS = new InvalidCredentials();
  private static final SecondFactorRequired SECOND_FACTOR_REQUIRED = new SecondFactorRequired();
  private static final InvalidCode INVALID_CODE = new InvalidCode();

  // ---- construction ----

  /**
   * @param masterKey encrypts TOTP secrets at rest ({@code MasterKey.aead()})
   * @param hashingExecutor runs Argon2; a small pool of its own ({@code flexoraa.auth.hashing-threads}), since each
   *     hash in flight holds its memory cost and a burst of sign-ins must not starve the database work
   */
  public AuthService(
      UserStore users,
      UserSessions sessions,
      PasswordHasher hasher,
      Totp totp,
      AccessTokens tokens,
      LoginThrottle throttle,
      Aead masterKey,
      Executor hashingExecutor,
      Clock clock,
      Settings settings) {
    this.users = users;
    this.sessions = sessions;
    this.hasher = hasher;
    this.totp = totp;
    this.tokens = tokens;
    this.throttle = throttle;
    this.masterKey = masterKey;
    this.hashingExecutor = hashingExecutor;
    this.clock = clock;
    this.settings = settings;
    this.recentlyTouched = new LruCache<>(settings.sessionCacheSize());
  }

  /** Everything from {@code flexoraa.auth}; the signing key as {@link AccessTokens#fromConfig} finds it. */
  public static AuthService fromConfig(
      Config config,
      Path dataDirectory,
      UserStore users,
      UserSessions sessions,
      Aead masterKey,
      Executor hashingExecutor,
      Clock clock) {
    return new AuthService(
        users,
        sessions,
        PasswordHasher.fromConfig(config),
        Totp.of(clock),
        AccessTokens.fromConfig(config, dataDirectory, clock),
        new LoginThrottle(LoginThrottle.Settings.fromConfig(config), clock),
        masterKey,
        hashingExecutor,
        clock,
        Settings.fromConfig(config));
  }

  // ---- sign-in ----

  /** {@code totpCode} may be null: then a user with an enrolled factor gets {@link SecondFactorRequired}. */
  public CompletionStage<LoginResult> login(String email, String password, String totpCode) {
    if (email == null || email.isBlank() || password == null) return decoy(password);
    return users.findByEmail(email).thenCompose(found -> {
      if (found.isEmpty() || !found.get().active()) return decoy(password);
      User user = found.get();
      Optional<Duration> locked = throttle.retryAfter(user.lockedUntil());
      if (locked.isPresent()) return completed(new Locked(locked.get()));
      return CompletableFuture.supplyAsync(() -> hasher.matches(password, user.passwordHash()), hashingExecutor)
          .thenCompose(matches -> matches ? afterPassword(user, totpCode) : failure(user));
    });
  }

  private CompletionStage<LoginResult> afterPassword(User user, String totpCode) {
    if (!user.mfaEnrolled()) {
      if (user.role().requiresSecondFactor()) return restrictedSession(user);
      return widen(fullSession(user));
    }
    if (totpCode == null || totpCode.isBlank()) return completed(SECOND_FACTOR_REQUIRED);
    String secret = decrypt(user, user.mfaSecretEncrypted());
    OptionalLong lastStep = user.mfaLastStep() == null ? OptionalLong.empty() : OptionalLong.of(user.mfaLastStep());
    OptionalLong step = totp.verify(secret, totpCode, lastStep);
    if (step.isEmpty()) return failure(user);
    // the database is the judge of "first use": another node may have accepted the same code a moment ago
    return users.recordMfaStep(user.tenantId(), user.userId(), step.getAsLong())
        .thenCompose(firstUse -> firstUse ? widen(fullSession(user)) : failure(user));
  }

  private CompletionStage<LoginResult> failure(User user) {
    return users.recordFailedLogin(user.tenantId(), user.userId(), throttle).thenApply(failed -> failed
        .flatMap(counted -> throttle.retryAfter(counted.lockedUntil()))
        .<LoginResult>map(Locked::new)
        .orElse(INVALID_CREDENTIALS));
  }

  /** Spends the time checking a password takes, then answers as for a wrong one. */
  private CompletionStage<LoginResult> decoy(String password) {
    return CompletableFuture.supplyAsync(() -> hasher.matchesNothing(password), hashingExecutor)
        .thenApply(ignored -> INVALID_CREDENTIALS);
  }

  private CompletionStage<Success> fullSession(User user) {
    Instant expiresAt = tokens.expiryFromNow(tokens.ttl());
    return users.recordSuccessfulLogin(user.tenantId(), user.userId())
        .thenCompose(reset -> sessions.openSession(user.tenantId(), user.userId(), true, expiresAt))
        .thenApply(session -> {
          AccessTokens.Issued issued = issue(user, session);
          return new Success(issued.token(), issued.claims(), user);
        });
  }

  private CompletionStage<LoginResult> restrictedSession(User user) {
    Instant expiresAt = tokens.expiryFromNow(settings.enrolmentTokenTtl());
    return users.recordSuccessfulLogin(user.tenantId(), user.userId())
        .thenCompose(reset -> sessions.openSession(user.tenantId(), user.userId(), false, expiresAt))
        .thenApply(session -> {
          AccessTokens.Issued issued = issue(user, session);
          return new MfaEnrolmentRequired(issued.token(), issued.claims(), user);
        });
  }

  private AccessTokens.Issued issue(User user, Session session) {
    recentlyTouched.put(session.sessionId(), session.lastSeenAt());
    return tokens.issue(
        user.tenantId(), user.userId(), user.role(), session.sessionId(), session.secondFactor(),
        session.expiresAt());
  }

  // ---- second factor ----

  /**
   * Starts (or restarts) TOTP enrolment for the signed-in user: a new secret, stored encrypted as pending until a
   * code confirms it. A restricted token cannot replace a factor that is already enrolled: whoever holds only the
   * password must not be able to swap in their own authenticator.
   */
  public CompletionStage<MfaEnrolment> enrolMfa(Claims claims) {
    return users.find(claims.tenantId(), claims.userId()).thenCompose(found -> {
      if (found.isEmpty() || !found.get().active()) return completed(new EnrolmentRefused("no such active user"));
      User user = found.get();
      if (claims.restrictedToMfaEnrolment() && user.mfaEnrolled()) {
        return completed(new EnrolmentRefused("a second factor is already enrolled; sign in with it to replace it"));
      }
      String secret = totp.newSecret();
      return users.setPendingMfaSecret(user.tenantId(), user.userId(), encrypt(user, secret))
          .thenApply(stored -> stored
              ? new EnrolmentStarted(totp.uri(secret, user.email()), secret)
              : new EnrolmentRefused("no such active user"));
    });
  }

  /**
   * Confirms the pending enrolment with a code from the authenticator: the pending secret becomes the user's factor,
   * the session the claims name ends, and a new full session begins.
   */
  public CompletionStage<MfaVerification> verifyMfa(Claims claims, String code) {
    return users.find(claims.tenantId(), claims.userId()).thenCompose(found -> {
      if (found.isEmpty() || !found.get().active() || found.get().mfaPendingSecretEncrypted() == null) {
        return completed(INVALID_CODE);
      }
      User user = found.get();
      String pending = user.mfaPendingSecretEncrypted();
      // a new secret has no used steps yet: the steps used with the old one say nothing about it
      OptionalLong step = totp.verify(decrypt(user, pending), code, OptionalLong.empty());
      if (step.isEmpty()) return completed(INVALID_CODE);
      return users.confirmMfa(user.tenantId(), user.userId(), pending, step.getAsLong()).thenCompose(confirmed -> {
        if (!confirmed) return completed(INVALID_CODE);
        return sessions.revokeSession(claims.sessionId())
            .thenCompose(revoked -> users.find(user.tenantId(), user.userId()))
            .thenCompose(enrolled -> widen(fullSession(enrolled.orElse(user))));
      });
    });
  }

  // ---- every request ----

  /**
   * The claims of a valid token whose session is open, not expired, and used within the idle time-out; empty
   * otherwise. Touches the session's last use at most once per touch interval on this node.
   */
  public CompletionStage<Optional<Claims>> authenticate(String bearerToken) {
    Optional<Claims> verified = tokens.verify(bearerToken);
    if (verified.isEmpty()) return completed(Optional.empty());
    Claims claims = verified.get();
    Instant now = clock.instant();
    Instant touched = recentlyTouched.get(claims.sessionId());
    CompletionStage<Optional<Session>> live;
    if (touched != null && now.isBefore(touched.plus(settings.sessionTouchInterval()))) {
      live = sessions.findSession(claims.sessionId())
          .thenApply(session -> session.filter(open -> open.liveAt(now, settings.idleTimeout())));
    } else {
      live = sessions.touchSession(claims.sessionId(), now, settings.idleTimeout()).thenApply(session -> {
        session.ifPresent(open -> recentlyTouched.put(open.sessionId(), now));
        return session;
      });
    }
    return live.thenApply(session -> session.filter(open -> belongsTo(open, claims)).map(open -> claims));
  }

  /** The token was signed by us, so this only guards against a store that disagrees with it. */
  private static boolean belongsTo(Session session, Claims claims) {
    return session.tenantId().equals(claims.tenantId())
        && session.userId().equals(claims.userId())
        && session.secondFactor() == claims.secondFactor();
  }

  /** Ends the session the claims name; true when it was open. */
  public CompletionStage<Boolean> logout(Claims claims) {
    return sessions.revokeSession(claims.sessionId());
  }

  // ---- passwords ----

  /** Whether {@code password} is the signed-in user's current one, checked on the hashing pool. */
  public CompletionStage<Boolean> isCurrentPassword(Claims claims, String password) {
    return users.find(claims.tenantId(), claims.userId()).thenCompose(user -> user.isEmpty()
        ? completed(false)
        : CompletableFuture.supplyAsync(() -> hasher.matches(password, user.get().passwordHash()), hashingExecutor));
  }

  /** Checks a new password against the policy and hashes it on the hashing pool. */
  public CompletionStage<NewPassword> hashNewPassword(String password) {
    Optional<String> violation = hasher.policyViolation(password);
    if (violation.isPresent()) return completed(new PasswordRejected(violation.get()));
    return CompletableFuture.supplyAsync(() -> new PasswordAccepted(hasher.hash(password)), hashingExecutor);
  }

  // ---- helpers ----

  /** The associated data binds a ciphertext to its row: copied onto another user, it does not decrypt. */
  private static byte[] associatedData(User user) {
    return (user.tenantId() + ":" + user.userId()).getBytes(StandardCharsets.UTF_8);
  }

  private String encrypt(User user, String secret) {
    try {
      byte[] ciphertext = masterKey.encrypt(secret.getBytes(StandardCharsets.UTF_8), associatedData(user));
      return Base64.getEncoder().encodeToString(ciphertext);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("could not encrypt a TOTP secret", e);
    }
  }

  private String decrypt(User user, String encrypted) {
    try {
      byte[] plaintext = masterKey.decrypt(Base64.getDecoder().decode(encrypted), associatedData(user));
      return new String(plaintext, StandardCharsets.UTF_8);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException(
          "the TOTP secret of user " + user.userId() + " does not decrypt under the master key", e);
    }
  }

  /** A stage of a Success is a stage of a LoginResult, but Java's generics need telling, without a cast. */
  private static <T> CompletionStage<T> widen(CompletionStage<? extends T> stage) {
    return stage.thenApply(value -> value);
  }

  private static <T> CompletionStage<T> completed(T value) {
    return CompletableFuture.completedFuture(value);
  }
}
