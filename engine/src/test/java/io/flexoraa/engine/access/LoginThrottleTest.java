package io.flexoraa.engine.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
  private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final LoginThrottle THROTTLE =
      new LoginThrottle(LoginThrottle.Settings.fromConfig(ConfigFactory.load()), CLOCK);

  @Test
  void theShippedDefaultsAreFiveFailuresOneMinuteAndOneHour() {
    assertThat(THROTTLE.settings())
        .isEqualTo(new LoginThrottle.Settings(5, Duration.ofMinutes(1), Duration.ofHours(1)));
  }

  @Test
  void fewerFailuresThanTheLimitDoNotLock() {
    for (int failures = 0; failures < 5; failures++) {
      assertThat(THROTTLE.lockoutAfter(failures)).as("after %d failures", failures).isEmpty();
      assertThat(THROTTLE.lockedUntilAfter(failures)).isEmpty();
    }
  }

  @Test
  void theFifthFailureLocksForTheBaseLockout() {
    assertThat(THROTTLE.lockoutAfter(5)).contains(Duration.ofMinutes(1));
    assertThat(THROTTLE.lockedUntilAfter(5)).contains(NOW.plusSeconds(60));
  }

  @Test
  void eachFurtherFailureDoublesTheLockout() {
    assertThat(THROTTLE.lockoutAfter(6)).contains(Duration.ofMinutes(2));
    assertThat(THROTTLE.lockoutAfter(7)).contains(Duration.ofMinutes(4));
    assertThat(THROTTLE.lockoutAfter(10)).contains(Duration.ofMinutes(32));
  }

  @Test
  void theLockoutIsCappedAtTheMaximumEvenAfterVeryManyFailures() {
    assertThat(THROTTLE.lockoutAfter(11)).contains(Duration.ofHours(1));
    assertThat(THROTTLE.lockoutAfter(100)).contains(Duration.ofHours(1));
    assertThat(THROTTLE.lockoutAfter(Integer.MAX_VALUE)).contains(Duration.ofHours(1));
  }

  @Test
  void retryAfterIsTheTimeLeftUntilTheLockLifts() {
    assertThat(THROTTLE.retryAfter(NOW.plusSeconds(45))).contains(Duration.ofSeconds(45));
    assertThat(THROTTLE.retryAfter(NOW)).isEmpty();
    assertThat(THROTTLE.retryAfter(NOW.minusSeconds(1))).isEmpty();
    assertThat(THROTTLE.retryAfter(null)).isEmpty();
  }

  @Test
  void theTimeComesFromTheInjectedClock() {
    Instant later = NOW.plus(Duration.ofDays(3));
    LoginThrottle throttle = new LoginThrottle(THROTTLE.settings(), Clock.fixed(later, ZoneOffset.UTC));

    assertThat(throttle.lockedUntilAfter(6)).contains(later.plusSeconds(120));
    assertThat(throttle.retryAfter(NOW.plusSeconds(60))).isEmpty();
  }

  @Test
  void nonsensicalSettingsAreRefused() {
    assertThatThrownBy(() -> new LoginThrottle.Settings(0, Duration.ofMinutes(1), Duration.ofHours(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LoginThrottle.Settings(5, Duration.ZERO, Duration.ofHours(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LoginThrottle.Settings(5, Duration.ofHours(2), Duration.ofHours(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
