package io.flexoraa.engine.ai.builtin;

import java.util.List;

/**
 * The lead's tone: FRUSTRATED, SKEPTICAL, EXCITED or NEUTRAL, in that order of precedence (an angry message with a
 * smiley is still angry). Frustration needs two signs, or one in a support message, because a single "still waiting"
 * followed by "could you please check?" is a polite chaser; an existing customer's problem, threats and abuse are
 * frustration unless put politely. Doubt about the offer (a trust objection, "what makes you different", a price
 * called too high, an objection to price, trust, a rival or features not put as a sorry) is skepticism.
 */
public final class ToneClassifier {
  private ToneClassifier() {}

  public static String classify(Lexicon.Hits hits, String category, List<String> riskTypes, List<String> objections) {
    int frustrated = hits.count("frustrated") - (hits.has("polite") ? 1 : 0);
    if (riskTypes.contains("legal") || riskTypes.contains("violent") || riskTypes.contains("abusive")) frustrated += 2;
    if (category.equals("SUPPORT")) frustrated += 2;
    if (frustrated >= 2) return "FRUSTRATED";
    boolean apologetic = hits.has("apology") || hits.has("conditional_commit");
    int skeptical = hits.count("skeptical") + (objections.contains("trust") ? 1 : 0)
        + (hits.has("price_complaint") && !apologetic ? 1 : 0) + (doubtsTheOffer(hits, category, objections) ? 1 : 0);
    if (skeptical >= 1) return "SKEPTICAL";
    if (hits.has("excited") || hits.has("compliment")) return "EXCITED";
    return "NEUTRAL";
  }

  /** An objection to the offer itself (price, trust, a rival, features), not put as a sorry or a condition. */
  private static boolean doubtsTheOffer(Lexicon.Hits hits, String category, List<String> objections) {
    if (!category.equals("OBJECTION") || hits.has("apology") || hits.has("conditional_commit")) return false;
    return objections.stream().anyMatch(objection -> List.of("price", "trust", "competitor", "features", "other")
        .contains(objection));
  }
}
