package io.flexoraa.engine.routing;

import java.util.Arrays;
import java.util.Optional;

/** An SDR's seniority: COLD leads that AI recovery did not win back go to the junior pool (PRODUCT §4.4). */
public enum Seniority {
  JUNIOR,
  SENIOR;

  public String wire() {
    return name().toLowerCase();
  }

  public static Optional<Seniority> parse(String value) {
    if (value == null) return Optional.empty();
    return Arrays.stream(values()).filter(s -> s.name().equalsIgnoreCase(value.trim())).findFirst();
  }
}
