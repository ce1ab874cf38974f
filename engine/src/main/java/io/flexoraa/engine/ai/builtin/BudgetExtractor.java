package io.flexoraa.engine.ai.builtin;

import io.flexoraa.engine.ai.Budget;
import java.util.Optional;

/**
 * Finds the budget a lead states in English, Hinglish, Hindi, Arabic or Bahasa (issue 6; conventions in
 * {@code ../shared/eval/README.md}). PLACEHOLDER until the extractor lands: finds nothing.
 */
public final class BudgetExtractor {
  private final UsdRates rates;

  public BudgetExtractor(UsdRates rates) {
    this.rates = rates;
  }

  /** The stated budget, or empty when the text states none (quotes, phone numbers, sqft... are not budgets). */
  public Optional<Budget> extract(String text) {
    return Optional.empty();
  }

  public UsdRates rates() {
    return rates;
  }
}
