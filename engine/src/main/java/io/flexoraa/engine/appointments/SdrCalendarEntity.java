package io.flexoraa.engine.appointments;

import io.flexoraa.engine.appointments.SdrCalendar.Command;
import io.flexoraa.engine.appointments.SdrCalendar.Event;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sharded home of one SDR's {@link SdrCalendar}, keyed {@code tenantId:userId}: bookings for one SDR are
 * serialised here, so two requests for the same slot can never both win. Each pending delivery is a keyed timer,
 * re-armed from the events on recovery (a keeper wakes the entity after a restart or a rebalance).
 */
public final class SdrCalendarEntity extends EventSourcedBehaviorWithEnforcedReplies<Command, Event, SdrCalendar> {
  private static final Logger log = LoggerFactory.getLogger(SdrCalendarEntity.class);

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "SdrCalendar");

  private final String entityId;
  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final AppointmentWork work;
  private final AppointmentSettings settings;
  private final Clock clock;
  /** Deliveries handed to the work and not answered yet: not started twice by a timer and the keeper's wake. */
  private final Set<String> inFlight = new HashSet<>();

  private SdrCalendarEntity(String entityId, ActorContext<Command> context, TimerScheduler<Command> timers,
      AppointmentWork work, AppointmentSettings settings, Clock clock) {
    super(PersistenceId.of(TYPE_KEY.name(), entityId),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.1));
    this.entityId = entityId;
    this.context = context;
    this.timers = timers;
    this.work = work;
    this.settings = settings;
    this.clock = clock;
  }

  public static Behavior<Command> create(String entityId, AppointmentWork work, AppointmentSettings settings,
      Clock clock) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers ->
        new SdrCalendarEntity(entityId, context, timers, work, settings, clock)));
  }

  public static void init(ActorSystem<?> system, AppointmentWork work, AppointmentSettings settings, Clock clock) {
    ClusterSharding.get(system).init(Entity.of(TYPE_KEY,
        entityContext -> create(entityContext.getEntityId(), work, settings, clock)));
  }

  public static String entityId(String tenantId, String userId) {
    return tenantId + ":" + userId;
  }

  public static String tagFor(String entityId, int tagSlices) {
    return io.flexoraa.engine.TagSlices.tagFor("appointment", entityId, tagSlices);
  }

  public static List<String> allTags(int tagSlices) {
    return io.flexoraa.engine.TagSlices.all("appointment", tagSlices);
  }

  @Override
  public SdrCalendar emptyState() {
    return SdrCalendar.empty();
  }

  @Override
  public Set<String> tagsFor(Event event) {
    return Set.of(tagFor(entityId, settings.tagSlices()));
  }

  @Override
  public SignalHandler<SdrCalendar> signalHandler() {
    return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), this::arm).build();
  }

  @Override
  public CommandHandlerWithReply<Command, Event, SdrCalendar> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(SdrCalendar.Book.class, (state, c) -> decided(state.book(c, clock.instant(), settings), c.replyTo()))
        .onCommand(SdrCalendar.Reschedule.class,
            (state, c) -> decided(state.reschedule(c, clock.instant(), settings), c.replyTo()))
        .onCommand(SdrCalendar.Cancel.class, (state, c) -> decided(state.cancel(c, clock.instant()), c.replyTo()))
        .onCommand(SdrCalendar.Get.class, (state, c) -> {
          SdrCalendar.Appointment appointment = state.appointments().get(c.appointmentId());
          return Effect().reply(c.replyTo(), StatusReply.success(appointment == null
              ? SdrCalendar.Answer.rejected("not-found", "no such appointment")
              : SdrCalendar.Answer.ok(appointment, false)));
        })
        .onCommand(SdrCalendar.Bookings.class,
            (state, c) -> Effect().reply(c.replyTo(), StatusReply.success(state.booked(c.from()))))
        .onCommand(SdrCalendar.Wake.class, (state, c) -> {
          arm(state);
          return Effect().noReply();
        })
        .onCommand(SdrCalendar.Due.class, this::onDue)
        .onCommand(SdrCalendar.Delivered.class, this::onDelivered)
        .onCommand(SdrCalendar.DeliveryFailed.class, (state, c) -> {
          inFlight.remove(flightKey(c.appointmentId(), c.key()));
          log.warn("Appointment {} delivery {} failed, retried in {}: {}", c.appointmentId(), c.key(),
              settings.deliveryRetry(), c.error());
          timers.startSingleTimer(flightKey(c.appointmentId(), c.key()),
              new SdrCalendar.Due(c.appointmentId(), c.key()), settings.deliveryRetry());
          return Effect().noReply();
        })
        .build();
  }

  private ReplyEffect<Event, SdrCalendar> decided(
      SdrCalendar.Decision decision, org.apache.pekko.actor.typed.ActorRef<StatusReply<SdrCalendar.Answer>> replyTo) {
    if (decision.event() == null) return Effect().reply(replyTo, StatusReply.success(decision.answer()));
    return Effect().persist(decision.event()).thenRun(this::arm)
        .thenReply(replyTo, updated -> StatusReply.success(decision.answer()));
  }

  private ReplyEffect<Event, SdrCalendar> onDue(SdrCalendar state, SdrCalendar.Due due) {
    SdrCalendar.Appointment appointment = state.appointments().get(due.appointmentId());
    String flight = flightKey(due.appointmentId(), due.key());
    if (appointment == null || inFlight.contains(flight)) return Effect().noReply();
    appointment.pending().stream().filter(d -> d.key().equals(due.key())).findFirst().ifPresent(delivery -> {
      inFlight.add(flight);
      context.pipeToSelf(work.deliver(appointment, delivery), (done, failure) -> failure == null
          ? new SdrCalendar.Delivered(due.appointmentId(), due.key())
          : new SdrCalendar.DeliveryFailed(due.appointmentId(), due.key(), String.valueOf(failure.getMessage())));
    });
    return Effect().noReply();
  }

  private ReplyEffect<Event, SdrCalendar> onDelivered(SdrCalendar state, SdrCalendar.Delivered delivered) {
    inFlight.remove(flightKey(delivered.appointmentId(), delivered.key()));
    SdrCalendar.DeliveryDone done = state.delivered(delivered.appointmentId(), delivered.key(), clock.instant());
    if (done == null) return Effect().noReply();
    return Effect().persist(done).thenNoReply();
  }

  /** One keyed timer per pending delivery (due ones fire at once); timers of re-planned deliveries are dropped. */
  private void arm(SdrCalendar state) {
    timers.cancelAll();
    Instant now = clock.instant();
    for (SdrCalendar.Appointment appointment : state.appointments().values()) {
      for (SdrCalendar.Delivery delivery : appointment.pending()) {
        String key = flightKey(appointment.appointmentId(), delivery.key());
        if (inFlight.contains(key)) continue;
        Duration wait = Duration.between(now, delivery.dueAt());
        timers.startSingleTimer(key, new SdrCalendar.Due(appointment.appointmentId(), delivery.key()),
            wait.isNegative() ? Duration.ZERO : wait);
      }
    }
  }

  private static String flightKey(String appointmentId, String key) {
    return appointmentId + "/" + key;
  }

  @Override
  public EventHandler<SdrCalendar, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(SdrCalendar::apply);
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(settings.snapshotEvery(), 2);
  }
}
