package io.flexoraa.engine.recovery;

import io.flexoraa.engine.CborSerializable;
import io.flexoraa.engine.recovery.ColdRecovery.Event;
import io.flexoraa.engine.recovery.ColdRecovery.Gone;
import io.flexoraa.engine.recovery.ColdRecovery.LapseRouted;
import io.flexoraa.engine.recovery.ColdRecovery.PlannedStep;
import io.flexoraa.engine.recovery.ColdRecovery.RecoveryLapsed;
import io.flexoraa.engine.recovery.ColdRecovery.RecoveryReplied;
import io.flexoraa.engine.recovery.ColdRecovery.RecoveryStarted;
import io.flexoraa.engine.recovery.ColdRecovery.RecoveryStopped;
import io.flexoraa.engine.recovery.ColdRecovery.Scored;
import io.flexoraa.engine.recovery.ColdRecovery.Signal;
import io.flexoraa.engine.recovery.ColdRecovery.StepCharged;
import io.flexoraa.engine.recovery.ColdRecovery.StepSent;
import io.flexoraa.engine.recovery.ColdRecovery.StepSkipped;
import io.flexoraa.engine.recovery.ColdRecovery.Wrote;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A lead's cold recovery and its rules, pure and clock-injected (the entity only persists what these decide): when a
 * sequence may start, which step is due, what a reply, a warmer score or the lead's end does to it, and when it
 * lapses. {@code sequence} counts the lead's sequences (0: none yet); the fields describe the latest one.
 *
 * @param nextStep the index of the next step to run
 * @param charged whether the next step is already paid for (a restart must not debit it twice)
 * @param lastSent the name of the last step whose message went to the outbound flow, or null
 * @param routed whether routing took the lead after a lapse
 */
public record RecoveryState(
    String tenantId, String leadId, int sequence, String status, Instant startedAt, String startMessageId,
    List<PlannedStep> steps, Instant lapseAt, int nextStep, boolean charged, String lastSent, int sent,
    Instant endedAt, String endReason, boolean routed)
    implements CborSerializable {

  public static final String NONE = "none";
  public static final String ACTIVE = "active";
  public static final String REPLIED = "replied";
  public static final String LAPSED = "lapsed";
  public static final String STOPPED = "stopped";
  private static final String BECAME = "became-";

  /** What is due now. */
  public enum Due { NOTHING, STEP, LAPSE, ROUTE }

  public RecoveryState {
    steps = steps == null ? List.of() : List.copyOf(steps);
  }

  public static RecoveryState empty() {
    return new RecoveryState(null, null, 0, NONE, null, null, List.of(), null, 0, false, null, 0, null, null, false);
  }

  public boolean active() {
    return ACTIVE.equals(status);
  }

  /**
   * Why a COLD score starts nothing, before routing is asked whether a person has the lead; null when it may start.
   * A score of another band never starts one.
   */
  public String whyNotStart(Scored scored, RecoverySettings settings, Instant now) {
    if (!settings.enabled()) return "disabled";
    if (!"COLD".equalsIgnoreCase(scored.band())) return "not-cold";
    if (active()) return "running";
    if (scored.at().isBefore(now.minus(settings.startWithin()))) return "stale-score";
    if (startedAt != null && now.isBefore(startedAt.plus(settings.cooldown()))) return "cooldown";
    return null;
  }

  /** Starts a sequence for a COLD score unless {@link #whyNotStart} says no or a person works the lead. */
  public List<Event> start(Scored scored, boolean assigned, RecoverySettings settings, Instant now) {
    if (assigned || whyNotStart(scored, settings, now) != null) return List.of();
    List<PlannedStep> planned = new ArrayList<>();
    for (RecoverySettings.StepPlan step : settings.steps()) planned.add(new PlannedStep(step.name(), now.plus(step.offset())));
    Instant lapse = planned.get(planned.size() - 1).dueAt().plus(settings.grace());
    return List.of(new RecoveryStarted(
        scored.tenantId(), scored.leadId(), sequence + 1, scored.messageId(), planned, lapse, now));
  }

  /**
   * What a signal other than a COLD score does: the lead's message during the sequence recovers it (also one that
   * made a warmer score stop it first: the feeds are separate streams); a WARM or HOT score stops it; a merge or an
   * anonymization stops it.
   */
  public List<Event> observe(Signal signal, Instant now) {
    if (sequence == 0) return List.of();
    if (signal instanceof Wrote wrote) {
      boolean afterStart = wrote.receivedAt().isAfter(startedAt) && !wrote.messageId().equals(startMessageId);
      boolean stoppedByWarming = STOPPED.equals(status) && endReason != null && endReason.startsWith(BECAME)
          && !wrote.receivedAt().isAfter(endedAt);
      if (afterStart && (active() || stoppedByWarming)) {
        return List.of(new RecoveryReplied(tenantId, leadId, sequence, wrote.messageId(), lastSent, now));
      }
      return List.of();
    }
    if (!active()) return List.of();
    if (signal instanceof Scored scored && !"COLD".equalsIgnoreCase(scored.band())) {
      return List.of(new RecoveryStopped(tenantId, leadId, sequence, BECAME + scored.band().toLowerCase(Locale.ROOT), now));
    }
    if (signal instanceof Gone gone) return List.of(new RecoveryStopped(tenantId, leadId, sequence, gone.reason(), now));
    return List.of();
  }

  /** What is due at {@code now}. */
  public Due due(Instant now) {
    if (active()) {
      if (nextStep < steps.size()) return steps.get(nextStep).dueAt().isAfter(now) ? Due.NOTHING : Due.STEP;
      return lapseAt.isAfter(now) ? Due.NOTHING : Due.LAPSE;
    }
    return LAPSED.equals(status) && !routed ? Due.ROUTE : Due.NOTHING;
  }

  /** When the entity must act next (a step, the lapse, routing after a lapse), or null. */
  public Instant nextDeadline() {
    if (active()) return nextStep < steps.size() ? steps.get(nextStep).dueAt() : lapseAt;
    return LAPSED.equals(status) && !routed ? endedAt : null;
  }

  /** The next step's debit ended: paid, or skipped with the refusal as its reason. */
  public List<Event> charged(int step, String outcome, Instant now) {
    if (!active() || step != nextStep || charged) return List.of();
    if ("debited".equals(outcome)) return List.of(new StepCharged(tenantId, leadId, sequence, step, now));
    return skipped(step, outcome, now);
  }

  /** The next step's message went to the outbound flow. */
  public List<Event> sent(int step, RecoveryWork.Sent sent, Instant now) {
    if (!active() || step != nextStep || !charged) return List.of();
    return List.of(new StepSent(tenantId, leadId, sequence, step, steps.get(step).name(), sent.messageId(),
        sent.language(), sent.decision(), sent.rule(), sent.template(), sent.outcome(), dueAfter(step), now));
  }

  /** The next step sends nothing ({@code reason}); the sequence goes on. */
  public List<Event> skipped(int step, String reason, Instant now) {
    if (!active() || step != nextStep) return List.of();
    return List.of(new StepSkipped(tenantId, leadId, sequence, step, steps.get(step).name(), reason, dueAfter(step), now));
  }

  public List<Event> lapse(Instant now) {
    return due(now) == Due.LAPSE ? List.of(new RecoveryLapsed(tenantId, leadId, sequence, now)) : List.of();
  }

  public List<Event> routedAfterLapse(int routedSequence, Instant now) {
    return LAPSED.equals(status) && !routed && routedSequence == sequence
        ? List.of(new LapseRouted(tenantId, leadId, sequence, now)) : List.of();
  }

  /** The step's message id: one per lead, sequence and step, so a repeated hand-over sends nothing twice. */
  public String messageId(int step) {
    return "cr-" + sequence + "-" + step + "-" + leadId;
  }

  /** The debit's ledger reference. */
  public String reference(int step) {
    return "cold-recovery:" + leadId + ":" + sequence + ":" + step;
  }

  private Instant dueAfter(int step) {
    return step + 1 < steps.size() ? steps.get(step + 1).dueAt() : lapseAt;
  }

  public RecoveryState apply(Event event) {
    if (event instanceof RecoveryStarted started) {
      return new RecoveryState(started.tenantId(), started.leadId(), started.sequence(), ACTIVE, started.at(),
          started.messageId(), started.steps(), started.lapseAt(), 0, false, null, 0, null, null, false);
    }
    if (event instanceof StepCharged) return with(status, nextStep, true, lastSent, sent, endedAt, endReason, routed);
    if (event instanceof StepSent stepSent) {
      return with(status, nextStep + 1, false, stepSent.name(), sent + 1, endedAt, endReason, routed);
    }
    if (event instanceof StepSkipped) return with(status, nextStep + 1, false, lastSent, sent, endedAt, endReason, routed);
    if (event instanceof RecoveryReplied replied) {
      return with(REPLIED, nextStep, false, lastSent, sent, endedAt != null ? endedAt : replied.at(), "replied", routed);
    }
    if (event instanceof RecoveryLapsed lapsed) return with(LAPSED, nextStep, false, lastSent, sent, lapsed.at(), "lapsed", false);
    if (event instanceof RecoveryStopped stopped) {
      return with(STOPPED, nextStep, false, lastSent, sent, stopped.at(), stopped.reason(), routed);
    }
    return with(status, nextStep, charged, lastSent, sent, endedAt, endReason, true); // LapseRouted
  }

  private RecoveryState with(String newStatus, int newNextStep, boolean newCharged, String newLastSent, int newSent,
      Instant newEndedAt, String newEndReason, boolean newRouted) {
    return new RecoveryState(tenantId, leadId, sequence, newStatus, startedAt, startMessageId, steps, lapseAt,
        newNextStep, newCharged, newLastSent, newSent, newEndedAt, newEndReason, newRouted);
  }
}
