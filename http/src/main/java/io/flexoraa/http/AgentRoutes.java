package io.flexoraa.http;

import io.flexoraa.persistence.readmodel.AgentQueries;
import io.flexoraa.persistence.readmodel.LeadQueries;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import io.flexoraa.http.Problems.InvalidInput;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The lead agent over HTTP (docs/decisions/0024-the-lead-agent.md): a lead's AI view — score with its top factors
 * and history, the interview, escalation, the analyses of its messages and the AI's replies — the review tasks
 * high-risk messages opened, and the AI's notifications. An SDR sees only their own leads' views.
 */
final class AgentRoutes extends AllDirectives {
  private static final int MAX_LIMIT = 500;
  private static final Set<String> STATUSES = Set.of("open", "done");

  private final AgentQueries queries;
  private final LeadQueries leads;

  AgentRoutes(AgentQueries queries, LeadQueries leads) {
    this.queries = queries;
    this.leads = leads;
  }

  Map<Endpoint, ApiRouter.Handler> handlers() {
    Map<Endpoint, ApiRouter.Handler> handlers = new EnumMap<>(Endpoint.class);
    handlers.put(Endpoint.GET_LEAD_AI, this::lead);
    handlers.put(Endpoint.LIST_AI_REVIEW_TASKS, this::reviewTasks);
    handlers.put(Endpoint.LIST_AI_NOTIFICATIONS, this::notifications);
    return handlers;
  }

  private Route lead(ApiRouter.Call call) {
    String tenantId = call.tenant().id();
    String leadId = call.variable("lead");
    LeadQueries.Scope scope = ApiRoutes.scope(call);
    CompletionStage<Optional<Optional<Map<String, Object>>>> view = leads.get(tenantId, leadId, scope)
        .thenCompose(lead -> lead.isEmpty()
            ? CompletableFuture.completedFuture(Optional.<Optional<Map<String, Object>>>empty())
            : queries.lead(tenantId, leadId).thenApply(Optional::of));
    return onSuccess(view, found -> {
      if (found.isEmpty()) return complete(Problems.of(StatusCodes.NOT_FOUND, "Not found", "no such lead"));
      Map<String, Object> body = found.get().orElseGet(() -> Map.of("leadId", leadId, "analyzed", 0,
          "handledBy", "ai", "scoreHistory", List.of(), "analyses", List.of(), "replies", List.of()));
      return complete(Json.response(StatusCodes.OK, body));
    });
  }

  private Route reviewTasks(ApiRouter.Call call) {
    return parameterOptional("status", status -> parameterOptional("limit", limit -> {
      String wanted = status.orElse("open");
      if (!STATUSES.contains(wanted)) throw new InvalidInput("status", "status must be one of " + STATUSES);
      return onSuccess(queries.reviewTasks(call.tenant().id(), wanted, limit(limit)),
          rows -> complete(Json.response(StatusCodes.OK, Map.of("items", rows))));
    }));
  }

  private Route notifications(ApiRouter.Call call) {
    return parameterOptional("limit", limit -> onSuccess(queries.notifications(call.tenant().id(), limit(limit)),
        rows -> complete(Json.response(StatusCodes.OK, Map.of("items", rows)))));
  }

  private static int limit(Optional<String> raw) {
    return Paging.number("limit", raw, 100, 1, MAX_LIMIT);
  }
}
