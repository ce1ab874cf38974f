package io.flexoraa.engine.routing;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.flexoraa.engine.CborSerializable;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * A tenant's routing desk (docs/decisions/0030-routing-desk.md): its commands, events and views. One sharded entity
 * per tenant owns the SDR roster, who works which lead, the waiting queue and every first-response and leakage
 * deadline, so an assignment decision sees every SDR's load at once and never assigns a lead twice.
 */
public final class RoutingDesk {
  private RoutingDesk() {}

  // ---- commands ----

  public sealed interface Command extends CborSerializable {}

  /** Adds ({@code create}) or replaces an SDR on the roster. */
  public record SaveSdr(Sdr sdr, boolean create, ActorRef<Outcome> replyTo) implements Command {}

  public record RemoveSdr(String userId, ActorRef<Outcome> replyTo) implements Command {}

  public record SetPresence(String userId, Presence presence, ActorRef<Outcome> replyTo) implements Command {}

  /**
   * A lead's band as the AI scored it ({@code reason} {@code score}), an escalation ({@code escalated}: routed as
   * HOT), or a COLD lead whose AI recovery ended without a reply ({@code juniors}). Idempotent.
   */
  public record Route(String leadId, String band, String language, String reason, ActorRef<Done> replyTo)
      implements Command {}

  /** A manager gives the lead to {@code userId}, or routes it again when that is null. */
  public record Reassign(String leadId, String userId, String actor, ActorRef<Outcome> replyTo) implements Command {}

  /** The lead wrote: its SDR owes an answer (leakage clock). Idempotent per message. */
  public record LeadMessage(String leadId, String messageId, Instant at, ActorRef<Done> replyTo) implements Command {}

  /** A person wrote to the lead ({@code userId} the author). */
  public record Responded(String leadId, String userId, Instant at, ActorRef<Done> replyTo) implements Command {}

  /** The assigned SDR opened the lead. */
  public record Seen(String leadId, String userId, ActorRef<Outcome> replyTo) implements Command {}

  /** The lead is gone from routing (merged into another). */
  public record Release(String leadId, String reason, ActorRef<Done> replyTo) implements Command {}

  /**
   * The lead's assignment ends with {@code outcome} ({@code won}, {@code lost}, {@code closed}): the SDR's capacity is
   * freed and the lead's clocks stop. {@code onlyUserId}: when set (an SDR closing), only their own assignment.
   */
  public record CloseAssignment(String leadId, String outcome, String actor, String onlyUserId,
      ActorRef<Outcome> replyTo) implements Command {}

  /** Starts the desk (keeper) and runs whatever is due. */
  public record Wake() implements Command {}

  public record GetDesk(ActorRef<DeskView> replyTo) implements Command {}

  /** A lead's deadline timer fired. */
  record LeadDue(String leadId) implements Command {}

  /** An SDR's working hours may have started: try the queue. */
  record DrainDue() implements Command {}

  /** A side effect (re-engagement, debit) ended; logged only. */
  record EffectDone(String what, String outcome) implements Command {}

  // ---- replies ----

  /**
   * The answer to a roster or assignment command: {@code rejection} null when it was done, else {@code not-found},
   * {@code conflict} or {@code invalid} with {@code detail}.
   */
  public record Outcome(String rejection, String detail, Sdr sdr, AssignmentView assignment)
      implements CborSerializable {
    static Outcome ok(Sdr sdr) {
      return new Outcome(null, null, sdr, null);
    }

    static Outcome ok(AssignmentView assignment) {
      return new Outcome(null, null, null, assignment);
    }

    static Outcome rejected(String rejection, String detail) {
      return new Outcome(rejection, detail, null, null);
    }

    public boolean ok() {
      return rejection == null;
    }
  }

  public record AssignmentView(
      String assignmentId, String leadId, String userId, String band, Instant assignedAt, Instant firstResponseDue,
      Instant respondedAt, Instant breachedAt, Instant unansweredSince, Instant seenAt)
      implements CborSerializable {}

  public record QueuedView(
      String leadId, String band, boolean juniorsOnly, Instant queuedAt, Instant slaDue, Instant breachedAt)
      implements CborSerializable {}

  /** The desk as the API shows it: the roster with each SDR's open load, open assignments, the queue (in order). */
  public record DeskView(
      List<Sdr> sdrs, Map<String, Integer> load, List<AssignmentView> assignments, List<QueuedView> queue)
      implements CborSerializable {}

  // ---- events ----

  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
  @JsonSubTypes({
      @JsonSubTypes.Type(value = SdrAdded.class, name = "routing-sdr-added.v1"),
      @JsonSubTypes.Type(value = SdrUpdated.class, name = "routing-sdr-updated.v1"),
      @JsonSubTypes.Type(value = SdrRemoved.class, name = "routing-sdr-removed.v1"),
      @JsonSubTypes.Type(value = PresenceChanged.class, name = "routing-presence-changed.v1"),
      @JsonSubTypes.Type(value = LeadAssigned.class, name = "routing-lead-assigned.v1"),
      @JsonSubTypes.Type(value = LeadQueued.class, name = "routing-lead-queued.v1"),
      @JsonSubTypes.Type(value = LeadReleased.class, name = "routing-lead-released.v1"),
      @JsonSubTypes.Type(value = BandChanged.class, name = "routing-band-changed.v1"),
      @JsonSubTypes.Type(value = LeadMessageNoted.class, name = "routing-lead-message-noted.v1"),
      @JsonSubTypes.Type(value = LeadResponded.class, name = "routing-lead-responded.v1"),
      @JsonSubTypes.Type(value = LeadSeen.class, name = "routing-lead-seen.v1"),
      @JsonSubTypes.Type(value = SlaBreached.class, name = "routing-sla-breached.v1"),
      @JsonSubTypes.Type(value = LeakageDetected.class, name = "routing-leakage-detected.v1"),
      @JsonSubTypes.Type(value = AssignmentClosed.class, name = "routing-assignment-closed.v1")
  })
  public sealed interface Event extends CborSerializable {
    String tenantId();

    Instant at();
  }

  public record SdrAdded(String tenantId, Sdr sdr, Instant at) implements Event {}

  public record SdrUpdated(String tenantId, Sdr sdr, Instant at) implements Event {}

  /** Off the roster; their open leads were re-routed by the events that follow. */
  public record SdrRemoved(String tenantId, String userId, Instant at) implements Event {}

  public record PresenceChanged(String tenantId, String userId, Presence presence, Instant at) implements Event {}

  /**
   * The lead goes to {@code userId}. {@code reason}: {@code hot}, {@code warm}, {@code juniors}, {@code escalated},
   * {@code drained} (from the queue), {@code manual}, {@code rerouted}, {@code leakage}. The first-response clock
   * ({@code firstResponseDue}) keeps running from the queue when the lead waited there, and a breach there stays
   * ({@code breachedAt}). {@code credits}: the weighted round robin's counters after a WARM pick, else null.
   */
  public record LeadAssigned(
      String tenantId, String leadId, String assignmentId, String userId, String previousUserId, String band,
      String language, String reason, String actor, Instant firstResponseDue, Instant seenDue, Instant breachedAt,
      Map<String, Long> credits, Instant at)
      implements Event {
    public LeadAssigned {
      credits = credits == null ? null : Map.copyOf(credits);
    }
  }

  /** Nobody can take the lead now: it waits, its SLA clock running ({@code slaDue}). */
  public record LeadQueued(
      String tenantId, String leadId, String band, String language, boolean juniorsOnly, String reason,
      String previousUserId, Instant slaDue, Instant at)
      implements Event {}

  /** The lead left routing (merged, or its SDR removed with nobody to take it... ). */
  public record LeadReleased(String tenantId, String leadId, String userId, String reason, Instant at)
      implements Event {}

  /**
   * An assigned or queued lead's band changed; an assigned lead stays with its SDR ({@code userId}, null while
   * queued). {@code firstResponseDue}: the tightened first-response deadline when an unanswered assigned lead turned
   * HOT, else null (unchanged).
   */
  public record BandChanged(
      String tenantId, String leadId, String band, String userId, Instant firstResponseDue, Instant at)
      implements Event {}

  /**
   * The assignment ended ({@code outcome} {@code won}, {@code lost} or {@code closed}, by {@code actor}): the SDR's
   * capacity is free again and the lead's clocks stop; a later HOT score or escalation routes the lead again.
   */
  public record AssignmentClosed(
      String tenantId, String leadId, String assignmentId, String userId, String outcome, String actor, Instant at)
      implements Event {}

  /** The lead wrote to its SDR: unanswered since {@code since}, leakage at {@code dueAt}. */
  public record LeadMessageNoted(
      String tenantId, String leadId, String assignmentId, String messageId, Instant since, Instant dueAt, Instant at)
      implements Event {}

  /** The SDR answered ({@code first}: the first answer of the assignment, {@code firstResponseMillis} then). */
  public record LeadResponded(
      String tenantId, String leadId, String assignmentId, String userId, boolean first, Long firstResponseMillis,
      Instant at)
      implements Event {}

  public record LeadSeen(String tenantId, String leadId, String assignmentId, String userId, Instant at)
      implements Event {}

  /** The first-response SLA passed unanswered; {@code userId} null while the lead waited in the queue. */
  public record SlaBreached(
      String tenantId, String leadId, String assignmentId, String userId, String band, Instant dueAt, Instant at)
      implements Event {}

  /**
   * A lead leaked: {@code kind} {@code unanswered} or {@code unseen}; {@code action} by band: {@code re-engaged}
   * (HOT: the AI writes, managers alerted), {@code reassigned} (WARM), {@code escalated} (COLD).
   */
  public record LeakageDetected(
      String tenantId, String leadId, String assignmentId, String userId, String band, String language, String kind,
      String action, Instant since, Instant at)
      implements Event {}
}
