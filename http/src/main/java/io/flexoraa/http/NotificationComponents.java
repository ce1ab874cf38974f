package io.flexoraa.http;

import io.flexoraa.engine.ports.Mailer;
import io.flexoraa.engine.ports.Notifier;
import io.flexoraa.http.notify.NotificationHub;
import io.flexoraa.http.notify.SmtpMailer;
import io.flexoraa.http.notify.StoredNotifier;
import io.flexoraa.persistence.notify.JdbcNotifications;
import java.util.List;
import java.util.Map;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notifications (issue 7 part 3; docs/decisions/0029-notifications.md): stored per recipient, pushed live to the
 * dashboards' Server-Sent Event streams on any node, and e-mailed through SMTP when one is configured.
 */
final class NotificationComponents {
  private static final Logger log = LoggerFactory.getLogger(NotificationComponents.class);

  private final SmtpMailer mailer;
  private final StoredNotifier notifier;
  private final NotificationRoutes routes;

  private NotificationComponents(SmtpMailer mailer, StoredNotifier notifier, NotificationRoutes routes) {
    this.mailer = mailer;
    this.notifier = notifier;
    this.routes = routes;
  }

  static NotificationComponents start(SalesComponents.Deps deps) {
    SmtpMailer.Settings smtp = SmtpMailer.Settings.fromConfig(deps.config());
    SmtpMailer mailer = new SmtpMailer(smtp, deps.clock());
    deps.system().getWhenTerminated().thenRun(mailer::close);
    log.info(mailer.enabled() ? "notification e-mail through {}" : "no SMTP_HOST: notifications are in-app only{}",
        mailer.enabled() ? smtp.host() + ":" + smtp.port() : "");
    JdbcNotifications store = new JdbcNotifications(deps.tenantJdbc());
    NotificationHub hub = new NotificationHub(deps.system());
    StoredNotifier notifier = new StoredNotifier(store, deps.users(), hub, mailer, deps.metrics(),
        StoredNotifier.Settings.fromConfig(deps.config()), deps.clock());
    NotificationRoutes routes = new NotificationRoutes(deps.system(), store, hub,
        NotificationRoutes.Settings.fromConfig(deps.config()), deps.clock());
    return new NotificationComponents(mailer, notifier, routes);
  }

  Notifier notifier() {
    return notifier;
  }

  Mailer mailer() {
    return mailer;
  }

  List<Map<Endpoint, ApiRouter.Handler>> handlers() {
    return List.of(routes.handlers());
  }

  /** The live stream is an ordinary API endpoint ({@link Endpoint#STREAM_NOTIFICATIONS}); nothing outside the API. */
  Route extraRoute() {
    return new AllDirectives() {}.reject();
  }
}
