package io.flexoraa.engine.ai.builtin;

import io.flexoraa.engine.ai.Analysis;
import io.flexoraa.engine.ai.AnalysisRequest;
import java.time.LocalDate;
import java.util.List;

/** One analyzer for the classifier tests (lexicon and lingua load once per JVM), and a short way to ask it. */
final class AnalyzerFixture {
  static final BuiltInAnalyzer ANALYZER = BuiltInAnalyzer.withDefaults();
  static final LocalDate TODAY = LocalDate.of(2026, 11, 21);

  private AnalyzerFixture() {}

  static Analysis analyze(String text) {
    return ANALYZER.analyze(new AnalysisRequest("t1", text, "whatsapp", List.of(), TODAY));
  }

  static Analysis analyze(String text, List<String> tenantCompetitors) {
    return ANALYZER.analyze(new AnalysisRequest("t1", text, "whatsapp", tenantCompetitors, TODAY));
  }
}
