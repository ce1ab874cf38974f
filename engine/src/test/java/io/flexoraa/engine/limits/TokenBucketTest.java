package io.flexoraa.engine.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flexoraa.engine.limits.TokenBucket.Rate;
import io.flexoraa.engine.limits.TokenBucket.Take;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The bucket rule alone, with time passed in: no actors, no sleeping. */
class TokenBucketTest {
  private static final Instant T0 = Instant.parse("2026-03-14T09:00:00Z");
  private static final Rate FIVE_PER_SECOND = new Rate(5, 5);

  @Test
  void aFullBucketGrantsItsBurstThenSaysWhenTheNextPermitComes() {
    TokenBucket bucket = TokenBucket.full(FIVE_PER_SECOND, T0);
    for (int i = 0; i < 5; i++) {
      Take take = bucket.take(1, T0);
      assertThat(take.isGranted()).isTrue();
      bucket = take.bucket();
    }

    Take refused = bucket.take(1, T0);

    assertThat(refused.isGranted()).isFalse();
    assertThat(refused.retryAfter()).isBetween(Duration.ofMillis(200), Duration.ofMillis(201));
    assertThat(refused.bucket().take(1, T0.plus(refused.retryAfter())).isGranted()).isTrue();
  }

  @Test
  void permitsFlowInAtTheRateAndNeverBeyondTheBurst() {
    TokenBucket empty = TokenBucket.full(FIVE_PER_SECOND, T0).take(5, T0).bucket();

    assertThat(empty.take(1, T0.plusMillis(199)).isGranted()).isFalse();
    assertThat(empty.take(1, T0.plusMillis(200)).isGranted()).isTrue();
    assertThat(empty.take(2, T0.plusMillis(400)).isGranted()).isTrue();
    assertThat(empty.refilled(T0.plus(Duration.ofHours(1))).available()).isEqualTo(5);
  }

  @Test
  void fiftyRequestsASecondAreAdmittedAtFiveASecondPlusTheFirstBurst() {
    TokenBucket bucket = TokenBucket.full(FIVE_PER_SECOND, T0);
    int admitted = 0;
    int seconds = 60;
    for (int i = 0; i <= 50 * seconds; i++) {
      Take take = bucket.take(1, T0.plusMillis(20L * i));
      bucket = take.bucket();
      if (take.isGranted()) admitted++;
    }

    assertThat(admitted).isEqualTo(5 + 5 * seconds);
  }

  @Test
  void aTakeLargerThanTheBurstWaitsForAFullBucketAndLeavesItInDebt() {
    TokenBucket bucket = TokenBucket.full(FIVE_PER_SECOND, T0);

    Take batch = bucket.take(15, T0);

    assertThat(batch.isGranted()).isTrue();
    assertThat(batch.bucket().available()).isEqualTo(-10);
    Take next = batch.bucket().take(1, T0);
    assertThat(next.isGranted()).isFalse();
    // the 10 permits of debt and the one asked for: 11 / 5 per second
    assertThat(next.retryAfter()).isBetween(Duration.ofMillis(2200), Duration.ofMillis(2201));
    assertThat(bucket.take(1, T0).bucket().take(15, T0).isGranted()).as("not full: no batch").isFalse();
  }

  @Test
  void takeUpToGrantsWhatIsThereButNotLessThanTheMinimum() {
    Rate hundred = new Rate(100, 100);
    TokenBucket bucket = TokenBucket.full(hundred, T0).take(70, T0).bucket();

    Take partial = bucket.takeUpTo(50, 10, T0);
    assertThat(partial.granted()).isEqualTo(30);

    Take tooLittle = partial.bucket().takeUpTo(50, 10, T0.plusMillis(50));
    assertThat(tooLittle.isGranted()).as("5 permits, 10 is the least worth leasing").isFalse();
    assertThat(tooLittle.retryAfter()).isBetween(Duration.ofMillis(50), Duration.ofMillis(51));

    Take small = partial.bucket().takeUpTo(3, 10, T0.plusMillis(50));
    assertThat(small.granted()).as("asking for less than the minimum is fine when it is there").isEqualTo(3);
  }

  @Test
  void aBucketEmptyUntilLaterEarnsNothingBeforeThenAndSaysSo() {
    Instant grace = T0.plusMillis(500);
    TokenBucket bucket = TokenBucket.emptyUntil(new Rate(100, 100), grace);

    Take early = bucket.takeUpTo(10, 5, T0);
    assertThat(early.isGranted()).isFalse();
    assertThat(early.retryAfter()).isBetween(Duration.ofMillis(550), Duration.ofMillis(551));
    assertThat(bucket.takeUpTo(10, 5, grace).isGranted()).isFalse();
    assertThat(bucket.takeUpTo(10, 5, grace.plusMillis(100)).granted()).isEqualTo(10);
  }

  @Test
  void aClockSteppingBackGrantsNothingTwice() {
    TokenBucket drained = TokenBucket.full(FIVE_PER_SECOND, T0).take(5, T0).bucket();
    Take later = drained.take(1, T0.plusMillis(200));
    assertThat(later.isGranted()).isTrue();

    Take back = later.bucket().take(1, T0.plusMillis(100));
    assertThat(back.isGranted()).isFalse();
    assertThat(later.bucket().take(1, T0.plusMillis(400)).isGranted()).isTrue();
  }

  @Test
  void givenBackPermitsReturnButNotBeyondTheBurst() {
    TokenBucket bucket = TokenBucket.full(FIVE_PER_SECOND, T0).take(3, T0).bucket();

    assertThat(bucket.giveBack(2, T0).available()).isEqualTo(4);
    assertThat(bucket.giveBack(10, T0).available()).isEqualTo(5);
  }

  @Test
  void nonsenseRatesAndRequestsAreRefused() {
    assertThatThrownBy(() -> new Rate(0, 5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Rate(Double.NaN, 5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Rate(5, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TokenBucket.full(FIVE_PER_SECOND, T0).take(0, T0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
