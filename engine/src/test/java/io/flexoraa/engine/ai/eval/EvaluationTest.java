package io.flexoraa.engine.ai.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flexoraa.engine.ai.Analysis;
import io.flexoraa.engine.ai.Budget;
import io.flexoraa.engine.ai.eval.Evaluation.Labels;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The evaluation's arithmetic on tiny hand-made fixtures, and the command's options and failures. */
class EvaluationTest {

  private static Labels labels(String intent, String category, Double usd, List<String> objections,
      List<String> competitors, boolean escalate, boolean highRisk) {
    return new Labels(intent, usd == null ? null : Budget.bucketOf(Math.round(usd)), usd, null, null, null, category,
        "NEUTRAL", objections, List.of(), escalate, List.of(), "en", false, highRisk, List.of(), competitors);
  }

  private static Analysis analysis(String intent, String category, Long usd, List<String> objections,
      List<String> competitors, boolean escalate, boolean highRisk) {
    Budget budget = usd == null ? null
        : new Budget(BigDecimal.valueOf(usd), "USD", "total", usd, Budget.bucketOf(usd), "$" + usd);
    return new Analysis("en", false, intent, category, "NEUTRAL", budget, null, null, objections, List.of(),
        competitors, highRisk, List.of(), escalate, List.of(), 0.8, "builtin", "test");
  }

  /** Three messages: one right in every field, one with a wrong intent and budget, one with extra and missed items. */
  private static Evaluation.Report threeMessages() {
    Evaluation evaluation = new Evaluation();
    evaluation.add(new Evaluation.Case("A", null, "a", labels("HIGH", "BUYING", 60_000.0, List.of(), List.of(), true, false)),
        analysis("HIGH", "BUYING", 62_000L, List.of(), List.of(), true, false), 1_000_000);
    evaluation.add(new Evaluation.Case("B", null, "b", labels("MEDIUM", "INFORMATION", 1_000.0, List.of("price"), List.of(), false, false)),
        analysis("HIGH", "INFORMATION", 1_100L, List.of("price", "trust"), List.of(), true, false), 3_000_000);
    evaluation.add(new Evaluation.Case("C", null, "c", labels("LOW", "SUPPORT", null, List.of("timing"), List.of("HubSpot"), true, true)),
        analysis("LOW", "SUPPORT", null, List.of(), List.of("hubspot"), false, true), 2_000_000);
    return evaluation.report();
  }

  @Nested
  class Arithmetic {
    @Test
    void accuracyCountsNullAgainstNullAsRightAndUsdWithinFivePercent() {
      Evaluation.Report report = threeMessages();
      assertThat(report.messages()).isEqualTo(3);
      assertThat(report.accuracy().get("intent")).isEqualTo(new Evaluation.Accuracy(2, 3, 2.0 / 3));
      assertThat(report.accuracy().get("category").accuracy()).isEqualTo(1.0);
      // A: 62,000 against 60,000 is 3.3 % off (right); B: 1,100 against 1,000 is 10 % (wrong); C: both null (right)
      assertThat(report.accuracy().get("budget_usd").correct()).isEqualTo(2);
      assertThat(report.accuracy().get("budget_bucket").correct()).isEqualTo(3);
    }

    @Test
    void perClassPrecisionRecallAndF1() {
      Evaluation.Scores high = threeMessages().perClass().get("intent").get("HIGH");
      assertThat(high).extracting(Evaluation.Scores::truePositives, Evaluation.Scores::falsePositives,
          Evaluation.Scores::falseNegatives, Evaluation.Scores::support).containsExactly(1, 1, 0, 1);
      assertThat(high.precision()).isEqualTo(0.5);
      assertThat(high.recall()).isEqualTo(1.0);
      assertThat(high.f1()).isCloseTo(2.0 / 3, within(1e-9));
      Evaluation.Scores medium = threeMessages().perClass().get("intent").get("MEDIUM");
      assertThat(medium.precision()).as("nothing predicted MEDIUM: no false claim").isEqualTo(1.0);
      assertThat(medium.recall()).isEqualTo(0.0);
      assertThat(medium.f1()).isEqualTo(0.0);
    }

    @Test
    void listFieldsAreMicroAveragedAndCompetitorsCompareCaseInsensitively() {
      Evaluation.Report report = threeMessages();
      // labels {price}, {timing}; answers {price, trust}, {}: tp 1, fp 1 (trust), fn 1 (timing)
      assertThat(report.lists().get("objections")).extracting(Evaluation.Scores::truePositives,
          Evaluation.Scores::falsePositives, Evaluation.Scores::falseNegatives).containsExactly(1, 1, 1);
      assertThat(report.lists().get("competitors").precision()).isEqualTo(1.0);
      assertThat(report.lists().get("competitors").recall()).isEqualTo(1.0);
    }

    @Test
    void booleansArePrecisionAndRecallOfTrue() {
      Evaluation.Scores escalate = threeMessages().booleans().get("escalate");
      // labels true, false, true; answers true, true, false
      assertThat(escalate).extracting(Evaluation.Scores::truePositives, Evaluation.Scores::falsePositives,
          Evaluation.Scores::falseNegatives).containsExactly(1, 1, 1);
      assertThat(threeMessages().booleans().get("high_risk").recall()).isEqualTo(1.0);
    }

    @Test
    void latencyPercentilesAreNearestRank() {
      assertThat(threeMessages().latency()).isEqualTo(new Evaluation.Latency(2.0, 3.0, 3.0, 3.0));
      long[] hundred = new long[100];
      for (int i = 0; i < 100; i++) hundred[i] = i + 1;
      assertThat(Evaluation.percentile(hundred, 50)).isEqualTo(50);
      assertThat(Evaluation.percentile(hundred, 90)).isEqualTo(90);
      assertThat(Evaluation.percentile(hundred, 99)).isEqualTo(99);
      assertThat(Evaluation.percentile(new long[] {7}, 99)).isEqualTo(7);
    }

    @Test
    void everyWrongFieldIsAMiss() {
      List<Evaluation.Miss> misses = threeMessages().misses();
      assertThat(misses).extracting(Evaluation.Miss::id, Evaluation.Miss::field).contains(
          org.assertj.core.groups.Tuple.tuple("B", "intent"), org.assertj.core.groups.Tuple.tuple("B", "budget_usd"),
          org.assertj.core.groups.Tuple.tuple("B", "objections"), org.assertj.core.groups.Tuple.tuple("C", "objections"),
          org.assertj.core.groups.Tuple.tuple("B", "escalate"), org.assertj.core.groups.Tuple.tuple("C", "escalate"));
      assertThat(misses).filteredOn(miss -> miss.id().equals("A")).extracting(Evaluation.Miss::field)
          .as("A is right but for the budget text and period the fixture does not label")
          .containsOnly("budget_text", "budget_period");
    }

    @Test
    void anEmptyEvaluationReportsZeros() {
      Evaluation.Report report = new Evaluation().report();
      assertThat(report.messages()).isZero();
      assertThat(report.accuracy().get("intent").accuracy()).isZero();
      assertThat(report.latency()).isEqualTo(new Evaluation.Latency(0, 0, 0, 0));
    }
  }

  @Nested
  class Command {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
      return EvaluationCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static String resource(String name) throws Exception {
      return Path.of(EvaluationTest.class.getClassLoader().getResource(name).toURI()).toString();
    }

    @Test
    void helpNamesTheDefaultReferenceDate() {
      assertThat(run("--help")).isZero();
      assertThat(out.toString(StandardCharsets.UTF_8)).contains("--today", "2026-11-21", "--misses", "--json");
    }

    @Test
    void aReportWithMissesAndJsonFigures(@TempDir Path dir) throws Exception {
      Path json = dir.resolve("figures.json");
      assertThat(run("--misses", "--json", json.toString(), "--today", "2026-11-21", resource("ai/eval-fixture.jsonl")))
          .isZero();
      String printed = out.toString(StandardCharsets.UTF_8);
      assertThat(printed).contains("(2 messages, today = 2026-11-21)", "Accuracy", "intent", "Category per class",
          "List fields (micro)", "Booleans", "Latency per analysis", "Misses");
      JsonNode figures = new ObjectMapper().readTree(json.toFile());
      assertThat(figures.get("messages").asInt()).isEqualTo(2);
      assertThat(figures.at("/accuracy/intent/total").asInt()).isEqualTo(2);
      assertThat(figures.at("/booleans/escalate/support").asInt()).isEqualTo(1);
      assertThat(figures.at("/latency/p90").isNumber()).isTrue();
    }

    @Test
    void usageErrorsExitTwo() {
      assertThat(run()).isEqualTo(2);
      assertThat(run("--today", "21/11/2026", "x.jsonl")).isEqualTo(2);
      assertThat(run("--bogus", "x.jsonl")).isEqualTo(2);
      assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage: bin/evaluate");
    }

    @Test
    void anUnreadableFileOrAMalformedLineExitsOneNamingTheLine() throws Exception {
      assertThat(run("/no/such/file.jsonl")).isEqualTo(1);
      assertThat(run(resource("ai/eval-malformed.jsonl"))).isEqualTo(1);
      assertThat(err.toString(StandardCharsets.UTF_8)).contains("line 2");
    }

    @Test
    void blankLinesAreSkipped(@TempDir Path dir) throws Exception {
      Path file = dir.resolve("one.jsonl");
      Files.writeString(file, "\n" + Files.readAllLines(Path.of(resource("ai/eval-fixture.jsonl"))).get(0) + "\n\n");
      assertThat(EvaluationCommand.read(file)).hasSize(1);
    }
  }
}
