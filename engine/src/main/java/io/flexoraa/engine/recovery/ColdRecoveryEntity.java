package io.flexoraa.engine.recovery;

import io.flexoraa.engine.lead.LeadEntity;
import io.flexoraa.engine.outbound.OutboundService;
import io.flexoraa.engine.ports.EngineMetrics;
import io.flexoraa.engine.recovery.ColdRecovery.AssigneeChecked;
import io.flexoraa.engine.recovery.ColdRecovery.Charged;
import io.flexoraa.engine.recovery.ColdRecovery.Command;
import io.flexoraa.engine.recovery.ColdRecovery.Event;
import io.flexoraa.engine.recovery.ColdRecovery.Handed;
import io.flexoraa.engine.recovery.ColdRecovery.Observe;
import io.flexoraa.engine.recovery.ColdRecovery.Routed;
import io.flexoraa.engine.recovery.ColdRecovery.Scored;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
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
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * One lead's cold recovery, sharded by {@code tenantId:leadId} (docs/decisions/0031-cold-recovery.md). The rules
 * are {@link RecoveryState}'s; this entity persists what they decide, keeps one keyed timer on the next deadline
 * (re-armed from its events after a restart; the keeper wakes it when it was not running), and runs a step's slow
 * work ({@link RecoveryWork}) off its thread: debit first (persisted, so a restart never debits twice), then the
 * hand-over to the outbound flow, which is idempotent on the step's message id.
 */
public final class ColdRecoveryEntity extends EventSourcedBehavior<Command, Event, RecoveryState> {

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "ColdRecovery");
  private static final String DEADLINE = "deadline";

  private final String entityId;
  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final RecoveryWork work;
  private final RecoverySettings settings;
  private final EngineMetrics metrics;
  private final Clock clock;
  /** Whether a step's debit or hand-over, or routing after a lapse, is in flight (not persisted). */
  private boolean busy;

  private ColdRecoveryEntity(String entityId, ActorContext<Command> context, TimerScheduler<Command> timers,
      RecoveryWork work, RecoverySettings settings, EngineMetrics metrics, Clock clock) {
    super(PersistenceId.of(TYPE_KEY.name(), entityId),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.1));
    this.entityId = entityId;
    this.context = context;
    this.timers = timers;
    this.work = work;
    this.settings = settings;
    this.metrics = metrics;
    this.clock = clock;
  }

  public static Behavior<Command> create(
      String entityId, RecoveryWork work, RecoverySettings settings, EngineMetrics metrics, Clock clock) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers ->
        new ColdRecoveryEntity(entityId, context, timers, work, settings, metrics, clock)));
  }

  public static void init(
      ActorSystem<?> system, RecoveryWork work, RecoverySettings settings, EngineMetrics metrics, Clock clock) {
    ClusterSharding.get(system).init(Entity.of(TYPE_KEY,
        entityContext -> create(entityContext.getEntityId(), work, settings, metrics, clock)));
  }

  /** The same key as the lead's: one recovery per lead. */
  public static String entityId(String tenantId, String leadId) {
    return LeadEntity.entityId(tenantId, leadId);
  }

  public static String tagFor(String entityId, int tagSlices) {
    return io.flexoraa.engine.TagSlices.tagFor("recovery", entityId, tagSlices);
  }

  public static List<String> allTags(int tagSlices) {
    return io.flexoraa.engine.TagSlices.all("recovery", tagSlices);
  }

  @Override
  public RecoveryState emptyState() {
    return RecoveryState.empty();
  }

  @Override
  public Set<String> tagsFor(Event event) {
    return Set.of(tagFor(entityId, settings.tagSlices()));
  }

  @Override
  public SignalHandler<RecoveryState> signalHandler() {
    return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), this::act).build();
  }

  @Override
  public EventHandler<RecoveryState, Event> eventHandler() {
    return (state, event) -> state.apply(event);
  }

  @Override
  public CommandHandler<Command, Event, RecoveryState> commandHandler() {
    return newCommandHandlerBuilder()
        .forAnyState()
        .onCommand(Observe.class, this::onObserve)
        .onCommand(AssigneeChecked.class, this::onAssigneeChecked)
        .onCommand(ColdRecovery.Wake.class, (state, wake) -> {
          act(state);
          return Effect().none();
        })
        .onCommand(ColdRecovery.Get.class, (state, get) -> Effect().reply(get.replyTo(), state))
        .onCommand(Charged.class, this::onCharged)
        .onCommand(Handed.class, this::onHanded)
        .onCommand(Routed.class, this::onRouted)
        .onCommand(ColdRecovery.Lapse.class, (state, lapse) -> persist(state.lapse(clock.instant()), null))
        .build();
  }

  private Effect<Event, RecoveryState> onObserve(RecoveryState state, Observe observe) {
    Instant now = clock.instant();
    if (observe.signal() instanceof Scored scored && "COLD".equalsIgnoreCase(scored.band())) {
      if (state.whyNotStart(scored, settings, now) != null) return Effect().reply(observe.replyTo(), Done.getInstance());
      // a lead a person works is theirs: routing says whether one has it
      context.pipeToSelf(work.assignee(scored.tenantId(), scored.leadId()), (assignee, failure) ->
          new AssigneeChecked(scored, failure == null && assignee.isPresent(), failure == null ? null : "failed",
              observe.replyTo()));
      return Effect().none();
    }
    return persist(state.observe(observe.signal(), now), observe.replyTo());
  }

  private Effect<Event, RecoveryState> onAssigneeChecked(RecoveryState state, AssigneeChecked checked) {
    if (checked.failure() != null) {
      // not acknowledged: the feed offers the score again
      context.getLog().warn("Could not ask routing about {}; the score will be offered again", entityId);
      return Effect().none();
    }
    return persist(state.start(checked.scored(), checked.assigned(), settings, clock.instant()), checked.replyTo());
  }

  private Effect<Event, RecoveryState> onCharged(RecoveryState state, Charged charged) {
    busy = false;
    if (charged.failure() != null || charged.sequence() != state.sequence()) return retryLater(state);
    return persist(state.charged(charged.step(), charged.outcome(), clock.instant()), null);
  }

  private Effect<Event, RecoveryState> onHanded(RecoveryState state, Handed handed) {
    busy = false;
    if (handed.sequence() != state.sequence()) return retryLater(state);
    Instant now = clock.instant();
    if (handed.refusal() != null) return persist(state.skipped(handed.step(), handed.refusal(), now), null);
    if (handed.failure() != null) return retryLater(state);
    return persist(state.sent(handed.step(), handed.sent(), now), null);
  }

  private Effect<Event, RecoveryState> onRouted(RecoveryState state, Routed routed) {
    busy = false;
    if (routed.failure() != null) return retryLater(state);
    return persist(state.routedAfterLapse(routed.sequence(), clock.instant()), null);
  }

  /** A failed step or routing call is tried again at the keeper's next wake. */
  private Effect<Event, RecoveryState> retryLater(RecoveryState state) {
    timers.startSingleTimer(DEADLINE, new ColdRecovery.Wake(), settings.keeperInterval());
    return Effect().none();
  }

  private Effect<Event, RecoveryState> persist(List<Event> events, ActorRef<Done> replyTo) {
    if (events.isEmpty()) {
      if (replyTo != null) replyTo.tell(Done.getInstance());
      return Effect().none();
    }
    return Effect().persist(events).thenRun(updated -> {
      for (Event event : events) count(event);
      if (replyTo != null) replyTo.tell(Done.getInstance());
      act(updated);
    });
  }

  private void count(Event event) {
    if (event instanceof ColdRecovery.RecoveryStarted) metrics.coldRecovery("started");
    else if (event instanceof ColdRecovery.RecoveryReplied) metrics.coldRecovery("replied");
    else if (event instanceof ColdRecovery.RecoveryLapsed) metrics.coldRecovery("lapsed");
    else if (event instanceof ColdRecovery.RecoveryStopped) metrics.coldRecovery("stopped");
    else if (event instanceof ColdRecovery.StepSent) metrics.coldRecovery("step-sent");
    else if (event instanceof ColdRecovery.StepSkipped) metrics.coldRecovery("step-skipped");
  }

  /** Does what is due now and arms the timer on the next deadline. */
  private void act(RecoveryState state) {
    if (busy) return;
    Instant now = clock.instant();
    switch (state.due(now)) {
      case STEP -> {
        busy = true;
        int sequence = state.sequence();
        int step = state.nextStep();
        if (!state.charged()) {
          context.pipeToSelf(work.charge(state.tenantId(), state.leadId(), state.reference(step)),
              (outcome, failure) -> new Charged(sequence, step, outcome, failure == null ? null : reason(failure)));
        } else {
          context.pipeToSelf(work.send(state, step), (sent, failure) -> failure == null
              ? new Handed(sequence, step, sent, null, null)
              : unwrap(failure) instanceof OutboundService.Refused refused
                  ? new Handed(sequence, step, null, refused.notFound() ? "lead-gone" : "unreachable", null)
                  : new Handed(sequence, step, null, null, reason(failure)));
        }
      }
      case LAPSE -> context.getSelf().tell(new ColdRecovery.Lapse());
      case ROUTE -> {
        busy = true;
        int sequence = state.sequence();
        context.pipeToSelf(work.routeToJuniors(state.tenantId(), state.leadId()),
            (done, failure) -> new Routed(sequence, failure == null ? null : reason(failure)));
      }
      case NOTHING -> {
        Instant deadline = state.nextDeadline();
        if (deadline == null) {
          timers.cancel(DEADLINE);
        } else {
          timers.startSingleTimer(DEADLINE, new ColdRecovery.Wake(), Duration.between(now, deadline));
        }
      }
    }
  }

  private static Throwable unwrap(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
  }

  private String reason(Throwable failure) {
    Throwable cause = unwrap(failure);
    context.getLog().warn("Cold recovery step failed for {}: {}", entityId, cause.toString());
    return cause.getClass().getSimpleName();
  }
}
