package io.flexoraa.engine.ai.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexoraa.engine.ai.builtin.BuiltInAnalyzer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Regression floors on our own 380 labelled examples ({@code ai/own-examples*.jsonl}: written for this project in the
 * eval conventions, never copied from the eval set). The rules were tuned while writing them, so these are guards
 * against a change that breaks what worked, not a measure of accuracy on unseen messages (the model card gives the
 * figures of the last file before it was used for tuning). Budget and timeline are left to their extractors.
 */
class OwnExamplesTest {

  @Test
  void theRulesKeepTheirAccuracyOnOurOwnExamples() throws Exception {
    List<Evaluation.Case> cases = new ArrayList<>();
    for (String name : List.of("ai/own-examples.jsonl", "ai/own-examples-2.jsonl", "ai/own-examples-3.jsonl",
        "ai/own-examples-unseen.jsonl")) {
      cases.addAll(EvaluationCommand.read(Path.of(getClass().getClassLoader().getResource(name).toURI())));
    }
    Evaluation.Report report =
        EvaluationCommand.evaluate(BuiltInAnalyzer.withDefaults(), cases, EvaluationCommand.DEFAULT_TODAY);

    assertThat(report.messages()).isEqualTo(380);
    assertThat(report.accuracy().get("intent").accuracy()).isGreaterThanOrEqualTo(0.90);
    assertThat(report.accuracy().get("category").accuracy()).isGreaterThanOrEqualTo(0.88);
    assertThat(report.accuracy().get("tone").accuracy()).isGreaterThanOrEqualTo(0.90);
    assertThat(report.accuracy().get("language").accuracy()).isGreaterThanOrEqualTo(0.97);
    assertThat(report.booleans().get("escalate").recall()).isGreaterThanOrEqualTo(0.97);
    assertThat(report.booleans().get("escalate").precision()).isGreaterThanOrEqualTo(0.95);
    assertThat(report.booleans().get("high_risk").recall()).isGreaterThanOrEqualTo(0.97);
    assertThat(report.booleans().get("high_risk").precision()).isGreaterThanOrEqualTo(0.95);
    assertThat(report.lists().get("competitors").f1()).isGreaterThanOrEqualTo(0.95);
  }
}
