package io.flexoraa.http.auth;

import io.flexoraa.engine.access.Role;
import java.time.Instant;

/**
 * Who a verified access token speaks for. {@code secondFactor} says whether the session has met the second-factor
 * requirement: true when a TOTP code was verified, or when neither the role nor the account asks for one (an SDR
 * without an enrolled factor); false only for an Admin or Manager who has not finished TOTP enrolment, whose token
 * may do nothing but enrol and verify ({@link #restrictedToMfaEnrolment()}).
 */
public record Claims(
    String tenantId,
    String userId,
    Role role,
    String sessionId,
    boolean secondFactor,
    Instant issuedAt,
    Instant expiresAt) {

  /** The token may only be used to enrol and verify a TOTP factor. */
  public boolean restrictedToMfaEnrolment() {
    return !secondFactor;
  }

  @Override
  public String toString() {
    // the session id is what the token names; a log line does not need all of it
    return "Claims[tenantId=" + tenantId + ", userId=" + userId + ", role=" + role + ", session="
        + sessionId.substring(0, Math.min(6, sessionId.length())) + "…, secondFactor=" + secondFactor
        + ", expiresAt=" + expiresAt + "]";
  }
}
