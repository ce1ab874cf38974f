package io.flexoraa.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.flexoraa.engine.access.Permission;
import io.flexoraa.engine.access.Role;
import io.flexoraa.engine.routing.Presence;
import io.flexoraa.engine.routing.RoutingDesk;
import io.flexoraa.engine.routing.Sdr;
import io.flexoraa.engine.routing.Seniority;
import io.flexoraa.engine.routing.WorkingHours;
import io.flexoraa.http.Problems.InvalidInput;
import io.flexoraa.persistence.audit.AuditLog;
import io.flexoraa.persistence.audit.AuditTrail;
import io.flexoraa.persistence.readmodel.LeadQueries;
import io.flexoraa.persistence.readmodel.RoutingQueries;
import io.flexoraa.persistence.users.UserStore;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * Routing over HTTP (issue 7; docs/decisions/0030-routing-desk.md): the SDR roster, presence, the waiting queue,
 * a manager's reassignment (audited), an SDR marking a lead seen, the routing payload of a lead and SLA figures.
 * Roster and assignment answers come from the tenant's routing desk itself (consistent at once); SLA figures from
 * the projection.
 */
final class RoutingRoutes extends AllDirectives {
  private static final int MAX_CAPACITY = 500;
  private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}(-[A-Za-z]{2,4})?");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9 ._-]{1,64}");
  private static final Duration DEFAULT_SLA_PERIOD = Duration.ofDays(7);
  private static final Set<String> CLOSE_OUTCOMES = Set.of("won", "lost", "closed");
  private static final int MAX_NOTE = 500;
  private static final Permission ROUTING_READ = Permission.of(Permission.Resource.ROUTING, Permission.Action.READ);

  private final RoutingComponents.Desks desks;
  private final UserStore users;
  private final LeadQueries leads;
  private final RoutingQueries queries;
  private final AuditTrail audit;
  private final java.time.Clock clock;

  RoutingRoutes(RoutingComponents.Desks desks, UserStore users, LeadQueries leads, RoutingQueries queries,
      AuditTrail audit, java.time.Clock clock) {
    this.desks = desks;
    this.users = users;
    this.leads = leads;
    this.queries = queries;
    this.audit = audit;
    this.clock = clock;
  }

  Map<Endpoint, ApiRouter.Handler> handlers() {
    Map<Endpoint, ApiRouter.Handler> handlers = new EnumMap<>(Endpoint.class);
    handlers.put(Endpoint.LIST_SDRS, call -> onSuccess(desks.view(call.tenant().id()), view ->
        complete(Json.response(StatusCodes.OK, Map.of("items",
            view.sdrs().stream().map(sdr -> sdrJson(sdr, view.load().getOrDefault(sdr.userId(), 0))).toList())))));
    handlers.put(Endpoint.ADD_SDR, call -> save(call, true));
    handlers.put(Endpoint.GET_SDR, call -> !call.variable("user").equals(call.principal().actorId())
        && !call.principal().holds(ROUTING_READ)
        // like another SDR's lead, another SDR reads as absent to a role that may only see itself
        ? complete(Problems.notFound("no such SDR on the roster"))
        : onSuccess(desks.view(call.tenant().id()), view -> view.sdrs().stream()
            .filter(sdr -> sdr.userId().equals(call.variable("user"))).findFirst()
            .map(sdr -> complete(Json.response(StatusCodes.OK, sdrJson(sdr, view.load().getOrDefault(sdr.userId(), 0)))))
            .orElseGet(() -> complete(Problems.notFound("no such SDR on the roster")))));
    handlers.put(Endpoint.UPDATE_SDR, call -> save(call, false));
    handlers.put(Endpoint.REMOVE_SDR, call -> onSuccess(desks.<RoutingDesk.Outcome>ask(call.tenant().id(),
        replyTo -> new RoutingDesk.RemoveSdr(call.variable("user"), replyTo)), outcome -> outcome.ok()
        ? complete(StatusCodes.NO_CONTENT) : complete(problem(outcome, "user"))));
    handlers.put(Endpoint.SET_SDR_PRESENCE, this::presence);
    handlers.put(Endpoint.GET_ROUTING_QUEUE, call -> onSuccess(desks.view(call.tenant().id()), view ->
        complete(Json.response(StatusCodes.OK, Map.of("items", call.principal().holds(ROUTING_READ) ? view.queue()
            : view.queue().stream().map(RoutingRoutes::withoutLead).toList())))));
    handlers.put(Endpoint.ASSIGN_LEAD, this::assign);
    handlers.put(Endpoint.CLOSE_ASSIGNMENT, this::close);
    handlers.put(Endpoint.MARK_LEAD_SEEN, this::seen);
    handlers.put(Endpoint.GET_LEAD_ROUTING, this::payload);
    handlers.put(Endpoint.GET_SLA, this::sla);
    return handlers;
  }

  /**
   * A waiting lead as someone without routing read sees it (an SDR's My queue): how urgent and since when, not which
   * lead (they may open only their own).
   */
  private static Map<String, Object> withoutLead(RoutingDesk.QueuedView queued) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("band", queued.band());
    json.put("queuedAt", queued.queuedAt());
    json.put("slaDue", queued.slaDue());
    json.put("breachedAt", queued.breachedAt());
    return json;
  }

  private Route save(ApiRouter.Call call, boolean create) {
    String tenantId = call.tenant().id();
    return entity(Unmarshaller.entityToString(), raw -> {
      JsonNode body = Json.object(raw);
      String userId = create ? Json.requiredText(body, "userId", 64) : call.variable("user");
      CompletionStage<RoutingDesk.Outcome> saved = users.find(tenantId, userId).thenCompose(user -> {
        if (user.isEmpty() || !user.get().active()
            || !(user.get().role() == Role.SDR || user.get().role() == Role.MANAGER)) {
          throw new InvalidInput("userId", "userId must be an active user of the tenant with role SDR or Manager");
        }
        Sdr sdr = parse(tenantId, userId, user.get(), body);
        return desks.<RoutingDesk.Outcome>ask(tenantId, replyTo -> new RoutingDesk.SaveSdr(sdr, create, replyTo));
      });
      return onSuccess(saved, outcome -> outcome.ok()
          ? complete(Json.response(create ? StatusCodes.CREATED : StatusCodes.OK, sdrJson(outcome.sdr(), null)))
          : complete(problem(outcome, "userId")));
    });
  }

  /** The SDR as the body describes them; validation names the field. */
  static Sdr parse(String tenantId, String userId, UserStore.User user, JsonNode body) {
    Seniority seniority = Seniority.parse(Json.requiredText(body, "seniority", 16))
        .orElseThrow(() -> new InvalidInput("seniority", "seniority must be junior or senior"));
    JsonNode capacityNode = body.get("capacity");
    if (capacityNode == null || !capacityNode.isInt() || capacityNode.asInt() < 0
        || capacityNode.asInt() > MAX_CAPACITY) {
      throw new InvalidInput("capacity", "capacity must be a whole number from 0 to " + MAX_CAPACITY);
    }
    String presenceText = Json.optionalText(body, "presence", 16);
    Presence presence = presenceText == null ? Presence.OFFLINE : Presence.parse(presenceText)
        .orElseThrow(() -> new InvalidInput("presence", "presence must be online, away or offline"));
    return new Sdr(tenantId, userId, user.name(), user.email(), seniority, capacityNode.asInt(),
        workingHours(body.get("workingHours")), presence, strings(body, "skills", TAG),
        strings(body, "languages", LANGUAGE));
  }

  private static WorkingHours workingHours(JsonNode node) {
    if (node == null || node.isNull()) throw new InvalidInput("workingHours", "workingHours is required");
    if (!node.isObject()) throw new InvalidInput("workingHours", "workingHours must be an object");
    JsonNode days = node.get("days");
    if (days == null || !days.isArray() || days.isEmpty()) {
      throw new InvalidInput("workingHours.days", "workingHours.days must list at least one day (MON..SUN)");
    }
    Set<DayOfWeek> parsed = new LinkedHashSet<>();
    for (JsonNode day : days) parsed.add(day(day.asText()));
    LocalTime start = time(node, "start");
    LocalTime end = time(node, "end");
    if (!end.isAfter(start)) throw new InvalidInput("workingHours.end", "workingHours.end must be after start");
    String zone = Json.requiredText(node, "timeZone", 64);
    try {
      return new WorkingHours(parsed, start, end, ZoneId.of(zone));
    } catch (DateTimeException e) {
      throw new InvalidInput("workingHours.timeZone", "workingHours.timeZone must be a zone such as Asia/Kolkata");
    }
  }

  private static DayOfWeek day(String text) {
    String wanted = text.trim().toUpperCase();
    for (DayOfWeek day : DayOfWeek.values()) {
      if (day.name().equals(wanted) || day.name().substring(0, 3).equals(wanted)) return day;
    }
    throw new InvalidInput("workingHours.days", "workingHours.days must be days such as MON or TUESDAY");
  }

  private static LocalTime time(JsonNode node, String field) {
    try {
      return LocalTime.parse(Json.requiredText(node, field, 8));
    } catch (DateTimeException e) {
      throw new InvalidInput("workingHours." + field, "workingHours." + field + " must be a time such as 09:00");
    } catch (InvalidInput e) {
      throw new InvalidInput("workingHours." + field, "workingHours." + field + " is required (HH:MM)");
    }
  }

  private static List<String> strings(JsonNode body, String field, Pattern pattern) {
    JsonNode list = body.get(field);
    if (list == null || list.isNull()) return List.of();
    if (!list.isArray() || list.size() > 50) throw new InvalidInput(field, field + " must be an array of at most 50");
    List<String> values = new ArrayList<>();
    for (JsonNode value : list) {
      if (!value.isTextual() || !pattern.matcher(value.asText()).matches()) {
        throw new InvalidInput(field, field + " has an invalid entry: " + value);
      }
      values.add(value.asText());
    }
    return values;
  }

  private Route presence(ApiRouter.Call call) {
    String tenantId = call.tenant().id();
    String userId = call.variable("user");
    boolean self = userId.equals(call.principal().actorId());
    if (!self && !call.principal().holds(Permission.of(Permission.Resource.ROUTING, Permission.Action.WRITE))) {
      // like another SDR's lead, another SDR's presence reads as absent (the role may set its own)
      return complete(Problems.notFound("no such SDR on the roster"));
    }
    return entity(Unmarshaller.entityToString(), raw -> {
      Presence presence = Presence.parse(Json.requiredText(Json.object(raw), "presence", 16))
          .orElseThrow(() -> new InvalidInput("presence", "presence must be online, away or offline"));
      return onSuccess(desks.<RoutingDesk.Outcome>ask(tenantId, replyTo -> new RoutingDesk.SetPresence(userId, presence, replyTo)),
          outcome -> outcome.ok() ? complete(Json.response(StatusCodes.OK, sdrJson(outcome.sdr(), null)))
              : complete(problem(outcome, "user")));
    });
  }

  private Route assign(ApiRouter.Call call) {
    String tenantId = call.tenant().id();
    String leadId = call.variable("lead");
    return entity(Unmarshaller.entityToString(), raw -> {
      JsonNode body = raw.isBlank() ? Json.object("{}") : Json.object(raw);
      String userId = Json.optionalText(body, "userId", 64);
      CompletionStage<Optional<RoutingDesk.Outcome>> done = leads.get(tenantId, leadId).thenCompose(lead -> {
        if (lead.isEmpty()) return CompletableFuture.completedFuture(Optional.empty());
        return desks.<RoutingDesk.Outcome>ask(tenantId, replyTo -> new RoutingDesk.Reassign(leadId, userId, call.principal().actor(),
            replyTo)).thenCompose(outcome -> audited(outcome, tenantId, call.principal().actor(), "lead.reassigned",
                leadId, () -> {
                  Map<String, Object> details = new HashMap<>();
                  details.put("to", outcome.assignment() == null ? null : outcome.assignment().userId());
                  details.put("requested", userId);
                  return details;
                }));
      });
      return answered(done, "userId", leadId, "queued", outcome -> outcome.assignment() == null);
    });
  }

  /**
   * Ends the lead's assignment. An SDR sees only their own leads (404 otherwise) and closes only their own
   * assignment; routing write closes any. The note goes to the audit entry only.
   */
  private Route close(ApiRouter.Call call) {
    String tenantId = call.tenant().id();
    String leadId = call.variable("lead");
    boolean anyAssignment = call.principal().holds(Permission.of(Permission.Resource.ROUTING, Permission.Action.WRITE));
    return entity(Unmarshaller.entityToString(), raw -> {
      JsonNode body = Json.object(raw);
      String outcome = Json.requiredText(body, "outcome", 16);
      if (!CLOSE_OUTCOMES.contains(outcome)) throw new InvalidInput("outcome", "outcome must be won, lost or closed");
      String note = Json.optionalText(body, "note", MAX_NOTE);
      String actor = call.principal().actor();
      CompletionStage<Optional<RoutingDesk.Outcome>> done = leads.get(tenantId, leadId, ApiRoutes.scope(call))
          .thenCompose(lead -> lead.isEmpty() ? CompletableFuture.completedFuture(Optional.empty())
              : desks.<RoutingDesk.Outcome>ask(tenantId, replyTo -> new RoutingDesk.CloseAssignment(leadId, outcome,
                  actor, anyAssignment ? null : call.principal().actorId(), replyTo)).thenCompose(closed -> audited(closed,
                  tenantId, actor, "lead.assignment-closed", leadId, () -> {
                    Map<String, Object> details = new HashMap<>();
                    details.put("outcome", outcome);
                    details.put("sdr", closed.assignment().userId());
                    if (note != null) details.put("note", note);
                    return details;
                  })));
      return answered(done, "lead", leadId, "outcome", closed -> outcome);
    });
  }

  /** Audits a done assignment command; a rejection passes through unaudited. */
  private CompletionStage<Optional<RoutingDesk.Outcome>> audited(RoutingDesk.Outcome outcome, String tenantId,
      String actor, String action, String leadId, java.util.function.Supplier<Map<String, Object>> details) {
    if (!outcome.ok()) return CompletableFuture.completedFuture(Optional.of(outcome));
    return audit.record(new AuditLog.NewEntry(tenantId, actor, action, "lead:" + leadId, details.get()))
        .thenApply(entry -> Optional.of(outcome));
  }

  /** 404 without the lead, the desk's rejection as a problem, else the lead, {@code key} and the assignment. */
  private Route answered(CompletionStage<Optional<RoutingDesk.Outcome>> done, String field, String leadId, String key,
      java.util.function.Function<RoutingDesk.Outcome, Object> value) {
    return onSuccess(done, outcome -> {
      if (outcome.isEmpty()) return complete(Problems.notFound("no such lead"));
      if (!outcome.get().ok()) return complete(problem(outcome.get(), field));
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("leadId", leadId);
      answer.put(key, value.apply(outcome.get()));
      answer.put("assignment", outcome.get().assignment());
      return complete(Json.response(StatusCodes.OK, answer));
    });
  }

  private Route seen(ApiRouter.Call call) {
    String tenantId = call.tenant().id();
    String leadId = call.variable("lead");
    CompletionStage<Optional<RoutingDesk.Outcome>> done = leads.get(tenantId, leadId, ApiRoutes.scope(call))
        .thenCompose(lead -> lead.isEmpty() ? CompletableFuture.completedFuture(Optional.empty())
            : desks.<RoutingDesk.Outcome>ask(tenantId, replyTo -> new RoutingDesk.Seen(leadId, call.principal().actorId(), replyTo))
                .thenApply(Optional::of));
    return onSuccess(done, outcome -> {
      if (outcome.isEmpty()) return complete(Problems.notFound("no such lead"));
      if (!outcome.get().ok()) {
        return complete(Problems.of(StatusCodes.CONFLICT, "Conflict", "the lead is not assigned to you"));
      }
      return complete(Json.response(StatusCodes.OK, outcome.get().assignment()));
    });
  }

  /** Everything an SDR needs to act on the lead at once (PRODUCT §4.4). */
  private Route payload(ApiRouter.Call call) {
    String tenantId = call.tenant().id();
    String leadId = call.variable("lead");
    CompletionStage<Optional<Map<String, Object>>> body = leads.get(tenantId, leadId, ApiRoutes.scope(call))
        .thenCompose(found -> {
          if (found.isEmpty()) return CompletableFuture.completedFuture(Optional.empty());
          var lead = found.get();
          int total = lead.inboundCount() + lead.outboundCount();
          return leads.messages(tenantId, leadId, 1, 0).thenCompose(first -> leads.messages(tenantId, leadId, 5,
                  (int) Math.max(0, first.total() - 5)))
              .thenCombine(queries.leadAi(tenantId, leadId), (messages, ai) -> {
                Map<String, Object> view = new LinkedHashMap<>();
                view.put("leadId", leadId);
                view.put("name", lead.name());
                view.put("channel", lead.channel());
                view.put("profileLink", "/api/v1/tenants/" + tenantId + "/leads/" + leadId);
                view.put("assignedTo", lead.assignedTo());
                view.put("score", ai.map(a -> a.get("score")).orElse(null));
                view.put("band", ai.map(a -> a.get("band")).orElse(null));
                view.put("topFactors", ai.map(a -> a.get("topFactors")).orElse(List.of()));
                Map<String, Object> fields = new LinkedHashMap<>(ai.orElse(Map.of()));
                fields.keySet().removeAll(List.of("score", "band", "topFactors"));
                view.put("extracted", fields);
                view.put("lastMessages", messages.items());
                view.put("messageCount", Math.max(total, messages.total()));
                return view;
              })
              .thenCombine(queries.history(tenantId, leadId), (view, history) -> {
                view.putAll(history);
                return Optional.of(view);
              });
        });
    return onSuccess(body, view -> view.map(v -> complete(Json.response(StatusCodes.OK, v)))
        .orElseGet(() -> complete(Problems.notFound("no such lead"))));
  }

  private Route sla(ApiRouter.Call call) {
    return parameterOptional("from", from -> parameterOptional("to", to -> {
      Instant end = to.map(value -> instant("to", value)).orElseGet(clock::instant);
      Instant start = from.map(value -> instant("from", value)).orElse(end.minus(DEFAULT_SLA_PERIOD));
      if (!end.isAfter(start)) throw new InvalidInput("to", "to must be after from");
      return onSuccess(queries.sla(call.tenant().id(), start, end),
          figures -> complete(Json.response(StatusCodes.OK, figures)));
    }));
  }

  private static Instant instant(String field, String value) {
    try {
      return Instant.parse(value);
    } catch (DateTimeException e) {
      throw new InvalidInput(field, field + " must be an instant such as 2026-01-31T00:00:00Z");
    }
  }

  private static org.apache.pekko.http.javadsl.model.HttpResponse problem(RoutingDesk.Outcome outcome, String field) {
    return switch (outcome.rejection()) {
      case "not-found" -> Problems.notFound(outcome.detail());
      case "conflict" -> Problems.of(StatusCodes.CONFLICT, "Conflict", outcome.detail());
      default -> Problems.badRequest(field, outcome.detail());
    };
  }

  static Map<String, Object> sdrJson(Sdr sdr, Integer load) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("userId", sdr.userId());
    json.put("displayName", sdr.displayName());
    json.put("email", sdr.email());
    json.put("seniority", sdr.seniority().wire());
    json.put("capacity", sdr.capacity());
    Map<String, Object> hours = new LinkedHashMap<>();
    hours.put("days", sdr.workingHours().days().stream().sorted().map(day -> day.name().substring(0, 3)).toList());
    hours.put("start", sdr.workingHours().start().toString());
    hours.put("end", sdr.workingHours().end().toString());
    hours.put("timeZone", sdr.workingHours().zone().getId());
    json.put("workingHours", hours);
    json.put("presence", sdr.presence().wire());
    json.put("skills", sdr.skills());
    json.put("languages", sdr.languages());
    if (load != null) json.put("openLeads", load);
    return json;
  }
}
