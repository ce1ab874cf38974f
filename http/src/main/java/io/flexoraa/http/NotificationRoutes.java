package io.flexoraa.http;

import com.typesafe.config.Config;
import io.flexoraa.engine.access.Permission;
import io.flexoraa.http.Problems.InvalidInput;
import io.flexoraa.http.notify.NotificationHub;
import io.flexoraa.http.notify.StoredNotifier;
import io.flexoraa.persistence.notify.JdbcNotifications;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.http.javadsl.marshalling.sse.EventStreamMarshalling;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.sse.ServerSentEvent;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.javadsl.Source;

/**
 * In-app notifications over HTTP (docs/decisions/0029-notifications.md): the list, marking one read, and the live
 * stream (Server-Sent Events). Every member of the tenant reads their own notifications (the endpoints require only
 * the tenant-profile read every role holds); naming another user with {@code ?userId=} needs the users read
 * permission (Admin, Manager), and an API key, which has no notifications of its own, must name one. Marking read is
 * for the recipient alone: anyone else gets 404, as for an id that does not exist.
 */
final class NotificationRoutes extends AllDirectives {
  private static final Permission READ_OTHERS = Permission.of(Permission.Resource.USERS, Permission.Action.READ);

  /** {@code flexoraa.notifications}. */
  record Settings(Duration heartbeat, int streamBuffer, int resumeLimit, Duration streamMaxAge, int defaultLimit,
      int maxLimit) {
    static Settings fromConfig(Config config) {
      Config notifications = config.getConfig("flexoraa.notifications");
      return new Settings(notifications.getDuration("heartbeat"), notifications.getInt("stream-buffer"),
          notifications.getInt("resume-limit"), notifications.getDuration("stream-max-age"),
          notifications.getInt("default-limit"), notifications.getInt("max-limit"));
    }
  }

  private final ActorSystem<?> system;
  private final JdbcNotifications store;
  private final NotificationHub hub;
  private final Settings settings;
  private final Clock clock;

  NotificationRoutes(ActorSystem<?> system, JdbcNotifications store, NotificationHub hub, Settings settings,
      Clock clock) {
    this.system = system;
    this.store = store;
    this.hub = hub;
    this.settings = settings;
    this.clock = clock;
  }

  Map<Endpoint, ApiRouter.Handler> handlers() {
    Map<Endpoint, ApiRouter.Handler> handlers = new EnumMap<>(Endpoint.class);
    handlers.put(Endpoint.LIST_NOTIFICATIONS, this::list);
    handlers.put(Endpoint.STREAM_NOTIFICATIONS, this::stream);
    handlers.put(Endpoint.READ_NOTIFICATION, this::markRead);
    return handlers;
  }

  private Route list(ApiRouter.Call call) {
    return parameterOptional("userId", userId -> parameterOptional("unread", unread ->
        parameterOptional("limit", limit -> parameterOptional("cursor", cursor -> withSubject(call, userId, subject -> {
          int size = Paging.number("limit", limit, settings.defaultLimit(), 1, settings.maxLimit());
          Long before = cursor.map(raw -> id("cursor", raw)).orElse(null);
          return onSuccess(store.list(call.tenant().id(), subject, unread(unread), size, before), page -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("items", page.items().stream().map(StoredNotifier::view).toList());
            body.put("nextCursor", page.nextCursor() == null ? null : String.valueOf(page.nextCursor()));
            return complete(Json.response(StatusCodes.OK, body));
          });
        })))));
  }

  private Route markRead(ApiRouter.Call call) {
    String userId = call.principal() instanceof Principal.User user ? user.userId() : null;
    Optional<Long> id = parseId(call.variable("notification"));
    if (userId == null || id.isEmpty()) return complete(Problems.notFound("no such notification"));
    return onSuccess(store.markRead(call.tenant().id(), userId, id.get(), clock.instant()), marked -> marked
        .map(notification -> complete(Json.response(StatusCodes.OK, StoredNotifier.view(notification))))
        .orElseGet(() -> complete(Problems.notFound("no such notification"))));
  }

  /**
   * The live stream: what was missed since {@code Last-Event-ID} (from the store), then every new notification of
   * the user as it is pushed anywhere in the cluster, with heartbeats in between. It ends after {@code
   * stream-max-age}; the browser's EventSource reconnects with Last-Event-ID, which re-checks the credentials.
   */
  private Route stream(ApiRouter.Call call) {
    return parameterOptional("userId", userId -> optionalHeaderValueByName("Last-Event-ID", lastEventId ->
        withSubject(call, userId, subject -> {
          Long after = lastEventId.filter(value -> !value.isBlank()).map(value -> id("Last-Event-ID", value.trim()))
              .orElse(null);
          return completeOK(events(call.tenant().id(), subject, after), EventStreamMarshalling.toEventStream());
        })));
  }

  private Source<ServerSentEvent, NotUsed> events(String tenantId, String userId, Long after) {
    Pair<org.apache.pekko.actor.ActorRef, Source<Object, NotUsed>> live = Source.<Object>actorRef(
            message -> Optional.empty(), message -> Optional.empty(), settings.streamBuffer(),
            OverflowStrategy.dropHead())
        .preMaterialize(system);
    // subscribed before the store is read, so nothing pushed in between is missed; replayed ids are not sent twice
    hub.subscribe(tenantId, Adapter.toTyped(live.first()));
    Set<Long> replayed = ConcurrentHashMap.newKeySet();
    Source<ServerSentEvent, NotUsed> missed = after == null
        ? Source.empty()
        : Source.completionStage(store.since(tenantId, userId, after, settings.resumeLimit()))
            .mapConcat(rows -> rows)
            .map(row -> {
              replayed.add(row.id());
              return event(row.id(), row.kind(), StoredNotifier.json(row));
            });
    Source<ServerSentEvent, NotUsed> pushed = live.second()
        .filter(message -> message instanceof NotificationHub.Pushed push && push.userId().equals(userId)
            && (after == null || push.id() > after) && !replayed.contains(push.id()))
        .map(message -> {
          NotificationHub.Pushed push = (NotificationHub.Pushed) message;
          return event(push.id(), push.kind(), push.json());
        });
    return missed.concat(pushed)
        .keepAlive(settings.heartbeat(), ServerSentEvent::heartbeat)
        .takeWithin(settings.streamMaxAge());
  }

  private static ServerSentEvent event(long id, String kind, String json) {
    return ServerSentEvent.create(json, kind, String.valueOf(id));
  }

  /** Whose notifications: the caller's own, or {@code userId}'s when the caller may read other users. */
  private Route withSubject(ApiRouter.Call call, Optional<String> requested, Function<String, Route> inner) {
    String own = call.principal() instanceof Principal.User user ? user.userId() : null;
    Optional<String> named = requested.map(String::trim).filter(value -> !value.isEmpty());
    if (named.isPresent() && named.get().length() > 128) throw new InvalidInput("userId", "userId is too long");
    if (named.isEmpty() || named.get().equals(own)) {
      if (own == null) {
        throw new InvalidInput("userId", "userId is required: an API key has no notifications of its own");
      }
      return inner.apply(own);
    }
    if (!call.principal().holds(READ_OTHERS)) {
      return complete(Problems.forbidden(
          "reading another user's notifications needs the users read permission (Admin, Manager)"));
    }
    return inner.apply(named.get());
  }

  private static boolean unread(Optional<String> raw) {
    if (raw.isEmpty()) return false;
    return switch (raw.get()) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new InvalidInput("unread", "unread must be true or false");
    };
  }

  private static long id(String field, String raw) {
    return parseId(raw).orElseThrow(() -> new InvalidInput(field, field + " must be a notification id"));
  }

  private static Optional<Long> parseId(String raw) {
    try {
      long value = Long.parseLong(raw);
      return value > 0 ? Optional.of(value) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
