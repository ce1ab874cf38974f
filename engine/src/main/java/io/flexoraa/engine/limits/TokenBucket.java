package io.flexoraa.engine.limits;

import java.time.Duration;
import java.time.Instant;

/**
 * A token bucket as an immutable value: permits flow in at {@code rate.perSecond()} up to {@code rate.burst()}, and a
 * take succeeds when enough are there. Time is an argument, so the rule is tested with a controlled clock and the
 * actor holding a bucket decides what "now" is. Permits are kept as a fraction, so 5/s yields one permit every
 * 200 ms with no rounding drift however long the bucket lives.
 *
 * <p>A take larger than the burst can never find that many permits; it is granted when the bucket is full and leaves
 * it in debt, which later takes wait out, so the long-run rate holds for batches too.
 *
 * <p>{@code updatedAt} may lie in the future: a bucket made with {@link #emptyUntil} earns nothing before then. A
 * clock that steps back earns nothing either, rather than granting permits twice.
 */
public record TokenBucket(Rate rate, double available, Instant updatedAt) {
  /** Fractions this small are rounding, not permits: 5/s for 200 ms must make exactly one. */
  private static final double ROUNDING = 1e-9;

  /** How fast permits flow in and how many may gather while nobody takes them. */
  public record Rate(double perSecond, int burst) {
    public Rate {
      if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
        throw new IllegalArgumentException("a rate must be a positive number of permits per second");
      }
      if (burst < 1) throw new IllegalArgumentException("a burst must be at least 1 permit");
    }

    Duration timeFor(double permits) {
      return Duration.ofNanos((long) Math.ceil(permits / perSecond * 1e9));
    }
  }

  /** The outcome of a take: how many permits were granted (0 = none), the bucket after it, and when to ask again. */
  public record Take(int granted, TokenBucket bucket, Duration retryAfter) {
    public boolean isGranted() {
      return granted > 0;
    }
  }

  public static TokenBucket full(Rate rate, Instant now) {
    return new TokenBucket(rate, rate.burst(), now);
  }

  /** Holds nothing and earns nothing until {@code until}; then fills at the rate from zero. */
  public static TokenBucket emptyUntil(Rate rate, Instant until) {
    return new TokenBucket(rate, 0, until);
  }

  /** The bucket at {@code now}: what flowed in since it was last updated, capped at the burst. */
  public TokenBucket refilled(Instant now) {
    if (!now.isAfter(updatedAt)) return this;
    double elapsedSeconds = Duration.between(updatedAt, now).toNanos() / 1e9;
    double next = Math.min(rate.burst(), available + elapsedSeconds * rate.perSecond());
    return new TokenBucket(rate, next, now);
  }

  /** Takes exactly {@code permits}, or nothing. */
  public Take take(int permits, Instant now) {
    requirePositive(permits);
    TokenBucket current = refilled(now);
    boolean fits = current.available + ROUNDING >= permits;
    boolean oversizedAndFull = permits > rate.burst() && current.available + ROUNDING >= rate.burst();
    if (fits || oversizedAndFull) {
      return new Take(permits, current.withAvailable(current.available - permits), Duration.ZERO);
    }
    return new Take(0, current, current.timeUntil(Math.min(permits, rate.burst()), now));
  }

  /**
   * Takes as many permits as are there, up to {@code permits}, but no fewer than {@code minimum}: lets a caller that
   * can use part of what it asked for (a lease) have it without waiting for all of it.
   */
  public Take takeUpTo(int permits, int minimum, Instant now) {
    requirePositive(permits);
    int floor = Math.max(1, Math.min(minimum, Math.min(permits, rate.burst())));
    TokenBucket current = refilled(now);
    int granted = (int) Math.min(permits, Math.floor(current.available + ROUNDING));
    if (granted >= floor) {
      return new Take(granted, current.withAvailable(current.available - granted), Duration.ZERO);
    }
    return new Take(0, current, current.timeUntil(floor, now));
  }

  /** Puts back permits that were taken but not used, never beyond the burst. */
  public TokenBucket giveBack(int permits, Instant now) {
    requirePositive(permits);
    TokenBucket current = refilled(now);
    return current.withAvailable(Math.min(rate.burst(), current.available + permits));
  }

  private Duration timeUntil(double permits, Instant now) {
    Duration notBefore = updatedAt.isAfter(now) ? Duration.between(now, updatedAt) : Duration.ZERO;
    return notBefore.plus(rate.timeFor(Math.max(0, permits - available)));
  }

  private TokenBucket withAvailable(double permits) {
    return new TokenBucket(rate, permits, updatedAt);
  }

  private static void requirePositive(int permits) {
    if (permits < 1) throw new IllegalArgumentException("permits must be at least 1");
  }
}
