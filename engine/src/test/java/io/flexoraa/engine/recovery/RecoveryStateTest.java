package io.flexoraa.engine.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexoraa.engine.ai.AiProfile;
import io.flexoraa.engine.recovery.ColdRecovery.Event;
import io.flexoraa.engine.recovery.ColdRecovery.Gone;
import io.flexoraa.engine.recovery.ColdRecovery.RecoveryLapsed;
import io.flexoraa.engine.recovery.ColdRecovery.RecoveryReplied;
import io.flexoraa.engine.recovery.ColdRecovery.RecoveryStarted;
import io.flexoraa.engine.recovery.ColdRecovery.RecoveryStopped;
import io.flexoraa.engine.recovery.ColdRecovery.Scored;
import io.flexoraa.engine.recovery.ColdRecovery.StepSkipped;
import io.flexoraa.engine.recovery.ColdRecovery.Wrote;
import io.flexoraa.engine.recovery.RecoveryState.Due;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The recovery's rules without actors: start once, steps at their offsets, reply, lapse, warming, refused debits. */
class RecoveryStateTest {
  private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
  private static final RecoverySettings SETTINGS = new RecoverySettings(true, List.of(
      new RecoverySettings.StepPlan("curiosity", Duration.ofHours(1)),
      new RecoverySettings.StepPlan("education", Duration.ofHours(8)),
      new RecoverySettings.StepPlan("soft-cta", Duration.ofHours(23))),
      Duration.ofHours(24), Duration.ofHours(1), Duration.ofDays(30), Duration.ofHours(1), "re-engagement", 4,
      Duration.ofSeconds(30), Duration.ofSeconds(5), 500, Duration.ofSeconds(5));

  private static RecoveryState apply(RecoveryState state, List<Event> events) {
    for (Event event : events) state = state.apply(event);
    return state;
  }

  private static Scored scored(String band, Instant at) {
    return new Scored("t1", "l1", "m1", band, at);
  }

  private static RecoveryState started() {
    return apply(RecoveryState.empty(), RecoveryState.empty().start(scored("COLD", T0), false, SETTINGS, T0));
  }

  private static RecoveryState sent(RecoveryState state, int step, Instant at) {
    state = apply(state, state.charged(step, "debited", at));
    return apply(state, state.sent(step, new RecoveryWork.Sent(state.messageId(step), "en", "send", null, null, "sent"), at));
  }

  @Test
  void aColdScoreStartsOneSequenceWithItsStepsAtTheirOffsets() {
    List<Event> events = RecoveryState.empty().start(scored("COLD", T0), false, SETTINGS, T0);
    assertThat(events).singleElement().isInstanceOf(RecoveryStarted.class);
    RecoveryStarted start = (RecoveryStarted) events.get(0);
    assertThat(start.steps()).extracting(ColdRecovery.PlannedStep::dueAt)
        .containsExactly(T0.plusSeconds(3600), T0.plusSeconds(8 * 3600), T0.plusSeconds(23 * 3600));
    assertThat(start.lapseAt()).isEqualTo(T0.plusSeconds(24 * 3600));
    RecoveryState state = started();
    // idempotent: a repeated COLD score, or one within the cooldown after the end, starts nothing
    assertThat(state.start(scored("COLD", T0.plusSeconds(5)), false, SETTINGS, T0.plusSeconds(5))).isEmpty();
    RecoveryState ended = apply(state, state.observe(new Gone("t1", "l1", "merged", T0), T0.plusSeconds(10)));
    assertThat(ended.whyNotStart(scored("COLD", T0.plusSeconds(20)), SETTINGS, T0.plusSeconds(20))).isEqualTo("cooldown");
    Instant later = T0.plus(Duration.ofDays(31));
    assertThat(ended.start(scored("COLD", later), false, SETTINGS, later)).singleElement()
        .satisfies(event -> assertThat(event.sequence()).isEqualTo(2));
  }

  @Test
  void nothingStartsForAWarmScoreAnAssignedLeadAStaleScoreOrWhenDisabled() {
    RecoveryState empty = RecoveryState.empty();
    assertThat(empty.start(scored("WARM", T0), false, SETTINGS, T0)).isEmpty();
    assertThat(empty.start(scored("COLD", T0), true, SETTINGS, T0)).isEmpty();
    assertThat(empty.whyNotStart(scored("COLD", T0.minusSeconds(7200)), SETTINGS, T0)).isEqualTo("stale-score");
    RecoverySettings off = new RecoverySettings(false, SETTINGS.steps(), SETTINGS.window(), SETTINGS.grace(),
        SETTINGS.cooldown(), SETTINGS.startWithin(), SETTINGS.purpose(), 4, SETTINGS.keeperInterval(),
        SETTINGS.keeperLookahead(), 500, SETTINGS.askTimeout());
    assertThat(empty.whyNotStart(scored("COLD", T0), off, T0)).isEqualTo("disabled");
  }

  @Test
  void stepsFallDueAtTheirOffsetsThenTheSequenceLapsesAfterTheGrace() {
    RecoveryState state = started();
    assertThat(state.due(T0.plusSeconds(3599))).isEqualTo(Due.NOTHING);
    assertThat(state.nextDeadline()).isEqualTo(T0.plusSeconds(3600));
    assertThat(state.due(T0.plusSeconds(3600))).isEqualTo(Due.STEP);
    state = sent(state, 0, T0.plusSeconds(3600));
    assertThat(state.nextDeadline()).isEqualTo(T0.plusSeconds(8 * 3600));
    state = sent(state, 1, T0.plusSeconds(8 * 3600));
    state = sent(state, 2, T0.plusSeconds(23 * 3600));
    assertThat(state.sent()).isEqualTo(3);
    assertThat(state.due(T0.plusSeconds(23 * 3600 + 1))).isEqualTo(Due.NOTHING);
    assertThat(state.lapse(T0.plusSeconds(23 * 3600 + 1))).isEmpty();
    List<Event> lapsed = state.lapse(T0.plusSeconds(24 * 3600));
    assertThat(lapsed).singleElement().isInstanceOf(RecoveryLapsed.class);
    state = apply(state, lapsed);
    assertThat(state.due(T0.plusSeconds(24 * 3600))).isEqualTo(Due.ROUTE);
    state = apply(state, state.routedAfterLapse(state.sequence(), T0.plusSeconds(24 * 3600)));
    assertThat(state.due(T0.plusSeconds(24 * 3600))).isEqualTo(Due.NOTHING);
    assertThat(state.nextDeadline()).isNull();
  }

  @Test
  void aReplyDuringTheSequenceRecoversItAndStopsFurtherSteps() {
    RecoveryState state = sent(started(), 0, T0.plusSeconds(3600));
    // the message that was scored COLD (written before the start) is not a reply
    assertThat(state.observe(new Wrote("t1", "l1", "m1", T0.minusSeconds(2)), T0.plusSeconds(3700))).isEmpty();
    List<Event> replied = state.observe(new Wrote("t1", "l1", "m2", T0.plusSeconds(3700)), T0.plusSeconds(3701));
    assertThat(replied).singleElement().isInstanceOfSatisfying(RecoveryReplied.class,
        event -> assertThat(event.afterStep()).isEqualTo("curiosity"));
    state = apply(state, replied);
    assertThat(state.status()).isEqualTo(RecoveryState.REPLIED);
    assertThat(state.due(T0.plusSeconds(30 * 3600))).isEqualTo(Due.NOTHING);
    assertThat(state.nextDeadline()).isNull();
  }

  @Test
  void aWarmerScoreStopsItAndTheReplyBehindItStillCountsAsRecovered() {
    RecoveryState state = started();
    List<Event> stopped = state.observe(scored("WARM", T0.plusSeconds(60)), T0.plusSeconds(61));
    assertThat(stopped).singleElement().isInstanceOfSatisfying(RecoveryStopped.class,
        event -> assertThat(event.reason()).isEqualTo("became-warm"));
    state = apply(state, stopped);
    assertThat(state.due(T0.plusSeconds(3600))).isEqualTo(Due.NOTHING);
    // the lead's message that warmed it arrives later on the other feed
    state = apply(state, state.observe(new Wrote("t1", "l1", "m2", T0.plusSeconds(50)), T0.plusSeconds(62)));
    assertThat(state.status()).isEqualTo(RecoveryState.REPLIED);
    // anonymization stops an active one
    RecoveryState other = started();
    assertThat(other.observe(new Gone("t1", "l1", "anonymized", T0), T0)).singleElement()
        .isInstanceOfSatisfying(RecoveryStopped.class, event -> assertThat(event.reason()).isEqualTo("anonymized"));
  }

  @Test
  void aRefusedDebitSkipsTheStepAndTheSequenceGoesOn() {
    RecoveryState state = started();
    List<Event> skipped = state.charged(0, "insufficient-balance", T0.plusSeconds(3600));
    assertThat(skipped).singleElement().isInstanceOfSatisfying(StepSkipped.class, event -> {
      assertThat(event.reason()).isEqualTo("insufficient-balance");
      assertThat(event.nextDueAt()).isEqualTo(T0.plusSeconds(8 * 3600));
    });
    state = apply(state, skipped);
    assertThat(state.nextStep()).isEqualTo(1);
    assertThat(state.sent()).isZero();
    // a step is sent only once it is paid for
    assertThat(state.sent(1, new RecoveryWork.Sent("x", "en", "send", null, null, "sent"), T0)).isEmpty();
  }

  @Test
  void theWordingStatesOnlyTheProfilesFactsInTheLeadsLanguage() {
    RecoveryWording wording = new RecoveryWording(List.of("curiosity", "education", "soft-cta"));
    AiProfile profile = new AiProfile("Sky Homes", "We build 2BHK homes in Pune.", List.of(), List.of(), null,
        List.of(), List.of(), Map.of(), "https://book.example/sky", "en", null);
    RecoveryWording.Text cta = wording.compose("soft-cta", "en", false, profile);
    assertThat(cta.text()).contains("https://book.example/sky");
    assertThat(wording.compose("curiosity", "hi", true, profile).language()).isEqualTo("hi-Latn");
    assertThat(wording.compose("education", "ar", false, AiProfile.empty()).text()).doesNotContain("{");
    assertThat(wording.compose("soft-cta", "fr", false, AiProfile.empty()).language()).isEqualTo("en");
    assertThat(wording.compose("curiosity", "en", false, AiProfile.empty()).text()).doesNotContain("{", "Sky");
  }
}
