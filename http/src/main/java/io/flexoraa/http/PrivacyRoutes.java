package io.flexoraa.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.flexoraa.engine.lead.LeadEntity;
import io.flexoraa.engine.lead.LeadModel;
import io.flexoraa.engine.ports.IdentityIndex;
import io.flexoraa.engine.ports.PiiCipher;
import io.flexoraa.http.Problems.InvalidInput;
import io.flexoraa.persistence.TenantJdbc;
import io.flexoraa.persistence.audit.AuditLog;
import io.flexoraa.persistence.privacy.DeletionRequests;
import io.flexoraa.persistence.privacy.DeletionRequests.Request;
import io.flexoraa.persistence.readmodel.ConsentQueries;
import io.flexoraa.persistence.readmodel.LeadQueries;
import io.flexoraa.persistence.readmodel.LeadViews.MessageView;
import io.flexoraa.persistence.readmodel.LeadViews.Page;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * Privacy rights of a lead (PRODUCT §10): consent records, the complete export (portability) and erasure.
 *
 * <p>Erasure is a request a staff member files on the lead's behalf and a manager approves or rejects. Approval runs
 * the steps in an order that is safe to repeat after a crash: the lead entity anonymizes itself (its identifiers
 * forgotten, an event recording who and why), the identity index retires its identifiers (kept as salted hashes for
 * duplicate detection, so the person's next message starts a new lead), its data key is shredded on every node (its
 * events and read-model ciphertext become unreadable for good), and only then is the request marked approved, with
 * its audit entry in the same transaction. The read models are masked by the projection from the event.
 */
final class PrivacyRoutes extends AllDirectives {
  private static final Pattern PURPOSE = Pattern.compile("[a-z][a-z0-9-]{0,63}");
  private static final Set<String> CHANNELS = Set.of("whatsapp", "instagram", "messenger", "email", "web", "sms", "phone");
  private static final int EXPORT_PAGE = 500;

  private final ClusterSharding sharding;
  private final TenantJdbc jdbc;
  private final LeadQueries leads;
  private final ConsentQueries consents;
  private final PiiCipher cipher;
  private final IdentityIndex identities;
  private final KeyEventsBroadcast keyEvents;
  private final Clock clock;
  private final Duration askTimeout;

  PrivacyRoutes(ActorSystem<?> system, TenantJdbc jdbc, LeadQueries leads, ConsentQueries consents, PiiCipher cipher,
      IdentityIndex identities, KeyEventsBroadcast keyEvents, Clock clock, Duration askTimeout) {
    this.sharding = ClusterSharding.get(system);
    this.jdbc = jdbc;
    this.leads = leads;
    this.consents = consents;
    this.cipher = cipher;
    this.identities = identities;
    this.keyEvents = keyEvents;
    this.clock = clock;
    this.askTimeout = askTimeout;
  }

  Map<Endpoint, ApiRouter.Handler> handlers() {
    Map<Endpoint, ApiRouter.Handler> handlers = new EnumMap<>(Endpoint.class);
    handlers.put(Endpoint.LIST_CONSENTS, call -> withLead(call, lead ->
        onSuccess(consents.list(call.tenant().id(), lead), records ->
            complete(Json.response(StatusCodes.OK, new Page<>(records, records.size()))))));
    handlers.put(Endpoint.RECORD_CONSENT, this::recordConsent);
    handlers.put(Endpoint.EXPORT_LEAD, call -> withLead(call, lead -> onSuccess(export(call, lead),
        body -> complete(Json.response(StatusCodes.OK, body)))));
    handlers.put(Endpoint.CREATE_DELETION_REQUEST, this::fileDeletionRequest);
    handlers.put(Endpoint.LIST_DELETION_REQUESTS, call -> paging((limit, offset) ->
        parameterOptional("status", status -> parameterOptional("leadId", leadId -> {
          String wanted = status.filter(value -> !value.isBlank()).orElse(null);
          if (wanted != null && !Set.of(DeletionRequests.PENDING, DeletionRequests.APPROVED, DeletionRequests.REJECTED).contains(wanted)) {
            throw new InvalidInput("status", "status must be pending, approved or rejected");
          }
          String tenantId = call.tenant().id();
          return onSuccess(jdbc.async(tenantId, connection -> new Page<>(
                  DeletionRequests.list(connection, tenantId, wanted, leadId.orElse(null), limit, offset),
                  DeletionRequests.count(connection, tenantId, wanted, leadId.orElse(null)))),
              page -> complete(Json.response(StatusCodes.OK, page)));
        }))));
    handlers.put(Endpoint.GET_DELETION_REQUEST, call -> onSuccess(
        jdbc.async(call.tenant().id(), connection -> DeletionRequests.find(connection, call.tenant().id(), call.variable("request"))),
        request -> request.map(found -> complete(Json.response(StatusCodes.OK, found)))
            .orElseGet(() -> complete(Problems.notFound("no such deletion request")))));
    handlers.put(Endpoint.APPROVE_DELETION_REQUEST, this::approve);
    handlers.put(Endpoint.REJECT_DELETION_REQUEST, this::reject);
    return handlers;
  }

  private static Route paging(java.util.function.BiFunction<Integer, Integer, Route> inner) {
    return Paging.paging(500, inner);
  }


  /** The lead in the caller's scope (an SDR's own leads), or 404. */
  private Route withLead(ApiRouter.Call call, java.util.function.Function<String, Route> inner) {
    String leadId = call.variable("lead");
    return onSuccess(leads.get(call.tenant().id(), leadId, ApiRoutes.scope(call)), lead -> lead.isPresent()
        ? inner.apply(leadId)
        : complete(Problems.notFound("no such lead")));
  }

  // ---- consent ----

  private Route recordConsent(ApiRouter.Call call) {
    return withLead(call, leadId -> extractClientIP(clientIp -> optionalHeaderValueByName("User-Agent", agent ->
        entity(Unmarshaller.entityToString(), raw -> {
          JsonNode body = Json.object(raw);
          String channel = Json.requiredText(body, "channel", 16).toLowerCase();
          if (!CHANNELS.contains(channel)) throw new InvalidInput("channel", "channel must be one of " + CHANNELS);
          String purpose = Json.matching("purpose", Json.requiredText(body, "purpose", 64).toLowerCase(), PURPOSE,
              "must be a purpose such as messaging or marketing (lowercase letters, digits, '-')");
          JsonNode granted = body.get("granted");
          if (granted == null || !granted.isBoolean()) throw new InvalidInput("granted", "granted must be true or false");
          String source = Json.requiredText(body, "source", 200);
          String ip = Optional.ofNullable(Json.optionalText(body, "ip", 64))
              .orElseGet(() -> clientIp.getAddress().map(java.net.InetAddress::getHostAddress).orElse(null));
          String userAgent = Optional.ofNullable(Json.optionalText(body, "userAgent", 512)).orElse(agent.orElse(null));
          Instant givenAt = instant(body, "givenAt");
          String tenantId = call.tenant().id();
          String recordId = UUID.randomUUID().toString();
          CompletionStage<LeadModel.ConsentView> recorded = cipher.leadCipher(tenantId, leadId).thenCompose(leadCipher ->
              lead(tenantId, leadId).askWithStatus(replyTo -> new LeadModel.RecordConsent(tenantId, leadId, recordId,
                  channel, purpose, granted.asBoolean(), source, encrypt(leadCipher, ip), encrypt(leadCipher, userAgent),
                  call.principal().actor(), givenAt, replyTo), askTimeout));
          return onSuccess(recorded, view -> {
            Map<String, Object> reply = new LinkedHashMap<>();
            reply.put("recordId", view.recordId());
            reply.put("leadId", leadId);
            reply.put("channel", view.channel());
            reply.put("purpose", view.purpose());
            reply.put("granted", view.granted());
            reply.put("source", view.source());
            reply.put("ip", ip);
            reply.put("userAgent", userAgent);
            reply.put("actor", view.actor());
            reply.put("givenAt", view.givenAt());
            reply.put("recordedAt", view.recordedAt());
            return complete(Json.response(StatusCodes.CREATED, reply));
          });
        }))));
  }

  private static String encrypt(PiiCipher.FieldCipher leadCipher, String value) {
    return value == null ? null : leadCipher.encrypt(value);
  }

  private static Instant instant(JsonNode body, String field) {
    String raw = Json.optionalText(body, field, 40);
    if (raw == null) return null;
    try {
      return Instant.parse(raw);
    } catch (DateTimeParseException e) {
      throw new InvalidInput(field, field + " must be an ISO-8601 instant such as 2026-11-01T10:15:00Z");
    }
  }

  // ---- export ----

  /** Everything about the lead, audited before it is handed out: no export leaves without its entry. */
  private CompletionStage<Map<String, Object>> export(ApiRouter.Call call, String leadId) {
    String tenantId = call.tenant().id();
    CompletionStage<AuditLog.Entry> audited = jdbc.async(tenantId, connection -> AuditLog.append(connection,
        new AuditLog.NewEntry(tenantId, call.principal().actor(), "lead.exported", leadId, Map.of()), clock.instant()));
    return audited.thenCompose(entry -> leads.get(tenantId, leadId, LeadQueries.Scope.all())
        .thenCombine(allMessages(tenantId, leadId, 0, new ArrayList<>()), (lead, messages) -> {
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("exportedAt", entry.at());
          body.put("exportedBy", call.principal().actor());
          body.put("tenantId", tenantId);
          body.put("lead", lead.orElse(null));
          body.put("messages", messages);
          return body;
        })
        .thenCombine(consents.list(tenantId, leadId), (body, records) -> {
          body.put("consents", records);
          return body;
        })
        .thenCombine(jdbc.async(tenantId, connection -> Map.of(
            "deletionRequests", DeletionRequests.list(connection, tenantId, null, leadId, 1000, 0),
            "auditTrail", AuditLog.list(connection, tenantId, null, null, null, leadId, 0, 10_000))), (body, rest) -> {
          body.putAll(rest);
          return body;
        }));
  }

  private CompletionStage<List<MessageView>> allMessages(String tenantId, String leadId, int offset, List<MessageView> into) {
    return leads.messages(tenantId, leadId, EXPORT_PAGE, offset).thenCompose(page -> {
      into.addAll(page.items());
      return page.items().size() < EXPORT_PAGE
          ? CompletableFuture.completedFuture(into)
          : allMessages(tenantId, leadId, offset + EXPORT_PAGE, into);
    });
  }

  // ---- erasure ----

  private Route fileDeletionRequest(ApiRouter.Call call) {
    return entity(Unmarshaller.entityToString(), raw -> {
      JsonNode body = Json.object(raw);
      String leadId = Json.matching("leadId", Json.requiredText(body, "leadId", 64), Pattern.compile("[A-Za-z0-9_-]{1,64}"),
          "must be a lead id");
      String requestedBy = Json.requiredText(body, "requestedBy", 200);
      String reason = Json.optionalText(body, "reason", 1000);
      String tenantId = call.tenant().id();
      Instant now = clock.instant();
      CompletionStage<Optional<Request>> filed = leads.get(tenantId, leadId, ApiRoutes.scope(call)).thenCompose(lead -> {
        if (lead.isEmpty()) throw new InvalidInput("leadId", "there is no such lead");
        Request request = new Request(tenantId, UUID.randomUUID().toString(), leadId, requestedBy, reason,
            DeletionRequests.PENDING, call.principal().actor(), now, null, null, null);
        return jdbc.async(tenantId, connection -> {
          Optional<Request> stored = DeletionRequests.file(connection, request);
          if (stored.isPresent()) {
            AuditLog.append(connection, new AuditLog.NewEntry(tenantId, call.principal().actor(),
                "privacy.deletion-requested", leadId, Map.of("requestId", request.requestId())), now);
          }
          return stored;
        });
      });
      return onSuccess(filed, stored -> stored
          .map(request -> complete(Json.response(StatusCodes.CREATED, request)))
          .orElseGet(() -> complete(Problems.of(StatusCodes.CONFLICT, "Already requested",
              "this lead already has a pending deletion request"))));
    });
  }

  private Route approve(ApiRouter.Call call) {
    String tenantId = call.tenant().id();
    String requestId = call.variable("request");
    String actor = call.principal().actor();
    CompletionStage<HttpResponse> outcome = jdbc.async(tenantId, connection -> DeletionRequests.find(connection, tenantId, requestId))
        .thenCompose(found -> {
          if (found.isEmpty()) return CompletableFuture.completedFuture(Problems.notFound("no such deletion request"));
          Request request = found.get();
          if (!DeletionRequests.PENDING.equals(request.status())) return CompletableFuture.completedFuture(notPending(request));
          String leadId = request.leadId();
          return lead(tenantId, leadId)
              .<LeadModel.Anonymized>askWithStatus(replyTo -> new LeadModel.Anonymize(requestId, actor, replyTo), askTimeout)
              .thenCompose(anonymized -> identities.retireLead(tenantId, leadId))
              .thenCompose(retired -> cipher.shredLead(tenantId, leadId).thenApply(shredded -> {
                keyEvents.leadShredded(tenantId, leadId);
                return retired;
              }))
              .thenCompose(retired -> jdbc.async(tenantId, connection -> {
                Instant now = clock.instant();
                Optional<Request> decided = DeletionRequests.decide(
                    connection, tenantId, requestId, DeletionRequests.APPROVED, actor, null, now);
                if (decided.isPresent()) {
                  AuditLog.append(connection, new AuditLog.NewEntry(tenantId, actor, "privacy.deletion-approved", leadId,
                      Map.of("requestId", requestId, "identifiersRetired", retired, "keyShredded", true)), now);
                }
                return decided;
              }))
              .thenApply(decided -> decided
                  .map(done -> Json.response(StatusCodes.OK, done))
                  .orElseGet(() -> Problems.of(StatusCodes.CONFLICT, "Already decided", "the request was decided meanwhile")));
        });
    return onSuccess(outcome, this::complete);
  }

  private Route reject(ApiRouter.Call call) {
    return entity(Unmarshaller.entityToString(), raw -> {
      JsonNode body = raw.isBlank() ? Json.MAPPER.createObjectNode() : Json.object(raw);
      String note = Json.optionalText(body, "note", 1000);
      String tenantId = call.tenant().id();
      String requestId = call.variable("request");
      String actor = call.principal().actor();
      CompletionStage<HttpResponse> outcome = jdbc.async(tenantId, connection -> {
        Optional<Request> found = DeletionRequests.find(connection, tenantId, requestId);
        if (found.isEmpty()) return Problems.notFound("no such deletion request");
        Instant now = clock.instant();
        Optional<Request> decided = DeletionRequests.decide(connection, tenantId, requestId, DeletionRequests.REJECTED, actor, note, now);
        if (decided.isEmpty()) return notPending(found.get());
        AuditLog.append(connection, new AuditLog.NewEntry(tenantId, actor, "privacy.deletion-rejected", found.get().leadId(),
            Map.of("requestId", requestId)), now);
        return Json.response(StatusCodes.OK, decided.get());
      });
      return onSuccess(outcome, this::complete);
    });
  }

  private static HttpResponse notPending(Request request) {
    return Problems.of(StatusCodes.CONFLICT, "Already decided", "the request is already " + request.status());
  }

  private EntityRef<io.flexoraa.engine.lead.LeadModel.Command> lead(String tenantId, String leadId) {
    return sharding.entityRefFor(LeadEntity.TYPE_KEY, LeadEntity.entityId(tenantId, leadId));
  }
}
