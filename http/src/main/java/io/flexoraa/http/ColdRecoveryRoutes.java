package io.flexoraa.http;

import io.flexoraa.http.Problems.InvalidInput;
import io.flexoraa.persistence.readmodel.LeadQueries;
import io.flexoraa.persistence.readmodel.RecoveryQueries;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Cold recovery over HTTP (docs/decisions/0031-cold-recovery.md): the tenant's figures — started, active,
 * recovered, lapsed, success rate, replies per step — for sequences started in a period (default the last 30 days),
 * and one lead's sequences with each step's compliance decision. An SDR sees only their own leads' sequences.
 */
final class ColdRecoveryRoutes extends AllDirectives {
  private static final Duration DEFAULT_PERIOD = Duration.ofDays(30);

  private final RecoveryQueries queries;
  private final LeadQueries leads;
  private final Clock clock;

  ColdRecoveryRoutes(RecoveryQueries queries, LeadQueries leads, Clock clock) {
    this.queries = queries;
    this.leads = leads;
    this.clock = clock;
  }

  Map<Endpoint, ApiRouter.Handler> handlers() {
    Map<Endpoint, ApiRouter.Handler> handlers = new EnumMap<>(Endpoint.class);
    handlers.put(Endpoint.GET_COLD_RECOVERY_STATS, this::stats);
    handlers.put(Endpoint.GET_LEAD_COLD_RECOVERY, this::lead);
    return handlers;
  }

  private Route stats(ApiRouter.Call call) {
    return parameterMap(parameters -> {
      Instant to = Optional.ofNullable(AuditRoutes.instant(parameters, "to")).orElse(clock.instant());
      Instant from = Optional.ofNullable(AuditRoutes.instant(parameters, "from")).orElse(to.minus(DEFAULT_PERIOD));
      if (!from.isBefore(to)) throw new InvalidInput("to", "to must be after from");
      return onSuccess(queries.stats(call.tenant().id(), from, to),
          stats -> complete(Json.response(StatusCodes.OK, stats)));
    });
  }

  private Route lead(ApiRouter.Call call) {
    String tenantId = call.tenant().id();
    String leadId = call.variable("lead");
    CompletionStage<Optional<List<Map<String, Object>>>> sequences = leads.get(tenantId, leadId, ApiRoutes.scope(call))
        .thenCompose(lead -> lead.isEmpty()
            ? CompletableFuture.completedFuture(Optional.<List<Map<String, Object>>>empty())
            : queries.lead(tenantId, leadId).thenApply(Optional::of));
    return onSuccess(sequences, found -> {
      if (found.isEmpty()) return complete(Problems.of(StatusCodes.NOT_FOUND, "Not found", "no such lead"));
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("leadId", leadId);
      body.put("current", found.get().isEmpty() ? null : found.get().get(0));
      body.put("sequences", found.get());
      return complete(Json.response(StatusCodes.OK, body));
    });
  }
}
