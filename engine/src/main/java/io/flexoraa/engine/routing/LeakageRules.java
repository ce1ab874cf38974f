package io.flexoraa.engine.routing;

import io.flexoraa.engine.routing.DeskState.Assignment;
import io.flexoraa.engine.routing.DeskState.Queued;
import io.flexoraa.engine.routing.RoutingDesk.Event;
import io.flexoraa.engine.routing.RoutingDesk.LeadQueued;
import io.flexoraa.engine.routing.RoutingDesk.LeakageDetected;
import io.flexoraa.engine.routing.RoutingDesk.SlaBreached;
import io.flexoraa.engine.routing.RoutingSettings.Bands;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a lead's deadline means when it falls due (PRODUCT §4.7), kept apart from the desk's routing rules: the
 * first-response SLA breaches once, and leakage (unanswered or unseen) is acted on by band. Pure, like
 * {@link DeskState}: it decides on a copy and never changes the desk it is given.
 */
final class LeakageRules {
  private LeakageRules() {}

  /**
   * The events due at {@code now} for one lead: the SLA breach (once; of the queue too), then leakage — unanswered
   * before unseen — acted on by band: HOT re-engaged by the AI, WARM reassigned to another SDR (or queued), COLD
   * escalated.
   */
  static List<Event> due(DeskState desk, String leadId, RoutingSettings settings, Instant now) {
    String tenantId = desk.tenantId();
    List<Event> events = new ArrayList<>();
    Queued waiting = desk.queued(leadId).orElse(null);
    if (waiting != null && waiting.breachedAt() == null && !waiting.slaDue().isAfter(now)) {
      events.add(new SlaBreached(tenantId, leadId, null, null, waiting.band(), waiting.slaDue(), now));
    }
    Assignment assignment = desk.assignment(leadId).orElse(null);
    if (assignment == null) return events;
    DeskState sim = desk.copy();
    Instant sla = assignment.slaDue();
    if (sla != null && !sla.isAfter(now)) {
      sim.emit(events, new SlaBreached(tenantId, leadId, assignment.assignmentId(), assignment.userId(),
          assignment.band(), sla, now));
    }
    String kind = null;
    Instant since = null;
    if (assignment.unansweredDue() != null && !assignment.unansweredDue().isAfter(now)) {
      kind = "unanswered";
      since = assignment.unansweredSince();
    } else if (assignment.seenAt() == null && assignment.seenDue() != null && !assignment.seenDue().isAfter(now)) {
      kind = "unseen";
      since = assignment.assignedAt();
    }
    if (kind == null) return events;
    String action = switch (assignment.band()) {
      case Bands.HOT -> "re-engaged";
      case Bands.COLD -> "escalated";
      default -> "reassigned";
    };
    sim.emit(events, new LeakageDetected(tenantId, leadId, assignment.assignmentId(), assignment.userId(),
        assignment.band(), assignment.language(), kind, action, since, now));
    if ("reassigned".equals(action)) sim.emit(events, reassignLeaked(sim, leadId, settings, now));
    return events;
  }

  /** A leaking WARM lead goes to another available SDR (never back to the one it leaked from), else waits. */
  private static Event reassignLeaked(DeskState sim, String leadId, RoutingSettings settings, Instant now) {
    Assignment leaked = sim.unassign(leadId);
    Optional<FairShare.Pick> other = sim.pick(leaked.band(), leaked.language(), false, leaked.userId(), now);
    if (other.isEmpty()) {
      return new LeadQueued(sim.tenantId(), leadId, leaked.band(), leaked.language(), false, "leakage",
          leaked.userId(), now.plus(settings.sla(leaked.band())), now);
    }
    return sim.assigned(leadId, other.get().chosen().userId(), leaked.userId(), leaked.band(), leaked.language(),
        "leakage", null, leaked.respondedAt() == null ? leaked.firstResponseDue() : null, leaked.breachedAt(),
        other.get().credits(), settings, now);
  }
}
