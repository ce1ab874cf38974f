package io.flexoraa.engine.ai.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flexoraa.engine.ai.agent.LeadScoring.Inputs;
import io.flexoraa.engine.ai.agent.LeadScoring.Score;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LeadScoringTest {
  private final LeadScoring scoring = new LeadScoring(LeadScoring.Settings.DEFAULTS);

  @Test
  void aBigBudgetReadyLeadThatAnswersFastIsHot() {
    Score score = scoring.score(new Inputs("50K+", "HIGH", 20, 6, Duration.ofMinutes(2), Duration.ofHours(2), 10));
    assertThat(score.value()).isEqualTo(100);
    assertThat(score.band()).isEqualTo("HOT");
    assertThat(score.topFactors()).extracting(LeadScoring.Factor::name).containsExactly("budget", "intent", "engagement");
    assertThat(score.reason()).startsWith("HOT 100: budget 50K+ USD; high intent;");
  }

  @Test
  void theFiveFactorsAreWeightedAsTheProductSays() {
    // budget 1K-5K (0.5 × 30 = 15) + medium intent (0.6 × 25 = 15) + engagement (0.5 × 20 = 10: 10 words, 3 of 6)
    // + latency within the hour (0.7 × 15 = 10.5) + lifecycle (0.5 × 1.0 + 0.5 × 0.5 = 0.75 × 10 = 7.5) = 58
    Score score = scoring.score(new Inputs("1K-5K", "MEDIUM", 10, 3, Duration.ofMinutes(30), Duration.ofHours(3), 5));
    assertThat(score.value()).isEqualTo(58);
    assertThat(score.band()).isEqualTo("WARM");
  }

  @Test
  void aVagueSlowOldLeadIsCold() {
    Score score = scoring.score(new Inputs(null, "LOW", 2, 0, Duration.ofDays(3), Duration.ofDays(60), 1));
    assertThat(score.band()).isEqualTo("COLD");
    assertThat(score.value()).isLessThanOrEqualTo(30);
  }

  @Test
  void bandsMeetAtTheirBounds() {
    assertThat(scoring.band(61)).isEqualTo("HOT");
    assertThat(scoring.band(60)).isEqualTo("WARM");
    assertThat(scoring.band(31)).isEqualTo("WARM");
    assertThat(scoring.band(30)).isEqualTo("COLD");
  }

  @Test
  void weightsAreConfigurableButMustSumToAHundred() {
    LeadScoring budgetOnly = new LeadScoring(new LeadScoring.Settings(100, 0, 0, 0, 0, 61, 31));
    assertThat(budgetOnly.score(new Inputs("5K-50K", "LOW", 0, 0, null, Duration.ZERO, 0)).value()).isEqualTo(75);
    assertThatThrownBy(() -> new LeadScoring.Settings(30, 25, 20, 15, 5, 61, 31))
        .hasMessageContaining("sum to 100");
  }
}
