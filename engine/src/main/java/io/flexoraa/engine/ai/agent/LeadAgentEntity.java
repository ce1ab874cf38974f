package io.flexoraa.engine.ai.agent;

import io.flexoraa.engine.ai.AiOperations;
import io.flexoraa.engine.ai.agent.AgentState.ReplyPlan;
import io.flexoraa.engine.ai.agent.LeadAgent.Analyzed;
import io.flexoraa.engine.ai.agent.LeadAgent.BurstQuiet;
import io.flexoraa.engine.ai.agent.LeadAgent.Charged;
import io.flexoraa.engine.ai.agent.LeadAgent.Command;
import io.flexoraa.engine.ai.agent.LeadAgent.Composed;
import io.flexoraa.engine.ai.agent.LeadAgent.Event;
import io.flexoraa.engine.ai.agent.LeadAgent.GetAgent;
import io.flexoraa.engine.ai.agent.LeadAgent.Handed;
import io.flexoraa.engine.ai.agent.LeadAgent.Inbound;
import io.flexoraa.engine.ai.agent.LeadAgent.InboundNoted;
import io.flexoraa.engine.ai.agent.LeadAgent.LeadEscalated;
import io.flexoraa.engine.ai.agent.LeadAgent.LeadScored;
import io.flexoraa.engine.ai.agent.LeadAgent.ReplyComposed;
import io.flexoraa.engine.ai.agent.LeadAgent.ReplyHanded;
import io.flexoraa.engine.ai.agent.LeadAgent.ReviewTaskOpened;
import io.flexoraa.engine.lead.LeadEntity;
import io.flexoraa.engine.ports.EngineMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
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
 * The AI agent of one lead, sharded by {@code tenantId:leadId} (docs/decisions/0024-the-lead-agent.md). It takes the
 * lead's stored messages from the AI work queue one at a time: note (durable), debit and analyse, persist the
 * analysis with the score, escalation and review task it leads to, and — once the lead has been quiet for a moment
 * — write one reply for the burst, persist it and hand it to the outbound flow (the compliance gate and the sender).
 *
 * <p>Every slow step runs off the entity's thread and comes back as a command; at most one analysis and one reply
 * are in flight. What is in flight is not persisted, what it produced is: after a restart the entity resumes from
 * its events — noted messages are analysed, a written reply not yet handed over is handed over (the outbound flow
 * is idempotent on the reply id).
 */
public final class LeadAgentEntity extends EventSourcedBehavior<Command, Event, AgentState> {

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "LeadAgent");
  private static final String BURST_TIMER = "burst";

  private final String entityId;
  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final AgentWork work;
  private final AgentSettings settings;
  private final AgentState.Rules rules;
  private final EngineMetrics metrics;
  private final Clock clock;
  /** The message being analysed, or null. */
  private String analyzing;
  /** The reply being written or handed over, or null. */
  private String replying;
  /** The plan of the reply being written. */
  private ReplyPlan planned;

  private LeadAgentEntity(
      String entityId, ActorContext<Command> context, TimerScheduler<Command> timers, AgentWork work,
      AgentSettings settings, EngineMetrics metrics, Clock clock) {
    super(PersistenceId.of(TYPE_KEY.name(), entityId),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.1));
    this.entityId = entityId;
    this.context = context;
    this.timers = timers;
    this.work = work;
    this.settings = settings;
    this.rules = new AgentState.Rules(new LeadScoring(settings.scoring()), settings.confidenceFloor());
    this.metrics = metrics;
    this.clock = clock;
  }

  public static Behavior<Command> create(
      String entityId, AgentWork work, AgentSettings settings, EngineMetrics metrics, Clock clock) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers ->
        new LeadAgentEntity(entityId, context, timers, work, settings, metrics, clock)));
  }

  public static void init(
      ActorSystem<?> system, AgentWork work, AgentSettings settings, EngineMetrics metrics, Clock clock) {
    ClusterSharding.get(system).init(Entity.of(TYPE_KEY,
        entityContext -> create(entityContext.getEntityId(), work, settings, metrics, clock)));
  }

  /** The same key as the lead's: one agent per lead. */
  public static String entityId(String tenantId, String leadId) {
    return LeadEntity.entityId(tenantId, leadId);
  }

  public static String tagFor(String entityId, int tagSlices) {
    return io.flexoraa.engine.TagSlices.tagFor("agent", entityId, tagSlices);
  }

  public static List<String> allTags(int tagSlices) {
    return io.flexoraa.engine.TagSlices.all("agent", tagSlices);
  }

  @Override
  public AgentState emptyState() {
    return AgentState.empty();
  }

  @Override
  public Set<String> tagsFor(Event event) {
    return Set.of(tagFor(entityId, settings.tagSlices()));
  }

  @Override
  public SignalHandler<AgentState> signalHandler() {
    return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), this::pump).build();
  }

  @Override
  public CommandHandler<Command, Event, AgentState> commandHandler() {
    return newCommandHandlerBuilder()
        .forAnyState()
        .onCommand(Inbound.class, this::onInbound)
        .onCommand(LeadAgent.Wake.class, (state, command) -> {
          pump(state);
          return Effect().none();
        })
        .onCommand(GetAgent.class, (state, command) -> Effect().reply(command.replyTo(), state.view()))
        .onCommand(LeadAgent.TakeOver.class, (state, command) -> handling(command.replyTo(),
            state.decideTakeover(command.tenantId(), command.leadId(), command.userId(), clock.instant())))
        .onCommand(LeadAgent.HandBack.class, (state, command) -> handling(command.replyTo(),
            state.decideHandBack(command.tenantId(), command.leadId(), command.userId(), clock.instant())))
        .onCommand(Analyzed.class, this::onAnalyzed)
        .onCommand(BurstQuiet.class, (state, command) -> {
          if (command.burstSeq() == state.burstSeq()) startReply(state);
          return Effect().none();
        })
        .onCommand(Composed.class, this::onComposed)
        .onCommand(Handed.class, this::onHanded)
        .onCommand(Charged.class, (state, command) -> {
          if (!"debited".equals(command.outcome())) {
            context.getLog().info("AI charge {} not debited: {}", command.operation(), command.outcome());
          }
          return Effect().none();
        })
        .build();
  }

  @Override
  public EventHandler<AgentState, Event> eventHandler() {
    return (state, event) -> state.apply(event);
  }

  private Effect<Event, AgentState> onInbound(AgentState state, Inbound inbound) {
    if (state.knows(inbound.messageId())) return Effect().none();
    return Effect().persist(state.noteInbound(inbound, clock.instant())).thenRun(this::pump);
  }

  /** Persists a takeover or hand-back if one is due and answers with who handles the lead now. */
  private Effect<Event, AgentState> handling(
      ActorRef<LeadAgent.Handling> replyTo, Optional<? extends Event> event) {
    if (event.isEmpty()) {
      return Effect().none().thenRun(state -> replyTo.tell(new LeadAgent.Handling(false, state.view())));
    }
    return Effect().persist(event.get()).thenRun(state -> {
      replyTo.tell(new LeadAgent.Handling(true, state.view()));
      pump(state);
    });
  }

  private Effect<Event, AgentState> onAnalyzed(AgentState state, Analyzed analyzed) {
    analyzing = null;
    Instant now = clock.instant();
    if (analyzed.skipReason() != null) {
      metrics.aiAnalysis("skipped:" + analyzed.skipReason(), Duration.ZERO);
      return Effect().persist(state.skip(analyzed.messageId(), analyzed.skipReason(), now)).thenRun(this::pump);
    }
    List<Event> events = state.decideAnalysis(analyzed.messageId(), analyzed.result(), rules, now);
    metrics.aiAnalysis(analyzed.result().analysis().provider(), Duration.ofMillis(analyzed.result().latencyMillis()));
    return Effect().persist(events).thenRun(updated -> {
      for (Event event : events) charge(updated, event);
      pump(updated);
    });
  }

  private Effect<Event, AgentState> onComposed(AgentState state, Composed composed) {
    ReplyPlan plan = planned;
    planned = null;
    Instant now = clock.instant();
    if (plan == null || !plan.replyId().equals(composed.replyId())) {
      replying = null;
      return Effect().none();
    }
    if (composed.failure() != null) {
      replying = null;
      metrics.aiReply(plan.kind().name().toLowerCase(), "failed:" + composed.failure(), null);
      return Effect().persist(state.failReply(plan.replyId(), composed.failure(), now)).thenRun(this::pump);
    }
    var result = composed.result();
    var draft = result.draft();
    ReplyComposed event = new ReplyComposed(state.tenantId(), state.leadId(), plan.replyId(), plan.kind(),
        plan.slot(), plan.band(), plan.channel(), plan.burst(), plan.burstLastReceivedAt(), result.textEnc(),
        draft.language(), draft.source(), draft.provider(), draft.model(), draft.strategy(), result.ledgerEntryId(),
        now);
    return Effect().persist(event).thenRun(updated -> hand(updated.pendingReply()));
  }

  private Effect<Event, AgentState> onHanded(AgentState state, Handed handed) {
    replying = null;
    ReplyComposed pending = state.pendingReply();
    if (pending == null || !pending.replyId().equals(handed.replyId())) return Effect().none();
    Instant now = clock.instant();
    if (handed.failure() != null) {
      metrics.aiReply(pending.kind().name().toLowerCase(), "failed:" + handed.failure(), null);
      return Effect().persist(state.failReply(pending.replyId(), handed.failure(), now)).thenRun(this::pump);
    }
    var result = handed.result();
    // conservative: up to the outbound flow's answer (the gate decided and the sender took it), not its start
    long latency = pending.burstLastReceivedAt() == null ? 0
        : Math.max(0, Duration.between(pending.burstLastReceivedAt(), now).toMillis());
    metrics.aiReply(pending.kind().name().toLowerCase(), result.decision(), Duration.ofMillis(latency));
    return Effect().persist(new ReplyHanded(state.tenantId(), state.leadId(), pending.replyId(), result.decision(),
        result.rule(), result.platformMessageId(), result.outcome(), latency, now)).thenRun(this::pump);
  }

  /** Starts what can start now: the next analysis, a reply waiting to be handed over, or the burst's quiet timer. */
  private void pump(AgentState state) {
    if (!state.exists()) return;
    if (analyzing == null && state.hasPending()) {
      InboundNoted next = state.nextPending().orElseThrow();
      analyzing = next.messageId();
      timers.cancel(BURST_TIMER);
      context.pipeToSelf(work.analyze(state.tenantId(), state.leadId(), next), (result, failure) ->
          failure == null ? new Analyzed(next.messageId(), result, null)
              : new Analyzed(next.messageId(), null, skipReason(failure)));
      return;
    }
    if (analyzing != null || replying != null) return;
    if (state.pendingReply() != null) {
      hand(state.pendingReply());
      return;
    }
    if (!state.burstOpen() || state.hasPending()) return;
    Instant now = clock.instant();
    Instant quietEnds = now.plus(settings.burstQuiet());
    Instant latest = state.burstStartedAt().map(start -> start.plus(settings.burstMaxWait())).orElse(now);
    Instant due = quietEnds.isBefore(latest) ? quietEnds : latest;
    if (!due.isAfter(now)) {
      startReply(state);
    } else {
      timers.startSingleTimer(BURST_TIMER, new BurstQuiet(state.burstSeq()), Duration.between(now, due));
    }
  }

  private void startReply(AgentState state) {
    if (analyzing != null || replying != null) return;
    var plan = state.decideReply();
    if (plan.isEmpty()) return;
    planned = plan.get();
    replying = planned.replyId();
    String replyId = planned.replyId();
    context.pipeToSelf(
        work.compose(state.tenantId(), state.leadId(), planned, state.language(), state.hinglish()),
        (result, failure) -> failure == null ? new Composed(replyId, result, null)
            : new Composed(replyId, null, skipReason(failure)));
  }

  private void hand(ReplyComposed composed) {
    if (composed == null) return;
    replying = composed.replyId();
    Instant handedAt = clock.instant();
    context.pipeToSelf(work.hand(composed), (result, failure) -> failure == null
        ? new Handed(composed.replyId(), result, null, handedAt)
        : new Handed(composed.replyId(), null, skipReason(failure), handedAt));
  }

  /** Debits what a decision costs as it happens: scoring, the escalation decision, the review task. */
  private void charge(AgentState state, Event event) {
    String operation;
    String reference;
    if (event instanceof LeadScored scored) {
      operation = AiOperations.SCORING;
      reference = "ai:" + state.leadId() + ":" + scored.messageId() + ":scoring";
    } else if (event instanceof LeadEscalated escalated) {
      operation = AiOperations.ESCALATION_DECISION;
      reference = "ai:" + state.leadId() + ":" + escalated.messageId() + ":escalation";
    } else if (event instanceof ReviewTaskOpened task) {
      operation = AiOperations.HUMAN_HIGH_RISK_REVIEW;
      reference = "ai:" + state.leadId() + ":" + task.taskId();
    } else {
      return;
    }
    context.pipeToSelf(work.charge(state.tenantId(), state.leadId(), operation, reference),
        (outcome, failure) -> new Charged(operation, failure == null ? outcome : "unknown"));
  }

  private String skipReason(Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
    if (cause instanceof AgentWork.Skip skip) return skip.reason();
    // the outbound flow cannot take the reply: no identity or account on that channel, or the lead is gone
    if (cause instanceof io.flexoraa.engine.outbound.OutboundService.Refused) return "refused";
    context.getLog().warn("AI step failed for {}: {}", entityId, cause.toString());
    return "error:" + cause.getClass().getSimpleName();
  }
}
