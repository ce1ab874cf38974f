package io.flexoraa.engine.ai.builtin;

import java.time.LocalDate;
import java.util.Optional;

/**
 * Finds when the lead means to buy or start, as IMMEDIATE, 1-3MO, 3-6MO or EXPLORING counted from {@code today}
 * (issue 6; conventions in {@code ../shared/eval/README.md}). PLACEHOLDER until the extractor lands: finds nothing.
 */
public final class TimelineExtractor {

  /** The timeline the text states, or empty when it says nothing about timing. */
  public Optional<String> extract(String text, LocalDate today) {
    return Optional.empty();
  }
}
