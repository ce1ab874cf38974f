package io.flexoraa.engine.compliance;

/**
 * The rules of PRODUCT §8 and §12 by their wire names: every DEFER and BLOCK (and a TEMPLATE standing in for a
 * free-form message) names one, so a refusal always says which rule refused it.
 */
public enum Rule {
  WINDOW_CLOSED("window-closed"),
  NO_APPROVED_TEMPLATE("no-approved-template"),
  MESSAGING_TIER("messaging-tier"),
  THROUGHPUT("throughput"),
  PAIR_RATE("pair-rate"),
  MARKETING_PER_USER("marketing-per-user"),
  USER_BACKOFF("user-backoff"),
  QUALITY_YELLOW("quality-yellow"),
  QUALITY_RED("quality-red"),
  ACCOUNT_SUSPENDED("account-suspended"),
  OPTED_OUT("opted-out"),
  NO_COLD_DM("no-cold-dm"),
  AUTOMATED_DM_HOURLY("automated-dm-hourly"),
  PRIVATE_REPLY_ONCE("private-reply-once"),
  PRIVATE_REPLY_EXPIRED("private-reply-expired"),
  TEXT_TOO_LONG("text-too-long"),
  MARKETING_OPT_IN("marketing-opt-in"),
  MARKETING_DAILY("marketing-daily"),
  HUMAN_AGENT_ONLY("human-agent-only"),
  TEMPLATE_NOT_APPROVED("template-not-approved"),
  /** The account is not registered for the tenant (or the channel is unknown): nothing can be sent through it. */
  UNKNOWN_ACCOUNT("unknown-account");

  private final String wireName;

  Rule(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static java.util.Optional<Rule> fromWireName(String name) {
    for (Rule rule : values()) {
      if (rule.wireName.equals(name)) return java.util.Optional.of(rule);
    }
    return java.util.Optional.empty();
  }
}
