package io.flexoraa.engine.tenant;

import com.typesafe.config.Config;
import io.flexoraa.engine.ports.EngineMetrics;
import io.flexoraa.engine.tenant.Tenant.Command;
import io.flexoraa.engine.tenant.Tenant.Decision;
import io.flexoraa.engine.tenant.Tenant.Event;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * The sharded, event-sourced home of one {@link Tenant}, keyed by tenant id: its profile and keys, and its token
 * account. Token debits come in batches ({@link Tokens.DebitBatch}, from each node's {@link TokenDebits}): the whole
 * batch is decided in order on the running balance and persisted as one event, then every request is answered in
 * one reply. This adapter only persists what {@link Tenant} and {@link TokenAccount} decide.
 */
public final class TenantEntity extends EventSourcedBehaviorWithEnforcedReplies<Command, Event, Tenant> {

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "Tenant");

  private final Clock clock;
  private final int snapshotEvery;
  private final Billing billing;
  private final AbuseGuard.Settings guard;
  private final EngineMetrics metrics;

  private TenantEntity(
      String tenantId, Clock clock, int snapshotEvery, Billing billing, AbuseGuard.Settings guard,
      EngineMetrics metrics) {
    super(
        PersistenceId.of(TYPE_KEY.name(), tenantId),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.1));
    this.clock = clock;
    this.snapshotEvery = snapshotEvery;
    this.billing = billing;
    this.guard = guard;
    this.metrics = metrics;
  }

  /** A tenant whose abuse rules never fire (tests of the token rules). */
  public static Behavior<Command> create(String tenantId, Clock clock, int snapshotEvery, Billing billing) {
    return create(tenantId, clock, snapshotEvery, billing, AbuseGuard.Settings.NEVER, EngineMetrics.NONE);
  }

  public static Behavior<Command> create(
      String tenantId, Clock clock, int snapshotEvery, Billing billing, AbuseGuard.Settings guard,
      EngineMetrics metrics) {
    return new TenantEntity(tenantId, clock, snapshotEvery, billing, guard, metrics);
  }

  public static void init(ActorSystem<?> system, Config config, Clock clock) {
    init(system, config, clock, EngineMetrics.NONE);
  }

  public static void init(ActorSystem<?> system, Config config, Clock clock, EngineMetrics metrics) {
    int snapshotEvery = config.getInt("flexoraa.tenant.snapshot-every");
    Billing billing = Billing.fromConfig(config);
    AbuseGuard.Settings guard = AbuseGuard.Settings.fromConfig(config);
    ClusterSharding.get(system).init(Entity.of(TYPE_KEY, context ->
        create(context.getEntityId(), clock, snapshotEvery, billing, guard, metrics)));
  }

  @Override
  public Tenant emptyState() {
    return Tenant.empty();
  }

  @Override
  public CommandHandlerWithReply<Command, Event, Tenant> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Tenant.Create.class, (state, command) ->
            persistOrReject(state.decideCreate(command, billing, clock), command.replyTo(), Tenant::view))
        .onCommand(Tenant.CreateApiKey.class, (state, command) ->
            persistOrReject(state.decideCreateApiKey(command, clock), command.replyTo(), updated -> Done.getInstance()))
        .onCommand(Tenant.RevokeApiKey.class, (state, command) ->
            persistOrReject(state.decideRevoke(command, clock), command.replyTo(), updated -> Done.getInstance()))
        .onCommand(Tenant.Get.class, (state, command) ->
            Effect().reply(command.replyTo(), new Tenant.Lookup(state.exists() ? state.view() : null)))
        .onCommand(Tenant.Authenticate.class, (state, command) ->
            Effect().reply(command.replyTo(), state.authenticates(command.keyId(), command.secretHash())
                .map(role -> new Tenant.AuthenticationResult(true, role))
                .orElseGet(() -> new Tenant.AuthenticationResult(false, null))))
        .onCommand(Tenant.ListApiKeys.class, (state, command) ->
            Effect().reply(command.replyTo(), new Tenant.ApiKeys(state.keyViews())))
        .onCommand(Tokens.DebitBatch.class, this::onDebitBatch)
        .onCommand(Tokens.Debit.class, this::onDebit)
        .onCommand(Tokens.Credit.class, (state, command) ->
            persistCredit(state.decideCredit(command, billing, clock), command.replyTo()))
        .onCommand(Tokens.RenewPeriod.class, (state, command) ->
            persistCredit(state.decideRenewal(command, billing, clock), command.replyTo()))
        .onCommand(Tokens.GetTokens.class, (state, command) ->
            Effect().reply(command.replyTo(), state.tokenView(billing, clock)
                .map(StatusReply::success)
                .orElseGet(() -> StatusReply.error("unknown tenant"))))
        .onCommand(Abuse.RecordActivity.class, this::onActivity)
        .onCommand(Abuse.GetRestrictions.class, (state, command) -> Effect().reply(command.replyTo(),
            state.exists() ? state.abuse().restrictions(clock.instant(), guard) : Abuse.Restrictions.NONE))
        .onCommand(Abuse.ParkWork.class, (state, command) -> state.decidePark(command, clock)
            .<ReplyEffect<Event, Tenant>>map(parked -> Effect().persist(parked).thenReply(command.replyTo(),
                updated -> Boolean.TRUE))
            .orElseGet(() -> Effect().reply(command.replyTo(), Boolean.FALSE)))
        .onCommand(Abuse.Release.class, this::onRelease)
        .onCommand(Abuse.GetAbuse.class, (state, command) -> Effect().reply(command.replyTo(), state.exists()
            ? StatusReply.success(state.abuse().view(clock.instant(), guard))
            : StatusReply.error("unknown tenant")))
        .build();
  }

  private ReplyEffect<Event, Tenant> onActivity(Tenant state, Abuse.RecordActivity command) {
    List<Event> events = state.decideActivity(command, guard, clock);
    if (events.isEmpty()) return Effect().noReply();
    return Effect().persist(events).thenRun(updated -> countTriggers(events)).thenNoReply();
  }

  private ReplyEffect<Event, Tenant> onRelease(Tenant state, Abuse.Release command) {
    if (!state.exists()) return Effect().reply(command.replyTo(), StatusReply.error("unknown tenant"));
    List<Abuse.ParkedWork> parked = command.kind() == Abuse.Kind.INTAKE_SPIKE ? state.abuse().parked() : List.of();
    return state.decideRelease(command, clock)
        .<ReplyEffect<Event, Tenant>>map(released -> Effect().persist(released).thenReply(command.replyTo(),
            updated -> StatusReply.success(new Abuse.Released(command.kind(), true, parked))))
        .orElseGet(() -> Effect().reply(command.replyTo(),
            StatusReply.success(new Abuse.Released(command.kind(), false, List.of()))));
  }

  private void countTriggers(List<Event> events) {
    for (Event event : events) {
      if (event instanceof Abuse.AbuseTriggered triggered) metrics.abuseTriggered("tenant", triggered.kind().wireName());
    }
  }

  private ReplyEffect<Event, Tenant> onDebitBatch(Tenant state, Tokens.DebitBatch command) {
    TokenAccount.DebitDecision decision = state.decideDebits(command.requests(), billing, guard, clock);
    Tokens.DebitBatchResult result = new Tokens.DebitBatchResult(decision.outcomes());
    if (decision.events().isEmpty()) return Effect().reply(command.replyTo(), result);
    return Effect().persist(decision.events()).thenRun(updated -> countTriggers(decision.events()))
        .thenReply(command.replyTo(), updated -> result);
  }

  private ReplyEffect<Event, Tenant> onDebit(Tenant state, Tokens.Debit command) {
    TokenAccount.DebitDecision decision = state.decideDebits(List.of(command.request()), billing, guard, clock);
    Tokens.DebitOutcome outcome = decision.outcomes().get(0);
    if (decision.events().isEmpty()) return Effect().reply(command.replyTo(), outcome);
    return Effect().persist(decision.events()).thenRun(updated -> countTriggers(decision.events()))
        .thenReply(command.replyTo(), updated -> outcome);
  }

  private ReplyEffect<Event, Tenant> persistCredit(
      TokenAccount.CreditDecision decision, ActorRef<StatusReply<Tokens.Credited>> replyTo) {
    if (decision.rejection() != null) return Effect().reply(replyTo, StatusReply.error(decision.rejection()));
    StatusReply<Tokens.Credited> reply = StatusReply.success(decision.credited());
    if (decision.events().isEmpty()) return Effect().reply(replyTo, reply);
    return Effect().persist(decision.events()).thenReply(replyTo, updated -> reply);
  }

  private <R> ReplyEffect<Event, Tenant> persistOrReject(
      Decision decision, ActorRef<StatusReply<R>> replyTo, java.util.function.Function<Tenant, R> reply) {
    if (decision.rejected()) {
      return Effect().reply(replyTo, StatusReply.error(decision.rejection()));
    }
    return Effect().persist(decision.events())
        .thenReply(replyTo, updated -> StatusReply.success(reply.apply(updated)));
  }

  @Override
  public EventHandler<Tenant, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(Tenant::apply);
  }

  /**
   * Tenant events feed the audit trail (keys, credits, alerts, pauses) and the token ledger, each read by one
   * projection of this tag.
   */
  public static final String TAG = "tenant";

  @Override
  public java.util.Set<String> tagsFor(Event event) {
    return java.util.Set.of(TAG);
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(snapshotEvery, 2);
  }
}
