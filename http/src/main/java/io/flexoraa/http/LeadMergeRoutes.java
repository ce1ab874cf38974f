package io.flexoraa.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.flexoraa.engine.access.AccessPolicy;
import io.flexoraa.engine.lead.LeadMerges;
import io.flexoraa.engine.lead.LeadModel.MergeOutcome;
import io.flexoraa.http.Problems.InvalidInput;
import io.flexoraa.persistence.readmodel.LeadQueries;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * {@code POST /tenants/{t}/leads/{lead}/merge {"otherLeadId": "..."}}: the lead in the path absorbs the other one
 * (PRODUCT §3, {@link LeadMerges}). An SDR merges only leads assigned to them (others read as absent, 404); merging
 * a lead with itself is 400, an unknown lead 404, an anonymized or already merged lead 409, a merge the tenant's
 * plan does not allow (LeadOS plans: WhatsApp leads only) 422. Repeating a merge answers 200 with the same body.
 * The audit entry ({@code lead.merged}) is written from the survivor's event.
 */
final class LeadMergeRoutes extends AllDirectives {
  private static final Pattern LEAD_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

  private final LeadMerges merges;
  private final LeadQueries leads;

  LeadMergeRoutes(LeadMerges merges, LeadQueries leads) {
    this.merges = merges;
    this.leads = leads;
  }

  Map<Endpoint, ApiRouter.Handler> handlers() {
    Map<Endpoint, ApiRouter.Handler> handlers = new EnumMap<>(Endpoint.class);
    handlers.put(Endpoint.MERGE_LEADS, this::merge);
    return handlers;
  }

  record Merged(String survivorLeadId, String absorbedLeadId, List<String> identifierKinds, List<String> channels) {
    static Merged of(MergeOutcome outcome) {
      return new Merged(outcome.survivorLeadId(), outcome.absorbedLeadId(), outcome.identifierKinds(),
          outcome.channels());
    }
  }

  private Route merge(ApiRouter.Call call) {
    return entity(Unmarshaller.entityToString(), raw -> {
      JsonNode body = Json.object(raw);
      String other = Json.matching("otherLeadId", Json.requiredText(body, "otherLeadId", 64), LEAD_ID,
          "must be a lead id");
      String leadId = call.variable("lead");
      if (other.equals(leadId)) throw new InvalidInput("otherLeadId", "a lead cannot be merged with itself");
      String tenantId = call.tenant().id();
      CompletionStage<HttpResponse> response = inScope(call, leadId, other).thenCompose(visible -> !visible
          ? CompletableFuture.completedFuture(Problems.notFound("no such lead"))
          : merges.merge(tenantId, call.tenant().plan(), leadId, other, call.principal().actor())
              .thenApply(LeadMergeRoutes::response));
      return onSuccess(response, this::complete);
    });
  }

  /** SDRs merge only leads assigned to them; for everyone else the leads themselves decide. */
  private CompletionStage<Boolean> inScope(ApiRouter.Call call, String leadId, String other) {
    if (call.principal().leadScope() == AccessPolicy.LeadScope.ALL) return CompletableFuture.completedFuture(true);
    LeadQueries.Scope scope = ApiRoutes.scope(call);
    String tenantId = call.tenant().id();
    return leads.get(tenantId, leadId, scope).thenCombine(leads.get(tenantId, other, scope),
        (first, second) -> first.isPresent() && second.isPresent());
  }

  private static HttpResponse response(LeadMerges.Result result) {
    if (result instanceof LeadMerges.Result.Merged merged) {
      return Json.response(StatusCodes.OK, Merged.of(merged.outcome()));
    }
    LeadMerges.Result.Refused refused = (LeadMerges.Result.Refused) result;
    return switch (refused.kind()) {
      case "not-found" -> Problems.notFound(refused.detail());
      case "plan" -> Problems.of(StatusCodes.UNPROCESSABLE_ENTITY, "Plan does not allow this merge", refused.detail(),
          "otherLeadId");
      default -> Problems.of(StatusCodes.CONFLICT, "Lead cannot be merged", refused.detail(), "otherLeadId");
    };
  }
}
