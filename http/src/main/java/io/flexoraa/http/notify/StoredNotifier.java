package io.flexoraa.http.notify;

import com.typesafe.config.Config;
import io.flexoraa.engine.access.Role;
import io.flexoraa.engine.ports.Mailer;
import io.flexoraa.engine.ports.Notifier;
import io.flexoraa.http.EdgeMetrics;
import io.flexoraa.http.Json;
import io.flexoraa.persistence.notify.JdbcNotifications;
import io.flexoraa.persistence.notify.JdbcNotifications.Notification;
import io.flexoraa.persistence.notify.JdbcNotifications.Recipient;
import io.flexoraa.persistence.users.UserStore;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's {@link Notifier}: resolves the recipients ({@link Notice#MANAGERS} = every active Manager and Admin of
 * the tenant), stores one row per recipient, pushes each new row to the cluster's live streams and, when the notice
 * asks for it, e-mails it. The returned stage completes once the rows are stored: the push follows at once, the
 * e-mail later on the mailer's own threads, and its outcome is written on the row — a mail server that is down never
 * fails a notice. Only rows this call created are pushed and mailed, so a retried notice reaches nobody twice.
 *
 * <p>Recipients that are not active users of the tenant are skipped (a notice for a removed SDR is not an error of
 * the part that raised it); a notice nobody is left to receive stores nothing.
 */
public final class StoredNotifier implements Notifier {
  private static final Logger log = LoggerFactory.getLogger(StoredNotifier.class);

  /** {@code flexoraa.notifications.dashboard-url}: empty = e-mails carry no link. */
  public record Settings(String dashboardUrl) {
    public static Settings fromConfig(Config config) {
      String url = config.getString("flexoraa.notifications.dashboard-url").trim();
      return new Settings(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    }
  }

  private final JdbcNotifications store;
  private final UserStore users;
  private final NotificationHub hub;
  private final Mailer mailer;
  private final EdgeMetrics metrics;
  private final Settings settings;
  private final Clock clock;

  public StoredNotifier(JdbcNotifications store, UserStore users, NotificationHub hub, Mailer mailer,
      EdgeMetrics metrics, Settings settings, Clock clock) {
    this.store = store;
    this.users = users;
    this.hub = hub;
    this.mailer = mailer;
    this.metrics = metrics;
    this.settings = settings;
    this.clock = clock;
  }

  @Override
  public CompletionStage<Void> notify(Notice notice) {
    hub.prepare(notice.tenantId());
    return users.list(notice.tenantId()).thenCompose(people -> {
      Map<String, UserStore.User> active = people.stream().filter(UserStore.User::active)
          .collect(Collectors.toMap(UserStore.User::userId, Function.identity()));
      Map<String, UserStore.User> recipients = recipients(notice, active);
      List<Recipient> rows = recipients.values().stream()
          .map(user -> new Recipient(user.userId(), notice.email() && mailer.enabled() && user.email() != null))
          .toList();
      return store.store(notice, rows, clock.instant()).thenAccept(created -> {
        for (Notification notification : created) {
          push(notification);
          if (notification.emailWanted()) email(notification, recipients.get(notification.userId()).email());
        }
      });
    });
  }

  private static Map<String, UserStore.User> recipients(Notice notice, Map<String, UserStore.User> active) {
    Map<String, UserStore.User> recipients = new LinkedHashMap<>();
    for (String recipient : notice.recipients()) {
      if (Notice.MANAGERS.equals(recipient)) {
        active.values().stream().filter(user -> user.role() == Role.MANAGER || user.role() == Role.ADMIN)
            .forEach(user -> recipients.putIfAbsent(user.userId(), user));
      } else if (active.containsKey(recipient)) {
        recipients.putIfAbsent(recipient, active.get(recipient));
      } else {
        log.warn("notice {} ({}) of tenant {}: {} is not an active user; skipped", notice.noticeId(), notice.kind(),
            notice.tenantId(), recipient);
      }
    }
    return recipients;
  }

  private void push(Notification notification) {
    hub.publish(new NotificationHub.Pushed(notification.tenantId(), notification.userId(), notification.id(),
        notification.kind(), json(notification)));
    metrics.notificationPushed(notification.kind(), Duration.between(notification.eventAt(), clock.instant()));
  }

  private void email(Notification notification, String address) {
    StringBuilder text = new StringBuilder(notification.body());
    if (!settings.dashboardUrl().isEmpty() && notification.leadId() != null) {
      if (text.length() > 0) text.append("\n\n");
      text.append(settings.dashboardUrl()).append("/leads/").append(notification.leadId());
    }
    mailer.send(new Mailer.Email(List.of(address), notification.title(), text.toString(), List.of()))
        .handle((sent, failure) -> {
          Throwable cause = failure instanceof CompletionException && failure.getCause() != null
              ? failure.getCause() : failure;
          metrics.notificationEmail(cause == null ? "sent" : "failed");
          if (cause != null) {
            log.warn("notification {} of tenant {}: e-mail not sent: {}", notification.id(), notification.tenantId(),
                cause.toString());
          }
          return store.recordEmail(notification.tenantId(), notification.id(),
              cause == null ? clock.instant() : null, cause == null ? null : describe(cause));
        })
        .thenCompose(Function.identity())
        .exceptionally(failure -> {
          log.warn("notification {} of tenant {}: e-mail outcome not recorded", notification.id(),
              notification.tenantId(), failure);
          return null;
        });
  }

  private static String describe(Throwable cause) {
    String message = cause.getMessage();
    return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  /** The notification as the API lists it and the live stream sends it. */
  public static Map<String, Object> view(Notification notification) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", String.valueOf(notification.id()));
    view.put("userId", notification.userId());
    view.put("noticeId", notification.noticeId());
    view.put("kind", notification.kind());
    view.put("title", notification.title());
    view.put("body", notification.body());
    view.put("leadId", notification.leadId());
    view.put("data", notification.data());
    view.put("eventAt", notification.eventAt());
    view.put("createdAt", notification.createdAt());
    view.put("readAt", notification.readAt());
    view.put("email", !notification.emailWanted() ? "none"
        : notification.emailedAt() != null ? "sent" : notification.emailError() != null ? "failed" : "pending");
    view.put("emailedAt", notification.emailedAt());
    view.put("emailError", notification.emailError());
    return view;
  }

  /** {@link #view} as JSON text: the data of a live stream event. */
  public static String json(Notification notification) {
    try {
      return Json.MAPPER.writeValueAsString(view(notification));
    } catch (Exception e) {
      throw new IllegalStateException("notification not serializable", e);
    }
  }
}
