package io.flexoraa.engine.ai.builtin;

import io.flexoraa.engine.ai.Analysis;
import java.util.ArrayList;
import java.util.List;

/**
 * High-risk content (PRODUCT §5): legal threats and disputes, loan, tax or investment talk, disclosed medical
 * conditions, violence and abuse. Such a message gets no AI answer, a human review and a holding reply, so recall
 * matters most; the eval README's deliberate distractors (EMI without a loan, "no loan", a GST invoice, stamp duty,
 * "our legal team will ask", a "Dr." name, a routine dental booking) are blanked by the lexicon's {@code ignore}
 * lists before the cues are read.
 */
public final class RiskDetector {
  private RiskDetector() {}

  /** The high-risk types found, in {@link Analysis#HIGH_RISK_TYPES} order. */
  public static List<String> types(Lexicon.Hits hits) {
    List<String> types = new ArrayList<>();
    for (String type : Analysis.HIGH_RISK_TYPES) {
      if (hits.has("risk_" + type)) types.add(type);
    }
    return List.copyOf(types);
  }
}
