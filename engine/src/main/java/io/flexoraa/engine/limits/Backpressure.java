package io.flexoraa.engine.limits;

import com.typesafe.config.Config;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The backpressure mode of one node from the depth of its AI work queue (PRODUCT §7; decision 17). Rising is at
 * once: as soon as the depth exceeds a mode's threshold the node is in that mode, several modes at a time if the
 * depth jumped. Falling has hysteresis: a mode ends only when the depth has fallen to its release level (a fraction
 * of its threshold) and the mode has been held for the minimum dwell, so a depth hovering around a threshold does
 * not flap. It then falls straight to the highest mode the depth still holds, which may be several modes down.
 *
 * <p>Pure: the depth is given, time comes from the injected clock. Not thread-safe; the node's queue owns it.
 */
public final class Backpressure {
  private final Settings settings;
  private final Clock clock;
  private BackpressureMode mode = BackpressureMode.NORMAL;
  private Instant since;

  public Backpressure(Settings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    this.since = clock.instant();
  }

  /** A change of mode: the depth that caused it and when. */
  public record Transition(BackpressureMode from, BackpressureMode to, long depth, Instant at) {
    public boolean rising() {
      return to.compareTo(from) > 0;
    }
  }

  /** The queue's depth now; the change of mode it causes, if any. */
  public Optional<Transition> observe(long depth) {
    Instant now = clock.instant();
    BackpressureMode next = next(depth, now);
    if (next == mode) return Optional.empty();
    Transition transition = new Transition(mode, next, depth, now);
    mode = next;
    since = now;
    return Optional.of(transition);
  }

  public BackpressureMode mode() {
    return mode;
  }

  /** When the current mode began (when this machine started, for the first). */
  public Instant since() {
    return since;
  }

  private BackpressureMode next(long depth, Instant now) {
    BackpressureMode entered = settings.modeAbove(depth);
    if (entered.compareTo(mode) >= 0) return entered;
    if (Duration.between(since, now).compareTo(settings.minimumDwell()) < 0) return mode;
    return settings.modeHeld(depth, mode);
  }

  /**
   * {@code flexoraa.limits.backpressure}.
   *
   * @param deferAnalyticsAbove queue depth above which analytics and leakage scans wait
   * @param defaultPersuasionAbove depth above which only the default persuasion message is sent
   * @param templateOnlyAbove depth above which no AI calls are made
   * @param releaseRatio a mode ends at or below this fraction of its threshold (0.8: template-only ends at 4,000)
   * @param minimumDwell the least time a mode is held before it may end
   * @param evaluationInterval how often the queue re-evaluates while not normal, so a mode can end without traffic
   * @param recentTransitions how many transitions each node remembers for operators
   * @param askTimeout how long the cluster view waits for each node
   */
  public record Settings(
      long deferAnalyticsAbove,
      long defaultPersuasionAbove,
      long templateOnlyAbove,
      double releaseRatio,
      Duration minimumDwell,
      Duration evaluationInterval,
      int recentTransitions,
      Duration askTimeout) {

    public Settings {
      if (deferAnalyticsAbove < 1 || defaultPersuasionAbove <= deferAnalyticsAbove
          || templateOnlyAbove <= defaultPersuasionAbove) {
        throw new IllegalArgumentException("flexoraa.limits.backpressure thresholds must be positive and increasing: "
            + "defer-analytics-above < default-persuasion-above < template-only-above");
      }
      if (!(releaseRatio > 0 && releaseRatio <= 1)) {
        throw new IllegalArgumentException("flexoraa.limits.backpressure.release-ratio must be above 0 and at most 1");
      }
      if (minimumDwell.isNegative()) {
        throw new IllegalArgumentException("flexoraa.limits.backpressure.minimum-dwell must not be negative");
      }
      if (evaluationInterval.isNegative() || evaluationInterval.isZero()) {
        throw new IllegalArgumentException("flexoraa.limits.backpressure.evaluation-interval must be positive");
      }
      if (recentTransitions < 0) {
        throw new IllegalArgumentException("flexoraa.limits.backpressure.recent-transitions must not be negative");
      }
      if (askTimeout.isNegative() || askTimeout.isZero()) {
        throw new IllegalArgumentException("flexoraa.limits.backpressure.ask-timeout must be positive");
      }
    }

    public static Settings fromConfig(Config config) {
      Config backpressure = config.getConfig("flexoraa.limits.backpressure");
      return new Settings(
          backpressure.getLong("defer-analytics-above"),
          backpressure.getLong("default-persuasion-above"),
          backpressure.getLong("template-only-above"),
          backpressure.getDouble("release-ratio"),
          backpressure.getDuration("minimum-dwell"),
          backpressure.getDuration("evaluation-interval"),
          backpressure.getInt("recent-transitions"),
          backpressure.getDuration("ask-timeout"));
    }

    /** The depth a mode starts above; 0 for normal. */
    public long threshold(BackpressureMode mode) {
      return switch (mode) {
        case NORMAL -> 0;
        case DEFER_ANALYTICS -> deferAnalyticsAbove;
        case DEFAULT_PERSUASION -> defaultPersuasionAbove;
        case TEMPLATE_ONLY -> templateOnlyAbove;
      };
    }

    /** The depth at or below which a mode may end (once held for the minimum dwell). */
    public long releaseLevel(BackpressureMode mode) {
      return (long) Math.floor(threshold(mode) * releaseRatio);
    }

    /** The highest mode whose threshold the depth exceeds. */
    BackpressureMode modeAbove(long depth) {
      BackpressureMode above = BackpressureMode.NORMAL;
      for (BackpressureMode mode : BackpressureMode.values()) {
        if (mode != BackpressureMode.NORMAL && depth > threshold(mode)) above = mode;
      }
      return above;
    }

    /** The highest mode, at most {@code current}, whose release level the depth is still above. */
    BackpressureMode modeHeld(long depth, BackpressureMode current) {
      for (int level = current.level(); level > 0; level--) {
        BackpressureMode mode = BackpressureMode.values()[level];
        if (depth > releaseLevel(mode)) return mode;
      }
      return BackpressureMode.NORMAL;
    }
  }
}
