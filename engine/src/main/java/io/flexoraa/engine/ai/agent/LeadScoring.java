package io.flexoraa.engine.ai.agent;

import com.typesafe.config.Config;
import io.flexoraa.engine.CborSerializable;
import io.flexoraa.engine.ai.Budget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The lead score of PRODUCT §4.3: five weighted factors, each read as 0–1 from what the agent knows, summed to
 * 0–100; bands HOT 61–100, WARM 31–60, COLD 0–30. Pure and deterministic, so a score can be recomputed from the
 * same inputs and explained: every score carries its three largest contributions, each with a short reason, and
 * a one-line summary.
 */
public final class LeadScoring {

  public static final String HOT = "HOT";
  public static final String WARM = "WARM";
  public static final String COLD = "COLD";

  /** Weights in percent (summing to 100) and the lowest score of the HOT and WARM bands. */
  public record Settings(int budget, int intent, int engagement, int latency, int lifecycle, int hotFrom, int warmFrom) {
    public Settings {
      if (budget < 0 || intent < 0 || engagement < 0 || latency < 0 || lifecycle < 0) {
        throw new IllegalArgumentException("score weights must be >= 0");
      }
      if (budget + intent + engagement + latency + lifecycle != 100) {
        throw new IllegalArgumentException("score weights must sum to 100");
      }
      if (!(0 < warmFrom && warmFrom < hotFrom && hotFrom <= 100)) {
        throw new IllegalArgumentException("bands need 0 < warm-from < hot-from <= 100");
      }
    }

    public static final Settings DEFAULTS = new Settings(30, 25, 20, 15, 10, 61, 31);

    public static Settings fromConfig(Config config) {
      Config scoring = config.getConfig("flexoraa.ai.agent.scoring");
      Config weights = scoring.getConfig("weights");
      return new Settings(weights.getInt("budget"), weights.getInt("intent"), weights.getInt("engagement"),
          weights.getInt("latency"), weights.getInt("lifecycle"), scoring.getInt("hot-from"),
          scoring.getInt("warm-from"));
    }
  }

  /**
   * What the score is computed from.
   *
   * @param budgetBucket the lead's stated budget bucket, null if unknown
   * @param intent the strongest intent of the lead's recent messages (HIGH/MEDIUM/LOW), null before any analysis
   * @param averageWords how many words the lead's messages have on average (reply depth)
   * @param turnsCompleted interview steps the lead has answered (0–6)
   * @param medianReplyDelay how long the lead takes to answer our messages (median), null before it has answered one
   * @param leadAge how long ago the lead first wrote
   * @param interactions inbound messages so far
   */
  public record Inputs(
      String budgetBucket, String intent, double averageWords, int turnsCompleted, Duration medianReplyDelay,
      Duration leadAge, int interactions) {}

  /** One factor's contribution: its points (weight × value), its value 0–1 and why. */
  public record Factor(String name, double points, double value, String reason) implements CborSerializable {}

  /** A score with its band, its three largest factors and a one-line reason. */
  public record Score(int value, String band, List<Factor> topFactors, String reason) implements CborSerializable {
    public Score {
      topFactors = topFactors == null ? List.of() : List.copyOf(topFactors);
    }
  }

  private final Settings settings;

  public LeadScoring(Settings settings) {
    this.settings = settings;
  }

  public Score score(Inputs inputs) {
    List<Factor> factors = new ArrayList<>(5);
    factors.add(budget(inputs.budgetBucket()));
    factors.add(intent(inputs.intent()));
    factors.add(engagement(inputs.averageWords(), inputs.turnsCompleted()));
    factors.add(latency(inputs.medianReplyDelay()));
    factors.add(lifecycle(inputs.leadAge(), inputs.interactions()));
    double total = factors.stream().mapToDouble(Factor::points).sum();
    int value = (int) Math.max(0, Math.min(100, Math.round(total)));
    String band = band(value);
    List<Factor> top = factors.stream()
        .sorted(Comparator.comparingDouble(Factor::points).reversed().thenComparing(Factor::name))
        .limit(3).toList();
    String reason = band + " " + value + ": "
        + String.join("; ", top.stream().map(Factor::reason).toList());
    return new Score(value, band, top, reason);
  }

  public String band(int value) {
    if (value >= settings.hotFrom()) return HOT;
    if (value >= settings.warmFrom()) return WARM;
    return COLD;
  }

  private Factor budget(String bucket) {
    double value;
    String reason;
    if (bucket == null) {
      value = 0.2;
      reason = "budget not stated yet";
    } else {
      value = switch (bucket) {
        case Budget.B_50K_PLUS -> 1.0;
        case Budget.B_5K_50K -> 0.75;
        case Budget.B_1K_5K -> 0.5;
        default -> 0.25;
      };
      reason = "budget " + bucket + " USD";
    }
    return factor("budget", settings.budget(), value, reason);
  }

  private Factor intent(String intent) {
    double value;
    if (intent == null) {
      value = 0.3;
    } else {
      value = switch (intent) {
        case "HIGH" -> 1.0;
        case "MEDIUM" -> 0.6;
        default -> 0.15;
      };
    }
    String reason = intent == null ? "intent not known yet" : intent.toLowerCase(Locale.ROOT) + " intent";
    return factor("intent", settings.intent(), value, reason);
  }

  private Factor engagement(double averageWords, int turnsCompleted) {
    double depth = Math.min(1.0, averageWords / 20.0);
    double turns = Math.min(1.0, turnsCompleted / 6.0);
    double value = 0.5 * depth + 0.5 * turns;
    String reason = String.format(Locale.ROOT, "%d of 6 questions answered, %.0f words per message",
        Math.min(6, turnsCompleted), averageWords);
    return factor("engagement", settings.engagement(), value, reason);
  }

  private Factor latency(Duration median) {
    double value;
    String reason;
    if (median == null) {
      value = 0.5;
      reason = "no reply to us yet";
    } else if (median.compareTo(Duration.ofMinutes(5)) <= 0) {
      value = 1.0;
      reason = "replies within minutes";
    } else if (median.compareTo(Duration.ofHours(1)) <= 0) {
      value = 0.7;
      reason = "replies within the hour";
    } else if (median.compareTo(Duration.ofHours(24)) <= 0) {
      value = 0.4;
      reason = "replies within a day";
    } else {
      value = 0.1;
      reason = "replies after days";
    }
    return factor("latency", settings.latency(), value, reason);
  }

  private Factor lifecycle(Duration age, int interactions) {
    double fresh;
    if (age == null || age.compareTo(Duration.ofDays(1)) <= 0) {
      fresh = 1.0;
    } else if (age.compareTo(Duration.ofDays(7)) <= 0) {
      fresh = 0.7;
    } else if (age.compareTo(Duration.ofDays(30)) <= 0) {
      fresh = 0.4;
    } else {
      fresh = 0.2;
    }
    double value = 0.5 * fresh + 0.5 * Math.min(1.0, interactions / 10.0);
    long days = age == null ? 0 : age.toDays();
    String reason = (days == 0 ? "new today" : days + (days == 1 ? " day old" : " days old"))
        + ", " + interactions + (interactions == 1 ? " message" : " messages");
    return factor("lifecycle", settings.lifecycle(), value, reason);
  }

  private static Factor factor(String name, int weight, double value, String reason) {
    double points = Math.round(weight * value * 10.0) / 10.0;
    return new Factor(name, points, Math.round(value * 100.0) / 100.0, reason);
  }
}
