package io.flexoraa.engine.ai;

import io.flexoraa.engine.CborSerializable;
import java.util.List;

/**
 * What the AI understood of one inbound message (PRODUCT §4.2, §5), spelled as in {@code ../shared/eval/README.md}
 * so that the analysis API, the evaluation command and the lead's events agree. Lists are never null (empty when
 * nothing was found); {@code budget}, {@code timeline} and {@code authority} are null when the text says nothing
 * about them.
 *
 * @param language ISO 639-1 code of the message ("en", "hi", "ar", "id", "ms", ...); Hinglish is "hi" with
 *     {@code hinglish} true
 * @param intent {@link #INTENTS}
 * @param category {@link #CATEGORIES}: the message's primary purpose
 * @param tone {@link #TONES}
 * @param timeline {@link #TIMELINES} or null
 * @param authority {@link #AUTHORITIES} or null: whether the writer decides the purchase
 * @param objections {@link #OBJECTIONS}
 * @param buyingSignals {@link #BUYING_SIGNALS}
 * @param competitors named competitor brands, as the tenant spells them
 * @param highRiskTypes {@link #HIGH_RISK_TYPES}
 * @param escalateReasons {@link #ESCALATE_REASONS}, derived from the other fields
 * @param confidence 0–1: how sure the analyser is of the whole reading
 * @param provider who analysed: "builtin" or "openai"
 * @param model the model or rule-set version that produced it (e.g. "builtin-1", "gpt-4o-mini")
 */
public record Analysis(
    String language, boolean hinglish, String intent, String category, String tone, Budget budget, String timeline,
    String authority, List<String> objections, List<String> buyingSignals, List<String> competitors,
    boolean highRisk, List<String> highRiskTypes, boolean escalate, List<String> escalateReasons, double confidence,
    String provider, String model)
    implements CborSerializable {

  public static final List<String> INTENTS = List.of("HIGH", "MEDIUM", "LOW");
  public static final List<String> CATEGORIES = List.of(
      "BUYING", "CONFUSION", "SUPPORT", "OBJECTION", "URGENCY", "INFORMATION", "COMPETITOR", "FOLLOW_UP");
  public static final List<String> TONES = List.of("NEUTRAL", "FRUSTRATED", "EXCITED", "SKEPTICAL");
  public static final List<String> TIMELINES = List.of("IMMEDIATE", "1-3MO", "3-6MO", "EXPLORING");
  /** DECIDER: the writer decides ("I'm the owner", "my decision"); NEEDS_APPROVAL: someone else signs off. */
  public static final List<String> AUTHORITIES = List.of("DECIDER", "NEEDS_APPROVAL");
  public static final List<String> OBJECTIONS =
      List.of("price", "timing", "trust", "need_approval", "competitor", "features", "other");
  public static final List<String> BUYING_SIGNALS = List.of(
      "asks_price", "asks_demo", "asks_meeting", "asks_contract", "ready_to_buy", "asks_availability",
      "asks_payment");
  public static final List<String> HIGH_RISK_TYPES = List.of("legal", "financial", "medical", "violent", "abusive");
  public static final List<String> ESCALATE_REASONS = List.of(
      "budget_50k_plus", "ready_to_buy", "schedule_request", "sensitive_legal", "sensitive_financial",
      "sensitive_medical", "violent_or_abusive", "named_competitor", "3plus_objections");

  public static final String PROVIDER_BUILTIN = "builtin";
  public static final String PROVIDER_OPENAI = "openai";

  public Analysis {
    objections = objections == null ? List.of() : List.copyOf(objections);
    buyingSignals = buyingSignals == null ? List.of() : List.copyOf(buyingSignals);
    competitors = competitors == null ? List.of() : List.copyOf(competitors);
    highRiskTypes = highRiskTypes == null ? List.of() : List.copyOf(highRiskTypes);
    escalateReasons = escalateReasons == null ? List.of() : List.copyOf(escalateReasons);
  }

  /**
   * The escalation reasons the eval conventions derive mechanically from the other fields: budget of $50K or more,
   * ready to buy, a meeting or live-demo request, each high-risk type, a named competitor, three or more objections.
   * Low confidence is not among them: it is the pipeline's own trigger (PRODUCT §4.5), not a property of the text.
   */
  public static List<String> escalateReasons(
      Budget budget, List<String> buyingSignals, List<String> highRiskTypes, List<String> competitors,
      List<String> objections) {
    java.util.List<String> reasons = new java.util.ArrayList<>();
    if (budget != null && budget.usd() >= 50_000) reasons.add("budget_50k_plus");
    if (buyingSignals.contains("ready_to_buy")) reasons.add("ready_to_buy");
    if (buyingSignals.contains("asks_meeting") || buyingSignals.contains("asks_demo")) reasons.add("schedule_request");
    if (highRiskTypes.contains("legal")) reasons.add("sensitive_legal");
    if (highRiskTypes.contains("financial")) reasons.add("sensitive_financial");
    if (highRiskTypes.contains("medical")) reasons.add("sensitive_medical");
    if (highRiskTypes.contains("violent") || highRiskTypes.contains("abusive")) reasons.add("violent_or_abusive");
    if (!competitors.isEmpty()) reasons.add("named_competitor");
    if (objections.size() >= 3) reasons.add("3plus_objections");
    return List.copyOf(reasons);
  }

  /**
   * The analysis as the analysis API and the read model spell it (README's field list): every field present, null
   * when unknown.
   */
  public java.util.Map<String, Object> spelled() {
    java.util.Map<String, Object> view = new java.util.LinkedHashMap<>();
    view.put("language", language);
    view.put("isHinglish", hinglish);
    view.put("intent", intent);
    view.put("category", category);
    view.put("tone", tone);
    view.put("budgetBucket", budget == null ? null : budget.bucket());
    view.put("budgetUsd", budget == null ? null : budget.usd());
    view.put("budgetText", budget == null ? null : budget.text());
    view.put("budgetAmount", budget == null ? null : budget.amount());
    view.put("budgetCurrency", budget == null ? null : budget.currency());
    view.put("budgetPeriod", budget == null ? null : budget.period());
    view.put("timeline", timeline);
    view.put("authority", authority);
    view.put("objections", objections);
    view.put("buyingSignals", buyingSignals);
    view.put("competitors", competitors);
    view.put("escalate", escalate);
    view.put("escalateReasons", escalateReasons);
    view.put("highRisk", highRisk);
    view.put("highRiskTypes", highRiskTypes);
    view.put("confidence", confidence);
    view.put("provider", provider);
    view.put("model", model);
    return view;
  }
}
