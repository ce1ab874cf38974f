package io.flexoraa.http;

import java.util.Map;
import java.util.function.BooleanSupplier;
import kamon.prometheus.PrometheusReporter;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Probes and metrics. {@code /live}: the process answers. {@code /ready}: it can take traffic (database migrated,
 * cluster member up, entities and projections started) and is not shutting down. {@code /health}: both, as JSON.
 * {@code /metrics}: Prometheus text from Kamon's reporter.
 */
public final class OpsRoutes extends AllDirectives {
  private final BooleanSupplier ready;

  public OpsRoutes(BooleanSupplier ready) {
    this.ready = ready;
  }

  public Route route() {
    return get(() -> concat(
        path("live", () -> complete(Json.response(StatusCodes.OK, Map.of("status", "UP")))),
        path("ready", () -> complete(ready.getAsBoolean()
            ? Json.response(StatusCodes.OK, Map.of("status", "READY"))
            : Problems.unavailable("not ready to take traffic"))),
        path("health", () -> complete(Json.response(
            ready.getAsBoolean() ? StatusCodes.OK : StatusCodes.SERVICE_UNAVAILABLE,
            Map.of("live", true, "ready", ready.getAsBoolean())))),
        path("metrics", () -> complete(HttpResponse.create().withEntity(HttpEntities.create(
            ContentTypes.TEXT_PLAIN_UTF8,
            PrometheusReporter.latestScrapeData().getOrElse(() -> "")))))));
  }
}
