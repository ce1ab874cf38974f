package io.flexoraa.engine.routing;

import io.flexoraa.engine.ports.Notifier.Notice;
import io.flexoraa.engine.routing.RoutingDesk.Command;
import io.flexoraa.engine.routing.RoutingDesk.Event;
import io.flexoraa.engine.routing.RoutingDesk.LeadAssigned;
import io.flexoraa.engine.routing.RoutingDesk.LeadQueued;
import io.flexoraa.engine.routing.RoutingDesk.LeadResponded;
import io.flexoraa.engine.routing.RoutingDesk.LeakageDetected;
import io.flexoraa.engine.routing.RoutingDesk.Outcome;
import io.flexoraa.engine.routing.RoutingDesk.SlaBreached;
import io.flexoraa.engine.routing.RoutingSettings.Bands;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * A tenant's routing desk, sharded by tenant id (docs/decisions/0030-routing-desk.md). Thin: {@link DeskState}
 * decides, this persists, answers, and keeps one keyed timer per lead with a running clock (SLA, unanswered, unseen,
 * queue SLA) plus one for the next working-hours start while leads wait. Timers are re-armed from the state when
 * the desk starts; the keeper starts desks whose deadlines come due after a restart or a rebalance.
 */
public final class RoutingDeskEntity extends EventSourcedBehaviorWithEnforcedReplies<Command, Event, DeskState> {

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "RoutingDesk");
  private static final String DRAIN_TIMER = "drain";
  /** Timers further out than this are re-armed on the way (the scheduler's tick arithmetic stays small). */
  private static final Duration MAX_TIMER = Duration.ofDays(1);

  private final String tenantId;
  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final RoutingSettings settings;
  private final DeskEffects effects;
  private final Clock clock;

  private RoutingDeskEntity(String tenantId, ActorContext<Command> context, TimerScheduler<Command> timers,
      RoutingSettings settings, DeskEffects effects, Clock clock) {
    super(PersistenceId.of(TYPE_KEY.name(), tenantId),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.1));
    this.tenantId = tenantId;
    this.context = context;
    this.timers = timers;
    this.settings = settings;
    this.effects = effects;
    this.clock = clock;
  }

  public static Behavior<Command> create(String tenantId, RoutingSettings settings, DeskEffects effects, Clock clock) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers ->
        new RoutingDeskEntity(tenantId, context, timers, settings, effects, clock)));
  }

  public static void init(ActorSystem<?> system, RoutingSettings settings, DeskEffects effects, Clock clock) {
    ClusterSharding.get(system).init(Entity.of(TYPE_KEY,
        entityContext -> create(entityContext.getEntityId(), settings, effects, clock)));
  }

  public static String tagFor(String tenantId, int tagSlices) {
    return io.flexoraa.engine.TagSlices.tagFor("routing", tenantId, tagSlices);
  }

  public static List<String> allTags(int tagSlices) {
    return io.flexoraa.engine.TagSlices.all("routing", tagSlices);
  }

  @Override
  public DeskState emptyState() {
    return DeskState.empty(tenantId);
  }

  @Override
  public Set<String> tagsFor(Event event) {
    return Set.of(tagFor(tenantId, settings.tagSlices()));
  }

  @Override
  public SignalHandler<DeskState> signalHandler() {
    return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), state -> {
      state.leadsWithClocks().forEach(leadId -> arm(state, leadId));
      armDrain(state);
      context.getSelf().tell(new RoutingDesk.Wake());
    }).build();
  }

  @Override
  public EventHandler<DeskState, Event> eventHandler() {
    return (state, event) -> state.apply(event);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, DeskState> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(RoutingDesk.SaveSdr.class, this::onSave)
        .onCommand(RoutingDesk.RemoveSdr.class, (state, command) -> state.sdr(command.userId()).isEmpty()
            ? Effect().reply(command.replyTo(), Outcome.rejected("not-found", "no SDR " + command.userId()))
            : persist(state, state.removeSdr(command.userId(), settings, clock.instant()), command.replyTo(),
                updated -> Outcome.ok((RoutingDesk.AssignmentView) null)))
        .onCommand(RoutingDesk.SetPresence.class, (state, command) -> state.sdr(command.userId()).isEmpty()
            ? Effect().reply(command.replyTo(), Outcome.rejected("not-found", "no SDR " + command.userId()))
            : persist(state, state.setPresence(command.userId(), command.presence(), settings, clock.instant()),
                command.replyTo(), updated -> Outcome.ok(updated.sdr(command.userId()).orElseThrow())))
        .onCommand(RoutingDesk.Route.class, (state, command) -> persist(state, state.route(command.leadId(), command.band(),
            command.language(), command.reason(), settings, clock.instant()), command.replyTo(), s -> Done.getInstance()))
        .onCommand(RoutingDesk.Reassign.class, this::onReassign)
        .onCommand(RoutingDesk.LeadMessage.class, (state, command) -> persist(state, state.leadMessage(command.leadId(),
            command.messageId(), command.at(), settings, clock.instant()), command.replyTo(), s -> Done.getInstance()))
        .onCommand(RoutingDesk.Responded.class, (state, command) -> persist(state,
            state.responded(command.leadId(), command.userId(), command.at()), command.replyTo(),
            s -> Done.getInstance()))
        .onCommand(RoutingDesk.Seen.class, (state, command) -> {
          var assignment = state.assignment(command.leadId());
          if (assignment.isEmpty() || !assignment.get().userId().equals(command.userId())) {
            return Effect().reply(command.replyTo(), Outcome.rejected("not-found", "the lead is not assigned to you"));
          }
          return persist(state, state.seen(command.leadId(), command.userId(), clock.instant()), command.replyTo(),
              updated -> Outcome.ok(updated.assignment(command.leadId()).orElseThrow().view()));
        })
        .onCommand(RoutingDesk.Release.class, (state, command) -> persist(state,
            state.release(command.leadId(), command.reason(), clock.instant()), command.replyTo(),
            s -> Done.getInstance()))
        .onCommand(RoutingDesk.CloseAssignment.class, this::onClose)
        .onCommand(RoutingDesk.Wake.class, (state, command) -> persistNoReply(dueEverywhere(state)))
        .onCommand(RoutingDesk.LeadDue.class, (state, command) -> {
          List<Event> events = state.due(command.leadId(), settings, clock.instant());
          if (events.isEmpty()) arm(state, command.leadId());
          return persistNoReply(events);
        })
        .onCommand(RoutingDesk.DrainDue.class, (state, command) -> persistNoReply(state.drain(settings, clock.instant())))
        .onCommand(RoutingDesk.GetDesk.class, (state, command) -> Effect().reply(command.replyTo(), state.view()))
        .onCommand(RoutingDesk.EffectDone.class, (state, command) -> {
          context.getLog().debug("Routing effect {} of {}: {}", command.what(), tenantId, command.outcome());
          return Effect().noReply();
        })
        .build();
  }

  private ReplyEffect<Event, DeskState> onSave(DeskState state, RoutingDesk.SaveSdr command) {
    boolean exists = state.sdr(command.sdr().userId()).isPresent();
    if (command.create() && exists) {
      return Effect().reply(command.replyTo(), Outcome.rejected("conflict", "the SDR is already on the roster"));
    }
    if (!command.create() && !exists) {
      return Effect().reply(command.replyTo(), Outcome.rejected("not-found", "no SDR " + command.sdr().userId()));
    }
    return persist(state, state.saveSdr(command.sdr(), command.create(), settings, clock.instant()), command.replyTo(),
        updated -> Outcome.ok(updated.sdr(command.sdr().userId()).orElseThrow()));
  }

  private ReplyEffect<Event, DeskState> onReassign(DeskState state, RoutingDesk.Reassign command) {
    if (command.userId() != null && state.sdr(command.userId()).isEmpty()) {
      return Effect().reply(command.replyTo(), Outcome.rejected("invalid", "userId is not on the roster"));
    }
    var current = state.assignment(command.leadId());
    if (command.userId() != null && current.isPresent() && current.get().userId().equals(command.userId())) {
      return Effect().reply(command.replyTo(), Outcome.ok(current.get().view()));
    }
    return persist(state, state.reassign(command.leadId(), command.userId(), command.actor(), settings, clock.instant()),
        command.replyTo(), updated -> updated.assignment(command.leadId())
            .map(assignment -> Outcome.ok(assignment.view()))
            .orElseGet(() -> new Outcome(null, "queued", null, null)));
  }

  private ReplyEffect<Event, DeskState> onClose(DeskState state, RoutingDesk.CloseAssignment command) {
    var assignment = state.assignment(command.leadId());
    if (assignment.isEmpty()) {
      return Effect().reply(command.replyTo(), Outcome.rejected("conflict", "the lead has no open assignment"));
    }
    if (command.onlyUserId() != null && !assignment.get().userId().equals(command.onlyUserId())) {
      return Effect().reply(command.replyTo(), Outcome.rejected("not-found", "the lead is not assigned to you"));
    }
    RoutingDesk.AssignmentView closed = assignment.get().view();
    return persist(state, state.close(command.leadId(), command.outcome(), command.actor(), settings, clock.instant()),
        command.replyTo(), updated -> Outcome.ok(closed));
  }

  private List<Event> dueEverywhere(DeskState state) {
    Instant now = clock.instant();
    DeskState sim = state.copy();
    List<Event> events = new ArrayList<>();
    for (String leadId : state.leadsWithClocks()) {
      if (sim.nextDue(leadId).map(due -> !due.isAfter(now)).orElse(false)) {
        for (Event event : sim.due(leadId, settings, now)) {
          events.add(event);
          sim.apply(event);
        }
      }
    }
    events.addAll(sim.drain(settings, now));
    return events;
  }

  private <R> ReplyEffect<Event, DeskState> persist(DeskState state, List<Event> events, ActorRef<R> replyTo,
      java.util.function.Function<DeskState, R> reply) {
    if (events.isEmpty()) return Effect().reply(replyTo, reply.apply(state));
    return Effect().persist(events).thenRun(updated -> after(updated, events))
        .thenReply(replyTo, reply::apply);
  }

  private ReplyEffect<Event, DeskState> persistNoReply(List<Event> events) {
    if (events.isEmpty()) return Effect().noReply();
    return Effect().persist(events).thenRun(updated -> after(updated, events)).thenNoReply();
  }

  /** Timers of the leads the events touched, the drain timer, then the side effects. */
  private void after(DeskState state, List<Event> events) {
    Set<String> leads = new LinkedHashSet<>();
    for (Event event : events) {
      String leadId = leadOf(event);
      if (leadId != null) leads.add(leadId);
      sideEffects(event);
    }
    leads.forEach(leadId -> arm(state, leadId));
    armDrain(state);
    effects.metrics().routingQueueDepth(tenantId, state.view().queue().size());
  }

  private void arm(DeskState state, String leadId) {
    String key = "lead:" + leadId;
    var due = state.nextDue(leadId);
    if (due.isEmpty()) {
      timers.cancel(key);
      return;
    }
    Duration delay = Duration.between(clock.instant(), due.get());
    if (delay.isNegative()) delay = Duration.ZERO;
    if (delay.compareTo(MAX_TIMER) > 0) delay = MAX_TIMER;
    timers.startSingleTimer(key, new RoutingDesk.LeadDue(leadId), delay);
  }

  private void armDrain(DeskState state) {
    var next = state.nextOpening(clock.instant());
    if (next.isEmpty()) {
      timers.cancel(DRAIN_TIMER);
      return;
    }
    Duration delay = Duration.between(clock.instant(), next.get());
    timers.startSingleTimer(DRAIN_TIMER, new RoutingDesk.DrainDue(),
        delay.compareTo(MAX_TIMER) > 0 ? MAX_TIMER : delay.isNegative() ? Duration.ZERO : delay);
  }

  private static String leadOf(Event event) {
    if (event instanceof LeadAssigned e) return e.leadId();
    if (event instanceof LeadQueued e) return e.leadId();
    if (event instanceof RoutingDesk.LeadReleased e) return e.leadId();
    if (event instanceof RoutingDesk.BandChanged e) return e.leadId();
    if (event instanceof RoutingDesk.LeadMessageNoted e) return e.leadId();
    if (event instanceof LeadResponded e) return e.leadId();
    if (event instanceof RoutingDesk.LeadSeen e) return e.leadId();
    if (event instanceof SlaBreached e) return e.leadId();
    if (event instanceof LeakageDetected e) return e.leadId();
    if (event instanceof RoutingDesk.AssignmentClosed e) return e.leadId();
    return null;
  }

  private void sideEffects(Event event) {
    if (event instanceof LeadAssigned assigned) {
      notice(assigned.leadId() + ":assigned:" + assigned.assignmentId(), List.of(assigned.userId()), "lead.assigned",
          assigned.band() + " lead assigned to you", "A " + assigned.band() + " lead is yours (" + assigned.reason()
              + "); first response due " + assigned.firstResponseDue() + ".", assigned.leadId(),
          Map.of("assignmentId", assigned.assignmentId(), "band", assigned.band()), Bands.HOT.equals(assigned.band()),
          assigned.at());
      String reference = "routing:" + assigned.assignmentId();
      context.pipeToSelf(effects.tokens().debit(tenantId, "routing", assigned.leadId(), reference),
          (outcome, failure) -> new RoutingDesk.EffectDone("debit " + reference,
              failure == null ? outcome.getClass().getSimpleName() : failure.toString()));
    } else if (event instanceof LeadQueued queued) {
      notice(queued.leadId() + ":queued:" + queued.at().toEpochMilli(), List.of(Notice.MANAGERS), "lead.queued",
          queued.band() + " lead waiting: no SDR available", "SLA due " + queued.slaDue() + ".", queued.leadId(),
          Map.of("band", queued.band()), false, queued.at());
    } else if (event instanceof SlaBreached breached) {
      effects.metrics().routingSlaBreached(breached.band());
      List<String> to = breached.userId() == null ? List.of(Notice.MANAGERS)
          : List.of(breached.userId(), Notice.MANAGERS);
      notice(breached.leadId() + ":sla:" + breached.dueAt().toEpochMilli(), to, "sla.breached",
          breached.band() + " lead: first-response SLA breached", "It was due " + breached.dueAt() + ".",
          breached.leadId(), Map.of("band", breached.band()), Bands.HOT.equals(breached.band()), breached.at());
    } else if (event instanceof LeadResponded responded && responded.first()) {
      effects.metrics().routingFirstResponse(Duration.ofMillis(responded.firstResponseMillis()));
    } else if (event instanceof RoutingDesk.BandChanged changed && changed.userId() != null
        && Bands.HOT.equals(changed.band())) {
      // the SDR already holds the lead; now it is HOT, they hear at once (and by e-mail) with the tighter deadline
      notice(changed.leadId() + ":hot:" + changed.at().toEpochMilli(), List.of(changed.userId()), "lead.hot",
          "Your lead turned HOT", changed.firstResponseDue() == null ? "Answer it now."
              : "First response now due " + changed.firstResponseDue() + ".", changed.leadId(),
          Map.of("band", changed.band()), true, changed.at());
    } else if (event instanceof LeakageDetected leaked) {
      leakage(leaked);
    }
  }

  private void leakage(LeakageDetected leaked) {
    effects.metrics().routingLeakage(leaked.band(), leaked.kind());
    String id = leaked.leadId() + ":leak:" + leaked.at().toEpochMilli();
    boolean managers = !Bands.WARM.equals(leaked.band());
    List<String> to = managers ? List.of(leaked.userId(), Notice.MANAGERS) : List.of(leaked.userId());
    notice(id, to, "leakage.detected", leaked.band() + " lead " + leaked.kind() + " (" + leaked.action() + ")",
        "Lead " + leaked.kind() + " since " + leaked.since() + ".", leaked.leadId(),
        Map.of("kind", leaked.kind(), "action", leaked.action(), "band", leaked.band()),
        Bands.HOT.equals(leaked.band()), leaked.at());
    if ("re-engaged".equals(leaked.action())) {
      String messageId = "reengage-" + Math.abs((leaked.leadId() + leaked.at()).hashCode()) + "-"
          + leaked.at().toEpochMilli();
      context.pipeToSelf(effects.reengager().reengage(tenantId, leaked.leadId(), messageId, leaked.language()),
          (decision, failure) -> new RoutingDesk.EffectDone("re-engage " + leaked.leadId(),
              failure == null ? decision : failure.toString()));
    } else if ("escalated".equals(leaked.action())) {
      context.pipeToSelf(effects.auditor().audit(tenantId, "system:routing", "lead.leakage-escalated",
              "lead:" + leaked.leadId(), Map.of("kind", leaked.kind(), "sdr", leaked.userId(), "band", leaked.band())),
          (done, failure) -> new RoutingDesk.EffectDone("audit", failure == null ? "ok" : failure.toString()));
    }
  }

  private void notice(String noticeId, List<String> recipients, String kind, String title, String body, String leadId,
      Map<String, String> data, boolean email, Instant at) {
    context.pipeToSelf(effects.notifier().notify(new Notice(noticeId, tenantId, recipients, kind, title, body, leadId,
            data, email, at)),
        (done, failure) -> new RoutingDesk.EffectDone("notify " + kind, failure == null ? "ok" : failure.toString()));
  }
}
