package io.flexoraa.http;

import io.flexoraa.engine.ai.agent.LeadAgent;
import io.flexoraa.engine.ai.agent.LeadAgentEntity;
import io.flexoraa.persistence.audit.AuditLog;
import io.flexoraa.persistence.audit.AuditTrail;
import io.flexoraa.persistence.readmodel.LeadQueries;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Human takeover over HTTP (docs/decisions/0035-inbox-and-takeover.md): a person takes a lead's conversation from
 * the AI, or hands it back. The lead's agent decides (a repeat changes nothing and answers the same state), the
 * answer is the agent's own view, consistent at once; a change is audited. An SDR acts only on their own leads
 * (another's reads as absent, as everywhere).
 */
final class TakeoverRoutes extends AllDirectives {
  private final ActorSystem<?> system;
  private final LeadQueries leads;
  private final AuditTrail audit;
  private final Duration askTimeout;

  TakeoverRoutes(ActorSystem<?> system, LeadQueries leads, AuditTrail audit, Duration askTimeout) {
    this.system = system;
    this.leads = leads;
    this.audit = audit;
    this.askTimeout = askTimeout;
  }

  Map<Endpoint, ApiRouter.Handler> handlers() {
    Map<Endpoint, ApiRouter.Handler> handlers = new EnumMap<>(Endpoint.class);
    handlers.put(Endpoint.TAKE_OVER_LEAD, call -> handle(call, "lead.taken-over", LeadAgent.TakeOver::new));
    handlers.put(Endpoint.HAND_BACK_LEAD, call -> handle(call, "lead.handed-back", LeadAgent.HandBack::new));
    return handlers;
  }

  /** The command each endpoint sends, built from the tenant, the lead, the person and where to answer. */
  private interface Command {
    LeadAgent.Command of(String tenantId, String leadId, String userId, ActorRef<LeadAgent.Handling> replyTo);
  }

  private Route handle(ApiRouter.Call call, String action, Command command) {
    String tenantId = call.tenant().id();
    String leadId = call.variable("lead");
    String userId = call.principal().actorId();
    CompletionStage<Optional<LeadAgent.Handling>> done = leads.get(tenantId, leadId, ApiRoutes.scope(call))
        .thenCompose(lead -> {
          if (lead.isEmpty()) return CompletableFuture.completedFuture(Optional.empty());
          return ClusterSharding.get(system)
              .entityRefFor(LeadAgentEntity.TYPE_KEY, LeadAgentEntity.entityId(tenantId, leadId))
              .<LeadAgent.Handling>ask(replyTo -> command.of(tenantId, leadId, userId, replyTo), askTimeout)
              .thenCompose(handling -> !handling.changed()
                  ? CompletableFuture.completedFuture(Optional.of(handling))
                  : audit.record(new AuditLog.NewEntry(tenantId, call.principal().actor(), action, "lead:" + leadId,
                      Map.of("handledBy", handling.view().handledBy()))).thenApply(entry -> Optional.of(handling)));
        });
    return onSuccess(done, handling -> handling
        .map(found -> complete(Json.response(StatusCodes.OK, body(leadId, found))))
        .orElseGet(() -> complete(Problems.notFound("no such lead"))));
  }

  private static Map<String, Object> body(String leadId, LeadAgent.Handling handling) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("leadId", leadId);
    body.put("handledBy", handling.view().handledBy());
    body.put("takenOverBy", handling.view().takenOverBy());
    body.put("takenOverAt", handling.view().takenOverAt());
    body.put("changed", handling.changed());
    return body;
  }
}
