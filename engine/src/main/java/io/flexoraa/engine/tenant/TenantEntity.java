package io.flexoraa.engine.tenant;

import com.typesafe.config.Config;
import io.flexoraa.engine.tenant.Tenant.Command;
import io.flexoraa.engine.tenant.Tenant.Decision;
import io.flexoraa.engine.tenant.Tenant.Event;
import java.time.Clock;
import java.time.Duration;
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

/** The sharded, event-sourced home of one {@link Tenant}, keyed by tenant id. */
public final class TenantEntity extends EventSourcedBehaviorWithEnforcedReplies<Command, Event, Tenant> {

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "Tenant");

  private final Clock clock;
  private final int snapshotEvery;

  private TenantEntity(String tenantId, Clock clock, int snapshotEvery) {
    super(
        PersistenceId.of(TYPE_KEY.name(), tenantId),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.1));
    this.clock = clock;
    this.snapshotEvery = snapshotEvery;
  }

  public static Behavior<Command> create(String tenantId, Clock clock, int snapshotEvery) {
    return new TenantEntity(tenantId, clock, snapshotEvery);
  }

  public static void init(ActorSystem<?> system, Config config, Clock clock) {
    int snapshotEvery = config.getInt("flexoraa.tenant.snapshot-every");
    ClusterSharding.get(system)
        .init(Entity.of(TYPE_KEY, context -> create(context.getEntityId(), clock, snapshotEvery)));
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
            persistOrReject(state.decideCreate(command, clock), command.replyTo(), Tenant::view))
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
        .build();
  }

  private <E extends Event, R> ReplyEffect<Event, Tenant> persistOrReject(
      Decision<E> decision, ActorRef<StatusReply<R>> replyTo, java.util.function.Function<Tenant, R> reply) {
    if (decision.event().isEmpty()) {
      return Effect().reply(replyTo, StatusReply.error(decision.rejection()));
    }
    return Effect().persist((Event) decision.event().get())
        .thenReply(replyTo, updated -> StatusReply.success(reply.apply(updated)));
  }

  @Override
  public EventHandler<Tenant, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(Tenant::apply);
  }

  /** Tenant events feed the audit trail (key creation and revocation), read by one projection. */
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
