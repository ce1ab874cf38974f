package io.flexoraa.http;

import com.typesafe.config.Config;
import io.flexoraa.engine.limits.RateLimits;
import io.flexoraa.engine.ops.NodeVitals;
import io.flexoraa.persistence.directory.JdbcUnroutedStore;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;

/**
 * The node's operator vitals: the live-entity gauges, the node's {@link NodeVitals} (its ingest window, asked by
 * any node's overview) and the operator's overview endpoint. Started once per node, after the rate limits (whose
 * AI work queue reports backpressure).
 */
final class OpsComponents extends AllDirectives {
  private final OpsOverview overview;

  private OpsComponents(OpsOverview overview) {
    this.overview = overview;
  }

  static OpsComponents start(ActorSystem<?> system, Config config, EdgeMetrics metrics, RateLimits limits,
      JdbcUnroutedStore unrouted) {
    LiveEntityGauges.start(system, metrics);
    OpsOverview.Settings settings = OpsOverview.Settings.fromConfig(config);
    // real time, as the metrics record it (a test's clock must not move the window's seconds)
    NodeVitals vitals = NodeVitals.start(system, metrics.ingestWindow(), settings.askTimeout(), Clock.systemUTC());
    return new OpsComponents(new OpsOverview(system, vitals, limits.clusterBackpressure(), unrouted, settings));
  }

  Map<Endpoint, ApiRouter.Handler> handlers() {
    Map<Endpoint, ApiRouter.Handler> handlers = new EnumMap<>(Endpoint.class);
    handlers.put(Endpoint.GET_OPS_OVERVIEW, call -> onSuccess(overview.gather(),
        body -> complete(Json.response(StatusCodes.OK, body))));
    return handlers;
  }
}
