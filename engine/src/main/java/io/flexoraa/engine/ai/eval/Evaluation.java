package io.flexoraa.engine.ai.eval;

import io.flexoraa.engine.ai.Analysis;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Scores analyses against labelled messages in the {@code ../shared/eval} format: per-field accuracy, per-class
 * precision/recall/F1 for intent and category, micro precision/recall/F1 for the list fields, precision/recall for
 * the booleans, latency percentiles, and the misses. Pure arithmetic: the command feeds it, tests check it.
 *
 * <p>Conventions: a null label equals a null answer (no budget stated, none found: correct); budget_usd is correct
 * within 5 % of the label; competitors compare case-insensitively; a precision with nothing predicted is 1 (no false
 * claim was made) and a recall with nothing to find is 1.
 */
public final class Evaluation {
  public static final List<String> ACCURACY_FIELDS = List.of(
      "intent", "category", "tone", "language", "is_hinglish", "budget_bucket", "budget_usd", "budget_text",
      "budget_period", "timeline");
  public static final List<String> LIST_FIELDS =
      List.of("objections", "buying_signals", "escalate_reasons", "high_risk_types", "competitors");
  public static final List<String> BOOLEAN_FIELDS = List.of("escalate", "high_risk", "is_hinglish");
  private static final double USD_TOLERANCE = 0.05;

  /** A message's labels, spelled as in the eval README. */
  public record Labels(
      String intent, String budgetBucket, Double budgetUsd, String budgetText, String budgetPeriod, String timeline,
      String category, String tone, List<String> objections, List<String> buyingSignals, boolean escalate,
      List<String> escalateReasons, String language, boolean hinglish, boolean highRisk, List<String> highRiskTypes,
      List<String> competitors) {

    public Labels {
      objections = objections == null ? List.of() : List.copyOf(objections);
      buyingSignals = buyingSignals == null ? List.of() : List.copyOf(buyingSignals);
      escalateReasons = escalateReasons == null ? List.of() : List.copyOf(escalateReasons);
      highRiskTypes = highRiskTypes == null ? List.of() : List.copyOf(highRiskTypes);
      competitors = competitors == null ? List.of() : List.copyOf(competitors);
    }
  }

  /** One labelled message. */
  public record Case(String id, String channel, String text, Labels labels) {}

  public record Accuracy(int correct, int total, double accuracy) {}

  /** Counts and ratios for one class or one list field; {@code support} is how many the labels hold. */
  public record Scores(int truePositives, int falsePositives, int falseNegatives, double precision, double recall,
      double f1, int support) {

    static Scores of(Tally tally) {
      return of(tally.truePositives, tally.falsePositives, tally.falseNegatives);
    }

    static Scores of(int tp, int fp, int fn) {
      double precision = tp + fp == 0 ? 1.0 : (double) tp / (tp + fp);
      double recall = tp + fn == 0 ? 1.0 : (double) tp / (tp + fn);
      double f1 = precision + recall == 0 ? 0.0 : 2 * precision * recall / (precision + recall);
      return new Scores(tp, fp, fn, precision, recall, f1, tp + fn);
    }
  }

  /** Analysis latency in milliseconds. */
  public record Latency(double p50, double p90, double p99, double max) {}

  /** A field the analysis got wrong on one message. */
  public record Miss(String id, String field, String expected, String actual, String text) {}

  public record Report(
      int messages, Map<String, Accuracy> accuracy, Map<String, Map<String, Scores>> perClass,
      Map<String, Scores> lists, Map<String, Scores> booleans, Latency latency, List<Miss> misses) {}

  private record Outcome(Case labelled, Analysis analysis, long nanos) {}

  /** True and false positives and false negatives, counted one answer at a time. */
  private static final class Tally {
    private int truePositives;
    private int falsePositives;
    private int falseNegatives;

    void add(boolean expected, boolean actual) {
      if (expected && actual) truePositives++;
      if (!expected && actual) falsePositives++;
      if (expected && !actual) falseNegatives++;
    }
  }

  private final List<Outcome> outcomes = new ArrayList<>();

  /** Records one analysed message and how long its analysis took. */
  public void add(Case labelled, Analysis analysis, long nanos) {
    outcomes.add(new Outcome(labelled, analysis, nanos));
  }

  public Report report() {
    Map<String, Accuracy> accuracy = new LinkedHashMap<>();
    List<Miss> misses = new ArrayList<>();
    for (String field : ACCURACY_FIELDS) {
      int correct = 0;
      for (Outcome outcome : outcomes) {
        String expected = scalar(field, outcome.labelled().labels());
        String actual = scalar(field, outcome.analysis());
        boolean right = field.equals("budget_usd")
            ? usdMatches(outcome.labelled().labels().budgetUsd(), outcome.analysis())
            : Objects.equals(expected, actual);
        if (right) correct++;
        else misses.add(new Miss(outcome.labelled().id(), field, expected, actual, outcome.labelled().text()));
      }
      accuracy.put(field, new Accuracy(correct, outcomes.size(), ratio(correct, outcomes.size())));
    }
    Map<String, Map<String, Scores>> perClass = new LinkedHashMap<>();
    perClass.put("intent", perClass("intent", Analysis.INTENTS));
    perClass.put("category", perClass("category", Analysis.CATEGORIES));
    Map<String, Scores> lists = new LinkedHashMap<>();
    for (String field : LIST_FIELDS) {
      Tally tally = new Tally();
      for (Outcome outcome : outcomes) {
        Set<String> expected = normalized(list(field, outcome.labelled().labels()));
        Set<String> actual = normalized(list(field, outcome.analysis()));
        Set<String> all = new HashSet<>(expected);
        all.addAll(actual);
        for (String value : all) tally.add(expected.contains(value), actual.contains(value));
        if (!expected.equals(actual)) {
          misses.add(new Miss(
              outcome.labelled().id(), field, String.valueOf(expected), String.valueOf(actual), outcome.labelled().text()));
        }
      }
      lists.put(field, Scores.of(tally));
    }
    Map<String, Scores> booleans = new LinkedHashMap<>();
    for (String field : BOOLEAN_FIELDS) {
      Tally tally = new Tally();
      for (Outcome outcome : outcomes) {
        boolean expected = flag(field, outcome.labelled().labels());
        boolean actual = flag(field, outcome.analysis());
        tally.add(expected, actual);
        if (expected != actual && !field.equals("is_hinglish")) {
          misses.add(new Miss(outcome.labelled().id(), field, String.valueOf(expected), String.valueOf(actual),
              outcome.labelled().text()));
        }
      }
      booleans.put(field, Scores.of(tally));
    }
    return new Report(outcomes.size(), accuracy, perClass, lists, booleans, latency(), List.copyOf(misses));
  }

  private Map<String, Scores> perClass(String field, List<String> classes) {
    Map<String, Scores> scores = new LinkedHashMap<>();
    for (String value : classes) {
      Tally tally = new Tally();
      for (Outcome outcome : outcomes) {
        tally.add(value.equals(scalar(field, outcome.labelled().labels())), value.equals(scalar(field, outcome.analysis())));
      }
      scores.put(value, Scores.of(tally));
    }
    return scores;
  }

  private Latency latency() {
    if (outcomes.isEmpty()) return new Latency(0, 0, 0, 0);
    long[] nanos = outcomes.stream().mapToLong(Outcome::nanos).toArray();
    Arrays.sort(nanos);
    return new Latency(millis(percentile(nanos, 50)), millis(percentile(nanos, 90)), millis(percentile(nanos, 99)),
        millis(nanos[nanos.length - 1]));
  }

  /** The nearest-rank percentile: the smallest value with at least {@code p} % of the values at or below it. */
  static long percentile(long[] sorted, int p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
  }

  private static boolean usdMatches(Double expected, Analysis analysis) {
    Long actual = analysis.budget() == null ? null : analysis.budget().usd();
    if (expected == null || actual == null) return expected == null && actual == null;
    return Math.abs(actual - expected) <= USD_TOLERANCE * Math.abs(expected);
  }

  private static String scalar(String field, Labels labels) {
    return switch (field) {
      case "intent" -> labels.intent();
      case "category" -> labels.category();
      case "tone" -> labels.tone();
      case "language" -> labels.language();
      case "is_hinglish" -> String.valueOf(labels.hinglish());
      case "budget_bucket" -> labels.budgetBucket();
      case "budget_usd" -> labels.budgetUsd() == null ? null : String.valueOf(Math.round(labels.budgetUsd()));
      case "budget_text" -> labels.budgetText();
      case "budget_period" -> labels.budgetPeriod();
      case "timeline" -> labels.timeline();
      default -> throw new IllegalArgumentException(field);
    };
  }

  private static String scalar(String field, Analysis analysis) {
    var budget = analysis.budget();
    return switch (field) {
      case "intent" -> analysis.intent();
      case "category" -> analysis.category();
      case "tone" -> analysis.tone();
      case "language" -> analysis.language();
      case "is_hinglish" -> String.valueOf(analysis.hinglish());
      case "budget_bucket" -> budget == null ? null : budget.bucket();
      case "budget_usd" -> budget == null ? null : String.valueOf(budget.usd());
      case "budget_text" -> budget == null ? null : budget.text();
      case "budget_period" -> budget == null ? null : budget.period();
      case "timeline" -> analysis.timeline();
      default -> throw new IllegalArgumentException(field);
    };
  }

  private static List<String> list(String field, Labels labels) {
    return pick(field, labels, Labels::objections, Labels::buyingSignals, Labels::escalateReasons,
        Labels::highRiskTypes, Labels::competitors);
  }

  private static List<String> list(String field, Analysis analysis) {
    return pick(field, analysis, Analysis::objections, Analysis::buyingSignals, Analysis::escalateReasons,
        Analysis::highRiskTypes, Analysis::competitors);
  }

  private static <T> List<String> pick(String field, T from, Function<T, List<String>> objections,
      Function<T, List<String>> signals, Function<T, List<String>> reasons, Function<T, List<String>> risks,
      Function<T, List<String>> competitors) {
    return switch (field) {
      case "objections" -> objections.apply(from);
      case "buying_signals" -> signals.apply(from);
      case "escalate_reasons" -> reasons.apply(from);
      case "high_risk_types" -> risks.apply(from);
      case "competitors" -> competitors.apply(from);
      default -> throw new IllegalArgumentException(field);
    };
  }

  private static boolean flag(String field, Labels labels) {
    return switch (field) {
      case "escalate" -> labels.escalate();
      case "high_risk" -> labels.highRisk();
      case "is_hinglish" -> labels.hinglish();
      default -> throw new IllegalArgumentException(field);
    };
  }

  private static boolean flag(String field, Analysis analysis) {
    return switch (field) {
      case "escalate" -> analysis.escalate();
      case "high_risk" -> analysis.highRisk();
      case "is_hinglish" -> analysis.hinglish();
      default -> throw new IllegalArgumentException(field);
    };
  }

  private static Set<String> normalized(List<String> values) {
    Set<String> set = new java.util.TreeSet<>();
    for (String value : values) set.add(value.strip().toLowerCase(Locale.ROOT));
    return set;
  }

  private static double ratio(int part, int whole) {
    return whole == 0 ? 0.0 : (double) part / whole;
  }

  private static double millis(long nanos) {
    return Math.round(nanos / 10_000.0) / 100.0;
  }
}
