package io.flexoraa.engine.tenant;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The token economy's numbers (PRODUCT §6) from {@code flexoraa.billing}: plans, the rate card and the alert
 * thresholds. Amounts are exact: each is read from the configuration's own text into a {@link BigDecimal} (never
 * through a double) and carried at {@link #SCALE} decimals, the scale of the ledger's columns.
 */
public record Billing(
    Map<String, Plan> plans, Map<String, BigDecimal> rateCard, List<Integer> alertThresholds, int upgradeOfferFrom) {

  /** Decimal places of every token amount; the read model stores NUMERIC(14,2). */
  public static final int SCALE = 2;

  public Billing {
    plans = Collections.unmodifiableMap(new LinkedHashMap<>(plans));
    rateCard = Collections.unmodifiableMap(new LinkedHashMap<>(rateCard));
    alertThresholds = alertThresholds.stream().sorted().toList();
    if (alertThresholds.isEmpty() || alertThresholds.get(alertThresholds.size() - 1) != FULL) {
      throw new IllegalArgumentException("alert thresholds must end with " + FULL + " (AI paused): " + alertThresholds);
    }
  }

  /** Consumption, in percent, at which the balance is exhausted: the last alert, when AI pauses. */
  public static final int FULL = 100;

  /** A subscription plan; {@code priceUsd} is informational here (payments are another issue). */
  public record Plan(String id, BigDecimal monthlyTokens, BigDecimal dailyBurnLimit, BigDecimal priceUsd) {}

  public static Billing fromConfig(Config config) {
    Config billing = config.getConfig("flexoraa.billing");
    Map<String, Plan> plans = new LinkedHashMap<>();
    Config planBlock = billing.getConfig("plans");
    for (String id : sortedKeys(planBlock)) {
      Config plan = planBlock.getConfig(quoted(id));
      plans.put(id, new Plan(id, amount(plan, "monthly-tokens"), amount(plan, "daily-burn-limit"),
          amount(plan, "price-usd")));
    }
    Map<String, BigDecimal> rateCard = new LinkedHashMap<>();
    Config rates = billing.getConfig("rate-card");
    for (String operation : sortedKeys(rates)) rateCard.put(operation, amount(rates, quoted(operation)));
    return new Billing(plans, rateCard, billing.getIntList("alert-thresholds"), billing.getInt("upgrade-offer-from"));
  }

  /** The keys of a block in a fixed order: HOCON objects have none of their own. */
  private static List<String> sortedKeys(Config block) {
    return new ArrayList<>(block.root().keySet()).stream().sorted().toList();
  }

  private static String quoted(String key) {
    return "\"" + key + "\"";
  }

  /** A positive-or-zero amount with at most {@link #SCALE} decimals, exactly as written in the configuration. */
  private static BigDecimal amount(Config block, String path) {
    ConfigValueType type = block.getValue(path).valueType();
    if (type != ConfigValueType.NUMBER && type != ConfigValueType.STRING) {
      throw new IllegalArgumentException(path + " must be a number");
    }
    BigDecimal value = new BigDecimal(block.getString(path).trim());
    return exact(value).orElseThrow(() -> new IllegalArgumentException(
        path + " = " + value + ": token amounts are at least 0 with at most " + SCALE + " decimals"));
  }

  /** The amount at {@link #SCALE} decimals, or empty when it is negative or needs more decimals. */
  public static Optional<BigDecimal> exact(BigDecimal value) {
    if (value == null || value.signum() < 0 || value.stripTrailingZeros().scale() > SCALE) return Optional.empty();
    return Optional.of(value.setScale(SCALE, RoundingMode.UNNECESSARY));
  }

  public List<String> planIds() {
    return plans.values().stream()
        .sorted(java.util.Comparator.comparing(Plan::monthlyTokens).thenComparing(Plan::id))
        .map(Plan::id)
        .toList();
  }

  /** The plan, or an empty one (no tokens, no daily burn) for a plan id no longer configured. */
  public Plan plan(String id) {
    Plan plan = plans.get(id);
    return plan != null ? plan : new Plan(id, zero(), zero(), zero());
  }

  /** The rate-card cost of an operation. */
  public Optional<BigDecimal> cost(String operation) {
    return Optional.ofNullable(operation == null ? null : rateCard.get(operation));
  }

  /** The cheapest plan with more monthly tokens than {@code current}: what an 80 % alert offers. */
  public Optional<String> upgradeFrom(String current) {
    BigDecimal tokens = plan(current).monthlyTokens();
    return plans.values().stream()
        .filter(plan -> plan.monthlyTokens().compareTo(tokens) > 0)
        .min(java.util.Comparator.comparing(Plan::priceUsd).thenComparing(Plan::monthlyTokens))
        .map(Plan::id);
  }

  public static BigDecimal zero() {
    return BigDecimal.ZERO.setScale(SCALE);
  }
}
