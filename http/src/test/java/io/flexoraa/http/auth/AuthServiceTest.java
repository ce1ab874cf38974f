package io.flexoraa.http.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.samstevens.totp.code.DefaultCodeGenerator;
import io.flexoraa.engine.access.Role;
import io.flexoraa.http.auth.AuthService.EnrolmentRefused;
import io.flexoraa.http.auth.AuthService.EnrolmentStarted;
import io.flexoraa.http.auth.AuthService.InvalidCode;
import io.flexoraa.http.auth.AuthService.InvalidCredentials;
import io.flexoraa.http.auth.AuthService.Locked;
import io.flexoraa.http.auth.AuthService.LoginResult;
import io.flexoraa.http.auth.AuthService.MfaEnrolmentRequired;
import io.flexoraa.http.auth.AuthService.PasswordAccepted;
import io.flexoraa.http.auth.AuthService.PasswordRejected;
import io.flexoraa.http.auth.AuthService.SecondFactorRequired;
import io.flexoraa.http.auth.AuthService.Success;
import io.flexoraa.persistence.Database;
import io.flexoraa.persistence.DatabaseSettings;
import io.flexoraa.persistence.Jdbc;
import io.flexoraa.persistence.crypto.MasterKey;
import io.flexoraa.persistence.users.UserSessions;
import io.flexoraa.persistence.users.UserStore;
import io.flexoraa.persistence.users.UserStore.NewUser;
import io.flexoraa.persistence.users.UserStore.User;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sign-in end to end below HTTP: a real migrated PostgreSQL, real Argon2id with the shipped parameters, real TOTP
 * codes from the authenticator library, and a clock the test moves. Users are unique per test (emails are unique
 * platform-wide), so the tests share one database and one clock.
 */
class AuthServiceTest {
  private static final String PASSWORD = "correct horse battery staple";
  private static final String JWT_SECRET = "a-test-signing-key-of-at-least-thirty-two-bytes";

  @TempDir static Path dataDirectory;

  private static Database database;
  private static ExecutorService blocking;
  private static ExecutorService hashingPool;
  private static final AtomicInteger hashingTasks = new AtomicInteger();
  private static MovableClock clock;
  private static UserStore store;
  private static UserSessions sessions;
  private static AuthService auth;
  private static String passwordHash;

  @BeforeAll
  static void start() {
    database = Database.open(
        new DatabaseSettings(Optional.empty(), "postgres", "postgres", dataDirectory.resolve("db"), 4));
    blocking = Executors.newFixedThreadPool(8);
    hashingPool = Executors.newFixedThreadPool(2);
    clock = new MovableClock(Instant.parse("2025-03-01T10:00:00Z"));
    Jdbc jdbc = new Jdbc(database.dataSource(), blocking);
    store = new UserStore(jdbc, clock);
    sessions = new UserSessions(jdbc, clock);
    Config config = ConfigFactory.parseMap(Map.of("flexoraa.auth.jwt-secret", JWT_SECRET))
        .withFallback(ConfigFactory.load());
    auth = AuthService.fromConfig(
        config,
        dataDirectory,
        store,
        sessions,
        MasterKey.fromFile(dataDirectory).aead(),
        task -> {
          hashingTasks.incrementAndGet();
          hashingPool.execute(task);
        },
        clock);
    passwordHash = ((PasswordAccepted) await(auth.hashNewPassword(PASSWORD))).hash();
  }

  @AfterAll
  static void stop() {
    blocking.shutdownNow();
    hashingPool.shutdownNow();
    database.close();
  }

  private static <T> T await(CompletionStage<T> stage) {
    return stage.toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
  }

  private static User user(Role role) {
    String email = role.displayName().toLowerCase() + "-" + UUID.randomUUID() + "@example.com";
    NewUser user = new NewUser("tenant-" + UUID.randomUUID(), UUID.randomUUID().toString(), email, "Test", role,
        passwordHash);
    return ((UserStore.Created) await(store.create(user))).user();
  }

  private static LoginResult login(User user, String password) {
    return await(auth.login(user.email(), password, null));
  }

  private static LoginResult login(User user, String password, String code) {
    return await(auth.login(user.email(), password, code));
  }

  /** What the user's authenticator app shows at the clock's time. */
  private static String code(String secret) throws Exception {
    return new DefaultCodeGenerator().generate(secret, Math.floorDiv(clock.instant().getEpochSecond(), 30));
  }

  private static Map<String, String> query(String uri) {
    return Arrays.stream(URI.create(uri).getRawQuery().split("&"))
        .map(pair -> pair.split("=", 2))
        .collect(Collectors.toMap(pair -> pair[0], pair -> URLDecoder.decode(pair[1], StandardCharsets.UTF_8)));
  }

  /** Signs an Admin in through enrolment; returns the confirmed secret. */
  private static String enrolled(User admin) throws Exception {
    MfaEnrolmentRequired restricted = (MfaEnrolmentRequired) login(admin, PASSWORD);
    EnrolmentStarted started = (EnrolmentStarted) await(auth.enrolMfa(restricted.claims()));
    assertThat(await(auth.verifyMfa(restricted.claims(), code(started.secret())))).isInstanceOf(Success.class);
    return started.secret();
  }

  // ---- passwords and lock-out ----

  @Test
  void theRightPasswordSignsAnSdrInWithoutASecondFactor() {
    User sdr = user(Role.SDR);

    LoginResult result = await(auth.login(sdr.email().toUpperCase(), PASSWORD, null));

    Success success = (Success) result;
    assertThat(success.user().userId()).isEqualTo(sdr.userId());
    assertThat(success.claims().tenantId()).isEqualTo(sdr.tenantId());
    assertThat(success.claims().role()).isEqualTo(Role.SDR);
    assertThat(success.claims().secondFactor()).isTrue();
    assertThat(success.claims().expiresAt()).isEqualTo(clock.instant().plus(Duration.ofHours(24)));
    assertThat(await(auth.authenticate(success.token()))).contains(success.claims());
    assertThat(success.toString()).doesNotContain(success.token());
  }

  @Test
  void aWrongPasswordOrAnUnknownEmailAreTheSameInvalidCredentialsAndBothSpendAHash() {
    User sdr = user(Role.SDR);

    int before = hashingTasks.get();
    assertThat(login(sdr, "wrong password!")).isInstanceOf(InvalidCredentials.class);
    assertThat(hashingTasks.get() - before).isEqualTo(1);

    before = hashingTasks.get();
    assertThat(await(auth.login("nobody-" + UUID.randomUUID() + "@example.com", PASSWORD, null)))
        .isEqualTo(new InvalidCredentials());
    assertThat(hashingTasks.get() - before).as("the decoy hash for an unknown email").isEqualTo(1);

    before = hashingTasks.get();
    assertThat(await(auth.login(null, null, null))).isEqualTo(new InvalidCredentials());
    assertThat(hashingTasks.get() - before).isEqualTo(1);
  }

  @Test
  void fiveFailuresLockForAMinuteTheSixthDoublesAndASuccessResets() {
    User sdr = user(Role.SDR);
    for (int attempt = 1; attempt <= 4; attempt++) {
      assertThat(login(sdr, "wrong password " + attempt)).isInstanceOf(InvalidCredentials.class);
    }
    assertThat(login(sdr, "wrong password 5")).isEqualTo(new Locked(Duration.ofSeconds(60)));

    int before = hashingTasks.get();
    assertThat(login(sdr, PASSWORD)).as("locked even with the right password")
        .isEqualTo(new Locked(Duration.ofSeconds(60)));
    clock.advance(Duration.ofSeconds(45));
    assertThat(login(sdr, PASSWORD)).isEqualTo(new Locked(Duration.ofSeconds(15)));
    assertThat(hashingTasks.get() - before).as("nothing is hashed while locked").isZero();

    clock.advance(Duration.ofSeconds(15));
    assertThat(login(sdr, "wrong password 6")).as("the sixth failure").isEqualTo(new Locked(Duration.ofSeconds(120)));
    clock.advance(Duration.ofSeconds(120));
    assertThat(login(sdr, PASSWORD)).isInstanceOf(Success.class);

    User reset = await(store.find(sdr.tenantId(), sdr.userId())).orElseThrow();
    assertThat(reset.failedAttempts()).isZero();
    assertThat(reset.lockedUntil()).isNull();
    assertThat(login(sdr, "wrong again")).as("counting starts afresh").isInstanceOf(InvalidCredentials.class);
  }

  @Test
  void aDisabledUserCannotSignInAndTheirSessionsEnd() {
    User sdr = user(Role.SDR);
    Success success = (Success) login(sdr, PASSWORD);

    await(store.disable(sdr.tenantId(), sdr.userId()));

    assertThat(await(auth.authenticate(success.token()))).isEmpty();
    assertThat(login(sdr, PASSWORD)).isInstanceOf(InvalidCredentials.class);
  }

  @Test
  void aChangedRoleEndsTheSessionsThatCarryTheOldOne() {
    User sdr = user(Role.SDR);
    Success success = (Success) login(sdr, PASSWORD);

    await(store.changeRole(sdr.tenantId(), sdr.userId(), Role.READ_ONLY));

    assertThat(await(auth.authenticate(success.token()))).isEmpty();
    assertThat(((Success) login(sdr, PASSWORD)).claims().role()).isEqualTo(Role.READ_ONLY);
  }

  @Test
  void aNewPasswordMustFollowThePolicyAndIsHashedWithArgon2id() {
    assertThat(await(auth.hashNewPassword("too short")))
        .isEqualTo(new PasswordRejected("the password must have at least 12 characters"));
    assertThat(await(auth.hashNewPassword("x".repeat(129))))
        .isEqualTo(new PasswordRejected("the password must have at most 128 characters"));
    assertThat(await(auth.hashNewPassword(" ".repeat(12))))
        .isEqualTo(new PasswordRejected("the password must not be only spaces"));
    assertThat(await(auth.hashNewPassword(null))).isInstanceOf(PasswordRejected.class);
    assertThat(passwordHash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
    assertThat(((PasswordAccepted) await(auth.hashNewPassword(PASSWORD))).hash()).isNotEqualTo(passwordHash);
  }

  // ---- second factor ----

  @Test
  void anAdminEnrolsTotpThenNeedsAFreshCodeAtEverySignIn() throws Exception {
    User admin = user(Role.ADMIN);

    LoginResult first = login(admin, PASSWORD);
    MfaEnrolmentRequired restricted = (MfaEnrolmentRequired) first;
    assertThat(restricted.claims().secondFactor()).isFalse();
    assertThat(restricted.claims().restrictedToMfaEnrolment()).isTrue();
    assertThat(restricted.claims().expiresAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(15)));
    assertThat(await(auth.authenticate(restricted.token()))).contains(restricted.claims());

    EnrolmentStarted started = (EnrolmentStarted) await(auth.enrolMfa(restricted.claims()));
    assertThat(started.otpauthUri()).startsWith("otpauth://totp/Flexoraa:" + admin.email().replace("@", "%40") + "?");
    Map<String, String> parameters = query(started.otpauthUri());
    assertThat(parameters).containsEntry("secret", started.secret()).containsEntry("issuer", "Flexoraa");
    assertThat(started.secret()).matches("[A-Z2-7]{32}");
    User pending = await(store.find(admin.tenantId(), admin.userId())).orElseThrow();
    assertThat(pending.mfaPendingSecretEncrypted()).isNotNull().doesNotContain(started.secret());
    assertThat(pending.mfaEnrolled()).isFalse();

    assertThat(await(auth.verifyMfa(restricted.claims(), "000000"))).isEqualTo(new InvalidCode());
    Success verified = (Success) await(auth.verifyMfa(restricted.claims(), code(started.secret())));
    assertThat(verified.claims().secondFactor()).isTrue();
    assertThat(verified.claims().sessionId()).isNotEqualTo(restricted.claims().sessionId());
    assertThat(verified.user().mfaEnrolled()).isTrue();
    assertThat(await(auth.authenticate(verified.token()))).contains(verified.claims());
    assertThat(await(auth.authenticate(restricted.token()))).as("the restricted session ended").isEmpty();
    assertThat(await(auth.enrolMfa(restricted.claims())))
        .as("a restricted token cannot replace an enrolled factor").isInstanceOf(EnrolmentRefused.class);

    assertThat(login(admin, PASSWORD)).isEqualTo(new SecondFactorRequired());
    assertThat(login(admin, PASSWORD, code(started.secret())))
        .as("the code that confirmed enrolment is used up").isInstanceOf(InvalidCredentials.class);

    clock.advance(Duration.ofSeconds(30));
    String code = code(started.secret());
    Success success = (Success) login(admin, PASSWORD, code);
    assertThat(success.claims().secondFactor()).isTrue();
    assertThat(success.claims().role()).isEqualTo(Role.ADMIN);
    assertThat(login(admin, PASSWORD, code)).as("a replayed code").isInstanceOf(InvalidCredentials.class);
    assertThat(login(admin, "wrong password!", code)).isInstanceOf(InvalidCredentials.class);
  }

  @Test
  void aCodeFromTheNeighbouringStepIsAcceptedButNotOneFurtherOff() throws Exception {
    User manager = user(Role.MANAGER);
    String secret = enrolled(manager);
    long step = Math.floorDiv(clock.instant().getEpochSecond(), 30);
    DefaultCodeGenerator generator = new DefaultCodeGenerator();

    assertThat(login(manager, PASSWORD, generator.generate(secret, step + 2))).isInstanceOf(InvalidCredentials.class);
    assertThat(login(manager, PASSWORD, generator.generate(secret, step + 1))).isInstanceOf(Success.class);
    assertThat(login(manager, PASSWORD, generator.generate(secret, step))).as("older than the last used")
        .isInstanceOf(InvalidCredentials.class);
  }

  @Test
  void wrongCodesCountTowardsTheLockout() throws Exception {
    User admin = user(Role.ADMIN);
    enrolled(admin);

    for (int attempt = 1; attempt <= 4; attempt++) {
      assertThat(login(admin, PASSWORD, "12345" + attempt)).isInstanceOf(InvalidCredentials.class);
    }
    assertThat(login(admin, PASSWORD, "123455")).isEqualTo(new Locked(Duration.ofSeconds(60)));
  }

  @Test
  void anSdrMayEnrolAFactorAndThenNeedsIt() throws Exception {
    User sdr = user(Role.SDR);
    Success plain = (Success) login(sdr, PASSWORD);

    EnrolmentStarted started = (EnrolmentStarted) await(auth.enrolMfa(plain.claims()));
    Success verified = (Success) await(auth.verifyMfa(plain.claims(), code(started.secret())));

    assertThat(verified.claims().secondFactor()).isTrue();
    assertThat(login(sdr, PASSWORD)).isEqualTo(new SecondFactorRequired());
  }

  // ---- sessions ----

  @Test
  void aTokenStopsWorkingAfterADayEvenWithSteadyUse() {
    Success success = (Success) login(user(Role.SDR), PASSWORD);
    Instant signedIn = clock.instant();

    while (clock.instant().isBefore(signedIn.plus(Duration.ofHours(24)).minus(Duration.ofMinutes(20)))) {
      clock.advance(Duration.ofMinutes(20));
      assertThat(await(auth.authenticate(success.token()))).as("at %s", clock.instant()).isPresent();
    }
    clock.advance(Duration.between(clock.instant(), signedIn.plus(Duration.ofHours(24))));
    assertThat(await(auth.authenticate(success.token()))).isEmpty();
  }

  @Test
  void aSessionUnusedForHalfAnHourEnds() {
    Success success = (Success) login(user(Role.SDR), PASSWORD);

    clock.advance(Duration.ofMinutes(30));

    assertThat(await(auth.authenticate(success.token()))).isEmpty();
    clock.advance(Duration.ofMinutes(1));
    assertThat(await(auth.authenticate(success.token()))).as("and stays ended").isEmpty();
  }

  @Test
  void steadyUseKeepsASessionAliveWhileLastUseIsWrittenAtMostOnceAMinute() {
    Success success = (Success) login(user(Role.SDR), PASSWORD);
    String sessionId = success.claims().sessionId();
    Instant signedIn = clock.instant();

    clock.advance(Duration.ofSeconds(20));
    assertThat(await(auth.authenticate(success.token()))).isPresent();
    clock.advance(Duration.ofSeconds(20));
    assertThat(await(auth.authenticate(success.token()))).isPresent();
    assertThat(await(sessions.findSession(sessionId)).orElseThrow().lastSeenAt()).as("not written yet")
        .isEqualTo(signedIn);
    clock.advance(Duration.ofSeconds(20));
    assertThat(await(auth.authenticate(success.token()))).isPresent();
    assertThat(await(sessions.findSession(sessionId)).orElseThrow().lastSeenAt()).isEqualTo(clock.instant());

    for (int use = 0; use < 6; use++) {
      clock.advance(Duration.ofMinutes(25));
      assertThat(await(auth.authenticate(success.token()))).as("after %d uses", use).isPresent();
    }
    clock.advance(Duration.ofMinutes(31));
    assertThat(await(auth.authenticate(success.token()))).isEmpty();
  }

  @Test
  void loggingOutEndsTheSessionAtOnce() {
    User sdr = user(Role.SDR);
    Success first = (Success) login(sdr, PASSWORD);
    Success second = (Success) login(sdr, PASSWORD);
    assertThat(await(auth.authenticate(first.token()))).isPresent();

    assertThat(await(auth.logout(first.claims()))).isTrue();

    assertThat(await(auth.authenticate(first.token()))).isEmpty();
    assertThat(await(auth.authenticate(second.token()))).as("another device stays signed in").isPresent();
    assertThat(await(auth.logout(first.claims()))).isFalse();
  }

  @Test
  void aTamperedOrForeignTokenIsRejected() {
    Success success = (Success) login(user(Role.SDR), PASSWORD);
    String token = success.token();
    String[] parts = token.split("\\.");
    String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
    String promoted = Base64.getUrlEncoder().withoutPadding()
        .encodeToString(payload.replace("\"SDR\"", "\"Admin\"").getBytes(StandardCharsets.UTF_8));
    AccessTokens otherKey = new AccessTokens(
        "another-signing-key-of-at-least-thirty-two-bytes".getBytes(StandardCharsets.UTF_8), Duration.ofHours(24),
        clock);
    String foreign = otherKey.issue(success.claims().tenantId(), success.claims().userId(), Role.ADMIN,
        success.claims().sessionId(), true).token();

    assertThat(await(auth.authenticate(parts[0] + "." + promoted + "." + parts[2]))).isEmpty();
    assertThat(await(auth.authenticate(foreign))).isEmpty();
    assertThat(await(auth.authenticate("garbage"))).isEmpty();
    assertThat(await(auth.authenticate(null))).isEmpty();
    assertThat(await(auth.authenticate(token))).isPresent();
  }

  /** Time the test moves by hand; every component reads it. */
  static final class MovableClock extends Clock {
    private volatile Instant now;

    MovableClock(Instant start) {
      this.now = start;
    }

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
