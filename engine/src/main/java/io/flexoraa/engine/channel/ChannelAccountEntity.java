package io.flexoraa.engine.channel;

import com.typesafe.config.Config;
import io.flexoraa.engine.channel.ChannelAccount.Command;
import io.flexoraa.engine.channel.ChannelAccount.Event;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
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

/** The sharded, event-sourced home of one {@link ChannelAccount}, keyed by {@code tenantId:channel:externalId}. */
public final class ChannelAccountEntity extends EventSourcedBehaviorWithEnforcedReplies<Command, Event, ChannelAccount> {

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "ChannelAccount");

  private final Clock clock;
  private final int snapshotEvery;
  private final int historyPerField;

  private ChannelAccountEntity(String entityId, Clock clock, int snapshotEvery, int historyPerField) {
    super(
        PersistenceId.of(TYPE_KEY.name(), entityId),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.1));
    this.clock = clock;
    this.snapshotEvery = snapshotEvery;
    this.historyPerField = historyPerField;
  }

  public static Behavior<Command> create(String entityId, Clock clock, int snapshotEvery, int historyPerField) {
    return new ChannelAccountEntity(entityId, clock, snapshotEvery, historyPerField);
  }

  public static void init(ActorSystem<?> system, Config config, Clock clock) {
    Config settings = config.getConfig("flexoraa.channel-account");
    int snapshotEvery = settings.getInt("snapshot-every");
    int history = settings.getInt("history-per-field");
    ClusterSharding.get(system)
        .init(Entity.of(TYPE_KEY, context -> create(context.getEntityId(), clock, snapshotEvery, history)));
  }

  public static String entityId(String tenantId, String channel, String externalId) {
    return tenantId + ":" + channel + ":" + externalId;
  }

  @Override
  public ChannelAccount emptyState() {
    return ChannelAccount.empty();
  }

  @Override
  public CommandHandlerWithReply<Command, Event, ChannelAccount> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(ChannelAccount.Register.class, this::onRegister)
        .onCommand(ChannelAccount.RecordPlatformUpdates.class, this::onRecord)
        .onCommand(ChannelAccount.Get.class, (state, command) -> Effect().reply(command.replyTo(), state.view()))
        .build();
  }

  private ReplyEffect<Event, ChannelAccount> onRegister(ChannelAccount state, ChannelAccount.Register command) {
    List<Event> events;
    try {
      events = state.decideRegister(command, clock);
    } catch (IllegalStateException rejected) {
      return Effect().reply(command.replyTo(), StatusReply.error(rejected.getMessage()));
    }
    return Effect().persist(events).thenReply(command.replyTo(), updated -> StatusReply.success(updated.view()));
  }

  private ReplyEffect<Event, ChannelAccount> onRecord(ChannelAccount state, ChannelAccount.RecordPlatformUpdates command) {
    List<Event> events = state.decideRecord(command, clock);
    int recorded = (int) events.stream().filter(event -> event instanceof ChannelAccount.PlatformUpdateRecorded).count();
    return Effect().persist(events).thenReply(command.replyTo(), updated -> StatusReply.success(recorded));
  }

  @Override
  public EventHandler<ChannelAccount, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent((state, event) -> state.apply(event, historyPerField));
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(snapshotEvery, 2);
  }
}
