package io.flexoraa.http.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.flexoraa.engine.access.Role;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessTokensTest {
  private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");
  /** 64 bytes, so the same key can also sign HS512 tokens that must still be refused. */
  private static final String SECRET = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

  private static AccessTokens tokensAt(Instant now) {
    return new AccessTokens(
        SECRET.getBytes(StandardCharsets.UTF_8), Duration.ofHours(24), Clock.fixed(now, ZoneOffset.UTC));
  }

  private static JWTClaimsSet.Builder validClaims() {
    return new JWTClaimsSet.Builder()
        .issuer("flexoraa")
        .subject("user-1")
        .claim("tenant", "tenant-1")
        .claim("role", "Admin")
        .claim("sid", "session-1")
        .claim("mfa", true)
        .issueTime(Date.from(NOW))
        .expirationTime(Date.from(NOW.plusSeconds(3600)));
  }

  private static String signed(JWSAlgorithm algorithm, JWTClaimsSet claims, String secret) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader(algorithm), claims);
    jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
    return jwt.serialize();
  }

  @Test
  void anIssuedTokenVerifiesToTheSameClaims() {
    AccessTokens tokens = tokensAt(NOW);
    AccessTokens.Issued issued = tokens.issue("tenant-1", "user-1", Role.MANAGER, "session-1", true);

    assertThat(issued.claims())
        .isEqualTo(new Claims("tenant-1", "user-1", Role.MANAGER, "session-1", true, NOW, NOW.plus(Duration.ofHours(24))));
    assertThat(tokens.verify(issued.token())).contains(issued.claims());
    assertThat(tokens.verify("  " + issued.token() + " ")).contains(issued.claims());
    assertThat(issued.toString()).doesNotContain(issued.token());
  }

  @Test
  void theTokenCarriesTheAgreedClaims() throws Exception {
    String token = tokensAt(NOW).issue("tenant-1", "user-1", Role.SDR, "session-1", false).token();
    SignedJWT jwt = SignedJWT.parse(token);

    assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.HS256);
    JWTClaimsSet claims = jwt.getJWTClaimsSet();
    assertThat(claims.getIssuer()).isEqualTo("flexoraa");
    assertThat(claims.getSubject()).isEqualTo("user-1");
    assertThat(claims.getStringClaim("tenant")).isEqualTo("tenant-1");
    assertThat(claims.getStringClaim("role")).isEqualTo("SDR");
    assertThat(claims.getStringClaim("sid")).isEqualTo("session-1");
    assertThat(claims.getBooleanClaim("mfa")).isFalse();
    assertThat(claims.getIssueTime().toInstant()).isEqualTo(NOW);
    assertThat(claims.getExpirationTime().toInstant()).isEqualTo(NOW.plus(Duration.ofHours(24)));
  }

  @Test
  void aTokenExpiresAfterItsTimeToLive() {
    String token = tokensAt(NOW).issue("tenant-1", "user-1", Role.SDR, "session-1", true).token();

    assertThat(tokensAt(NOW.plus(Duration.ofHours(24)).minusSeconds(1)).verify(token)).isPresent();
    assertThat(tokensAt(NOW.plus(Duration.ofHours(24))).verify(token)).isEmpty();
    assertThat(tokensAt(NOW.plus(Duration.ofDays(30))).verify(token)).isEmpty();
  }

  @Test
  void aTamperedTokenIsRefused() {
    AccessTokens tokens = tokensAt(NOW);
    String token = tokens.issue("tenant-1", "user-1", Role.SDR, "session-1", true).token();
    String[] parts = token.split("\\.");
    String promoted = Base64.getUrlEncoder().withoutPadding().encodeToString(
        new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
            .replace("\"SDR\"", "\"Admin\"").getBytes(StandardCharsets.UTF_8));

    assertThat(tokens.verify(parts[0] + "." + promoted + "." + parts[2])).isEmpty();
    char last = parts[2].charAt(0);
    assertThat(tokens.verify(parts[0] + "." + parts[1] + "." + (last == 'A' ? 'B' : 'A') + parts[2].substring(1)))
        .isEmpty();
    assertThat(tokens.verify(parts[0] + "." + parts[1] + ".")).isEmpty();
    assertThat(tokens.verify("not a token")).isEmpty();
    assertThat(tokens.verify("")).isEmpty();
    assertThat(tokens.verify(null)).isEmpty();
  }

  @Test
  void aTokenSignedWithAnotherKeyIsRefused() throws Exception {
    String forged = signed(JWSAlgorithm.HS256, validClaims().build(), "another-secret-another-secret-another!!");

    assertThat(tokensAt(NOW).verify(forged)).isEmpty();
    assertThat(tokensAt(NOW).verify(signed(JWSAlgorithm.HS256, validClaims().build(), SECRET))).isPresent();
  }

  @Test
  void onlyHs256IsAccepted() throws Exception {
    String unsigned = new PlainJWT(validClaims().build()).serialize();
    String noneWithSignature = unsigned + "c2lnbmF0dXJl";
    String hs512 = signed(JWSAlgorithm.HS512, validClaims().build(), SECRET);

    assertThat(tokensAt(NOW).verify(unsigned)).isEmpty();
    assertThat(tokensAt(NOW).verify(noneWithSignature)).isEmpty();
    assertThat(tokensAt(NOW).verify(hs512)).isEmpty();
  }

  @Test
  void anotherIssuerOrMissingClaimsAreRefused() throws Exception {
    AccessTokens tokens = tokensAt(NOW);

    assertThat(tokens.verify(signed(JWSAlgorithm.HS256, validClaims().issuer("someone-else").build(), SECRET)))
        .isEmpty();
    assertThat(tokens.verify(signed(JWSAlgorithm.HS256, validClaims().claim("sid", null).build(), SECRET))).isEmpty();
    assertThat(tokens.verify(signed(JWSAlgorithm.HS256, validClaims().claim("role", "Emperor").build(), SECRET)))
        .isEmpty();
    assertThat(tokens.verify(signed(JWSAlgorithm.HS256, validClaims().claim("mfa", "yes").build(), SECRET)))
        .isEmpty();
    assertThat(tokens.verify(signed(JWSAlgorithm.HS256, validClaims().expirationTime(null).build(), SECRET)))
        .isEmpty();
  }

  @Test
  void aShortSecretIsRefused() {
    assertThatThrownBy(() -> new AccessTokens(new byte[31], Duration.ofHours(1), Clock.systemUTC()))
        .isInstanceOf(IllegalArgumentException.class);
    Config tooShort = ConfigFactory.parseMap(Map.of("flexoraa.auth.jwt-secret", "short"))
        .withFallback(ConfigFactory.load());
    assertThatThrownBy(() -> AccessTokens.fromConfig(tooShort, Path.of("unused"), Clock.systemUTC()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("FLEXORAA_JWT_SECRET");
  }

  @Test
  void withoutAConfiguredSecretOneIsCreatedPrivatelyInTheDataDirectoryAndKept(@TempDir Path dataDirectory)
      throws Exception {
    Config config = ConfigFactory.parseMap(Map.of("flexoraa.auth.jwt-secret", "")).withFallback(ConfigFactory.load());
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    String token = AccessTokens.fromConfig(config, dataDirectory, clock)
        .issue("tenant-1", "user-1", Role.SDR, "session-1", true).token();
    Path file = dataDirectory.resolve("jwt-secret");

    assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.readString(file).trim().getBytes(StandardCharsets.UTF_8)).hasSizeGreaterThanOrEqualTo(32);
    assertThat(AccessTokens.fromConfig(config, dataDirectory, clock).verify(token)).as("after a restart").isPresent();
    try (var leftovers = Files.list(dataDirectory)) {
      assertThat(leftovers).containsExactly(file);
    }
  }

  @Test
  void theShippedTimeToLiveIsADay() {
    Config config = ConfigFactory.parseMap(Map.of("flexoraa.auth.jwt-secret", SECRET)).withFallback(ConfigFactory.load());

    assertThat(AccessTokens.fromConfig(config, Path.of("unused"), Clock.systemUTC()).ttl()).isEqualTo(Duration.ofHours(24));
  }
}
