package io.flexoraa.http;

import com.typesafe.config.Config;
import io.flexoraa.engine.ai.AiProfiles;
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
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appointments (issue 7 part 7) wired: the SDR calendar entities and their projection, the Google free/busy
 * adapter, deliveries (messages, invites, notices), the keeper that wakes calendars with a due delivery, the API.
 */
final class AppointmentComponents {
  private static final Logger log = LoggerFactory.getLogger(AppointmentComponents.class);

  private final SalesComponents.Deps deps;
  private final AppointmentSettings settings;
  private final JdbcAppointments store;
  private final AppointmentRoutes routes;

  private AppointmentComponents(SalesComponents.Deps deps, Notifier notifier, Mailer mailer, Roster roster) {
    this.deps = deps;
    Config config = deps.config();
    Config appointments = config.getConfig("flexoraa.appointments");
    this.settings = AppointmentSettings.fromConfig(config);
    this.store = new JdbcAppointments(deps.jdbc(), deps.tenantJdbc(), deps.cipher(), deps.clock());
    Config google = appointments.getConfig("google");
    CalendarBusy busy = new GoogleCalendarBusy(store, google.getString("root-url"), google.getDuration("timeout"),
        deps.jdbc().executor());
    AppointmentDeliveries deliveries = new AppointmentDeliveries(deps, store, roster, mailer, notifier, appointments);
    SdrCalendarEntity.init(deps.system(), deliveries, settings, deps.clock());
    AppointmentProjections.init(deps.system(), deps.projections(), settings.tagSlices(),
        appointments.getInt("projection-group-size"), appointments.getDuration("projection-group-within"));
    AiProfiles profiles = deps.aiProfiles();
    this.routes = new AppointmentRoutes(deps, settings, store, roster, busy, deliveries, profiles, appointments);
  }

  static AppointmentComponents start(SalesComponents.Deps deps, Notifier notifier, Mailer mailer, Roster roster) {
    return new AppointmentComponents(deps, notifier, mailer, roster);
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
