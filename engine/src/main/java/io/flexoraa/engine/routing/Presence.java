package io.flexoraa.engine.routing;

import java.util.Arrays;
import java.util.Optional;

/** Whether an SDR is at work right now, as they (or their manager) set it: only ONLINE SDRs take new leads. */
public enum Presence {
  ONLINE,
  AWAY,
  OFFLINE;

  public String wire() {
    return name().toLowerCase();
  }

  public static Optional<Presence> parse(String value) {
    if (value == null) return Optional.empty();
    return Arrays.stream(values()).filter(p -> p.name().equalsIgnoreCase(value.trim())).findFirst();
  }
}
