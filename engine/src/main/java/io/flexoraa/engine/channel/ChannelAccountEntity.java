package io.flexoraa.engine.channel;

import com.typesafe.config.Config;
import io.flexoraa.engine.channel.ChannelAccount.Command;
import io.flexoraa.engine.channel.ChannelAccount.Event;
import io.flexoraa.engine.compliance.ComplianceSettings;
import io.flexoraa.engine.ports.MetaAccountProbe;
import io.flexoraa.engine.ports.MetaAccountProbe.AccountHealth;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * The sharded, event-sourced home of one {@link ChannelAccount}, keyed by {@code tenantId:channel:externalId}. One
 * entity per account serialises the compliance gate's decisions for that account, so its counters are exact
 * whatever the number of nodes and concurrent senders.
 *
 * <p>While the account is suspended a timer asks {@link MetaAccountProbe} at every recovery check (hourly for 48 h by
 * default); the timer is re-armed from the persisted suspension when the entity recovers. Sharding passivates idle
 * entities and a passivated entity's timers are gone, so while suspended the entity also sends itself a keep-alive
 * through its shard (which counts as activity) more often than the idle timeout.
 */
public final class ChannelAccountEntity extends EventSourcedBehaviorWithEnforcedReplies<Command, Event, ChannelAccount> {

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "ChannelAccount");
  /** Every event of every channel account, for the compliance read model. */
  public static final String TAG = "channel-account";
  private static final String CHECK_TIMER = "recovery-check";
  private static final String KEEP_ALIVE_TIMER = "keep-alive";

  /** {@code historyPerField}: platform updates kept per field in the state. */
  public record Settings(int snapshotEvery, int historyPerField, ComplianceSettings compliance) {
    public static Settings fromConfig(Config config) {
      Config settings = config.getConfig("flexoraa.channel-account");
      return new Settings(settings.getInt("snapshot-every"), settings.getInt("history-per-field"),
          ComplianceSettings.fromConfig(config));
    }
  }

  private final String entityId;
  private final Clock clock;
  private final Settings settings;
  private final AccountDecisions decisions;
  private final MetaAccountProbe probe;
  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final boolean sharded;

  private ChannelAccountEntity(String entityId, Clock clock, Settings settings, MetaAccountProbe probe,
      ActorContext<Command> context, TimerScheduler<Command> timers, boolean sharded) {
    super(
        PersistenceId.of(TYPE_KEY.name(), entityId),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.1));
    this.entityId = entityId;
    this.clock = clock;
    this.settings = settings;
    this.decisions = new AccountDecisions(settings.compliance());
    this.probe = probe;
    this.context = context;
    this.timers = timers;
    this.sharded = sharded;
  }

  /** {@code sharded}: keep-alives go through the shard (false in tests that run the entity on its own). */
  public static Behavior<Command> create(String entityId, Clock clock, Settings settings, MetaAccountProbe probe,
      boolean sharded) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers ->
        new ChannelAccountEntity(entityId, clock, settings, probe, context, timers, sharded)));
  }

  public static void init(ActorSystem<?> system, Config config, Clock clock, MetaAccountProbe probe) {
    Settings settings = Settings.fromConfig(config);
    ClusterSharding.get(system)
        .init(Entity.of(TYPE_KEY, context -> create(context.getEntityId(), clock, settings, probe, true)));
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
        .onCommand(ChannelAccount.GetCompliance.class,
            (state, command) -> Effect().reply(command.replyTo(), state.complianceView()))
        .onCommand(ChannelAccount.Decide.class, this::onDecide)
        .onCommand(ChannelAccount.DeferForTier.class, this::onDeferForTier)
        .onCommand(ChannelAccount.RecordOutcome.class, this::onRecordOutcome)
        .onCommand(ChannelAccount.RegisterTemplate.class, this::onRegisterTemplate)
        .onCommand(ChannelAccount.CheckRecovery.class, this::onCheckRecovery)
        .onCommand(ChannelAccount.RecoveryProbed.class, this::onRecoveryProbed)
        .onCommand(ChannelAccount.KeepAlive.class, this::onKeepAlive)
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
    List<Event> recorded = state.decideRecord(command, clock);
    List<ChannelAccount.PlatformUpdateRecorded> updates = recorded.stream()
        .filter(event -> event instanceof ChannelAccount.PlatformUpdateRecorded)
        .map(event -> (ChannelAccount.PlatformUpdateRecorded) event).toList();
    ChannelAccount registered = state;
    for (Event event : recorded) {
      if (event instanceof ChannelAccount.Registered) registered = registered.apply(event, settings.historyPerField(), decisions);
    }
    List<Event> events = new java.util.ArrayList<>(recorded);
    events.addAll(decisions.interpret(registered, updates, clock.instant()));
    return Effect().persist(events)
        .thenRun(this::armRecoveryCheck)
        .thenReply(command.replyTo(), updated -> StatusReply.success(updates.size()));
  }

  private ReplyEffect<Event, ChannelAccount> onDecide(ChannelAccount state, ChannelAccount.Decide command) {
    AccountDecisions.Decision decision;
    try {
      decision = decisions.decide(state, command.request(), clock.instant());
    } catch (AccountDecisions.Refused refused) {
      return Effect().reply(command.replyTo(), StatusReply.error(refused.getMessage()));
    }
    return Effect().persist(decision.events()).thenReply(command.replyTo(), updated -> StatusReply.success(decision.reply()));
  }

  private ReplyEffect<Event, ChannelAccount> onDeferForTier(ChannelAccount state, ChannelAccount.DeferForTier command) {
    AccountDecisions.Decision decision;
    try {
      decision = decisions.deferForTier(state, command.messageId(), command.notBefore(), clock.instant());
    } catch (AccountDecisions.Refused refused) {
      return Effect().reply(command.replyTo(), StatusReply.error(refused.getMessage()));
    }
    return Effect().persist(decision.events())
        .thenReply(command.replyTo(), updated -> StatusReply.success(decision.reply().decision()));
  }

  private ReplyEffect<Event, ChannelAccount> onRecordOutcome(ChannelAccount state, ChannelAccount.RecordOutcome command) {
    try {
      List<Event> events = decisions.recordOutcome(state, command, clock.instant());
      return Effect().persist(events).thenReply(command.replyTo(), updated -> StatusReply.success(Done.getInstance()));
    } catch (AccountDecisions.Refused refused) {
      return Effect().reply(command.replyTo(), StatusReply.error(refused.getMessage()));
    }
  }

  private ReplyEffect<Event, ChannelAccount> onRegisterTemplate(ChannelAccount state,
      ChannelAccount.RegisterTemplate command) {
    try {
      ChannelAccount.TemplateRegistered event = decisions.registerTemplate(state, command, clock.instant());
      return Effect().persist(event).thenReply(command.replyTo(), updated -> StatusReply.success(event.template()));
    } catch (AccountDecisions.Refused refused) {
      return Effect().reply(command.replyTo(), StatusReply.error(refused.getMessage()));
    }
  }

  private ReplyEffect<Event, ChannelAccount> onCheckRecovery(ChannelAccount state, ChannelAccount.CheckRecovery command) {
    var suspension = state.compliance().suspension();
    Instant now = clock.instant();
    if (suspension == null || suspension.abandoned() || now.isBefore(suspension.nextCheckAt())) {
      armRecoveryCheck(state);
      return command.replyTo() == null
          ? Effect().noReply()
          : Effect().reply(command.replyTo(), state.complianceView());
    }
    String[] key = entityId.split(":", 3);
    context.pipeToSelf(probe.check(key[0], key[1], key[2]),
        (health, failure) -> new ChannelAccount.RecoveryProbed(
            failure == null && health != null ? health : AccountHealth.UNKNOWN, command.replyTo()));
    return Effect().noReply();
  }

  private ReplyEffect<Event, ChannelAccount> onRecoveryProbed(ChannelAccount state, ChannelAccount.RecoveryProbed command) {
    List<Event> events = decisions.recoveryProbed(state, command.health(), clock.instant());
    var effect = Effect().persist(events).thenRun(this::armRecoveryCheck);
    return command.replyTo() == null
        ? effect.thenNoReply()
        : effect.thenReply(command.replyTo(), ChannelAccount::complianceView);
  }

  private ReplyEffect<Event, ChannelAccount> onKeepAlive(ChannelAccount state, ChannelAccount.KeepAlive command) {
    if (sharded) {
      ClusterSharding.get(context.getSystem()).entityRefFor(TYPE_KEY, entityId).tell(new ChannelAccount.CheckRecovery(null));
    }
    return Effect().noReply();
  }

  /** Arms (or cancels) the recovery check and the keep-alive from the state's suspension. */
  private void armRecoveryCheck(ChannelAccount state) {
    var suspension = state.compliance().suspension();
    if (suspension == null || suspension.abandoned() || suspension.nextCheckAt() == null) {
      timers.cancel(CHECK_TIMER);
      timers.cancel(KEEP_ALIVE_TIMER);
      return;
    }
    Duration delay = Duration.between(clock.instant(), suspension.nextCheckAt());
    timers.startSingleTimer(CHECK_TIMER, new ChannelAccount.CheckRecovery(null), delay.isNegative() ? Duration.ZERO : delay);
    if (!timers.isTimerActive(KEEP_ALIVE_TIMER)) {
      timers.startTimerWithFixedDelay(KEEP_ALIVE_TIMER, ChannelAccount.KeepAlive.INSTANCE,
          settings.compliance().keepAliveEvery());
    }
  }

  @Override
  public SignalHandler<ChannelAccount> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), this::armRecoveryCheck)
        .build();
  }

  @Override
  public EventHandler<ChannelAccount, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onAnyEvent((state, event) -> state.apply(event, settings.historyPerField(), decisions));
  }

  @Override
  public Set<String> tagsFor(Event event) {
    return Set.of(TAG);
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(settings.snapshotEvery(), 2);
  }
}
