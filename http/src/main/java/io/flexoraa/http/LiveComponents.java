package io.flexoraa.http;

import com.typesafe.config.Config;
import io.flexoraa.persistence.Database;
import io.flexoraa.persistence.live.LiveListener;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * The dashboard's live feed (issue 8 item 9; docs/decisions/0034-live-feed.md): this node's {@link LiveListener} on
 * a connection of its own, logged in as the schema owner like the projections that notify, and the SSE endpoint
 * that streams what it hears. The listener stops once the HTTP requests are done, before the database closes.
 */
final class LiveComponents {
  private final LiveRoutes routes;

  private LiveComponents(LiveRoutes routes) {
    this.routes = routes;
  }

  static LiveComponents start(ActorSystem<?> system, Config config, Database database, EdgeMetrics metrics) {
    LiveListener listener = new LiveListener(
        LiveListener.Connector.of(database.jdbcUrl(), database.user(), database.password()),
        LiveListener.Settings.fromConfig(config)).start();
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseServiceStop(), "live-listener", () -> {
      listener.close();
      return CompletableFuture.completedFuture(Done.getInstance());
    });
    return new LiveComponents(new LiveRoutes(listener, LiveRoutes.Settings.fromConfig(config), metrics));
  }

  Map<Endpoint, ApiRouter.Handler> handlers() {
    return routes.handlers();
  }
}
