package io.flexoraa.engine.ai;

/**
 * The rate-card operations (PRODUCT §6) AI calls are made for: the names under which a call is debited, written to
 * the cost log and counted in metrics, so that the three line up in the usage report.
 */
public final class AiOperations {
  public static final String INTENT_CLASSIFICATION = "intent-classification";
  public static final String SCORING = "scoring";
  public static final String QUALIFICATION_MESSAGE = "qualification-message";
  public static final String PERSUASION_MESSAGE = "persuasion-message";
  public static final String ESCALATION_DECISION = "escalation-decision";
  public static final String HUMAN_HIGH_RISK_REVIEW = "human-high-risk-review";
  /** Not on the rate card (not debited): the semantic cache's embeddings, recorded in the cost log all the same. */
  public static final String EMBEDDING = "embedding";

  private AiOperations() {}

  /** The operation a reply of this kind is debited as: a question qualifies, a persuasion persuades... */
  public static String forReply(ReplyRequest.Kind kind) {
    return switch (kind) {
      case QUESTION -> QUALIFICATION_MESSAGE;
      case PERSUASION -> PERSUASION_MESSAGE;
      case HOLDING -> HUMAN_HIGH_RISK_REVIEW;
      case HANDOFF -> ESCALATION_DECISION;
    };
  }
}
