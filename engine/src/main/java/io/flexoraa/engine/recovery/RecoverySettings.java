package io.flexoraa.engine.recovery;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Settings from {@code flexoraa.cold-recovery} (flexoraa/sales/cold-recovery.conf). */
public record RecoverySettings(
    boolean enabled, List<StepPlan> steps, Duration window, Duration grace, Duration cooldown, Duration startWithin,
    String purpose, int tagSlices, Duration keeperInterval, Duration keeperLookahead, int keeperBatch,
    Duration askTimeout) {

  /** One step of the sequence: its wording ({@code name}) and when it goes, from the sequence's start. */
  public record StepPlan(String name, Duration offset) {}

  public RecoverySettings {
    steps = List.copyOf(steps);
    if (steps.isEmpty()) throw new IllegalArgumentException("cold-recovery.steps: at least one step");
    Duration previous = Duration.ZERO;
    for (StepPlan step : steps) {
      if (step.offset().compareTo(previous) < 0) {
        throw new IllegalArgumentException("cold-recovery.steps: offsets must not decrease (" + step.name() + ")");
      }
      if (step.offset().compareTo(window) > 0) {
        throw new IllegalArgumentException("cold-recovery.steps: " + step.name() + " is after the window");
      }
      previous = step.offset();
    }
  }

  public static RecoverySettings fromConfig(Config config) {
    Config recovery = config.getConfig("flexoraa.cold-recovery");
    List<StepPlan> steps = new ArrayList<>();
    for (Config step : recovery.getConfigList("steps")) {
      steps.add(new StepPlan(step.getString("name"), step.getDuration("offset")));
    }
    return new RecoverySettings(recovery.getBoolean("enabled"), steps, recovery.getDuration("window"),
        recovery.getDuration("grace"), recovery.getDuration("cooldown"), recovery.getDuration("start-within"),
        recovery.getString("purpose"), recovery.getInt("tag-slices"), recovery.getDuration("keeper-interval"),
        recovery.getDuration("keeper-lookahead"), recovery.getInt("keeper-batch"), recovery.getDuration("ask-timeout"));
  }
}
