package io.flexoraa.http.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.typesafe.config.Config;
import io.flexoraa.engine.access.Role;
import io.flexoraa.http.Secrets;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signed access tokens (JWT, HS256) that name a user, their tenant and role, and the session they belong to. The
 * signature and expiry are checked here, with time from the injected clock; whether the session is still open is
 * checked by {@link AuthService#authenticate}, since only the database knows about logouts. A token is accepted
 * only with exactly the algorithm it was issued with, so neither "alg: none" nor a switched algorithm gets through.
 */
public final class AccessTokens {
  public static final String ISSUER = "flexoraa";
  /** HS256 needs a key at least as long as its output (RFC 7518 §3.2). */
  public static final int MINIMUM_SECRET_BYTES = 32;
  static final String SECRET_FILE = "jwt-secret";

  private static final Logger log = LoggerFactory.getLogger(AccessTokens.class);
  private static final JWSAlgorithm ALGORITHM = JWSAlgorithm.HS256;
  private static final String TENANT = "tenant";
  private static final String ROLE = "role";
  private static final String SESSION = "sid";
  private static final String SECOND_FACTOR = "mfa";

  private final MACSigner signer;
  private final MACVerifier verifier;
  private final Duration ttl;
  private final Clock clock;

  /** A token with its claims as issued, so the caller need not parse what it has just signed. */
  public record Issued(String token, Claims claims) {
    @Override
    public String toString() {
      return "Issued[" + claims + "]";
    }
  }

  public AccessTokens(byte[] secret, Duration ttl, Clock clock) {
    if (secret.length < MINIMUM_SECRET_BYTES) {
      throw new IllegalArgumentException(
          "the access-token secret must be at least " + MINIMUM_SECRET_BYTES + " bytes, it is " + secret.length);
    }
    try {
      this.signer = new MACSigner(secret);
      this.verifier = new MACVerifier(secret);
    } catch (JOSEException e) {
      throw new IllegalArgumentException("unusable access-token secret: " + e.getMessage());
    }
    this.ttl = ttl;
    this.clock = clock;
  }

  /**
   * From {@code flexoraa.auth}: the configured secret (FLEXORAA_JWT_SECRET), or the one kept in
   * {@code dataDirectory/jwt-secret}, created there on first start.
   */
  public static AccessTokens fromConfig(Config config, Path dataDirectory, Clock clock) {
    Config auth = config.getConfig("flexoraa.auth");
    String configured = auth.getString("jwt-secret").trim();
    String secret;
    if (!configured.isEmpty()) {
      secret = configured;
      if (secret.getBytes(StandardCharsets.UTF_8).length < MINIMUM_SECRET_BYTES) {
        throw new IllegalStateException(
            "FLEXORAA_JWT_SECRET (flexoraa.auth.jwt-secret) must be at least " + MINIMUM_SECRET_BYTES + " bytes");
      }
    } else {
      Secrets.StoredSecret stored = Secrets.storedSecret(dataDirectory, SECRET_FILE, () -> Secrets.random(48));
      if (stored.created()) {
        log.warn("Created an access-token signing key in {}; the nodes of a cluster must share one, set "
            + "FLEXORAA_JWT_SECRET to give them the same", dataDirectory.resolve(SECRET_FILE));
      }
      secret = stored.value();
    }
    return new AccessTokens(secret.getBytes(StandardCharsets.UTF_8), auth.getDuration("token-ttl"), clock);
  }

  /** A token valid for the configured time-to-live from now. */
  public Issued issue(String tenantId, String userId, Role role, String sessionId, boolean secondFactor) {
    return issue(tenantId, userId, role, sessionId, secondFactor, expiryFromNow(ttl));
  }

  /** A token valid until {@code expiresAt} (whole seconds: a JWT has no finer time), for example its session's end. */
  public Issued issue(
      String tenantId, String userId, Role role, String sessionId, boolean secondFactor, Instant expiresAt) {
    Instant issuedAt = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Instant expiry = expiresAt.truncatedTo(ChronoUnit.SECONDS);
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .subject(userId)
        .claim(TENANT, tenantId)
        .claim(ROLE, role.displayName())
        .claim(SESSION, sessionId)
        .claim(SECOND_FACTOR, secondFactor)
        .issueTime(Date.from(issuedAt))
        .expirationTime(Date.from(expiry))
        .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(ALGORITHM).type(JOSEObjectType.JWT).build(), claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("could not sign an access token", e);
    }
    return new Issued(
        jwt.serialize(), new Claims(tenantId, userId, role, sessionId, secondFactor, issuedAt, expiry));
  }

  /**
   * The claims of a token this service signed that has not expired; empty for anything else (malformed, another
   * algorithm, a bad signature, another issuer, missing claims, expired). Never throws on what a client sends.
   */
  public Optional<Claims> verify(String token) {
    if (token == null || token.isBlank()) return Optional.empty();
    try {
      SignedJWT jwt = SignedJWT.parse(token.trim());
      if (!ALGORITHM.equals(jwt.getHeader().getAlgorithm())) return Optional.empty();
      if (!jwt.verify(verifier)) return Optional.empty();
      JWTClaimsSet claims = jwt.getJWTClaimsSet();
      if (!ISSUER.equals(claims.getIssuer())) return Optional.empty();
      Date expiration = claims.getExpirationTime();
      Date issueTime = claims.getIssueTime();
      if (expiration == null || issueTime == null) return Optional.empty();
      Instant expiresAt = expiration.toInstant();
      if (!clock.instant().isBefore(expiresAt)) return Optional.empty();
      String userId = claims.getSubject();
      String tenantId = claims.getStringClaim(TENANT);
      String sessionId = claims.getStringClaim(SESSION);
      Boolean secondFactor = claims.getBooleanClaim(SECOND_FACTOR);
      Optional<Role> role = Role.parse(claims.getStringClaim(ROLE));
      if (userId == null || tenantId == null || sessionId == null || secondFactor == null || role.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(
          new Claims(tenantId, userId, role.get(), sessionId, secondFactor, issueTime.toInstant(), expiresAt));
    } catch (ParseException | JOSEException | RuntimeException malformed) {
      return Optional.empty();
    }
  }

  public Duration ttl() {
    return ttl;
  }

  /** Now plus {@code lifetime}, in whole seconds, as a token and its session share it. */
  public Instant expiryFromNow(Duration lifetime) {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS).plus(lifetime);
  }
}
