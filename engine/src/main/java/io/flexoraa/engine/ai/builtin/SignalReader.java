package io.flexoraa.engine.ai.builtin;

import io.flexoraa.engine.ai.Analysis;
import java.util.ArrayList;
import java.util.List;

/**
 * Buying signals, objections and decision authority, read off the lexicon's cues with the few rules the eval
 * conventions add: asking what a price <em>means</em> ("is 45,000 per semester or per year?") is confusion, not a
 * price request; a rival is an objection when the lead does not name it (it is being compared with) or when a named
 * one comes with its offer or a price or feature complaint, never for merely being named.
 */
public final class SignalReader {
  private SignalReader() {}

  /** Buying signals in {@link Analysis#BUYING_SIGNALS} order. */
  public static List<String> buyingSignals(Lexicon.Hits hits) {
    List<String> signals = new ArrayList<>();
    for (String signal : Analysis.BUYING_SIGNALS) {
      if (!hits.has(signal)) continue;
      if (signal.equals("asks_price") && hits.has("confusion")) continue;
      signals.add(signal);
    }
    return List.copyOf(signals);
  }

  /** Objections in {@link Analysis#OBJECTIONS} order. */
  public static List<String> objections(Lexicon.Hits hits, List<String> namedCompetitors) {
    List<String> objections = new ArrayList<>();
    for (String objection : Analysis.OBJECTIONS) {
      boolean raised = objection.equals("competitor")
          ? hits.has("competitor_unnamed") || (!namedCompetitors.isEmpty()
              && (hits.has("objection_price") || hits.has("objection_features") || hits.has("rival_offer")))
          : hits.has("objection_" + objection);
      if (raised) objections.add(objection);
    }
    return List.copyOf(objections);
  }

  /** NEEDS_APPROVAL when someone else signs off, DECIDER when the writer says the decision is theirs, else null. */
  public static String authority(Lexicon.Hits hits) {
    if (hits.has("objection_need_approval")) return "NEEDS_APPROVAL";
    if (hits.has("decider")) return "DECIDER";
    return null;
  }
}
