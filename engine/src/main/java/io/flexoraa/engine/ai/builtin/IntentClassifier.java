package io.flexoraa.engine.ai.builtin;

import io.flexoraa.engine.ai.Budget;
import java.util.List;

/**
 * A message's category (its primary purpose) and the lead's intent, by the eval README's conventions. The category
 * is decided by a cascade, most specific first, because a message usually serves one purpose and its other words
 * only colour it: a bare "ok" is a follow-up; a stranger's "who gave you my number" is confusion; an existing
 * customer's problem is support even when it names a rival; a rival's offer the lead wants matched is a competitor
 * message, a complaint about our price, several objections or an objection stated without a question is an
 * objection; strong urgency is its own category unless the lead books or pays; booking, or a want made concrete by a
 * budget, a quantity, a date or a price question, is buying; the rest is information. Intent then follows the signals: support is
 * LOW by convention, booking, paying or a meeting is HIGH, a price asked in order to proceed now is HIGH, browsing,
 * rejection and wrong fits are LOW, everything else MEDIUM.
 */
public final class IntentClassifier {

  /**
   * What the classifier is told about a message.
   *
   * @param questions sentences of the message that are questions (at least 1 when a question word is used without
   *     a question mark)
   */
  public record Facts(
      Lexicon.Hits hits, List<String> signals, List<String> objections, List<String> competitors,
      List<String> riskTypes, Budget budget, String timeline, boolean acknowledgement, boolean greeting,
      int questions) {

    public Facts {
      signals = List.copyOf(signals);
      objections = List.copyOf(objections);
      competitors = List.copyOf(competitors);
      riskTypes = List.copyOf(riskTypes);
    }

    boolean has(String cue) {
      return hits.has(cue);
    }

    boolean signal(String signal) {
      return signals.contains(signal);
    }
  }

  /**
   * @param evidence how many separate cues support the reading (0: nothing matched, the category is a default)
   * @param contested whether two readings competed (a support problem that also wants to buy...)
   */
  public record Verdict(String category, String intent, int evidence, boolean contested) {}

  private IntentClassifier() {}

  public static Verdict classify(Facts facts) {
    Category category = category(facts);
    return new Verdict(category.name, intent(facts, category.name), evidence(facts), category.contested);
  }

  private record Category(String name, boolean contested) {}

  private static Category category(Facts facts) {
    if (facts.acknowledgement()) return new Category("FOLLOW_UP", false);
    if (facts.greeting()) return new Category("INFORMATION", false);
    if (facts.has("wrong_contact")) return new Category(facts.has("rejection") ? "OBJECTION" : "CONFUSION", false);

    boolean strongBuy = facts.signal("ready_to_buy") || facts.signal("asks_meeting") || facts.signal("asks_demo");
    boolean supportProblem = facts.has("support_problem");
    boolean hostile = facts.riskTypes().contains("legal") || facts.riskTypes().contains("violent")
        || facts.riskTypes().contains("abusive");
    if (facts.has("follow_up") && !supportProblem) return new Category("FOLLOW_UP", hostile);
    if ((supportProblem || hostile) && !facts.signal("ready_to_buy") && !facts.signal("asks_meeting")
        && !facts.signal("asks_demo")) {
      return new Category("SUPPORT", strongBuy || facts.signal("asks_price") || facts.signal("asks_payment"));
    }

    int objections = facts.objections().size();
    boolean pressing = facts.has("price_complaint") || facts.has("rejection") || facts.has("conditional_commit");
    boolean aboutRival = facts.objections().contains("competitor")
        && facts.objections().stream().allMatch(objection -> objection.equals("price") || objection.equals("competitor"));
    boolean statement = facts.questions() == 0 && !facts.has("want") && facts.signals().isEmpty();
    if (!strongBuy) {
      if (aboutRival && !pressing) return new Category("COMPETITOR", false);
      if (objections >= 2 || (objections == 1 && ((pressing && facts.signals().isEmpty()) || statement))) {
        return new Category("OBJECTION", facts.has("conditional_commit"));
      }
      if (!facts.competitors().isEmpty()) return new Category("COMPETITOR", false);
      if (objections == 0 && facts.has("rejection")) return new Category("OBJECTION", false);
    }
    if (facts.has("confusion")) return new Category("CONFUSION", strongBuy);
    if (facts.has("urgency") && !facts.signal("asks_meeting") && !facts.signal("asks_demo")
        && !facts.signal("asks_payment")) {
      return new Category("URGENCY", false);
    }
    if (strongBuy || facts.signal("asks_contract")) return new Category("BUYING", objections >= 2);

    double buy = buyScore(facts);
    double information = informationScore(facts);
    boolean buying = buy > information && ((facts.has("want") && buy >= 2) || buy >= 3);
    return new Category(buying ? "BUYING" : "INFORMATION", Math.abs(buy - information) < 1 && buy >= 2);
  }

  /**
   * A want made concrete: a budget, a quantity, a date, a payment question; a price question counts fully with a
   * want ("I want a 2BHK in Baner, price?") and half without, an availability question half.
   */
  private static double buyScore(Facts facts) {
    double score = 0;
    if (facts.has("want")) score += 1;
    if (facts.budget() != null || facts.has("budget_mention")) score += 1;
    if (facts.has("quantity")) score += 1;
    boolean dated = facts.timeline() != null && !facts.timeline().equals("EXPLORING");
    if (dated || facts.has("near_term")) score += 1;
    if (facts.signal("asks_payment")) score += 1;
    if (facts.signal("asks_price")) score += facts.has("want") ? 1 : 0.5;
    if (facts.signal("asks_availability")) score += 0.5;
    return score;
  }

  /** Questions that are not price, payment or availability questions, comparisons, browsing. */
  private static double informationScore(Facts facts) {
    int answeredByBuying = (facts.signal("asks_price") ? 1 : 0) + (facts.signal("asks_payment") ? 1 : 0)
        + (facts.signal("asks_availability") ? 1 : 0);
    double score = 2.0 * Math.max(0, facts.questions() - answeredByBuying);
    if (facts.has("compare_options")) score += 1;
    if (facts.has("browsing")) score += 2;
    return score;
  }

  private static String intent(Facts facts, String category) {
    if (category.equals("SUPPORT")) return "LOW";
    if (facts.signal("ready_to_buy") || facts.signal("asks_meeting") || facts.signal("asks_demo")) return "HIGH";
    if (category.equals("URGENCY") || facts.has("conditional_commit")) return "HIGH";
    if (facts.acknowledgement() || facts.greeting()) return "LOW";
    if (facts.has("wrong_contact") || facts.has("rejection") || facts.has("browsing")
        || "EXPLORING".equals(facts.timeline())) {
      return "LOW";
    }
    if (category.equals("OBJECTION")) return facts.has("softener") ? "MEDIUM" : "LOW";
    boolean noSignals = facts.signals().isEmpty();
    boolean vague = category.equals("INFORMATION") || category.equals("CONFUSION") || category.equals("COMPETITOR");
    if (vague && noSignals && facts.has("not_serious")) return "LOW";
    if (category.equals("INFORMATION") && noSignals
        && (facts.has("compliment") || facts.objections().contains("trust") || vagueStatement(facts))) {
      return "LOW";
    }
    boolean soon = facts.has("near_term") || "IMMEDIATE".equals(facts.timeline());
    if ((facts.signal("asks_price") || facts.signal("asks_availability")) && soon && facts.has("want")) return "HIGH";
    if (category.equals("BUYING") && facts.signal("asks_contract")) return "HIGH";
    return "MEDIUM";
  }

  /** A remark with nothing to act on: no question, want, budget, quantity, date or objection ("wow the view 😍"). */
  private static boolean vagueStatement(Facts facts) {
    return facts.questions() == 0 && !facts.has("want") && facts.budget() == null && !facts.has("budget_mention")
        && !facts.has("quantity") && facts.timeline() == null && facts.objections().isEmpty();
  }

  /** Separate cues behind the reading; a question counts, a whole-message convention counts double. */
  private static int evidence(Facts facts) {
    int evidence = facts.signals().size() + facts.objections().size() + facts.riskTypes().size()
        + facts.competitors().size() + (facts.acknowledgement() || facts.greeting() ? 2 : 0)
        + (facts.questions() > 0 ? 1 : 0) + (facts.budget() != null ? 1 : 0) + (facts.timeline() != null ? 1 : 0);
    for (String cue : List.of("support_problem", "follow_up", "confusion", "wrong_contact", "urgency", "want",
        "browsing", "rejection", "compliment", "not_serious", "compare_options", "quantity", "budget_mention")) {
      if (facts.has(cue)) evidence++;
    }
    return evidence;
  }
}
