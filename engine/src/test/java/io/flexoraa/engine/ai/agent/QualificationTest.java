package io.flexoraa.engine.ai.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexoraa.engine.ai.Analysis;
import io.flexoraa.engine.ai.Budget;
import io.flexoraa.engine.ai.ReplyRequest.Slot;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class QualificationTest {

  static Analysis analysis(String category, Budget budget, String timeline, String authority, List<String> objections,
      List<String> signals) {
    return new Analysis("en", false, "MEDIUM", category, "NEUTRAL", budget, timeline, authority, objections, signals,
        List.of(), false, List.of(), false, List.of(), 0.9, "builtin", "test");
  }

  static final Budget BUDGET = new Budget(new BigDecimal("3500000"), "INR", "total", 42169, "5K-50K", null);

  @Test
  void asksTheSixStepsInOrderEachOnce() {
    Qualification q = Qualification.start();
    q = q.after(analysis("INFORMATION", null, null, null, List.of(), List.of()), 1); // "hi": need unknown
    assertThat(q.nextQuestion()).contains(Slot.NEED);
    Slot[] expected = Slot.values();
    for (int i = 0; i < expected.length; i++) {
      Slot slot = q.nextQuestion().orElseThrow();
      assertThat(slot).isEqualTo(expected[i]);
      q = q.asked(slot);
      // the lead answers something that fills nothing
      q = q.after(analysis("FOLLOW_UP", null, null, null, List.of(), List.of()), 2);
    }
    assertThat(q.questionsAsked()).isEqualTo(6);
    assertThat(q.nextQuestion()).isEmpty();
    assertThat(q.status()).isEqualTo(Qualification.QUALIFIED);
    assertThat(q.answered()).isEqualTo(6);
  }

  @Test
  void skipsWhatTheLeadAlreadySaid() {
    Qualification q = Qualification.start().after(
        analysis("BUYING", BUDGET, "1-3MO", null, List.of(), List.of()), 12);
    assertThat(q.filled()).containsExactly(Slot.NEED, Slot.BUDGET, Slot.TIMELINE);
    assertThat(q.nextQuestion()).contains(Slot.AUTHORITY);
    q = q.asked(Slot.AUTHORITY).after(analysis("FOLLOW_UP", null, null, "DECIDER", List.of("price"), List.of()), 8);
    assertThat(q.filled()).contains(Slot.AUTHORITY, Slot.OBJECTIONS);
    assertThat(q.nextQuestion()).contains(Slot.NEXT_STEP);
  }

  @Test
  void stopsOnEscalation() {
    Qualification q = Qualification.start().escalated();
    assertThat(q.nextQuestion()).isEmpty();
    assertThat(q.after(analysis("BUYING", null, null, null, List.of(), List.of()), 5).status())
        .isEqualTo(Qualification.ESCALATED);
  }
}
