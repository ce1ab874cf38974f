package io.flexoraa.http.auth;

import dev.samstevens.totp.code.CodeGenerator;
import dev.samstevens.totp.code.DefaultCodeGenerator;
import dev.samstevens.totp.code.HashingAlgorithm;
import dev.samstevens.totp.exceptions.CodeGenerationException;
import dev.samstevens.totp.exceptions.TimeProviderException;
import dev.samstevens.totp.secret.DefaultSecretGenerator;
import dev.samstevens.totp.secret.SecretGenerator;
import dev.samstevens.totp.time.TimeProvider;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.OptionalLong;

/**
 * Time-based one-time passwords (RFC 6238) as every authenticator app expects them: SHA-1, 6 digits, 30-second
 * steps, a 160-bit secret. A code is accepted for its own step and one step either side, since phones' clocks drift
 * and people type slowly; verifying returns the step it matched so that the caller can record it and refuse the
 * same code (or an older one) afterwards, which makes each code good only once. Time comes from the injected
 * {@link TimeProvider}, so tests can move it.
 */
public final class Totp {
  public static final String ISSUER = "Flexoraa";
  public static final int DIGITS = 6;
  public static final int PERIOD_SECONDS = 30;
  /** Steps accepted either side of the current one. */
  public static final int ALLOWED_DRIFT_STEPS = 1;

  /** 32 base32 characters: 160 bits, the key length RFC 4226 recommends for HMAC-SHA1. */
  private static final int SECRET_CHARACTERS = 32;

  private final TimeProvider timeProvider;
  private final SecretGenerator secrets = new DefaultSecretGenerator(SECRET_CHARACTERS);
  private final CodeGenerator codes = new DefaultCodeGenerator(HashingAlgorithm.SHA1, DIGITS);

  public Totp(TimeProvider timeProvider) {
    this.timeProvider = timeProvider;
  }

  /** Time from {@code clock}. */
  public static Totp of(Clock clock) {
    return new Totp(() -> clock.instant().getEpochSecond());
  }

  /** A new random secret, base32 as authenticator apps take it. */
  public String newSecret() {
    return secrets.generate();
  }

  /**
   * The {@code otpauth://} URI an authenticator app reads from a QR code: the label shows the issuer and the email,
   * the issuer parameter lets the app group and name the entry.
   */
  public String uri(String secret, String email) {
    String label = encode(ISSUER) + ":" + encode(email);
    return "otpauth://totp/" + label
        + "?secret=" + secret
        + "&issuer=" + encode(ISSUER)
        + "&algorithm=SHA1&digits=" + DIGITS + "&period=" + PERIOD_SECONDS;
  }

  /** The time step now: seconds since the epoch divided by the period. */
  public long currentStep() {
    try {
      return Math.floorDiv(timeProvider.getTime(), PERIOD_SECONDS);
    } catch (TimeProviderException e) {
      throw new IllegalStateException("no time for TOTP", e);
    }
  }

  /**
   * The step {@code code} is valid for, within the allowed drift and later than {@code lastUsedStep}; empty when it
   * is not a valid code now, is malformed, or belongs to a step already used. Every candidate step is compared, in
   * constant time, so the time taken does not say which step (if any) came close.
   */
  public OptionalLong verify(String secret, String code, OptionalLong lastUsedStep) {
    if (secret == null || code == null) return OptionalLong.empty();
    String digits = code.replace(" ", "");
    if (digits.length() != DIGITS || !digits.chars().allMatch(character -> character >= '0' && character <= '9')) {
      return OptionalLong.empty();
    }
    long now = currentStep();
    OptionalLong matched = OptionalLong.empty();
    for (long step = now - ALLOWED_DRIFT_STEPS; step <= now + ALLOWED_DRIFT_STEPS; step++) {
      boolean equal = MessageDigest.isEqual(
          codeFor(secret, step).getBytes(StandardCharsets.US_ASCII), digits.getBytes(StandardCharsets.US_ASCII));
      boolean unused = lastUsedStep.isEmpty() || step > lastUsedStep.getAsLong();
      if (equal && unused && matched.isEmpty()) matched = OptionalLong.of(step);
    }
    return matched;
  }

  /** The code for a given step; what an authenticator app shows. */
  public String codeFor(String secret, long step) {
    try {
      return codes.generate(secret, step);
    } catch (CodeGenerationException e) {
      throw new IllegalArgumentException("not a usable TOTP secret", e);
    }
  }

  private static String encode(String value) {
    // URLEncoder writes form encoding; in a URI a space is %20, not +
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
