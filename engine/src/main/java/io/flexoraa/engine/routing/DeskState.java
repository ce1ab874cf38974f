package io.flexoraa.engine.routing;

import io.flexoraa.engine.CborSerializable;
import io.flexoraa.engine.routing.RoutingDesk.AssignmentClosed;
import io.flexoraa.engine.routing.RoutingDesk.AssignmentView;
import io.flexoraa.engine.routing.RoutingDesk.BandChanged;
import io.flexoraa.engine.routing.RoutingDesk.Event;
import io.flexoraa.engine.routing.RoutingDesk.LeadAssigned;
import io.flexoraa.engine.routing.RoutingDesk.LeadMessageNoted;
import io.flexoraa.engine.routing.RoutingDesk.LeadQueued;
import io.flexoraa.engine.routing.RoutingDesk.LeadReleased;
import io.flexoraa.engine.routing.RoutingDesk.LeadResponded;
import io.flexoraa.engine.routing.RoutingDesk.LeadSeen;
import io.flexoraa.engine.routing.RoutingDesk.LeakageDetected;
import io.flexoraa.engine.routing.RoutingDesk.PresenceChanged;
import io.flexoraa.engine.routing.RoutingDesk.QueuedView;
import io.flexoraa.engine.routing.RoutingDesk.SdrAdded;
import io.flexoraa.engine.routing.RoutingDesk.SdrRemoved;
import io.flexoraa.engine.routing.RoutingDesk.SdrUpdated;
import io.flexoraa.engine.routing.RoutingDesk.SlaBreached;
import io.flexoraa.engine.routing.RoutingSettings.Bands;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The routing desk's state and its pure rules (PRODUCT §4.4): state + command + now → events, and events → state.
 * Deciding never changes the state; decisions that take several steps (draining the queue) simulate on a copy.
 */
public final class DeskState implements CborSerializable {

  /** An open assignment and its clocks; null fields are clocks not running. */
  public record Assignment(
      String assignmentId, String leadId, String userId, String band, String language, Instant assignedAt,
      Instant firstResponseDue, Instant respondedAt, Instant breachedAt, Instant unansweredSince,
      Instant unansweredDue, Instant seenAt, Instant seenDue)
      implements CborSerializable {

    Assignment with(String band, Instant respondedAt, Instant breachedAt, Instant unansweredSince,
        Instant unansweredDue, Instant seenAt, Instant seenDue) {
      return new Assignment(assignmentId, leadId, userId, band, language, assignedAt, firstResponseDue, respondedAt,
          breachedAt, unansweredSince, unansweredDue, seenAt, seenDue);
    }

    /** A new band, and the first-response deadline tightened when {@code due} is set. */
    Assignment withBand(String band, Instant due) {
      return new Assignment(assignmentId, leadId, userId, band, language, assignedAt,
          due != null ? due : firstResponseDue, respondedAt, breachedAt, unansweredSince, unansweredDue, seenAt,
          seenDue);
    }

    /** The SLA clock runs until the first answer or the breach. */
    Instant slaDue() {
      return respondedAt == null && breachedAt == null ? firstResponseDue : null;
    }

    Instant nextDue() {
      return earliest(earliest(slaDue(), unansweredDue), seenAt == null ? seenDue : null);
    }

    AssignmentView view() {
      return new AssignmentView(assignmentId, leadId, userId, band, assignedAt, firstResponseDue, respondedAt,
          breachedAt, unansweredSince, seenAt);
    }
  }

  public record Queued(
      String leadId, String band, String language, boolean juniorsOnly, Instant queuedAt, Instant slaDue,
      Instant breachedAt)
      implements CborSerializable {
    QueuedView view() {
      return new QueuedView(leadId, band, juniorsOnly, queuedAt, slaDue, breachedAt);
    }
  }

  private String tenantId;
  private final TreeMap<String, Sdr> sdrs;
  private final Map<String, Assignment> open;
  private final Map<String, Queued> queue;
  private final TreeMap<String, Long> credits;

  private DeskState(String tenantId, TreeMap<String, Sdr> sdrs, Map<String, Assignment> open,
      Map<String, Queued> queue, TreeMap<String, Long> credits) {
    this.tenantId = tenantId;
    this.sdrs = sdrs;
    this.open = open;
    this.queue = queue;
    this.credits = credits;
  }

  public static DeskState empty(String tenantId) {
    return new DeskState(tenantId, new TreeMap<>(), new LinkedHashMap<>(), new LinkedHashMap<>(), new TreeMap<>());
  }

  DeskState copy() {
    return new DeskState(tenantId, new TreeMap<>(sdrs), new LinkedHashMap<>(open), new LinkedHashMap<>(queue),
        new TreeMap<>(credits));
  }

  public String tenantId() {
    return tenantId;
  }

  public Optional<Sdr> sdr(String userId) {
    return Optional.ofNullable(sdrs.get(userId));
  }

  public List<Sdr> sdrs() {
    return List.copyOf(sdrs.values());
  }

  public Optional<Assignment> assignment(String leadId) {
    return Optional.ofNullable(open.get(leadId));
  }

  public Optional<Queued> queued(String leadId) {
    return Optional.ofNullable(queue.get(leadId));
  }

  public int load(String userId) {
    int count = 0;
    for (Assignment assignment : open.values()) if (assignment.userId().equals(userId)) count++;
    return count;
  }

  /** The queue in draining order: HOT first, then the longest waiting. */
  public List<Queued> queueInOrder() {
    List<Queued> ordered = new ArrayList<>(queue.values());
    ordered.sort(Comparator.comparingInt((Queued q) -> Bands.rank(q.band())).thenComparing(Queued::queuedAt)
        .thenComparing(Queued::leadId));
    return ordered;
  }

  public RoutingDesk.DeskView view() {
    Map<String, Integer> load = new TreeMap<>();
    for (String userId : sdrs.keySet()) load.put(userId, load(userId));
    return new RoutingDesk.DeskView(sdrs(), load, open.values().stream().map(Assignment::view).toList(),
        queueInOrder().stream().map(Queued::view).toList());
  }

  /** Whether the SDR takes a new lead at {@code now}: online, inside working hours, below capacity. */
  public boolean available(Sdr sdr, Instant now) {
    return sdr.presence() == Presence.ONLINE && sdr.workingHours().isOpenAt(now) && load(sdr.userId()) < sdr.capacity();
  }

  // ---- decisions ----

  /**
   * Routes a lead by band (PRODUCT §4.4). HOT and escalated: an available SDR now (senior first, then one speaking
   * the lead's language, then the least loaded). WARM: weighted round robin by free capacity. COLD: nothing until
   * AI recovery ends ({@code juniors}), then the junior pool. Nobody free: the queue. An assigned lead stays where
   * it is; only its band is noted.
   */
  public List<Event> route(String leadId, String band, String language, String reason, RoutingSettings settings,
      Instant now) {
    String effective = "escalated".equals(reason) ? Bands.HOT : band;
    Assignment assigned = open.get(leadId);
    if (assigned != null) {
      if (assigned.band().equals(effective)) return List.of();
      // an unanswered lead that turns HOT owes its answer within the HOT SLA from now, if that is sooner
      Instant due = assigned.slaDue();
      Instant tightened = Bands.HOT.equals(effective) && due != null && now.plus(settings.hotSla()).isBefore(due)
          ? now.plus(settings.hotSla()) : null;
      return List.of(new BandChanged(tenantId, leadId, effective, assigned.userId(), tightened, now));
    }
    boolean juniors = "juniors".equals(reason);
    Queued waiting = queue.get(leadId);
    if (waiting != null) {
      if (juniors && !Bands.COLD.equals(waiting.band())) return List.of();
      return waiting.band().equals(effective) ? List.of()
          : List.of(new BandChanged(tenantId, leadId, effective, null, null, now));
    }
    if (Bands.COLD.equals(effective) && !juniors) return List.of();
    String why = juniors ? "juniors" : "escalated".equals(reason) ? "escalated" : effective.toLowerCase();
    return List.of(place(leadId, effective, language, why, null, null, null, null, settings, now));
  }

  /** A manager's reassignment: to {@code userId} (who must be on the roster), or routed again when null. */
  public List<Event> reassign(String leadId, String userId, String actor, RoutingSettings settings, Instant now) {
    Assignment current = open.get(leadId);
    Queued waiting = queue.get(leadId);
    String band = current != null ? current.band() : waiting != null ? waiting.band() : Bands.WARM;
    String language = current != null ? current.language() : waiting != null ? waiting.language() : null;
    String previous = current == null ? null : current.userId();
    Instant due = waiting != null ? waiting.slaDue() : null;
    Instant breached = current != null ? current.breachedAt() : waiting != null ? waiting.breachedAt() : null;
    if (userId != null) {
      return List.of(assigned(leadId, userId, previous, band, language, "manual", actor, due, breached, null,
          settings, now));
    }
    DeskState without = copy();
    if (current != null) without.open.remove(leadId);
    return List.of(without.place(leadId, band, language, "rerouted", actor, previous, due, breached, settings, now));
  }

  /** The lead wrote: the leakage clock of its assignment starts unless it already runs. */
  public List<Event> leadMessage(String leadId, String messageId, Instant at, RoutingSettings settings, Instant now) {
    Assignment assignment = open.get(leadId);
    if (assignment == null || assignment.unansweredSince() != null) return List.of();
    if (at.isBefore(assignment.assignedAt()) && assignment.respondedAt() != null) return List.of();
    Instant since = at.isBefore(assignment.assignedAt()) ? assignment.assignedAt() : at;
    return List.of(new LeadMessageNoted(tenantId, leadId, assignment.assignmentId(), messageId, since,
        since.plus(settings.unansweredAfter()), now));
  }

  /** A person answered the lead; only the assigned SDR's answer counts for the SLA and the leakage clock. */
  public List<Event> responded(String leadId, String userId, Instant at) {
    Assignment assignment = open.get(leadId);
    if (assignment == null || !assignment.userId().equals(userId)) return List.of();
    if (at.isBefore(assignment.assignedAt())) return List.of();
    boolean first = assignment.respondedAt() == null;
    if (!first && assignment.unansweredSince() == null) return List.of();
    Long millis = first ? Math.max(0, at.toEpochMilli() - assignment.assignedAt().toEpochMilli()) : null;
    return List.of(new LeadResponded(tenantId, leadId, assignment.assignmentId(), userId, first, millis, at));
  }

  public List<Event> seen(String leadId, String userId, Instant now) {
    Assignment assignment = open.get(leadId);
    if (assignment == null || !assignment.userId().equals(userId) || assignment.seenAt() != null) return List.of();
    return List.of(new LeadSeen(tenantId, leadId, assignment.assignmentId(), userId, now));
  }

  public List<Event> release(String leadId, String reason, Instant now) {
    Assignment assignment = open.get(leadId);
    if (assignment == null && !queue.containsKey(leadId)) return List.of();
    return List.of(new LeadReleased(tenantId, leadId, assignment == null ? null : assignment.userId(), reason, now));
  }

  /** Ends the lead's assignment with {@code outcome}; the freed capacity drains the queue. */
  public List<Event> close(String leadId, String outcome, String actor, RoutingSettings settings, Instant now) {
    Assignment assignment = open.get(leadId);
    if (assignment == null) return List.of();
    List<Event> events = new ArrayList<>();
    events.add(new AssignmentClosed(tenantId, leadId, assignment.assignmentId(), assignment.userId(), outcome, actor,
        now));
    return then(events, settings, now);
  }

  /** Roster changes, then whatever the queue can now drain. */
  public List<Event> saveSdr(Sdr sdr, boolean create, RoutingSettings settings, Instant now) {
    List<Event> events = new ArrayList<>();
    events.add(create ? new SdrAdded(tenantId, sdr, now) : new SdrUpdated(tenantId, sdr, now));
    return then(events, settings, now);
  }

  public List<Event> setPresence(String userId, Presence presence, RoutingSettings settings, Instant now) {
    Sdr sdr = sdrs.get(userId);
    if (sdr == null || sdr.presence() == presence) return List.of();
    List<Event> events = new ArrayList<>();
    events.add(new PresenceChanged(tenantId, userId, presence, now));
    return then(events, settings, now);
  }

  /** Removes an SDR; their open leads are routed again (or queued). */
  public List<Event> removeSdr(String userId, RoutingSettings settings, Instant now) {
    DeskState sim = copy();
    List<Event> events = new ArrayList<>();
    sim.emit(events, new SdrRemoved(tenantId, userId, now));
    for (Assignment assignment : List.copyOf(open.values())) {
      if (!assignment.userId().equals(userId)) continue;
      sim.open.remove(assignment.leadId());
      sim.emit(events, sim.place(assignment.leadId(), assignment.band(), assignment.language(), "rerouted", null,
          userId, assignment.respondedAt() == null ? assignment.firstResponseDue() : null, assignment.breachedAt(),
          settings, now));
    }
    events.addAll(sim.drain(settings, now));
    return events;
  }

  /** Assigns what waits in the queue to SDRs who can take it now, HOT first, then the longest waiting. */
  public List<Event> drain(RoutingSettings settings, Instant now) {
    DeskState sim = copy();
    List<Event> events = new ArrayList<>();
    for (Queued waiting : queueInOrder()) {
      Optional<FairShare.Pick> pick = sim.pick(waiting.band(), waiting.language(), waiting.juniorsOnly(), null, now);
      if (pick.isEmpty()) continue;
      sim.emit(events, sim.assigned(waiting.leadId(), pick.get().chosen().userId(), null, waiting.band(),
          waiting.language(), "drained", null, waiting.slaDue(), waiting.breachedAt(), pick.get().credits(),
          settings, now));
    }
    return events;
  }

  /**
   * What is due at {@code now} for one lead: the SLA breach (once), then leakage acted on by band
   * ({@link LeakageRules}).
   */
  public List<Event> due(String leadId, RoutingSettings settings, Instant now) {
    return LeakageRules.due(this, leadId, settings, now);
  }

  /** The earliest deadline of a lead (SLA, leakage, or its queue SLA), if any clock runs. */
  public Optional<Instant> nextDue(String leadId) {
    Instant due = null;
    Assignment assignment = open.get(leadId);
    if (assignment != null) due = assignment.nextDue();
    Queued waiting = queue.get(leadId);
    if (waiting != null && waiting.breachedAt() == null) due = earliest(due, waiting.slaDue());
    return Optional.ofNullable(due);
  }

  /** Every lead with a running clock (to re-arm timers when the desk starts). */
  public List<String> leadsWithClocks() {
    List<String> leads = new ArrayList<>();
    for (String leadId : open.keySet()) if (nextDue(leadId).isPresent()) leads.add(leadId);
    for (String leadId : queue.keySet()) if (nextDue(leadId).isPresent()) leads.add(leadId);
    return leads;
  }

  /**
   * When an SDR who is online with free capacity next starts work, while leads wait: the queue is tried then.
   */
  public Optional<Instant> nextOpening(Instant now) {
    if (queue.isEmpty()) return Optional.empty();
    Instant next = null;
    for (Sdr sdr : sdrs.values()) {
      if (sdr.presence() != Presence.ONLINE || load(sdr.userId()) >= sdr.capacity()) continue;
      for (WorkingHours.Interval opening : sdr.workingHours().openings(now, now.plus(java.time.Duration.ofDays(8)))) {
        if (opening.start().isAfter(now)) {
          next = earliest(next, opening.start());
          break;
        }
      }
    }
    return Optional.ofNullable(next);
  }

  // ---- helpers ----

  /** Takes the lead's assignment off this (simulated) desk, to route it elsewhere. */
  Assignment unassign(String leadId) {
    return open.remove(leadId);
  }

  private List<Event> then(List<Event> events, RoutingSettings settings, Instant now) {
    DeskState sim = copy();
    for (Event event : events) sim.apply(event);
    events.addAll(sim.drain(settings, now));
    return events;
  }

  void emit(List<Event> events, Event event) {
    events.add(event);
    apply(event);
  }

  /** Assigns the lead to whoever the band's rule picks, else queues it. */
  private Event place(String leadId, String band, String language, String reason, String actor, String previous,
      Instant due, Instant breached, RoutingSettings settings, Instant now) {
    boolean juniorsOnly = Bands.COLD.equals(band);
    Optional<FairShare.Pick> pick = pick(band, language, juniorsOnly, previous, now);
    if (pick.isEmpty()) {
      return new LeadQueued(tenantId, leadId, band, language, juniorsOnly, reason, previous,
          due != null ? due : now.plus(settings.sla(band)), now);
    }
    return assigned(leadId, pick.get().chosen().userId(), previous, band, language, reason, actor, due, breached,
        pick.get().credits(), settings, now);
  }

  LeadAssigned assigned(String leadId, String userId, String previous, String band, String language,
      String reason, String actor, Instant due, Instant breached, Map<String, Long> credits, RoutingSettings settings,
      Instant now) {
    String assignmentId = leadId + ":" + now.toEpochMilli() + ":" + userId;
    return new LeadAssigned(tenantId, leadId, assignmentId, userId, previous, band, language, reason, actor,
        due != null ? due : now.plus(settings.sla(band)), now.plus(settings.unseenAfter()), breached, credits, now);
  }

  /**
   * The SDR a lead of {@code band} goes to now. HOT: senior first, then language match, then least loaded. WARM:
   * {@link FairShare} (the pick carries the round robin's new counters). COLD: juniors only, least loaded. {@code excluded} never gets it (the SDR it leaked from).
   */
  Optional<FairShare.Pick> pick(String band, String language, boolean juniorsOnly, String excluded, Instant now) {
    List<Sdr> candidates = new ArrayList<>();
    for (Sdr sdr : sdrs.values()) {
      if (sdr.userId().equals(excluded) || !available(sdr, now)) continue;
      if (juniorsOnly && sdr.seniority() != Seniority.JUNIOR) continue;
      candidates.add(sdr);
    }
    if (candidates.isEmpty()) return Optional.empty();
    if (Bands.WARM.equals(band)) return Optional.of(FairShare.next(credits, candidates, this::load));
    Comparator<Sdr> order = Comparator.comparingInt((Sdr sdr) -> Bands.HOT.equals(band)
            ? (sdr.seniority() == Seniority.SENIOR ? 0 : 1) : 0)
        .thenComparingInt(sdr -> language != null && sdr.languages().contains(language) ? 0 : 1)
        .thenComparingInt(sdr -> load(sdr.userId()))
        .thenComparing(Sdr::userId);
    return candidates.stream().min(order).map(sdr -> new FairShare.Pick(sdr, null));
  }

  private static Instant earliest(Instant a, Instant b) {
    if (a == null) return b;
    if (b == null) return a;
    return a.isBefore(b) ? a : b;
  }

  // ---- events → state ----

  public DeskState apply(Event event) {
    if (tenantId == null) tenantId = event.tenantId();
    if (event instanceof SdrAdded added) {
      sdrs.put(added.sdr().userId(), added.sdr());
    } else if (event instanceof SdrUpdated updated) {
      sdrs.put(updated.sdr().userId(), updated.sdr());
    } else if (event instanceof SdrRemoved removed) {
      sdrs.remove(removed.userId());
      credits.remove(removed.userId());
    } else if (event instanceof PresenceChanged changed) {
      sdrs.computeIfPresent(changed.userId(), (id, sdr) -> sdr.withPresence(changed.presence()));
    } else if (event instanceof LeadAssigned assigned) {
      queue.remove(assigned.leadId());
      open.put(assigned.leadId(), new Assignment(assigned.assignmentId(), assigned.leadId(), assigned.userId(),
          assigned.band(), assigned.language(), assigned.at(), assigned.firstResponseDue(), null,
          assigned.breachedAt(), null, null, null, assigned.seenDue()));
      if (assigned.credits() != null) {
        credits.clear();
        credits.putAll(assigned.credits());
      }
    } else if (event instanceof LeadQueued queued) {
      open.remove(queued.leadId());
      queue.put(queued.leadId(), new Queued(queued.leadId(), queued.band(), queued.language(), queued.juniorsOnly(),
          queued.at(), queued.slaDue(), null));
    } else if (event instanceof AssignmentClosed closed) {
      open.remove(closed.leadId());
    } else if (event instanceof LeadReleased released) {
      open.remove(released.leadId());
      queue.remove(released.leadId());
    } else if (event instanceof BandChanged changed) {
      open.computeIfPresent(changed.leadId(), (id, a) -> a.withBand(changed.band(), changed.firstResponseDue()));
      queue.computeIfPresent(changed.leadId(), (id, q) -> new Queued(q.leadId(), changed.band(), q.language(),
          q.juniorsOnly(), q.queuedAt(), q.slaDue(), q.breachedAt()));
    } else if (event instanceof LeadMessageNoted noted) {
      open.computeIfPresent(noted.leadId(), (id, a) -> a.with(a.band(), a.respondedAt(), a.breachedAt(),
          noted.since(), noted.dueAt(), a.seenAt(), a.seenDue()));
    } else if (event instanceof LeadResponded responded) {
      // an answer also shows the lead was opened
      open.computeIfPresent(responded.leadId(), (id, a) -> a.with(a.band(),
          a.respondedAt() == null ? responded.at() : a.respondedAt(), a.breachedAt(), null, null,
          a.seenAt() == null ? responded.at() : a.seenAt(), a.seenDue()));
    } else if (event instanceof LeadSeen seen) {
      open.computeIfPresent(seen.leadId(), (id, a) -> a.with(a.band(), a.respondedAt(), a.breachedAt(),
          a.unansweredSince(), a.unansweredDue(), seen.at(), a.seenDue()));
    } else if (event instanceof SlaBreached breached) {
      if (breached.assignmentId() == null) {
        queue.computeIfPresent(breached.leadId(), (id, q) -> new Queued(q.leadId(), q.band(), q.language(),
            q.juniorsOnly(), q.queuedAt(), q.slaDue(), breached.at()));
      } else {
        open.computeIfPresent(breached.leadId(), (id, a) -> a.with(a.band(), a.respondedAt(), breached.at(),
            a.unansweredSince(), a.unansweredDue(), a.seenAt(), a.seenDue()));
      }
    } else if (event instanceof LeakageDetected leaked) {
      // acted on once: the clock stops until the lead writes again (unanswered) or for good (unseen)
      open.computeIfPresent(leaked.leadId(), (id, a) -> "unanswered".equals(leaked.kind())
          ? a.with(a.band(), a.respondedAt(), a.breachedAt(), null, null, a.seenAt(), a.seenDue())
          : a.with(a.band(), a.respondedAt(), a.breachedAt(), a.unansweredSince(), a.unansweredDue(), a.seenAt(),
              null));
    }
    return this;
  }
}
