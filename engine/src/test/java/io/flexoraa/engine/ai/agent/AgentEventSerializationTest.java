package io.flexoraa.engine.ai.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexoraa.engine.ai.Analysis;
import io.flexoraa.engine.ai.Budget;
import io.flexoraa.engine.ai.ReplyRequest.Kind;
import io.flexoraa.engine.ai.ReplyRequest.Slot;
import io.flexoraa.engine.testing.JournalShapes;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every agent event survives the journal's Jackson set-up unchanged, and reads back by its stable type id. */
class AgentEventSerializationTest {
  private static final Instant AT = Instant.parse("2026-11-21T10:00:00Z");
  private static JournalShapes journal;

  @BeforeAll
  static void start() {
    journal = new JournalShapes("AgentEventSerializationTest");
  }

  @AfterAll
  static void stop() {
    journal.close();
  }

  @Test
  void everyEventRoundTrips() throws Exception {
    Analysis analysis = new Analysis("hi", true, "HIGH", "BUYING", "EXCITED",
        new Budget(new BigDecimal("3500000"), "INR", "total", 42169, "5K-50K", null), "1-3MO", "DECIDER",
        List.of("price"), List.of("asks_price"), List.of("MagicBricks"), false, List.of(), true,
        List.of("named_competitor"), 0.82, "builtin", "builtin-1");
    Qualification qualification = new Qualification(Map.of(Slot.NEED, Qualification.FILLED,
        Slot.BUDGET, Qualification.ASKED), 1, Qualification.INTERVIEWING);
    LeadScoring.Score score = new LeadScoring(LeadScoring.Settings.DEFAULTS).score(
        new LeadScoring.Inputs("5K-50K", "HIGH", 12, 2, null, java.time.Duration.ofHours(1), 3));
    List<LeadAgent.Event> events = List.of(
        new LeadAgent.InboundNoted("t", "l", "wamid.1", AT, true, AT),
        new LeadAgent.AiSkipped("t", "l", "wamid.2", "insufficient-balance", AT),
        new LeadAgent.MessageAnalyzed("t", "l", "wamid.1", "whatsapp", analysis, "enc:budget", 9, true,
            qualification, 120_000L, 4, AT, AT),
        new LeadAgent.LeadScored("t", "l", "wamid.1", score, "COLD", AT),
        new LeadAgent.LeadEscalated("t", "l", "wamid.1", List.of("named_competitor"), List.of("named_competitor"), AT),
        new LeadAgent.ReviewTaskOpened("t", "l", "task-1", "wamid.1", List.of("legal"), AT),
        new LeadAgent.ReplyComposed("t", "l", "ai-1", Kind.QUESTION, Slot.BUDGET, "WARM", "whatsapp",
            List.of("wamid.1"), AT, "enc:text", "hi", "template", "builtin", "templates-1", "question:budget", 7L, AT),
        new LeadAgent.ReplyHanded("t", "l", "ai-1", "send", null, "wamid.out", null, 420, AT),
        new LeadAgent.ReplyFailed("t", "l", "ai-2", "daily-limit-reached", AT),
        new LeadAgent.HumanTookOver("t", "l", "user-1", AT),
        new LeadAgent.HandedBackToAi("t", "l", "user-1", qualification, AT));
    for (LeadAgent.Event event : events) {
      assertThat(journal.roundTrip(event)).as(event.getClass().getSimpleName()).isEqualTo(event);
    }
  }

  @Test
  void aStoredAnalysisReadsByItsTypeId() throws Exception {
    Object event = journal.read(LeadAgent.Event.class, """
        {"type":"agent-ai-skipped.v1","tenantId":"t","leadId":"l","messageId":"wamid.9","reason":"ai-paused",
         "at":"2026-11-21T10:00:00Z"}""");
    assertThat(event).isEqualTo(new LeadAgent.AiSkipped("t", "l", "wamid.9", "ai-paused", AT));
  }
}
