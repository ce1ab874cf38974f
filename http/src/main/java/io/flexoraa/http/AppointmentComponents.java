package io.flexoraa.http;

import com.typesafe.config.Config;
import io.flexoraa.engine.appointments.AppointmentSettings;
import io.flexoraa.engine.appointments.SdrCalendar;
import io.flexoraa.engine.appointments.SdrCalendarEntity;
import io.flexoraa.engine.ports.CalendarBusy;
import io.flexoraa.engine.ports.Mailer;
import io.flexoraa.engine.ports.Notifier;
import io.flexoraa.engine.ports.Roster;
import io.flexoraa.persistence.appointments.JdbcAppointments;
import io.flexoraa.persistence.projection.AppointmentProjections;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appointments (issue 7 part 7) wired: the SDR calendar entities and their projection, the Google free/busy
 * adapter, deliveries (messages, invites, notices), the keeper that wakes calendars with a due delivery, the API.
 */
final class AppointmentComponents {
  private static final Logger log = LoggerFactory.getLogger(AppointmentComponents.class);
  /** Per actor system, so a test reaches the components of its engine (SalesComponents does not expose them). */
  private static final Map<ActorSystem<?>, AppointmentComponents> RUNNING = new ConcurrentHashMap<>();

  private final SalesComponents.Deps deps;
  private final AppointmentSettings settings;
  private final JdbcAppointments store;
  private final AtomicReference<Roster> roster;
  private final AtomicReference<Mailer> mailer;
  private final AtomicReference<Notifier> notifier;
  private final AppointmentRoutes routes;

  private AppointmentComponents(SalesComponents.Deps deps, Notifier notifier, Mailer mailer, Roster roster) {
    this.deps = deps;
    Config config = deps.config();
    this.settings = AppointmentSettings.fromConfig(config);
    this.store = new JdbcAppointments(deps.jdbc(), deps.tenantJdbc(), deps.cipher(), deps.clock());
    this.roster = new AtomicReference<>(roster);
    this.mailer = new AtomicReference<>(mailer);
    this.notifier = new AtomicReference<>(notifier);
    Roster liveRoster = new Roster() {
      @Override
      public CompletionStage<Optional<io.flexoraa.engine.routing.Sdr>> sdr(String tenantId, String userId) {
        return AppointmentComponents.this.roster.get().sdr(tenantId, userId);
      }

      @Override
      public CompletionStage<List<io.flexoraa.engine.routing.Sdr>> sdrs(String tenantId) {
        return AppointmentComponents.this.roster.get().sdrs(tenantId);
      }
    };
    Config google = config.getConfig("flexoraa.appointments.google");
    CalendarBusy busy = new GoogleCalendarBusy(store, google.getString("root-url"), google.getDuration("timeout"),
        deps.jdbc().executor());
    AppointmentDeliveries deliveries = new AppointmentDeliveries(deps, store, liveRoster,
        this.mailer::get, this.notifier::get,
        config.getConfig("flexoraa.appointments"));
    SdrCalendarEntity.init(deps.system(), deliveries, settings, deps.clock());
    AppointmentProjections.init(deps.system(), deps.projections(), settings.tagSlices(),
        config.getInt("flexoraa.appointments.projection-group-size"),
        config.getDuration("flexoraa.appointments.projection-group-within"));
    this.routes = new AppointmentRoutes(deps, settings, store, liveRoster, busy, deliveries,
        config.getConfig("flexoraa.appointments"));
  }

  static AppointmentComponents start(SalesComponents.Deps deps, Notifier notifier, Mailer mailer, Roster roster) {
    AppointmentComponents components = new AppointmentComponents(deps, notifier, mailer, roster);
    RUNNING.put(deps.system(), components);
    deps.system().getWhenTerminated().thenRun(() -> RUNNING.remove(deps.system()));
    return components;
  }

  /** The components running in {@code system}. */
  static AppointmentComponents of(ActorSystem<?> system) {
    return RUNNING.get(system);
  }

  /** Swaps the roster, mailer or notifier (until routing and notifications land, tests plug in their own). */
  void use(Roster nextRoster, Mailer nextMailer, Notifier nextNotifier) {
    if (nextRoster != null) roster.set(nextRoster);
    if (nextMailer != null) mailer.set(nextMailer);
    if (nextNotifier != null) notifier.set(nextNotifier);
  }

  List<Map<Endpoint, ApiRouter.Handler>> handlers() {
    return List.of(routes.handlers());
  }

  /** The keeper: every keeper-interval, wakes the calendars with a delivery due within keeper-lookahead. */
  void startBackground() {
    Duration interval = settings.keeperInterval();
    int batch = deps.config().getInt("flexoraa.appointments.keeper-batch");
    ClusterSharding sharding = ClusterSharding.get(deps.system());
    deps.system().scheduler().scheduleAtFixedRate(Duration.ZERO, interval, () ->
        store.due(deps.clock().instant().plus(settings.keeperLookahead()), batch).whenComplete((due, failure) -> {
          if (failure != null) {
            log.warn("Appointment keeper could not read due deliveries: {}", failure.getMessage());
            return;
          }
          for (JdbcAppointments.DueCalendar calendar : due) {
            sharding.entityRefFor(SdrCalendarEntity.TYPE_KEY,
                SdrCalendarEntity.entityId(calendar.tenantId(), calendar.userId())).tell(new SdrCalendar.Wake());
          }
        }), deps.system().executionContext());
  }
}
