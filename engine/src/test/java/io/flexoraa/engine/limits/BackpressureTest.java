package io.flexoraa.engine.limits;

import static io.flexoraa.engine.limits.BackpressureMode.DEFAULT_PERSUASION;
import static io.flexoraa.engine.limits.BackpressureMode.DEFER_ANALYTICS;
import static io.flexoraa.engine.limits.BackpressureMode.NORMAL;
import static io.flexoraa.engine.limits.BackpressureMode.TEMPLATE_ONLY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.flexoraa.engine.limits.Backpressure.Transition;
import io.flexoraa.engine.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The mode machine with the production thresholds (1,000 / 2,000 / 5,000, release at 0.8, 5 s dwell). */
class BackpressureTest {
  private static final Instant START = Instant.parse("2026-03-14T09:00:00Z");
  private static final Duration DWELL = Duration.ofSeconds(5);
  private static final Backpressure.Settings SETTINGS = new Backpressure.Settings(
      1000, 2000, 5000, 0.8, DWELL, Duration.ofSeconds(1), 20, Duration.ofSeconds(2));

  private final ManualClock clock = new ManualClock(START);
  private final Backpressure machine = new Backpressure(SETTINGS, clock);

  @Test
  void eachModeStartsOnlyAboveItsThreshold() {
    assertThat(machine.observe(1000)).isEmpty();
    assertThat(machine.mode()).isEqualTo(NORMAL);

    assertThat(machine.observe(1001)).contains(new Transition(NORMAL, DEFER_ANALYTICS, 1001, START));
    assertThat(machine.observe(2000)).isEmpty();
    assertThat(machine.mode()).isEqualTo(DEFER_ANALYTICS);

    clock.advance(Duration.ofMillis(10));
    assertThat(machine.observe(2001)).contains(new Transition(DEFER_ANALYTICS, DEFAULT_PERSUASION, 2001,
        START.plusMillis(10)));
    assertThat(machine.observe(5000)).isEmpty();
    assertThat(machine.observe(5001)).map(Transition::to).contains(TEMPLATE_ONLY);
    assertThat(machine.since()).isEqualTo(START.plusMillis(10));
  }

  @Test
  void aDepthThatJumpsEntersTheHighestModeAtOnce() {
    assertThat(machine.observe(6000)).contains(new Transition(NORMAL, TEMPLATE_ONLY, 6000, START));
  }

  @Test
  void risingIgnoresTheDwell() {
    machine.observe(1500);
    assertThat(machine.observe(2500)).map(Transition::to).contains(DEFAULT_PERSUASION);
  }

  @Test
  void aModeEndsOnlyAtItsReleaseLevel() {
    machine.observe(6000);
    clock.advance(DWELL);

    assertThat(machine.observe(4001)).as("below the threshold, above the release level").isEmpty();
    assertThat(machine.mode()).isEqualTo(TEMPLATE_ONLY);
    assertThat(machine.observe(4000)).contains(new Transition(TEMPLATE_ONLY, DEFAULT_PERSUASION, 4000,
        START.plus(DWELL)));
  }

  @Test
  void aModeEndsOnlyAfterItsDwellAndThenFallsToWhatTheDepthStillHolds() {
    machine.observe(6000);
    assertThat(machine.observe(0)).isEmpty();
    clock.advance(DWELL.minusMillis(1));
    assertThat(machine.observe(0)).isEmpty();
    assertThat(machine.mode()).isEqualTo(TEMPLATE_ONLY);

    clock.advance(Duration.ofMillis(1));
    assertThat(machine.observe(0)).contains(new Transition(TEMPLATE_ONLY, NORMAL, 0, START.plus(DWELL)));
  }

  @Test
  void fallingStepByStepEachStepWaitsItsOwnDwell() {
    machine.observe(6000);
    clock.advance(DWELL);
    assertThat(machine.observe(1700)).map(Transition::to).as("1,700 is above default-persuasion's 1,600")
        .contains(DEFAULT_PERSUASION);

    assertThat(machine.observe(900)).as("default-persuasion has just begun").isEmpty();
    clock.advance(DWELL);
    assertThat(machine.observe(900)).map(Transition::to).as("900 is above defer-analytics' 800")
        .contains(DEFER_ANALYTICS);
    clock.advance(DWELL);
    assertThat(machine.observe(801)).isEmpty();
    assertThat(machine.observe(800)).map(Transition::to).contains(NORMAL);
  }

  @Test
  void aDepthHoveringAroundAThresholdDoesNotFlap() {
    assertThat(swing(1010, 990)).extracting(Transition::to).containsExactly(DEFER_ANALYTICS);
  }

  @Test
  void aDepthSwingingThroughTheWholeBandChangesModeAtMostOncePerDwell() {
    List<Transition> transitions = swing(1010, 700);
    assertThat(transitions).hasSizeBetween(2, 2 * 60 / 5);
    for (int i = 1; i < transitions.size(); i++) {
      Transition previous = transitions.get(i - 1);
      Transition next = transitions.get(i);
      if (!next.rising()) {
        assertThat(Duration.between(previous.at(), next.at())).as("held before leaving").isGreaterThanOrEqualTo(DWELL);
      }
    }
  }

  /** A minute of the depth alternating between two values every 100 ms; the transitions it caused. */
  private List<Transition> swing(long high, long low) {
    List<Transition> transitions = new ArrayList<>();
    for (int step = 0; step < 600; step++) {
      machine.observe(step % 2 == 0 ? high : low).ifPresent(transitions::add);
      clock.advance(Duration.ofMillis(100));
    }
    return transitions;
  }

  @Test
  void eachModeSaysWhatItAllows() {
    assertThat(List.of(NORMAL.analyticsAllowed(), NORMAL.leakageScansAllowed(), NORMAL.persuasionVariantsAllowed(),
        NORMAL.aiCallsAllowed())).containsExactly(true, true, true, true);
    assertThat(List.of(DEFER_ANALYTICS.analyticsAllowed(), DEFER_ANALYTICS.leakageScansAllowed(),
        DEFER_ANALYTICS.persuasionVariantsAllowed(), DEFER_ANALYTICS.aiCallsAllowed()))
        .containsExactly(false, false, true, true);
    assertThat(List.of(DEFAULT_PERSUASION.analyticsAllowed(), DEFAULT_PERSUASION.leakageScansAllowed(),
        DEFAULT_PERSUASION.persuasionVariantsAllowed(), DEFAULT_PERSUASION.aiCallsAllowed()))
        .containsExactly(false, false, false, true);
    assertThat(List.of(TEMPLATE_ONLY.analyticsAllowed(), TEMPLATE_ONLY.leakageScansAllowed(),
        TEMPLATE_ONLY.persuasionVariantsAllowed(), TEMPLATE_ONLY.aiCallsAllowed()))
        .containsExactly(false, false, false, false);
    assertThat(DEFER_ANALYTICS.worse(TEMPLATE_ONLY)).isEqualTo(TEMPLATE_ONLY);
    assertThat(TEMPLATE_ONLY.worse(NORMAL)).isEqualTo(TEMPLATE_ONLY);
  }

  @Test
  void theShippedConfigurationIsProductSectionSeven() {
    Backpressure.Settings shipped = Backpressure.Settings.fromConfig(ConfigFactory.load());
    assertThat(shipped.threshold(DEFER_ANALYTICS)).isEqualTo(1000);
    assertThat(shipped.threshold(DEFAULT_PERSUASION)).isEqualTo(2000);
    assertThat(shipped.threshold(TEMPLATE_ONLY)).isEqualTo(5000);
    assertThat(shipped.releaseLevel(TEMPLATE_ONLY)).isEqualTo(4000);
    assertThat(shipped.minimumDwell()).isEqualTo(DWELL);
  }

  @Test
  void thresholdsMustRiseAndTheReleaseRatioMustBeAFraction() {
    assertThatThrownBy(() -> new Backpressure.Settings(2000, 2000, 5000, 0.8, DWELL, DWELL, 20, DWELL))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("increasing");
    assertThatThrownBy(() -> new Backpressure.Settings(1000, 2000, 5000, 1.2, DWELL, DWELL, 20, DWELL))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("release-ratio");
    assertThatThrownBy(() -> new Backpressure.Settings(1000, 2000, 5000, 0, DWELL, DWELL, 20, DWELL))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("release-ratio");
  }
}
