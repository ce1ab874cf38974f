package io.flexoraa.engine.ai.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexoraa.engine.ai.Analysis;
import io.flexoraa.engine.ai.ReplyRequest.Kind;
import io.flexoraa.engine.ai.ReplyRequest.Slot;
import io.flexoraa.engine.ai.agent.LeadAgent.Event;
import io.flexoraa.engine.ai.agent.LeadAgent.LeadEscalated;
import io.flexoraa.engine.ai.agent.LeadAgent.LeadScored;
import io.flexoraa.engine.ai.agent.LeadAgent.MessageAnalyzed;
import io.flexoraa.engine.ai.agent.LeadAgent.ReviewTaskOpened;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentStateTest {
  private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
  private final AgentState.Rules rules = new AgentState.Rules(new LeadScoring(LeadScoring.Settings.DEFAULTS), 0.6);

  private static Analysis analysis(String category, List<String> objections, List<String> signals, double confidence,
      List<String> highRisk) {
    List<String> reasons = Analysis.escalateReasons(null, signals, highRisk, List.of(), objections);
    return new Analysis("en", false, "MEDIUM", category, "NEUTRAL", null, null, null, objections, signals, List.of(),
        !highRisk.isEmpty(), highRisk, !reasons.isEmpty(), reasons, confidence, "builtin", "test");
  }

  private static Analysis plain(String category) {
    return analysis(category, List.of(), List.of(), 0.9, List.of());
  }

  /** Notes, analyses and applies one message; answers the events. */
  private List<Event> receive(AgentState state, String id, Analysis analysis, String text, Instant at) {
    state.apply(state.noteInbound(new LeadAgent.Inbound("t1", "l1", id, at, false), at));
    AgentWork.AnalysisResult result = new AgentWork.AnalysisResult(analysis, null, AgentWork.words(text),
        AgentWork.asks(text, analysis), "whatsapp", 3, at, at);
    List<Event> events = state.decideAnalysis(id, result, rules, at);
    events.forEach(state::apply);
    return events;
  }

  private void reply(AgentState state, AgentState.ReplyPlan plan, Instant at) {
    state.apply(new LeadAgent.ReplyComposed("t1", "l1", plan.replyId(), plan.kind(), plan.slot(), plan.band(),
        plan.channel(), plan.burst(), plan.burstLastReceivedAt(), "enc", "en", "template", "builtin", "t", "s", null,
        at));
    state.apply(new LeadAgent.ReplyHanded("t1", "l1", plan.replyId(), "send", null, "wamid.x", null, 300, at));
  }

  @Test
  void aBurstGetsOneReplyAndTheInterviewMovesOn() {
    AgentState state = AgentState.empty();
    receive(state, "m1", plain("INFORMATION"), "hi", T0);
    receive(state, "m2", plain("BUYING"), "looking for a flat in Pune", T0.plusSeconds(1));
    AgentState.ReplyPlan plan = state.decideReply().orElseThrow();
    assertThat(plan.burst()).containsExactly("m1", "m2");
    assertThat(plan.kind()).isEqualTo(Kind.QUESTION);
    assertThat(plan.slot()).isEqualTo(Slot.BUDGET);
    reply(state, plan, T0.plusSeconds(2));
    assertThat(state.decideReply()).isEmpty();
    assertThat(state.qualification().slots().get(Slot.BUDGET)).isEqualTo(Qualification.ASKED);

    // the lead answers two minutes later: the budget step is answered, the latency factor sees the delay
    List<Event> events = receive(state, "m3", plain("FOLLOW_UP"), "not sure yet", T0.plusSeconds(122));
    MessageAnalyzed analyzed = (MessageAnalyzed) events.get(0);
    assertThat(analyzed.replyDelayMillis()).isEqualTo(120_000L);
    assertThat(analyzed.qualification().slots().get(Slot.BUDGET)).isEqualTo(Qualification.ANSWERED);
    assertThat(state.decideReply().orElseThrow().slot()).isEqualTo(Slot.TIMELINE);
  }

  @Test
  void aQuestionFromTheLeadIsAnsweredBeforeTheNextStep() {
    AgentState state = AgentState.empty();
    receive(state, "m1", plain("INFORMATION"), "what is the price of the 2BHK?", T0);
    assertThat(state.decideReply().orElseThrow().kind()).isEqualTo(Kind.PERSUASION);
  }

  @Test
  void escalationStopsTheInterviewAndHandsOverOnce() {
    AgentState state = AgentState.empty();
    List<Event> events = receive(state, "m1", analysis("BUYING", List.of(), List.of("asks_meeting"), 0.9, List.of()),
        "can we schedule a call tomorrow", T0);
    assertThat(events).filteredOn(LeadEscalated.class::isInstance).singleElement()
        .satisfies(event -> assertThat(((LeadEscalated) event).reasons()).containsExactly("schedule_request"));
    AgentState.ReplyPlan plan = state.decideReply().orElseThrow();
    assertThat(plan.kind()).isEqualTo(Kind.HANDOFF);
    reply(state, plan, T0.plusSeconds(1));
    // a person owns the lead now: no AI reply, and the same reason does not escalate again
    events = receive(state, "m2", analysis("BUYING", List.of(), List.of("asks_meeting"), 0.9, List.of()),
        "so when is the call", T0.plusSeconds(60));
    assertThat(events).noneMatch(LeadEscalated.class::isInstance);
    assertThat(state.decideReply()).isEmpty();
    assertThat(state.view().escalateReasons()).containsExactly("schedule_request");
  }

  @Test
  void lowConfidenceAndObjectionsAcrossMessagesEscalate() {
    AgentState state = AgentState.empty();
    assertThat(receive(state, "m1", analysis("CONFUSION", List.of(), List.of(), 0.4, List.of()), "hmm", T0))
        .filteredOn(LeadEscalated.class::isInstance).singleElement()
        .satisfies(event -> assertThat(((LeadEscalated) event).reasons()).containsExactly("low_confidence"));

    AgentState other = AgentState.empty();
    receive(other, "m1", analysis("OBJECTION", List.of("price"), List.of(), 0.9, List.of()), "too costly", T0);
    receive(other, "m2", analysis("OBJECTION", List.of("trust"), List.of(), 0.9, List.of()), "not sure", T0);
    List<Event> third = receive(other, "m3", analysis("OBJECTION", List.of("timing"), List.of(), 0.9, List.of()),
        "and not now", T0);
    assertThat(third).filteredOn(LeadEscalated.class::isInstance).singleElement()
        .satisfies(event -> assertThat(((LeadEscalated) event).reasons()).containsExactly("3plus_objections"));
  }

  @Test
  void highRiskGetsAReviewTaskAndAHoldingReplyNeverAnAnswer() {
    AgentState state = AgentState.empty();
    List<Event> events = receive(state, "m1", analysis("SUPPORT", List.of(), List.of(), 0.9, List.of("legal")),
        "my lawyer will take you to court", T0);
    assertThat(events).filteredOn(ReviewTaskOpened.class::isInstance).singleElement()
        .satisfies(event -> assertThat(((ReviewTaskOpened) event).types()).containsExactly("legal"));
    assertThat(events).anyMatch(LeadEscalated.class::isInstance);
    assertThat(state.decideReply().orElseThrow().kind()).isEqualTo(Kind.HOLDING);
  }

  @Test
  void everyAnalysisRescoresAndOnlyAChangeIsRecorded() {
    AgentState state = AgentState.empty();
    List<Event> first = receive(state, "m1", plain("INFORMATION"), "hi", T0);
    assertThat(first).filteredOn(LeadScored.class::isInstance).hasSize(1);
    LeadScored scored = (LeadScored) first.stream().filter(LeadScored.class::isInstance).findFirst().orElseThrow();
    assertThat(scored.score().topFactors()).hasSize(3);
    assertThat(scored.previousBand()).isNull();
    // a repeated hand-over of a known message is recognised
    assertThat(state.knows("m1")).isTrue();
  }

  @Test
  void aPersonWhoTakesOverSilencesTheAiWhileAnalysisAndScoringGoOn() {
    AgentState state = AgentState.empty();
    receive(state, "m1", plain("INFORMATION"), "hi", T0);
    state.apply(state.decideTakeover("t1", "l1", "u-sdr", T0.plusSeconds(1)).orElseThrow());
    assertThat(state.view().handledBy()).isEqualTo("human");
    assertThat(state.view().takenOverBy()).isEqualTo("u-sdr");
    // the burst before the takeover is the person's: no reply, not even a holding reply for high-risk content
    assertThat(state.decideReply()).isEmpty();
    List<Event> events = receive(state, "m2", analysis("SUPPORT", List.of(), List.of(), 0.9, List.of("legal")),
        "my lawyer will call you", T0.plusSeconds(5));
    assertThat(events).anyMatch(MessageAnalyzed.class::isInstance).anyMatch(ReviewTaskOpened.class::isInstance);
    assertThat(state.decideReply()).isEmpty();
    assertThat(state.view().analyzed()).isEqualTo(2);
    // taking over twice is the same state; another person may take it from the first
    assertThat(state.decideTakeover("t1", "l1", "u-sdr", T0.plusSeconds(6))).isEmpty();
    assertThat(state.decideTakeover("t1", "l1", "u-manager", T0.plusSeconds(6))).isPresent();
  }

  @Test
  void handedBackTheAiAnswersTheNextMessageNotTheOnesThePersonHeld() {
    AgentState state = AgentState.empty();
    state.apply(state.decideTakeover("t1", "l1", "u-sdr", T0).orElseThrow());
    receive(state, "m1", plain("BUYING"), "looking for a flat in Pune", T0.plusSeconds(1));
    assertThat(state.decideHandBack("t1", "l1", "u-sdr", T0.plusSeconds(2))).isPresent()
        .get().satisfies(event -> state.apply(event));
    assertThat(state.view().handledBy()).isEqualTo("ai");
    assertThat(state.view().takenOverBy()).isNull();
    assertThat(state.decideReply()).isEmpty();
    // handing back twice does nothing
    assertThat(state.decideHandBack("t1", "l1", "u-sdr", T0.plusSeconds(3))).isEmpty();
    receive(state, "m2", plain("FOLLOW_UP"), "ok", T0.plusSeconds(60));
    AgentState.ReplyPlan plan = state.decideReply().orElseThrow();
    assertThat(plan.burst()).containsExactly("m2");
    assertThat(plan.kind()).isEqualTo(Kind.QUESTION);
  }

  @Test
  void anEscalatedLeadHandedBackResumesTheInterviewAndKeepsItsReasons() {
    AgentState state = AgentState.empty();
    receive(state, "m1", analysis("BUYING", List.of(), List.of("asks_meeting"), 0.9, List.of()),
        "can we schedule a call tomorrow", T0);
    reply(state, state.decideReply().orElseThrow(), T0.plusSeconds(1));
    receive(state, "m2", plain("INFORMATION"), "hello?", T0.plusSeconds(30));
    assertThat(state.decideReply()).isEmpty();

    LeadAgent.HandedBackToAi back = state.decideHandBack("t1", "l1", "u-sdr", T0.plusSeconds(40)).orElseThrow();
    assertThat(back.qualification().status()).isEqualTo(Qualification.INTERVIEWING);
    state.apply(back);
    receive(state, "m3", plain("INFORMATION"), "ok thanks", T0.plusSeconds(90));
    assertThat(state.decideReply().orElseThrow().burst()).containsExactly("m3");
    assertThat(state.view().escalated()).isTrue();
    assertThat(state.view().escalateReasons()).containsExactly("schedule_request");
  }
}
