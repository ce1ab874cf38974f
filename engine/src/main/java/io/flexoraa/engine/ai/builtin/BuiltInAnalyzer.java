package io.flexoraa.engine.ai.builtin;

import io.flexoraa.engine.ai.Analysis;
import io.flexoraa.engine.ai.AnalysisRequest;
import io.flexoraa.engine.ai.Analyzer;
import java.util.List;

/** The built-in engine's analysis (issue 6). PLACEHOLDER until it lands: budget and timeline only. */
public final class BuiltInAnalyzer implements Analyzer {
  public static final String MODEL = "builtin-1";

  private final BudgetExtractor budgets;
  private final TimelineExtractor timelines;

  public BuiltInAnalyzer(BudgetExtractor budgets, TimelineExtractor timelines) {
    this.budgets = budgets;
    this.timelines = timelines;
  }

  public static BuiltInAnalyzer withDefaults() {
    return new BuiltInAnalyzer(new BudgetExtractor(UsdRates.defaults()), new TimelineExtractor());
  }

  @Override
  public Analysis analyze(AnalysisRequest request) {
    var budget = budgets.extract(request.text()).orElse(null);
    String timeline = timelines.extract(request.text(), request.today()).orElse(null);
    List<String> reasons = Analysis.escalateReasons(budget, List.of(), List.of(), List.of(), List.of());
    return new Analysis("en", false, "MEDIUM", "INFORMATION", "NEUTRAL", budget, timeline, null, List.of(), List.of(),
        List.of(), false, List.of(), !reasons.isEmpty(), reasons, 0.5, Analysis.PROVIDER_BUILTIN, MODEL);
  }
}
