package io.flexoraa.http;

import com.typesafe.config.Config;
import io.flexoraa.engine.ai.AiProfiles;
import io.flexoraa.engine.outbound.OutboundService;
import io.flexoraa.engine.ports.LeadRouter;
import io.flexoraa.engine.ports.Mailer;
import io.flexoraa.engine.ports.Notifier;
import io.flexoraa.engine.ports.Roster;
import io.flexoraa.engine.tenant.TokenDebits;
import io.flexoraa.persistence.Jdbc;
import io.flexoraa.persistence.TenantJdbc;
import io.flexoraa.persistence.audit.AuditTrail;
import io.flexoraa.persistence.crypto.TinkPiiCipher;
import io.flexoraa.persistence.readmodel.LeadQueries;
import io.flexoraa.persistence.users.UserStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Sales reps at work (issue 7), wired in one place: notifications (in-app, live, e-mail), routing with SLAs and
 * leakage prevention, cold recovery, appointments. Each part builds itself from {@link Deps} and what the parts
 * before it offer, in this order.
 */
final class SalesComponents {

  /** What the sales parts take from the rest of the engine. */
  record Deps(
      ActorSystem<?> system,
      Config config,
      Jdbc jdbc,
      TenantJdbc tenantJdbc,
      DataSource projections,
      TinkPiiCipher cipher,
      TokenDebits tokens,
      OutboundService outbound,
      UserStore users,
      AuditTrail audit,
      LeadQueries leads,
      AiProfiles aiProfiles,
      EdgeMetrics metrics,
      Duration askTimeout,
      Clock clock) {}

  private final NotificationComponents notifications;
  private final RoutingComponents routing;
  private final ColdRecoveryComponents coldRecovery;
  private final AppointmentComponents appointments;

  private SalesComponents(NotificationComponents notifications, RoutingComponents routing,
      ColdRecoveryComponents coldRecovery, AppointmentComponents appointments) {
    this.notifications = notifications;
    this.routing = routing;
    this.coldRecovery = coldRecovery;
    this.appointments = appointments;
  }

  static SalesComponents start(Deps deps) {
    NotificationComponents notifications = NotificationComponents.start(deps);
    RoutingComponents routing = RoutingComponents.start(deps, notifications.notifier());
    ColdRecoveryComponents coldRecovery = ColdRecoveryComponents.start(deps, routing.router());
    AppointmentComponents appointments =
        AppointmentComponents.start(deps, notifications.notifier(), notifications.mailer(), routing.roster());
    return new SalesComponents(notifications, routing, coldRecovery, appointments);
  }

  List<Map<Endpoint, ApiRouter.Handler>> handlers() {
    List<Map<Endpoint, ApiRouter.Handler>> all = new ArrayList<>();
    all.addAll(notifications.handlers());
    all.addAll(routing.handlers());
    all.addAll(coldRecovery.handlers());
    all.addAll(appointments.handlers());
    return all;
  }

  /** Routes outside the tenant API (the live notification stream), concatenated before the API's. */
  org.apache.pekko.http.javadsl.server.Route extraRoute() {
    return notifications.extraRoute();
  }

  /** Work to start once the node is up (timers' keepers, resumption). */
  void startBackground() {
    routing.startBackground();
    coldRecovery.startBackground();
    appointments.startBackground();
  }

  Notifier notifier() {
    return notifications.notifier();
  }

  Mailer mailer() {
    return notifications.mailer();
  }

  Roster roster() {
    return routing.roster();
  }

  LeadRouter router() {
    return routing.router();
  }
}
