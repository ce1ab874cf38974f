package io.flexoraa.http.auth;

import com.typesafe.config.Config;
import io.flexoraa.http.Secrets;
import java.util.Optional;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

/**
 * Passwords are kept only as Argon2id hashes: memory-hard, so a stolen users table cannot be guessed through at GPU
 * speed. Each hash carries its parameters and salt, so raising the parameters later leaves existing hashes
 * verifiable. Hashing takes tens of milliseconds and megabytes of memory on purpose: callers run it on a small
 * pool of its own, never on a request thread.
 *
 * <p>The policy is length only (NIST SP 800-63B): a minimum that makes guessing slow and a maximum that keeps a
 * request from making the server hash megabytes.
 */
public final class PasswordHasher {
  private final Argon2PasswordEncoder encoder;
  private final Settings settings;
  /** A hash of nothing anyone knows, verified against when the email is unknown so that costs the same time. */
  private final String decoyHash;

  /** Settings from {@code flexoraa.auth.password}. */
  public record Settings(
      int minLength, int maxLength, int saltBytes, int hashBytes, int parallelism, int memoryKib, int iterations) {

    public Settings {
      if (minLength < 1 || maxLength < minLength) {
        throw new IllegalArgumentException("password lengths must satisfy 1 <= min-length <= max-length");
      }
      if (saltBytes < 16 || hashBytes < 16 || parallelism < 1 || memoryKib < 8 * parallelism || iterations < 1) {
        throw new IllegalArgumentException("Argon2 parameters below any sensible minimum");
      }
    }

    public static Settings fromConfig(Config config) {
      Config password = config.getConfig("flexoraa.auth.password");
      Config argon2 = password.getConfig("argon2");
      return new Settings(
          password.getInt("min-length"),
          password.getInt("max-length"),
          argon2.getInt("salt-bytes"),
          argon2.getInt("hash-bytes"),
          argon2.getInt("parallelism"),
          argon2.getInt("memory-kib"),
          argon2.getInt("iterations"));
    }
  }

  public PasswordHasher(Settings settings) {
    this.settings = settings;
    this.encoder = new Argon2PasswordEncoder(
        settings.saltBytes(), settings.hashBytes(), settings.parallelism(), settings.memoryKib(), settings.iterations());
    this.decoyHash = encoder.encode(Secrets.random(32));
  }

  public static PasswordHasher fromConfig(Config config) {
    return new PasswordHasher(Settings.fromConfig(config));
  }

  /** An Argon2id hash in PHC string form ({@code $argon2id$v=19$m=...,t=...,p=...$salt$hash}). Slow: blocking. */
  public String hash(String password) {
    return encoder.encode(password);
  }

  /** Whether the password matches the hash; false for a missing or malformed hash. Slow: blocking. */
  public boolean matches(String password, String hash) {
    if (password == null || hash == null || hash.isEmpty()) return false;
    return encoder.matches(password, hash);
  }

  /**
   * Spends the time a verification takes and returns false: for sign-ins with an unknown email, so response time does
   * not tell which emails have an account. Slow: blocking.
   */
  public boolean matchesNothing(String password) {
    encoder.matches(password == null ? "" : password, decoyHash);
    return false;
  }

  /** Why a new password is not acceptable, or empty when it is. Length is counted in characters, not bytes. */
  public Optional<String> policyViolation(String password) {
    if (password == null) return Optional.of("a password is required");
    int length = password.codePointCount(0, password.length());
    if (length < settings.minLength()) {
      return Optional.of("the password must have at least " + settings.minLength() + " characters");
    }
    if (length > settings.maxLength()) {
      return Optional.of("the password must have at most " + settings.maxLength() + " characters");
    }
    if (password.isBlank()) return Optional.of("the password must not be only spaces");
    return Optional.empty();
  }

  public Settings settings() {
    return settings;
  }
}
