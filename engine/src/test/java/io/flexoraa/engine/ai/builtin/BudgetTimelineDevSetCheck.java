package io.flexoraa.engine.ai.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flexoraa.engine.ai.Budget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A measurement, not a test (its name keeps surefire away): runs the budget and timeline extractors over a labelled
 * JSON Lines file in the {@code ../shared/eval} format and prints budget bucket accuracy, budget_usd within 5 %,
 * budget_text exact match, budget_period accuracy and timeline accuracy, then every miss.
 *
 * <pre>mvn -o -q -pl engine -am test -Dtest=BudgetTimelineDevSetCheck -Dsurefire.failIfNoSpecifiedTests=false \
 *   -Dflexoraa.eval=/work/shared/eval/leads-dev.jsonl [-Dflexoraa.eval.today=2026-11-21]</pre>
 */
class BudgetTimelineDevSetCheck {

  @Test
  void measure() throws IOException {
    String file = System.getProperty("flexoraa.eval");
    if (file == null || file.isBlank()) throw new IllegalStateException("set -Dflexoraa.eval=<labelled .jsonl file>");
    LocalDate today = LocalDate.parse(System.getProperty("flexoraa.eval.today", "2026-11-21"));
    BudgetExtractor budgets = new BudgetExtractor(UsdRates.defaults());
    TimelineExtractor timelines = new TimelineExtractor();
    ObjectMapper json = new ObjectMapper();

    int lines = 0;
    int bucketOk = 0;
    int usdOk = 0;
    int textOk = 0;
    int periodOk = 0;
    int timelineOk = 0;
    int budgetsLabelled = 0;
    List<String> misses = new ArrayList<>();
    long worstNanos = 0;
    for (String line : Files.readAllLines(Path.of(file))) {
      if (line.isBlank()) continue;
      lines++;
      JsonNode row = json.readTree(line);
      String id = row.path("id").asText();
      String text = row.path("text").asText();
      JsonNode labels = row.path("labels");
      long started = System.nanoTime();
      Optional<Budget> budget = budgets.extract(text);
      Optional<String> timeline = timelines.extract(text, today);
      worstNanos = Math.max(worstNanos, System.nanoTime() - started);

      String wantBucket = textOrNull(labels.path("budget_bucket"));
      String gotBucket = budget.map(Budget::bucket).orElse(null);
      if (Objects.equals(wantBucket, gotBucket)) bucketOk++;
      else misses.add(id + " bucket want " + wantBucket + " got " + gotBucket + " | " + budget.orElse(null));

      JsonNode wantUsd = labels.path("budget_usd");
      boolean usdMatches = wantUsd.isNull() || wantUsd.isMissingNode()
          ? budget.isEmpty()
          : budget.isPresent() && Math.abs(budget.get().usd() - wantUsd.asDouble()) <= 0.05 * wantUsd.asDouble();
      if (usdMatches) usdOk++;
      else misses.add(id + " usd want " + wantUsd + " got " + budget.map(Budget::usd).orElse(null));

      String wantText = textOrNull(labels.path("budget_text"));
      if (wantText != null) budgetsLabelled++;
      if (Objects.equals(wantText, budget.map(Budget::text).orElse(null))) textOk++;
      else misses.add(id + " text want «" + wantText + "» got «" + budget.map(Budget::text).orElse(null) + "»");

      String wantPeriod = textOrNull(labels.path("budget_period"));
      if (Objects.equals(wantPeriod, budget.map(Budget::period).orElse(null))) periodOk++;
      else misses.add(id + " period want " + wantPeriod + " got " + budget.map(Budget::period).orElse(null));

      String wantTimeline = textOrNull(labels.path("timeline"));
      if (Objects.equals(wantTimeline, timeline.orElse(null))) timelineOk++;
      else misses.add(id + " timeline want " + wantTimeline + " got " + timeline.orElse(null) + " | " + text);
    }
    System.out.printf("%n%s: %d messages (%d with a budget), reference date %s%n", file, lines, budgetsLabelled, today);
    System.out.printf("budget bucket accuracy    %.3f%n", (double) bucketOk / lines);
    System.out.printf("budget_usd within 5 %%     %.3f%n", (double) usdOk / lines);
    System.out.printf("budget_text exact match   %.3f%n", (double) textOk / lines);
    System.out.printf("budget_period accuracy    %.3f%n", (double) periodOk / lines);
    System.out.printf("timeline accuracy         %.3f%n", (double) timelineOk / lines);
    System.out.printf("slowest message (both extractors, first runs included) %.2f ms%n", worstNanos / 1e6);
    System.out.println("misses:");
    misses.forEach(m -> System.out.println("  " + m));
  }

  private static String textOrNull(JsonNode node) {
    return node == null || node.isNull() || node.isMissingNode() ? null : node.asText();
  }
}
