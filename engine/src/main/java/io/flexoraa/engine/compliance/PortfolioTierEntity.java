package io.flexoraa.engine.compliance;

import com.typesafe.config.Config;
import io.flexoraa.engine.compliance.PortfolioTier.Command;
import io.flexoraa.engine.compliance.PortfolioTier.Event;
import java.time.Clock;
import java.time.Duration;
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
 * The sharded home of one {@link PortfolioTier}, keyed by {@code tenantId:businessAccountId}: one entity per
 * portfolio serialises the unique-recipient count of all its numbers, so the tier is exact cluster-wide.
 */
public final class PortfolioTierEntity extends EventSourcedBehaviorWithEnforcedReplies<Command, Event, PortfolioTier> {

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "PortfolioTier");

  private final Clock clock;
  private final Duration window;
  private final int snapshotEvery;

  private PortfolioTierEntity(String entityId, Clock clock, Duration window, int snapshotEvery) {
    super(PersistenceId.of(TYPE_KEY.name(), entityId),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.1));
    this.clock = clock;
    this.window = window;
    this.snapshotEvery = snapshotEvery;
  }

  public static Behavior<Command> create(String entityId, Clock clock, Duration window, int snapshotEvery) {
    return new PortfolioTierEntity(entityId, clock, window, snapshotEvery);
  }

  public static void init(ActorSystem<?> system, Config config, Clock clock) {
    Duration window = config.getDuration("flexoraa.compliance.whatsapp.tier-window");
    int snapshotEvery = config.getInt("flexoraa.channel-account.snapshot-every");
    ClusterSharding.get(system).init(Entity.of(TYPE_KEY,
        context -> create(context.getEntityId(), clock, window, snapshotEvery)));
  }

  public static String entityId(String tenantId, String businessAccountId) {
    return tenantId + ":" + businessAccountId;
  }

  @Override
  public PortfolioTier emptyState() {
    return PortfolioTier.empty();
  }

  @Override
  public CommandHandlerWithReply<Command, Event, PortfolioTier> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(PortfolioTier.Reserve.class, this::onReserve)
        .onCommand(PortfolioTier.GetUsage.class, (state, command) -> Effect().reply(command.replyTo(),
            new PortfolioTier.TierAnswer(true, state.used(clock.instant(), window), command.limit(), null)))
        .build();
  }

  private ReplyEffect<Event, PortfolioTier> onReserve(PortfolioTier state, PortfolioTier.Reserve command) {
    if (state.tenantId() != null && !state.tenantId().equals(command.tenantId())) {
      return Effect().reply(command.replyTo(), StatusReply.error("portfolio belongs to another tenant"));
    }
    PortfolioTier.Decision decision = state.decide(command, clock.instant(), window);
    if (decision.event() == null) return Effect().reply(command.replyTo(), StatusReply.success(decision.answer()));
    return Effect().persist(decision.event())
        .thenReply(command.replyTo(), updated -> StatusReply.success(decision.answer()));
  }

  @Override
  public EventHandler<PortfolioTier, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent((state, event) -> state.apply(event, window));
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(snapshotEvery, 2);
  }
}
