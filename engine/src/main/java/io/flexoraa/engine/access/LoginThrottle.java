package io.flexoraa.engine.access;

import com.typesafe.config.Config;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How long an account stays locked after failed sign-ins. A few typing mistakes cost nothing; after
 * {@code maxFailures} consecutive failures the account locks for {@code baseLockout}, and every further failure
 * doubles the lock up to {@code maxLockout}, so guessing a password online costs an attacker hours per handful of
 * tries while a user who forgot theirs is back within minutes. A successful sign-in resets the count (the store
 * does that); this class only decides, with time from the injected clock.
 */
public final class LoginThrottle {
  private final Settings settings;
  private final Clock clock;

  /** Settings from {@code flexoraa.auth}. */
  public record Settings(int maxFailures, Duration baseLockout, Duration maxLockout) {
    public Settings {
      if (maxFailures < 1) throw new IllegalArgumentException("max-failures must be at least 1");
      if (baseLockout.isNegative() || baseLockout.isZero()) {
        throw new IllegalArgumentException("base-lockout must be positive");
      }
      if (maxLockout.compareTo(baseLockout) < 0) {
        throw new IllegalArgumentException("max-lockout must not be shorter than base-lockout");
      }
    }

    public static Settings fromConfig(Config config) {
      Config auth = config.getConfig("flexoraa.auth");
      return new Settings(
          auth.getInt("max-failures"), auth.getDuration("base-lockout"), auth.getDuration("max-lockout"));
    }
  }

  public LoginThrottle(Settings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
  }

  /** The lock-out earned by this many consecutive failures, or none yet. */
  public Optional<Duration> lockoutAfter(int consecutiveFailures) {
    if (consecutiveFailures < settings.maxFailures()) return Optional.empty();
    int doublings = consecutiveFailures - settings.maxFailures();
    Duration lockout = settings.baseLockout();
    // stop doubling once the cap is reached: beyond it the value would only overflow
    for (int i = 0; i < doublings && lockout.compareTo(settings.maxLockout()) < 0; i++) {
      lockout = lockout.multipliedBy(2);
    }
    return Optional.of(min(lockout, settings.maxLockout()));
  }

  /** Until when an account that has just failed for the {@code consecutiveFailures}-th time stays locked. */
  public Optional<Instant> lockedUntilAfter(int consecutiveFailures) {
    Instant now = clock.instant();
    return lockoutAfter(consecutiveFailures).map(now::plus);
  }

  /** How long until a lock ending at {@code lockedUntil} lifts; empty when there is no lock or it has lifted. */
  public Optional<Duration> retryAfter(Instant lockedUntil) {
    if (lockedUntil == null) return Optional.empty();
    Duration remaining = Duration.between(clock.instant(), lockedUntil);
    return remaining.isNegative() || remaining.isZero() ? Optional.empty() : Optional.of(remaining);
  }

  public Settings settings() {
    return settings;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
