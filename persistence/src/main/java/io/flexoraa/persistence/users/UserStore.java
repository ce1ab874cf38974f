package io.flexoraa.persistence.users;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.flexoraa.engine.access.LoginThrottle;
import io.flexoraa.engine.access.Role;
import io.flexoraa.persistence.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The people who sign in to a tenant, in PostgreSQL; their sign-in sessions are kept by {@link UserSessions}. Every
 * decision (whether a password is right, how long a lock lasts) is made by the caller; this class keeps the rows
 * and makes each change atomic, so two nodes handling the same user at once cannot lose a failed attempt or accept
 * one TOTP code twice. Emails are lower-cased by PostgreSQL itself, the same {@code lower()} the table's CHECK uses.
 *
 * <p>Creating users, changing their role and disabling them also come in a variant on the caller's connection, so
 * that an audit entry can be written in the same transaction. Changing a role or disabling a user ends that user's
 * sessions in the same statement: an access token carries the role it was issued with, and must not outlive it.
 * (Changing a password likewise ends the user's other sessions.) Those statements stay here rather than going
 * through {@link UserSessions}, so that each change and the sessions it ends are one statement.
 *
 * <p>The timestamps this class keeps for itself (created, updated, enrolled, and revoked for the sessions a change
 * ends) come from the injected clock, so that tests can move time.
 */
public final class UserStore {
  private static final String USER_COLUMNS =
      "tenant_id, user_id, email, name, role, password_hash, mfa_secret_enc, mfa_pending_secret_enc,"
          + " mfa_enrolled_at, mfa_last_step, failed_attempts, locked_until, status, created_at, updated_at";

  private final Jdbc jdbc;
  private final Clock clock;

  public UserStore(Jdbc jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  // ---- records ----

  public enum Status {
    ACTIVE("active"),
    DISABLED("disabled");

    private final String databaseValue;

    Status(String databaseValue) {
      this.databaseValue = databaseValue;
    }

    public String databaseValue() {
      return databaseValue;
    }

    static Status fromDatabase(String value) {
      for (Status status : values()) if (status.databaseValue.equals(value)) return status;
      throw new IllegalStateException("unknown user status in the database: " + value);
    }
  }

  /**
   * A user as stored. The password hash and the encrypted TOTP secrets are here because sign-in needs them; they
   * are left out of {@link #toString()} (logs) and of JSON, so printing or serialising a user never leaks them.
   * Nullable: the MFA fields until a factor is enrolled, {@code lockedUntil} when not locked.
   */
  public record User(
      String tenantId,
      String userId,
      String email,
      String name,
      Role role,
      @JsonIgnore String passwordHash,
      @JsonIgnore String mfaSecretEncrypted,
      @JsonIgnore String mfaPendingSecretEncrypted,
      Instant mfaEnrolledAt,
      @JsonIgnore Long mfaLastStep,
      int failedAttempts,
      Instant lockedUntil,
      Status status,
      Instant createdAt,
      Instant updatedAt) {

    @JsonIgnore
    public boolean active() {
      return status == Status.ACTIVE;
    }

    /** A confirmed second factor; a pending enrolment does not count. */
    @JsonIgnore
    public boolean mfaEnrolled() {
      return mfaSecretEncrypted != null;
    }

    @Override
    public String toString() {
      return "User[tenantId=" + tenantId + ", userId=" + userId + ", email=" + email + ", name=" + name
          + ", role=" + role + ", mfaEnrolledAt=" + mfaEnrolledAt + ", failedAttempts=" + failedAttempts
          + ", lockedUntil=" + lockedUntil + ", status=" + status + ", createdAt=" + createdAt
          + ", updatedAt=" + updatedAt + "]";
    }
  }

  /** What creating a user needs; the id comes from the caller, the email is lower-cased on the way in. */
  public record NewUser(String tenantId, String userId, String email, String name, Role role, String passwordHash) {
    public NewUser {
      Objects.requireNonNull(tenantId, "tenantId");
      Objects.requireNonNull(userId, "userId");
      Objects.requireNonNull(email, "email");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(role, "role");
      Objects.requireNonNull(passwordHash, "passwordHash");
      email = email.trim();
    }

    @Override
    public String toString() {
      return "NewUser[tenantId=" + tenantId + ", userId=" + userId + ", email=" + email + ", name=" + name
          + ", role=" + role + "]";
    }
  }

  /** An email is unique on the whole platform; taking a used one is an expected outcome, not an error. */
  public sealed interface CreateOutcome permits Created, EmailTaken {}

  public record Created(User user) implements CreateOutcome {}

  public record EmailTaken(String email) implements CreateOutcome {}

  /** The user after the change and the role before it, for the audit trail. */
  public record RoleChange(User user, Role previousRole) {}

  /** The consecutive failures counted so far and the lock they earned (null: none). */
  public record FailedLogin(int failedAttempts, Instant lockedUntil) {}

  // ---- users ----

  public CompletionStage<CreateOutcome> create(NewUser user) {
    return jdbc.async(connection -> create(connection, user));
  }

  /**
   * On the caller's connection and transaction. A taken email is detected with ON CONFLICT, not by catching the
   * unique violation, so the caller's transaction stays usable either way.
   */
  public CreateOutcome create(Connection connection, NewUser user) throws SQLException {
    Instant now = clock.instant();
    try (PreparedStatement insert = connection.prepareStatement(
        "INSERT INTO users (tenant_id, user_id, email, name, role, password_hash, status, created_at, updated_at)"
            + " VALUES (?, ?, lower(?), ?, ?, ?, 'active', ?, ?) ON CONFLICT (email) DO NOTHING"
            + " RETURNING " + USER_COLUMNS)) {
      insert.setString(1, user.tenantId());
      insert.setString(2, user.userId());
      insert.setString(3, user.email());
      insert.setString(4, user.name());
      insert.setString(5, user.role().displayName());
      insert.setString(6, user.passwordHash());
      insert.setTimestamp(7, Timestamp.from(now));
      insert.setTimestamp(8, Timestamp.from(now));
      Optional<User> created = readUser(insert);
      return created.<CreateOutcome>map(Created::new).orElseGet(() -> new EmailTaken(user.email()));
    }
  }

  /** Across all tenants: sign-in asks only for the email. Case and surrounding blanks do not matter. */
  public CompletionStage<Optional<User>> findByEmail(String email) {
    return jdbc.async(connection -> {
      try (PreparedStatement select = connection.prepareStatement(
          "SELECT " + USER_COLUMNS + " FROM users WHERE email = lower(?)")) {
        select.setString(1, email == null ? "" : email.trim());
        return readUser(select);
      }
    });
  }

  public CompletionStage<Optional<User>> find(String tenantId, String userId) {
    return jdbc.async(connection -> {
      try (PreparedStatement select = connection.prepareStatement(
          "SELECT " + USER_COLUMNS + " FROM users WHERE tenant_id = ? AND user_id = ?")) {
        select.setString(1, tenantId);
        select.setString(2, userId);
        return readUser(select);
      }
    });
  }

  public CompletionStage<List<User>> list(String tenantId) {
    return jdbc.async(connection -> {
      try (PreparedStatement select = connection.prepareStatement(
          "SELECT " + USER_COLUMNS + " FROM users WHERE tenant_id = ? ORDER BY created_at, email")) {
        select.setString(1, tenantId);
        return readUsers(select);
      }
    });
  }

  public CompletionStage<Optional<RoleChange>> changeRole(String tenantId, String userId, Role role) {
    return jdbc.async(connection -> changeRole(connection, tenantId, userId, role));
  }

  /**
   * Sets the role and, when it differs from the old one, revokes the user's open sessions, in one statement; empty
   * when there is no such user.
   */
  public Optional<RoleChange> changeRole(Connection connection, String tenantId, String userId, Role role)
      throws SQLException {
    Instant now = clock.instant();
    try (PreparedStatement update = connection.prepareStatement(
        "WITH previous AS (SELECT role FROM users WHERE tenant_id = ? AND user_id = ?),"
            + " changed AS (UPDATE users SET role = ?, updated_at = ? WHERE tenant_id = ? AND user_id = ?"
            + "   RETURNING " + USER_COLUMNS + "),"
            + " ended AS (UPDATE user_sessions SET revoked_at = ?"
            + "   WHERE tenant_id = ? AND user_id = ? AND revoked_at IS NULL"
            + "   AND EXISTS (SELECT 1 FROM previous WHERE previous.role <> ?))"
            + " SELECT changed.*, previous.role AS previous_role FROM changed CROSS JOIN previous")) {
      update.setString(1, tenantId);
      update.setString(2, userId);
      update.setString(3, role.displayName());
      update.setTimestamp(4, Timestamp.from(now));
      update.setString(5, tenantId);
      update.setString(6, userId);
      update.setTimestamp(7, Timestamp.from(now));
      update.setString(8, tenantId);
      update.setString(9, userId);
      update.setString(10, role.displayName());
      try (ResultSet rows = update.executeQuery()) {
        if (!rows.next()) return Optional.empty();
        return Optional.of(new RoleChange(user(rows), role(rows.getString("previous_role"))));
      }
    }
  }

  public CompletionStage<Optional<User>> disable(String tenantId, String userId) {
    return jdbc.async(connection -> disable(connection, tenantId, userId));
  }

  /** Marks the user disabled and revokes their open sessions, in one statement; empty when there is no such user. */
  public Optional<User> disable(Connection connection, String tenantId, String userId) throws SQLException {
    Instant now = clock.instant();
    try (PreparedStatement update = connection.prepareStatement(
        "WITH changed AS (UPDATE users SET status = 'disabled', updated_at = ? WHERE tenant_id = ? AND user_id = ?"
            + "   RETURNING " + USER_COLUMNS + "),"
            + " ended AS (UPDATE user_sessions SET revoked_at = ?"
            + "   WHERE tenant_id = ? AND user_id = ? AND revoked_at IS NULL)"
            + " SELECT * FROM changed")) {
      update.setTimestamp(1, Timestamp.from(now));
      update.setString(2, tenantId);
      update.setString(3, userId);
      update.setTimestamp(4, Timestamp.from(now));
      update.setString(5, tenantId);
      update.setString(6, userId);
      return readUser(update);
    }
  }

  /**
   * Sets a new password hash and ends every other open session of the user (whoever knew the old password is signed
   * out), in one statement; false when there is no such active user.
   */
  public boolean changePassword(Connection connection, String tenantId, String userId, String passwordHash,
      String keepSessionId) throws SQLException {
    Instant now = clock.instant();
    try (PreparedStatement update = connection.prepareStatement(
        "WITH changed AS (UPDATE users SET password_hash = ?, updated_at = ? WHERE tenant_id = ? AND user_id = ?"
            + "   AND status = 'active' RETURNING user_id),"
            + " ended AS (UPDATE user_sessions SET revoked_at = ?"
            + "   WHERE tenant_id = ? AND user_id = ? AND revoked_at IS NULL AND session_id <> ?"
            + "   AND EXISTS (SELECT 1 FROM changed))"
            + " SELECT count(*) FROM changed")) {
      update.setString(1, passwordHash);
      update.setTimestamp(2, Timestamp.from(now));
      update.setString(3, tenantId);
      update.setString(4, userId);
      update.setTimestamp(5, Timestamp.from(now));
      update.setString(6, tenantId);
      update.setString(7, userId);
      update.setString(8, keepSessionId);
      try (ResultSet rows = update.executeQuery()) {
        return rows.next() && rows.getLong(1) == 1;
      }
    }
  }

  // ---- sign-in bookkeeping ----

  /**
   * Counts one more consecutive failure and sets the lock the throttle decides for the new count, in one
   * transaction: the row stays locked in between, so concurrent failures on several nodes each count and the lock
   * always matches the count. Empty when there is no such user.
   */
  public CompletionStage<Optional<FailedLogin>> recordFailedLogin(
      String tenantId, String userId, LoginThrottle throttle) {
    return jdbc.async(connection -> inTransaction(connection, () -> {
      int failures;
      try (PreparedStatement count = connection.prepareStatement(
          "UPDATE users SET failed_attempts = failed_attempts + 1 WHERE tenant_id = ? AND user_id = ?"
              + " RETURNING failed_attempts")) {
        count.setString(1, tenantId);
        count.setString(2, userId);
        try (ResultSet rows = count.executeQuery()) {
          if (!rows.next()) return Optional.<FailedLogin>empty();
          failures = rows.getInt(1);
        }
      }
      Optional<Instant> lockedUntil = throttle.lockedUntilAfter(failures);
      if (lockedUntil.isPresent()) {
        try (PreparedStatement lock = connection.prepareStatement(
            "UPDATE users SET locked_until = ? WHERE tenant_id = ? AND user_id = ?")) {
          lock.setTimestamp(1, Timestamp.from(lockedUntil.get()));
          lock.setString(2, tenantId);
          lock.setString(3, userId);
          lock.executeUpdate();
        }
      }
      return Optional.of(new FailedLogin(failures, lockedUntil.orElse(null)));
    }));
  }

  /** Resets the failure count and any lock; writes nothing when there is nothing to reset (the usual case). */
  public CompletionStage<Void> recordSuccessfulLogin(String tenantId, String userId) {
    return jdbc.async(connection -> {
      try (PreparedStatement update = connection.prepareStatement(
          "UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE tenant_id = ? AND user_id = ?"
              + " AND (failed_attempts <> 0 OR locked_until IS NOT NULL)")) {
        update.setString(1, tenantId);
        update.setString(2, userId);
        update.executeUpdate();
        return null;
      }
    });
  }

  // ---- second factor ----

  /** Replaces any earlier pending secret; false when there is no such active user. */
  public CompletionStage<Boolean> setPendingMfaSecret(String tenantId, String userId, String encryptedSecret) {
    return jdbc.async(connection -> {
      try (PreparedStatement update = connection.prepareStatement(
          "UPDATE users SET mfa_pending_secret_enc = ?, updated_at = ?"
              + " WHERE tenant_id = ? AND user_id = ? AND status = 'active'")) {
        update.setString(1, encryptedSecret);
        update.setTimestamp(2, Timestamp.from(clock.instant()));
        update.setString(3, tenantId);
        update.setString(4, userId);
        return update.executeUpdate() == 1;
      }
    });
  }

  /**
   * Makes the pending secret the user's factor and records the step of the code that confirmed it, so that code
   * cannot also sign in. Only when the pending secret is still the one the code was checked against: a second
   * enrolment started in between wins, and this returns false.
   */
  public CompletionStage<Boolean> confirmMfa(
      String tenantId, String userId, String expectedPendingSecret, long confirmedStep) {
    return jdbc.async(connection -> {
      Instant now = clock.instant();
      try (PreparedStatement update = connection.prepareStatement(
          "UPDATE users SET mfa_secret_enc = mfa_pending_secret_enc, mfa_pending_secret_enc = NULL,"
              + " mfa_enrolled_at = ?, mfa_last_step = ?, updated_at = ?"
              + " WHERE tenant_id = ? AND user_id = ? AND status = 'active' AND mfa_pending_secret_enc = ?")) {
        update.setTimestamp(1, Timestamp.from(now));
        update.setLong(2, confirmedStep);
        update.setTimestamp(3, Timestamp.from(now));
        update.setString(4, tenantId);
        update.setString(5, userId);
        update.setString(6, expectedPendingSecret);
        return update.executeUpdate() == 1;
      }
    });
  }

  /**
   * Records that a code of time step {@code step} was used, only when it is later than the last one used: true
   * means this caller is the first to use it, so a code replayed on another node (or raced) is refused.
   */
  public CompletionStage<Boolean> recordMfaStep(String tenantId, String userId, long step) {
    return jdbc.async(connection -> {
      try (PreparedStatement update = connection.prepareStatement(
          "UPDATE users SET mfa_last_step = ? WHERE tenant_id = ? AND user_id = ?"
              + " AND (mfa_last_step IS NULL OR mfa_last_step < ?)")) {
        update.setLong(1, step);
        update.setString(2, tenantId);
        update.setString(3, userId);
        update.setLong(4, step);
        return update.executeUpdate() == 1;
      }
    });
  }

  // ---- helpers ----

  @FunctionalInterface
  private interface TransactionWork<T> {
    T apply() throws SQLException;
  }

  private static <T> T inTransaction(Connection connection, TransactionWork<T> work) throws SQLException {
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try {
      T result = work.apply();
      connection.commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(autoCommit);
    }
  }

  private static Optional<User> readUser(PreparedStatement statement) throws SQLException {
    List<User> users = readUsers(statement);
    return users.isEmpty() ? Optional.empty() : Optional.of(users.get(0));
  }

  private static List<User> readUsers(PreparedStatement statement) throws SQLException {
    List<User> users = new ArrayList<>();
    try (ResultSet rows = statement.executeQuery()) {
      while (rows.next()) users.add(user(rows));
    }
    return users;
  }

  private static User user(ResultSet rows) throws SQLException {
    long lastStep = rows.getLong("mfa_last_step");
    Long mfaLastStep = rows.wasNull() ? null : lastStep;
    return new User(
        rows.getString("tenant_id"),
        rows.getString("user_id"),
        rows.getString("email"),
        rows.getString("name"),
        role(rows.getString("role")),
        rows.getString("password_hash"),
        rows.getString("mfa_secret_enc"),
        rows.getString("mfa_pending_secret_enc"),
        instant(rows, "mfa_enrolled_at"),
        mfaLastStep,
        rows.getInt("failed_attempts"),
        instant(rows, "locked_until"),
        Status.fromDatabase(rows.getString("status")),
        instant(rows, "created_at"),
        instant(rows, "updated_at"));
  }

  private static Role role(String displayName) {
    return Role.parse(displayName)
        .orElseThrow(() -> new IllegalStateException("unknown role in the database: " + displayName));
  }

  private static Instant instant(ResultSet rows, String column) throws SQLException {
    Timestamp value = rows.getTimestamp(column);
    return value == null ? null : value.toInstant();
  }
}
