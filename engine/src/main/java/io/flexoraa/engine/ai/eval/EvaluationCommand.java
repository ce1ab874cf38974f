package io.flexoraa.engine.ai.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.flexoraa.engine.ai.AnalysisRequest;
import io.flexoraa.engine.ai.Analyzer;
import io.flexoraa.engine.ai.builtin.BuiltInAnalyzer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code bin/evaluate}: runs the built-in analyzer over a JSON Lines file in the {@code ../shared/eval} format and
 * prints how well it did (see {@link Evaluation} for what is measured). Exit status 0 after a report, 2 for a usage
 * error, 1 when the file cannot be read or a line is not a labelled message.
 */
public final class EvaluationCommand {
  /** The eval set's reference date: its relative timelines ("next month") count from this Saturday. */
  public static final LocalDate DEFAULT_TODAY = LocalDate.of(2026, 11, 21);

  static final String USAGE = """
      usage: bin/evaluate [--today YYYY-MM-DD] [--misses] [--json FILE] FILE.jsonl

      Runs the built-in analyzer (no network) over labelled messages in the ../shared/eval JSON Lines format and
      prints per-field accuracy, per-class precision/recall/F1 for intent and category, micro precision/recall/F1
      for the list fields, precision/recall for escalate, high_risk and is_hinglish, and analysis latency
      (P50/P90/P99, measured after warming up on the file).

        --today YYYY-MM-DD  the date relative timelines count from (default 2026-11-21, the eval set's reference
                            date, a Saturday)
        --misses            also print every field the analyzer got wrong, line by line
        --json FILE         also write the figures (and the misses) as JSON to FILE
      """;

  private EvaluationCommand() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** The command without {@code System.exit}: returns the exit status. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    LocalDate today = DEFAULT_TODAY;
    boolean misses = false;
    Path json = null;
    Path input = null;
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--today" -> today = LocalDate.parse(value(args, ++i, "--today"));
          case "--misses" -> misses = true;
          case "--json" -> json = Path.of(value(args, ++i, "--json"));
          case "-h", "--help" -> {
            out.print(USAGE);
            return 0;
          }
          default -> {
            if (args[i].startsWith("-") || input != null) throw new IllegalArgumentException("unexpected " + args[i]);
            input = Path.of(args[i]);
          }
        }
      }
      if (input == null) throw new IllegalArgumentException("name the JSON Lines file to evaluate");
    } catch (IllegalArgumentException | DateTimeParseException usage) {
      err.println("evaluate: " + usage.getMessage());
      err.print(USAGE);
      return 2;
    }
    try {
      List<Evaluation.Case> cases = read(input);
      Evaluation.Report report = evaluate(BuiltInAnalyzer.withDefaults(), cases, today);
      print(report, input, today, out);
      if (misses) printMisses(report, out);
      if (json != null) {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), report);
        out.println("figures written to " + json);
      }
      return 0;
    } catch (IOException | IllegalArgumentException failure) {
      err.println("evaluate: " + failure.getMessage());
      return 1;
    }
  }

  /** Analyses warm up the JIT first (the file, repeated to at least this many messages). */
  static final int WARM_UP_ANALYSES = 2_000;

  /** Warms up, then analyses every case once, timing each analysis. */
  static Evaluation.Report evaluate(Analyzer analyzer, List<Evaluation.Case> cases, LocalDate today) {
    for (int done = 0; done < WARM_UP_ANALYSES && !cases.isEmpty(); ) {
      for (Evaluation.Case labelled : cases) analyzer.analyze(request(labelled, today));
      done += cases.size();
    }
    Evaluation evaluation = new Evaluation();
    for (Evaluation.Case labelled : cases) {
      AnalysisRequest request = request(labelled, today);
      long start = System.nanoTime();
      var analysis = analyzer.analyze(request);
      evaluation.add(labelled, analysis, System.nanoTime() - start);
    }
    return evaluation.report();
  }

  private static AnalysisRequest request(Evaluation.Case labelled, LocalDate today) {
    return new AnalysisRequest(null, labelled.text(), labelled.channel(), List.of(), today);
  }

  /** Reads the file; a line that is not a labelled message fails the run, naming the line. */
  static List<Evaluation.Case> read(Path input) throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    List<Evaluation.Case> cases = new ArrayList<>();
    int number = 0;
    for (String line : Files.readAllLines(input, StandardCharsets.UTF_8)) {
      number++;
      if (line.isBlank()) continue;
      try {
        cases.add(parse(mapper.readTree(line)));
      } catch (IOException | RuntimeException malformed) {
        throw new IllegalArgumentException(input + " line " + number + ": " + malformed.getMessage(), malformed);
      }
    }
    return cases;
  }

  static Evaluation.Case parse(JsonNode line) {
    JsonNode labels = line.get("labels");
    if (line.path("text").isMissingNode() || labels == null || !labels.isObject()) {
      throw new IllegalArgumentException("a line needs \"text\" and a \"labels\" object");
    }
    return new Evaluation.Case(line.path("id").asText(""), text(line, "channel"), line.get("text").asText(),
        new Evaluation.Labels(
            text(labels, "intent"), text(labels, "budget_bucket"),
            labels.path("budget_usd").isNumber() ? labels.get("budget_usd").asDouble() : null,
            text(labels, "budget_text"), text(labels, "budget_period"), text(labels, "timeline"),
            text(labels, "category"), text(labels, "tone"), strings(labels, "objections"),
            strings(labels, "buying_signals"), labels.path("escalate").asBoolean(false),
            strings(labels, "escalate_reasons"), text(labels, "language"), labels.path("is_hinglish").asBoolean(false),
            labels.path("high_risk").asBoolean(false), strings(labels, "high_risk_types"),
            strings(labels, "competitors")));
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static List<String> strings(JsonNode node, String field) {
    List<String> values = new ArrayList<>();
    for (JsonNode value : node.path(field)) values.add(value.asText());
    return values;
  }

  private static String value(String[] args, int index, String option) {
    if (index >= args.length) throw new IllegalArgumentException(option + " needs a value");
    return args[index];
  }

  static void print(Evaluation.Report report, Path input, LocalDate today, PrintStream out) {
    out.printf("Built-in analyzer %s on %s (%d messages, today = %s)%n%n", BuiltInAnalyzer.MODEL, input,
        report.messages(), today);
    out.println("Accuracy");
    for (Map.Entry<String, Evaluation.Accuracy> field : report.accuracy().entrySet()) {
      Evaluation.Accuracy accuracy = field.getValue();
      out.printf("  %-16s %6.3f  (%d/%d)%n", field.getKey(), accuracy.accuracy(), accuracy.correct(), accuracy.total());
    }
    for (Map.Entry<String, Map<String, Evaluation.Scores>> field : report.perClass().entrySet()) {
      out.printf("%n%s per class           precision  recall     F1  support%n", capitalized(field.getKey()));
      for (Map.Entry<String, Evaluation.Scores> value : field.getValue().entrySet()) scores(out, value.getKey(), value.getValue());
    }
    out.printf("%nList fields (micro)          precision  recall     F1  support%n");
    for (Map.Entry<String, Evaluation.Scores> field : report.lists().entrySet()) scores(out, field.getKey(), field.getValue());
    out.printf("%nBooleans (true = positive)   precision  recall     F1  support%n");
    for (Map.Entry<String, Evaluation.Scores> field : report.booleans().entrySet()) scores(out, field.getKey(), field.getValue());
    Evaluation.Latency latency = report.latency();
    out.printf("%nLatency per analysis (ms)    P50 %.2f  P90 %.2f  P99 %.2f  max %.2f%n", latency.p50(), latency.p90(),
        latency.p99(), latency.max());
  }

  private static void scores(PrintStream out, String name, Evaluation.Scores scores) {
    out.printf("  %-26s %6.3f  %6.3f  %6.3f  %5d%n", name, scores.precision(), scores.recall(), scores.f1(),
        scores.support());
  }

  private static void printMisses(Evaluation.Report report, PrintStream out) {
    out.printf("%nMisses (%d)%n", report.misses().size());
    for (Evaluation.Miss miss : report.misses()) {
      out.printf("  %-6s %-16s expected %-28s got %-28s | %s%n", miss.id(), miss.field(), miss.expected(),
          miss.actual(), miss.text().replace('\n', ' '));
    }
  }

  private static String capitalized(String word) {
    return Character.toUpperCase(word.charAt(0)) + word.substring(1);
  }
}
