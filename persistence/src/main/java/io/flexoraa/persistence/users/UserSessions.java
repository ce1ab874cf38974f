package io.flexoraa.persistence.users;

import io.flexoraa.persistence.Jdbc;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The sign-in sessions of the users {@link UserStore} keeps, in PostgreSQL. Sessions are kept on the server, not only
 * in the signed access token, for two reasons: revocation (logging out, disabling a user or changing their role must
 * end a session at once, on every node, although the token it was issued under is still validly signed) and the idle
 * timeout (a session unused for a while ends even though its token has not expired, which needs its last use written
 * somewhere every node can see). Whether a session is still good is decided by the caller; this class keeps the rows
 * and makes each change atomic, so touching a session can never revive one that has already timed out.
 *
 * <p>Ending sessions as part of a change to the user (a new role, disabling, a new password) is not done here: it is
 * in the same statement as that change, in {@link UserStore}.
 *
 * <p>The timestamps this class sets itself (created and first seen when a session opens, revoked) come from the
 * injected clock, so that tests can move time; a touch is given its time by the caller.
 */
public final class UserSessions {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int SESSION_ID_BYTES = 32;

  private static final String SESSION_COLUMNS =
      "session_id, tenant_id, user_id, created_at, last_seen_at, expires_at, second_factor, revoked_at";

  private final Jdbc jdbc;
  private final Clock clock;

  public UserSessions(Jdbc jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  // ---- record ----

  /** One sign-in. {@code secondFactor} false: the session may only enrol and verify a TOTP factor. */
  public record Session(
      String sessionId,
      String tenantId,
      String userId,
      Instant createdAt,
      Instant lastSeenAt,
      Instant expiresAt,
      boolean secondFactor,
      Instant revokedAt) {

    /** Not revoked, not past its expiry, and used within {@code idleTimeout}. */
    public boolean liveAt(Instant now, Duration idleTimeout) {
      return revokedAt == null && now.isBefore(expiresAt) && now.isBefore(lastSeenAt.plus(idleTimeout));
    }

    @Override
    public String toString() {
      // the id is what a token names; a log line does not need all of it
      return "Session[" + sessionId.substring(0, Math.min(6, sessionId.length())) + "…, tenantId=" + tenantId
          + ", userId=" + userId + ", expiresAt=" + expiresAt + ", secondFactor=" + secondFactor
          + ", revokedAt=" + revokedAt + "]";
    }
  }

  // ---- sessions ----

  /** A new session with a random id, last seen now. */
  public CompletionStage<Session> openSession(
      String tenantId, String userId, boolean secondFactor, Instant expiresAt) {
    return jdbc.async(connection -> {
      Instant now = clock.instant();
      try (PreparedStatement insert = connection.prepareStatement(
          "INSERT INTO user_sessions (session_id, tenant_id, user_id, created_at, last_seen_at, expires_at,"
              + " second_factor) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING " + SESSION_COLUMNS)) {
        insert.setString(1, newSessionId());
        insert.setString(2, tenantId);
        insert.setString(3, userId);
        insert.setTimestamp(4, Timestamp.from(now));
        insert.setTimestamp(5, Timestamp.from(now));
        insert.setTimestamp(6, Timestamp.from(expiresAt));
        insert.setBoolean(7, secondFactor);
        return readSession(insert).orElseThrow();
      }
    });
  }

  public CompletionStage<Optional<Session>> findSession(String sessionId) {
    return jdbc.async(connection -> {
      try (PreparedStatement select = connection.prepareStatement(
          "SELECT " + SESSION_COLUMNS + " FROM user_sessions WHERE session_id = ?")) {
        select.setString(1, sessionId);
        return readSession(select);
      }
    });
  }

  /**
   * Moves last_seen_at to {@code seenAt}, only for a session that is still live then (not revoked, not expired,
   * last seen less than {@code idleTimeout} before): touching must never revive a session that has already timed
   * out. Returns the touched session, or empty when it is gone or no longer live.
   */
  public CompletionStage<Optional<Session>> touchSession(String sessionId, Instant seenAt, Duration idleTimeout) {
    return jdbc.async(connection -> {
      try (PreparedStatement update = connection.prepareStatement(
          "UPDATE user_sessions SET last_seen_at = GREATEST(last_seen_at, ?)"
              + " WHERE session_id = ? AND revoked_at IS NULL AND expires_at > ? AND last_seen_at > ?"
              + " RETURNING " + SESSION_COLUMNS)) {
        update.setTimestamp(1, Timestamp.from(seenAt));
        update.setString(2, sessionId);
        update.setTimestamp(3, Timestamp.from(seenAt));
        update.setTimestamp(4, Timestamp.from(seenAt.minus(idleTimeout)));
        return readSession(update);
      }
    });
  }

  /** True when this call revoked it; false when it was unknown or already revoked. */
  public CompletionStage<Boolean> revokeSession(String sessionId) {
    return jdbc.async(connection -> {
      try (PreparedStatement update = connection.prepareStatement(
          "UPDATE user_sessions SET revoked_at = ? WHERE session_id = ? AND revoked_at IS NULL")) {
        update.setTimestamp(1, Timestamp.from(clock.instant()));
        update.setString(2, sessionId);
        return update.executeUpdate() == 1;
      }
    });
  }

  /** Ends every open session of the user; returns how many were open. */
  public CompletionStage<Integer> revokeSessionsOf(String tenantId, String userId) {
    return jdbc.async(connection -> {
      try (PreparedStatement update = connection.prepareStatement(
          "UPDATE user_sessions SET revoked_at = ? WHERE tenant_id = ? AND user_id = ? AND revoked_at IS NULL")) {
        update.setTimestamp(1, Timestamp.from(clock.instant()));
        update.setString(2, tenantId);
        update.setString(3, userId);
        return update.executeUpdate();
      }
    });
  }

  // ---- helpers ----

  /** 256 random bits: the id is checked on every request, so it must not be guessable even though tokens are signed. */
  private static String newSessionId() {
    byte[] value = new byte[SESSION_ID_BYTES];
    RANDOM.nextBytes(value);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
  }

  private static Optional<Session> readSession(PreparedStatement statement) throws SQLException {
    try (ResultSet rows = statement.executeQuery()) {
      if (!rows.next()) return Optional.empty();
      return Optional.of(new Session(
          rows.getString("session_id"),
          rows.getString("tenant_id"),
          rows.getString("user_id"),
          instant(rows, "created_at"),
          instant(rows, "last_seen_at"),
          instant(rows, "expires_at"),
          rows.getBoolean("second_factor"),
          instant(rows, "revoked_at")));
    }
  }

  private static Instant instant(ResultSet rows, String column) throws SQLException {
    Timestamp value = rows.getTimestamp(column);
    return value == null ? null : value.toInstant();
  }
}
