package io.flexoraa.persistence.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.flexoraa.engine.access.LoginThrottle;
import io.flexoraa.engine.access.Role;
import io.flexoraa.persistence.Jdbc;
import io.flexoraa.persistence.TestDatabase;
import io.flexoraa.persistence.users.UserSessions.Session;
import io.flexoraa.persistence.users.UserStore.Created;
import io.flexoraa.persistence.users.UserStore.EmailTaken;
import io.flexoraa.persistence.users.UserStore.FailedLogin;
import io.flexoraa.persistence.users.UserStore.NewUser;
import io.flexoraa.persistence.users.UserStore.User;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class UserStoreTest {
  private static final Instant START = Instant.parse("2025-03-01T10:00:00Z");

  private static TestDatabase db;
  private static ExecutorService blocking;
  private static MovableClock clock;
  private static UserStore store;
  private static UserSessions sessions;
  private static LoginThrottle throttle;

  @BeforeAll
  static void start() {
    db = TestDatabase.open();
    blocking = Executors.newFixedThreadPool(8);
    clock = new MovableClock(START);
    Jdbc jdbc = new Jdbc(db.dataSource(), blocking);
    store = new UserStore(jdbc, clock);
    sessions = new UserSessions(jdbc, clock);
    throttle = new LoginThrottle(new LoginThrottle.Settings(5, Duration.ofMinutes(1), Duration.ofHours(1)), clock);
  }

  @AfterAll
  static void stop() {
    blocking.shutdownNow();
    db.close();
  }

  private static <T> T await(CompletionStage<T> stage) {
    return stage.toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
  }

  private static String tenant() {
    return "tenant-" + UUID.randomUUID();
  }

  private static String uniqueEmail(String local) {
    return local + "-" + UUID.randomUUID() + "@example.com";
  }

  private static User create(String tenant, String email, Role role) {
    NewUser user = new NewUser(tenant, UUID.randomUUID().toString(), email, "Asha Rao", role, "$argon2id$hash");
    return ((Created) await(store.create(user))).user();
  }

  // ---- users ----

  @Test
  void aCreatedUserIsFoundByIdAndByEmailInAnyCase() {
    String tenant = tenant();
    String email = uniqueEmail("Asha.Rao");
    User created = create(tenant, "  " + email + " ", Role.SDR);

    assertThat(created.email()).isEqualTo(email.toLowerCase());
    assertThat(created.role()).isEqualTo(Role.SDR);
    assertThat(created.active()).isTrue();
    assertThat(created.mfaEnrolled()).isFalse();
    assertThat(created.failedAttempts()).isZero();
    assertThat(created.createdAt()).isEqualTo(clock.instant());
    assertThat(await(store.find(tenant, created.userId()))).contains(created);
    assertThat(await(store.findByEmail(email.toUpperCase()))).contains(created);
    assertThat(await(store.findByEmail(" " + email.toLowerCase() + " "))).contains(created);
    assertThat(await(store.findByEmail("nobody-" + UUID.randomUUID() + "@example.com"))).isEmpty();
    assertThat(await(store.findByEmail(null))).isEmpty();
  }

  @Test
  void anEmailIsUniqueAcrossTenantsWhateverItsCase() {
    String email = uniqueEmail("dup");
    create(tenant(), email, Role.ADMIN);

    NewUser sameInOtherCase =
        new NewUser(tenant(), UUID.randomUUID().toString(), email.toUpperCase(), "Other", Role.SDR, "$argon2id$x");
    assertThat(await(store.create(sameInOtherCase))).isEqualTo(new EmailTaken(email.toUpperCase()));
  }

  @Test
  void aTakenEmailLeavesTheCallersTransactionUsable() throws SQLException {
    String tenant = tenant();
    String email = uniqueEmail("tx");
    try (Connection connection = db.dataSource().getConnection()) {
      connection.setAutoCommit(false);
      assertThat(store.create(connection, new NewUser(tenant, "u1", email, "One", Role.SDR, "h")))
          .isInstanceOf(Created.class);
      assertThat(store.create(connection, new NewUser(tenant, "u2", email, "Two", Role.SDR, "h")))
          .isInstanceOf(EmailTaken.class);
      assertThat(store.create(connection, new NewUser(tenant, "u3", uniqueEmail("tx3"), "Three", Role.SDR, "h")))
          .isInstanceOf(Created.class);
      connection.commit();
    }
    assertThat(await(store.list(tenant))).extracting(User::userId).containsExactly("u1", "u3");
  }

  @Test
  void aRolledBackCreationLeavesNoUser() throws SQLException {
    String tenant = tenant();
    try (Connection connection = db.dataSource().getConnection()) {
      connection.setAutoCommit(false);
      store.create(connection, new NewUser(tenant, "u1", uniqueEmail("rollback"), "One", Role.SDR, "h"));
      connection.rollback();
    }
    assertThat(await(store.list(tenant))).isEmpty();
  }

  @Test
  void listShowsOnlyTheTenantsOwnUsers() {
    String tenant = tenant();
    User first = create(tenant, uniqueEmail("a"), Role.ADMIN);
    clock.advance(Duration.ofSeconds(1));
    User second = create(tenant, uniqueEmail("b"), Role.SDR);
    create(tenant(), uniqueEmail("other"), Role.SDR);

    assertThat(await(store.list(tenant))).containsExactly(first, second);
  }

  @Test
  void theHashAndSecretsAreNeitherPrintedNorSerialised() throws Exception {
    User user = create(tenant(), uniqueEmail("secret"), Role.ADMIN);
    await(store.setPendingMfaSecret(user.tenantId(), user.userId(), "pending-ciphertext"));
    User withSecret = await(store.find(user.tenantId(), user.userId())).orElseThrow();
    ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule());

    assertThat(withSecret.toString()).doesNotContain("argon2", "pending-ciphertext");
    assertThat(json.writeValueAsString(withSecret))
        .contains(withSecret.email())
        .doesNotContain("argon2", "pending-ciphertext", "passwordHash", "mfaLastStep");
    assertThat(new NewUser("t", "u", "e@x.io", "n", Role.SDR, "$argon2id$hash").toString()).doesNotContain("argon2");
  }

  @Test
  void changingTheRoleReportsThePreviousOneAndEndsTheUsersSessions() {
    User user = create(tenant(), uniqueEmail("role"), Role.ADMIN);
    Session open = await(sessions.openSession(user.tenantId(), user.userId(), true, clock.instant().plusSeconds(3600)));

    UserStore.RoleChange change = await(store.changeRole(user.tenantId(), user.userId(), Role.AUDITOR)).orElseThrow();

    assertThat(change.previousRole()).isEqualTo(Role.ADMIN);
    assertThat(change.user().role()).isEqualTo(Role.AUDITOR);
    assertThat(await(store.find(user.tenantId(), user.userId())).orElseThrow().role()).isEqualTo(Role.AUDITOR);
    assertThat(await(sessions.findSession(open.sessionId())).orElseThrow().revokedAt()).isEqualTo(clock.instant());
    assertThat(await(store.changeRole(user.tenantId(), "nobody", Role.SDR))).isEmpty();
    assertThat(await(store.changeRole("other-tenant", user.userId(), Role.SDR))).isEmpty();
  }

  @Test
  void settingTheSameRoleAgainLeavesSessionsOpen() {
    User user = create(tenant(), uniqueEmail("same-role"), Role.SDR);
    Session open = await(sessions.openSession(user.tenantId(), user.userId(), true, clock.instant().plusSeconds(3600)));

    assertThat(await(store.changeRole(user.tenantId(), user.userId(), Role.SDR)).orElseThrow().previousRole())
        .isEqualTo(Role.SDR);
    assertThat(await(sessions.findSession(open.sessionId())).orElseThrow().revokedAt()).isNull();
  }

  @Test
  void changingTheRoleOnTheCallersConnectionIsUndoneByItsRollback() throws SQLException {
    User user = create(tenant(), uniqueEmail("role-tx"), Role.MANAGER);
    try (Connection connection = db.dataSource().getConnection()) {
      connection.setAutoCommit(false);
      assertThat(store.changeRole(connection, user.tenantId(), user.userId(), Role.SDR)).isPresent();
      connection.rollback();
    }
    assertThat(await(store.find(user.tenantId(), user.userId())).orElseThrow().role()).isEqualTo(Role.MANAGER);
  }

  @Test
  void disablingAUserEndsAllTheirSessions() throws SQLException {
    User user = create(tenant(), uniqueEmail("disable"), Role.SDR);
    Instant expiry = clock.instant().plusSeconds(3600);
    Session first = await(sessions.openSession(user.tenantId(), user.userId(), true, expiry));
    Session second = await(sessions.openSession(user.tenantId(), user.userId(), false, expiry));

    Optional<User> disabled;
    try (Connection connection = db.dataSource().getConnection()) {
      disabled = store.disable(connection, user.tenantId(), user.userId());
    }

    assertThat(disabled.orElseThrow().status()).isEqualTo(UserStore.Status.DISABLED);
    assertThat(disabled.orElseThrow().active()).isFalse();
    assertThat(await(sessions.findSession(first.sessionId())).orElseThrow().revokedAt()).isNotNull();
    assertThat(await(sessions.findSession(second.sessionId())).orElseThrow().revokedAt()).isNotNull();
    assertThat(await(store.disable(user.tenantId(), "nobody"))).isEmpty();
    assertThat(await(store.setPendingMfaSecret(user.tenantId(), user.userId(), "x"))).isFalse();
  }

  // ---- failed sign-ins ----

  @Test
  void failuresAreCountedAndTheFifthLocksAsTheThrottleDecides() {
    User user = create(tenant(), uniqueEmail("fail"), Role.SDR);

    for (int attempt = 1; attempt <= 4; attempt++) {
      FailedLogin failed = await(store.recordFailedLogin(user.tenantId(), user.userId(), throttle)).orElseThrow();
      assertThat(failed).isEqualTo(new FailedLogin(attempt, null));
    }
    FailedLogin fifth = await(store.recordFailedLogin(user.tenantId(), user.userId(), throttle)).orElseThrow();
    assertThat(fifth).isEqualTo(new FailedLogin(5, clock.instant().plusSeconds(60)));
    FailedLogin sixth = await(store.recordFailedLogin(user.tenantId(), user.userId(), throttle)).orElseThrow();
    assertThat(sixth).isEqualTo(new FailedLogin(6, clock.instant().plusSeconds(120)));

    User stored = await(store.find(user.tenantId(), user.userId())).orElseThrow();
    assertThat(stored.failedAttempts()).isEqualTo(6);
    assertThat(stored.lockedUntil()).isEqualTo(clock.instant().plusSeconds(120));

    await(store.recordSuccessfulLogin(user.tenantId(), user.userId()));
    User reset = await(store.find(user.tenantId(), user.userId())).orElseThrow();
    assertThat(reset.failedAttempts()).isZero();
    assertThat(reset.lockedUntil()).isNull();
    assertThat(await(store.recordFailedLogin(user.tenantId(), "nobody", throttle))).isEmpty();
  }

  @Test
  void concurrentFailuresAreAllCounted() {
    User user = create(tenant(), uniqueEmail("race"), Role.SDR);
    List<CompletableFuture<Optional<FailedLogin>>> attempts = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      attempts.add(store.recordFailedLogin(user.tenantId(), user.userId(), throttle).toCompletableFuture());
    }
    List<Integer> counts = attempts.stream().map(attempt -> await(attempt).orElseThrow().failedAttempts()).toList();

    assertThat(counts).containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, 20).boxed().toList());
    assertThat(await(store.find(user.tenantId(), user.userId())).orElseThrow().failedAttempts()).isEqualTo(20);
  }

  // ---- second factor ----

  @Test
  void aConfirmedPendingSecretBecomesTheFactorAndItsStepCannotBeUsedAgain() {
    User user = create(tenant(), uniqueEmail("mfa"), Role.ADMIN);
    assertThat(await(store.setPendingMfaSecret(user.tenantId(), user.userId(), "pending-1"))).isTrue();
    assertThat(await(store.setPendingMfaSecret(user.tenantId(), user.userId(), "pending-2"))).isTrue();

    assertThat(await(store.confirmMfa(user.tenantId(), user.userId(), "pending-1", 100))).as("superseded").isFalse();
    assertThat(await(store.confirmMfa(user.tenantId(), user.userId(), "pending-2", 100))).isTrue();

    User enrolled = await(store.find(user.tenantId(), user.userId())).orElseThrow();
    assertThat(enrolled.mfaEnrolled()).isTrue();
    assertThat(enrolled.mfaSecretEncrypted()).isEqualTo("pending-2");
    assertThat(enrolled.mfaPendingSecretEncrypted()).isNull();
    assertThat(enrolled.mfaEnrolledAt()).isEqualTo(clock.instant());
    assertThat(enrolled.mfaLastStep()).isEqualTo(100L);

    assertThat(await(store.recordMfaStep(user.tenantId(), user.userId(), 100))).as("replay").isFalse();
    assertThat(await(store.recordMfaStep(user.tenantId(), user.userId(), 99))).as("older").isFalse();
    assertThat(await(store.recordMfaStep(user.tenantId(), user.userId(), 101))).isTrue();
    assertThat(await(store.recordMfaStep(user.tenantId(), user.userId(), 101))).as("replay").isFalse();
    assertThat(await(store.confirmMfa(user.tenantId(), user.userId(), "pending-2", 102))).as("nothing pending")
        .isFalse();
  }

  // ---- sessions ----

  @Test
  void aSessionIsOpenedFoundTouchedAndRevoked() {
    User user = create(tenant(), uniqueEmail("session"), Role.SDR);
    Instant opened = clock.instant();
    Session session = await(sessions.openSession(user.tenantId(), user.userId(), false, opened.plusSeconds(86_400)));

    assertThat(session.sessionId()).hasSizeGreaterThanOrEqualTo(43);
    assertThat(session.secondFactor()).isFalse();
    assertThat(session.lastSeenAt()).isEqualTo(opened);
    assertThat(session.toString()).doesNotContain(session.sessionId());
    assertThat(await(sessions.findSession(session.sessionId()))).contains(session);

    Instant later = opened.plus(Duration.ofMinutes(10));
    Session touched = await(sessions.touchSession(session.sessionId(), later, Duration.ofMinutes(30))).orElseThrow();
    assertThat(touched.lastSeenAt()).isEqualTo(later);
    assertThat(touched.liveAt(later, Duration.ofMinutes(30))).isTrue();
    assertThat(await(sessions.touchSession(session.sessionId(), opened, Duration.ofMinutes(30))).orElseThrow()
        .lastSeenAt()).as("never moves back").isEqualTo(later);

    assertThat(await(sessions.revokeSession(session.sessionId()))).isTrue();
    assertThat(await(sessions.revokeSession(session.sessionId()))).isFalse();
    Session revoked = await(sessions.findSession(session.sessionId())).orElseThrow();
    assertThat(revoked.revokedAt()).isEqualTo(clock.instant());
    assertThat(revoked.liveAt(later, Duration.ofMinutes(30))).isFalse();
    assertThat(await(sessions.touchSession(session.sessionId(), later, Duration.ofMinutes(30)))).isEmpty();
    assertThat(await(sessions.findSession("no-such-session"))).isEmpty();
  }

  @Test
  void touchingNeverRevivesAnIdleOrExpiredSession() {
    User user = create(tenant(), uniqueEmail("idle"), Role.SDR);
    Instant opened = clock.instant();
    Session session =
        await(sessions.openSession(user.tenantId(), user.userId(), true, opened.plus(Duration.ofHours(1))));
    Duration idle = Duration.ofMinutes(30);

    assertThat(await(sessions.touchSession(session.sessionId(), opened.plus(idle), idle))).isEmpty();
    assertThat(session.liveAt(opened.plus(idle), idle)).isFalse();
    assertThat(session.liveAt(opened.plus(idle).minusSeconds(1), idle)).isTrue();

    await(sessions.touchSession(session.sessionId(), opened.plus(Duration.ofMinutes(29)), idle)).orElseThrow();
    await(sessions.touchSession(session.sessionId(), opened.plus(Duration.ofMinutes(58)), idle)).orElseThrow();
    assertThat(await(sessions.touchSession(session.sessionId(), opened.plus(Duration.ofHours(1)), idle)))
        .as("expired").isEmpty();
  }

  @Test
  void revokingAUsersSessionsLeavesOtherUsersAlone() {
    String tenant = tenant();
    User alice = create(tenant, uniqueEmail("alice"), Role.SDR);
    User bob = create(tenant, uniqueEmail("bob"), Role.SDR);
    Instant expiry = clock.instant().plusSeconds(3600);
    await(sessions.openSession(tenant, alice.userId(), true, expiry));
    await(sessions.openSession(tenant, alice.userId(), true, expiry));
    Session bobs = await(sessions.openSession(tenant, bob.userId(), true, expiry));

    assertThat(await(sessions.revokeSessionsOf(tenant, alice.userId()))).isEqualTo(2);
    assertThat(await(sessions.revokeSessionsOf(tenant, alice.userId()))).isZero();
    assertThat(await(sessions.findSession(bobs.sessionId())).orElseThrow().revokedAt()).isNull();
  }

  @Test
  void aSessionNeedsAnExistingUser() {
    assertThatThrownBy(() -> await(sessions.openSession(tenant(), "nobody", true, clock.instant().plusSeconds(60))))
        .hasCauseInstanceOf(Jdbc.DatabaseException.class);
  }

  @Test
  void theApplicationRoleSeesOnlyItsTenantsUsersAndSessions() throws SQLException {
    String tenant = tenant();
    User mine = create(tenant, uniqueEmail("mine"), Role.SDR);
    create(tenant(), uniqueEmail("theirs"), Role.SDR);
    await(sessions.openSession(tenant, mine.userId(), true, clock.instant().plusSeconds(60)));

    try (Connection connection = db.dataSource().getConnection()) {
      connection.setAutoCommit(false);
      try (var statement = connection.createStatement()) {
        statement.execute("SET LOCAL ROLE flexoraa_app");
        statement.execute("SELECT set_config('app.tenant_id', '" + tenant + "', true)");
        try (var rows = statement.executeQuery("SELECT count(*), min(tenant_id), max(tenant_id) FROM users")) {
          rows.next();
          assertThat(rows.getLong(1)).isEqualTo(1);
          assertThat(rows.getString(2)).isEqualTo(tenant);
        }
        try (var rows = statement.executeQuery("SELECT count(*), min(tenant_id) FROM user_sessions")) {
          rows.next();
          assertThat(rows.getLong(1)).isEqualTo(1);
          assertThat(rows.getString(2)).isEqualTo(tenant);
        }
      }
      connection.rollback();
    }
  }

  /** Time the test moves by hand; the store reads it for the timestamps it keeps. */
  static final class MovableClock extends Clock {
    private volatile Instant now;

    MovableClock(Instant start) {
      this.now = start.truncatedTo(ChronoUnit.MICROS);
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
