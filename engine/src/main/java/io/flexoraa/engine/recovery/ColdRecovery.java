package io.flexoraa.engine.recovery;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.flexoraa.engine.CborSerializable;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The cold recovery of one lead (docs/decisions/0031-cold-recovery.md): its commands, events and the signals it is
 * fed. A sharded persistent entity keyed like the lead ({@code tenantId:leadId}) runs a short sequence of AI
 * re-engagement messages when the AI scores the lead COLD, stops it when the lead writes, and hands a sequence that
 * won nothing back to routing (the junior pool).
 */
public final class ColdRecovery {
  private ColdRecovery() {}

  // ---- what the feed tells a recovery (from the lead's and the agent's events) ----

  /** Something that happened to the lead elsewhere in the engine. */
  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
  @JsonSubTypes({
      @JsonSubTypes.Type(value = Scored.class, name = "recovery-scored.v1"),
      @JsonSubTypes.Type(value = Wrote.class, name = "recovery-wrote.v1"),
      @JsonSubTypes.Type(value = Gone.class, name = "recovery-gone.v1")
  })
  public sealed interface Signal extends CborSerializable {
    String tenantId();

    String leadId();
  }

  /** The AI scored the lead into {@code band} on message {@code messageId}. */
  public record Scored(String tenantId, String leadId, String messageId, String band, Instant at) implements Signal {}

  /** The lead wrote (an inbound message). */
  public record Wrote(String tenantId, String leadId, String messageId, Instant receivedAt) implements Signal {}

  /** The lead was merged into another or anonymized: nothing more may be sent to it here. */
  public record Gone(String tenantId, String leadId, String reason, Instant at) implements Signal {}

  // ---- commands ----

  public sealed interface Command extends CborSerializable {}

  /** A signal from the feed; answered once it is persisted (or found to change nothing). */
  public record Observe(Signal signal, ActorRef<Done> replyTo) implements Command {}

  /** Do what is due now (the entity's own timer, or the keeper after a restart or a rebalance). */
  public record Wake() implements Command {}

  /** The sequence as it stands. */
  public record Get(ActorRef<RecoveryState> replyTo) implements Command {}

  /** Routing said whether the lead is assigned to a person: a start waits for the answer. */
  record AssigneeChecked(Scored scored, boolean assigned, String failure, ActorRef<Done> replyTo) implements Command {}

  /** The last step and its grace passed: the entity tells itself to persist the lapse. */
  record Lapse() implements Command {}

  /** A step's debit ended ({@code outcome}: {@code debited} or the refusal), or failed ({@code failure}). */
  record Charged(int sequence, int step, String outcome, String failure) implements Command {}

  /** A step's message was handed to the outbound flow, or could not be. */
  record Handed(int sequence, int step, RecoveryWork.Sent sent, String refusal, String failure) implements Command {}

  /** Routing took a lapsed sequence's lead (or failed: retried at the next wake). */
  record Routed(int sequence, String failure) implements Command {}

  // ---- events ----

  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
  @JsonSubTypes({
      @JsonSubTypes.Type(value = RecoveryStarted.class, name = "recovery-started.v1"),
      @JsonSubTypes.Type(value = StepCharged.class, name = "recovery-step-charged.v1"),
      @JsonSubTypes.Type(value = StepSent.class, name = "recovery-step-sent.v1"),
      @JsonSubTypes.Type(value = StepSkipped.class, name = "recovery-step-skipped.v1"),
      @JsonSubTypes.Type(value = RecoveryReplied.class, name = "recovery-replied.v1"),
      @JsonSubTypes.Type(value = RecoveryLapsed.class, name = "recovery-lapsed.v1"),
      @JsonSubTypes.Type(value = RecoveryStopped.class, name = "recovery-stopped.v1"),
      @JsonSubTypes.Type(value = LapseRouted.class, name = "recovery-lapse-routed.v1")
  })
  public sealed interface Event extends CborSerializable {
    String tenantId();

    String leadId();

    int sequence();

    Instant at();
  }

  /** A step planned at {@code dueAt}. */
  public record PlannedStep(String name, Instant dueAt) implements CborSerializable {}

  /**
   * A sequence started: the lead was scored COLD on {@code messageId}; {@code lapseAt} is when it lapses without a
   * reply. {@code sequence} counts the lead's sequences from 1.
   */
  public record RecoveryStarted(
      String tenantId, String leadId, int sequence, String messageId, List<PlannedStep> steps, Instant lapseAt,
      Instant at)
      implements Event {
    public RecoveryStarted {
      steps = List.copyOf(steps);
    }
  }

  /** The step was paid for ({@code cold-recovery} on the rate card): its message may go. */
  public record StepCharged(String tenantId, String leadId, int sequence, int step, Instant at) implements Event {}

  /**
   * The step's message was handed to the outbound flow: the compliance gate's {@code decision} (send, template,
   * defer, block) and {@code rule}, the sender's outcome so far. {@code nextDueAt}: the sequence's next deadline.
   */
  public record StepSent(
      String tenantId, String leadId, int sequence, int step, String name, String messageId, String language,
      String decision, String rule, String template, String outcome, Instant nextDueAt, Instant at)
      implements Event {}

  /** The step sent nothing: the debit was refused ({@code insufficient-balance}...) or the lead cannot be reached. */
  public record StepSkipped(
      String tenantId, String leadId, int sequence, int step, String name, String reason, Instant nextDueAt,
      Instant at)
      implements Event {}

  /** The lead wrote during the sequence: recovered. {@code afterStep}: the last step sent before, or null. */
  public record RecoveryReplied(
      String tenantId, String leadId, int sequence, String messageId, String afterStep, Instant at)
      implements Event {}

  /** The last step and its grace passed without a reply. */
  public record RecoveryLapsed(String tenantId, String leadId, int sequence, Instant at) implements Event {}

  /** The sequence ended early: {@code became-warm}, {@code became-hot}, {@code merged}, {@code anonymized}. */
  public record RecoveryStopped(String tenantId, String leadId, int sequence, String reason, Instant at)
      implements Event {}

  /** Routing took the lapsed sequence's lead (junior pool or its queue). */
  public record LapseRouted(String tenantId, String leadId, int sequence, Instant at) implements Event {}
}
