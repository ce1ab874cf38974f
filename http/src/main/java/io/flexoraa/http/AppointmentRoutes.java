package io.flexoraa.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import io.flexoraa.engine.ai.AiProfile;
import io.flexoraa.engine.ai.AiProfiles;
import io.flexoraa.engine.appointments.AppointmentSettings;
import io.flexoraa.engine.appointments.Availability;
import io.flexoraa.engine.appointments.LeadZones;
import io.flexoraa.engine.appointments.SdrCalendar;
import io.flexoraa.engine.appointments.SdrCalendarEntity;
import io.flexoraa.engine.ports.CalendarBusy;
import io.flexoraa.engine.ports.Roster;
import io.flexoraa.engine.routing.Sdr;
import io.flexoraa.engine.routing.WorkingHours.Interval;
import io.flexoraa.http.Problems.InvalidInput;
import io.flexoraa.persistence.appointments.JdbcAppointments;
import io.flexoraa.persistence.audit.AuditLog;
import io.flexoraa.persistence.readmodel.LeadQueries;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /appointments}: free slots and the 3-slot offer from the lead's SDR, bookings (serialised by the SDR's
 * calendar entity: an overlap is a 409), reschedule and cancel, and an SDR's Google Calendar connection. An SDR works
 * only with the leads assigned to them (another lead reads as absent).
 */
final class AppointmentRoutes extends AllDirectives {
  private static final Logger log = LoggerFactory.getLogger(AppointmentRoutes.class);
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[A-Za-z0-9._:-]{8,128}");
  private static final int MAX_LIST = 500;

  private final SalesComponents.Deps deps;
  private final AppointmentSettings settings;
  private final JdbcAppointments store;
  private final Roster roster;
  private final CalendarBusy busy;
  private final AppointmentDeliveries deliveries;
  private final AppointmentWording wording;
  private final String bookingLink;
  private final AiProfiles profiles;
  private final LeadZones leadZones;
  private final ClusterSharding sharding;

  AppointmentRoutes(SalesComponents.Deps deps, AppointmentSettings settings, JdbcAppointments store, Roster roster,
      CalendarBusy busy, AppointmentDeliveries deliveries, AiProfiles profiles, Config appointments) {
    this.deps = deps;
    this.settings = settings;
    this.store = store;
    this.roster = roster;
    this.busy = busy;
    this.deliveries = deliveries;
    this.wording = new AppointmentWording(appointments);
    this.bookingLink = appointments.getString("booking-link");
    this.profiles = profiles;
    this.leadZones = LeadZones.fromConfig(appointments.getConfig("lead-zones"));
    this.sharding = ClusterSharding.get(deps.system());
  }

  Map<Endpoint, ApiRouter.Handler> handlers() {
    Map<Endpoint, ApiRouter.Handler> handlers = new EnumMap<>(Endpoint.class);
    handlers.put(Endpoint.LIST_APPOINTMENT_SLOTS, this::slots);
    handlers.put(Endpoint.OFFER_APPOINTMENT, this::offer);
    handlers.put(Endpoint.BOOK_APPOINTMENT, this::book);
    handlers.put(Endpoint.LIST_APPOINTMENTS, this::list);
    handlers.put(Endpoint.GET_APPOINTMENT, this::get);
    handlers.put(Endpoint.LIST_APPOINTMENT_TASKS, this::tasks);
    handlers.put(Endpoint.RESCHEDULE_APPOINTMENT, this::reschedule);
    handlers.put(Endpoint.CANCEL_APPOINTMENT, this::cancel);
    handlers.put(Endpoint.CONNECT_SDR_CALENDAR, this::connectCalendar);
    return handlers;
  }

  // ---- slots and offers ----

  record Slot(Instant startsAt, Instant endsAt) {}

  record Offer(String offerId, String leadId, String userId, String timeZone, List<Slot> slots, String bookingLink,
      String messageId) {}

  private Route slots(ApiRouter.Call call) {
    return parameterOptional("leadId", leadId -> parameterOptional("userId", userId ->
        onSuccess(offerFor(call, required("leadId", leadId), userId.orElse(null)), offer -> complete(
            Json.response(StatusCodes.OK, offer)))));
  }

  private Route offer(ApiRouter.Call call) {
    return entity(Unmarshaller.entityToString(), raw -> {
      JsonNode body = Json.object(raw);
      String leadId = id("leadId", Json.requiredText(body, "leadId", 64));
      String userId = Optional.ofNullable(Json.optionalText(body, "userId", 64)).map(u -> id("userId", u)).orElse(null);
      String tenantId = call.tenant().id();
      CompletionStage<Offer> sent = offerFor(call, leadId, userId).thenCompose(offer ->
          store.leadLanguage(tenantId, leadId).thenCompose(language -> {
            java.time.ZoneId zone = java.time.ZoneId.of(offer.timeZone());
            List<Interval> slots = offer.slots().stream().map(s -> new Interval(s.startsAt(), s.endsAt())).toList();
            String text = offer.bookingLink() != null && slots.size() < settings.offerCount()
                ? wording.text(language.orElse(null), "offer-link", null, null, offer.bookingLink())
                : wording.text(language.orElse(null), "offer", null,
                    AppointmentWording.slots(slots, zone, language.orElse(null)), null);
            String offerId = "offer-" + UUID.randomUUID();
            String messageId = "appt-" + Secrets.sha256Hex(offerId).substring(0, 32);
            return deliveries.send(tenantId, leadId, messageId, text)
                .thenCompose(result -> store.recordOffer(tenantId, offerId, leadId, offer.userId(),
                    Json.MAPPER.valueToTree(offer.slots()).toString(), offer.bookingLink(), messageId))
                .thenApply(done -> new Offer(offerId, leadId, offer.userId(), offer.timeZone(), offer.slots(),
                    offer.bookingLink(), messageId));
          }));
      return onSuccess(sent, offer -> complete(Json.response(StatusCodes.CREATED, offer)));
    });
  }

  /**
   * Up to offer-count slots of the SDR (given, else the lead's assignee), written in the lead's zone when their
   * phone's country has one, else the SDR's; fewer slots bring the booking link (the tenant AI profile's, else the
   * configured one). A failing calendar is left out, logged.
   */
  private CompletionStage<Offer> offerFor(ApiRouter.Call call, String leadId, String userIdParam) {
    String tenantId = call.tenant().id();
    id("leadId", leadId);
    if (userIdParam != null) id("userId", userIdParam);
    return visibleLead(call, leadId).thenCompose(lead -> {
      String userId = userIdParam != null ? userIdParam : lead.assignedTo();
      if (userId == null) throw new InvalidInput("userId", "the lead is assigned to nobody: give userId");
      return sdr(tenantId, userId).thenCompose(sdr -> {
        Instant now = deps.clock().instant();
        Instant to = now.plus(settings.horizon());
        CompletionStage<List<Interval>> busyTimes = busy.busy(tenantId, userId, now, to).exceptionally(failure -> {
          log.warn("Calendar of {} unavailable, slots from working hours and bookings only: {}", userId,
              failure.getMessage());
          return List.of();
        });
        ZoneId zone = leadZones.of(lead.phone()).orElse(sdr.workingHours().zone());
        return bookings(tenantId, userId, now).thenCombine(busyTimes, (booked, taken) -> {
          List<Interval> free = Availability.freeSlots(sdr.workingHours(), booked, taken, now, settings);
          return Availability.offer(free, sdr.workingHours().zone(), settings.offerCount()).stream()
              .map(slot -> new Slot(slot.start(), slot.end())).toList();
        }).thenCompose(slots -> link(tenantId, slots.size()).thenApply(link ->
            new Offer(null, leadId, userId, zone.getId(), slots, link, null)));
      });
    });
  }

  /** The booking link when fewer than offer-count slots fit: the tenant AI profile's if set, else the configured. */
  private CompletionStage<String> link(String tenantId, int slots) {
    if (slots >= settings.offerCount()) return CompletableFuture.completedFuture(null);
    return profiles.get(tenantId).thenApply(profile -> profile.map(AiProfile::bookingLink)
        .filter(link -> !link.isBlank())
        .orElse(bookingLink.isBlank() ? null : bookingLink));
  }

  // ---- bookings ----

  record AppointmentView(String id, String leadId, String userId, Instant startsAt, Instant endsAt, String status,
      int sequence, String reason) {
    static AppointmentView of(SdrCalendar.Appointment a) {
      return new AppointmentView(a.appointmentId(), a.leadId(), a.userId(), a.startsAt(), a.endsAt(), a.status(),
          a.sequence(), a.reason());
    }

    static AppointmentView of(JdbcAppointments.AppointmentRow a) {
      return new AppointmentView(a.appointmentId(), a.leadId(), a.userId(), a.startsAt(), a.endsAt(), a.status(),
          a.sequence(), a.reason());
    }
  }

  /**
   * Books {@code startsAt} for the lead, or — {@code offerId} and {@code slot} (1-based) — the slot the lead chose
   * from an offer sent to them, with the offer's SDR.
   */
  private Route book(ApiRouter.Call call) {
    String tenantId = call.tenant().id();
    return optionalHeaderValueByName("Idempotency-Key", key -> entity(Unmarshaller.entityToString(), raw -> {
      JsonNode body = Json.object(raw);
      String offerId = Optional.ofNullable(Json.optionalText(body, "offerId", 64)).map(o -> id("offerId", o))
          .orElse(null);
      Duration length = duration(body);
      String appointmentId = key.map(k -> {
        Json.matching("Idempotency-Key", k, IDEMPOTENCY_KEY, "must be 8-128 letters, digits or ._:-");
        return "ap-" + Secrets.sha256Hex(tenantId + "|" + k).substring(0, 32);
      }).orElseGet(() -> "ap-" + UUID.randomUUID().toString().replace("-", ""));
      CompletionStage<Choice> choice = offerId != null ? offered(tenantId, offerId, body)
          : CompletableFuture.completedFuture(new Choice(id("leadId", Json.requiredText(body, "leadId", 64)),
              Optional.ofNullable(Json.optionalText(body, "userId", 64)).map(u -> id("userId", u)).orElse(null),
              instant("startsAt", Json.requiredText(body, "startsAt", 64)), length));
      CompletionStage<SdrCalendar.Answer> answer = choice.thenCompose(chosen -> visibleLead(call, chosen.leadId())
          .thenCompose(lead -> {
            String userId = chosen.userId() != null ? chosen.userId() : lead.assignedTo();
            if (userId == null) throw new InvalidInput("userId", "the lead is assigned to nobody: give userId");
            return sdr(tenantId, userId).thenCompose(sdr -> calendar(tenantId, userId)
                .<SdrCalendar.Answer>askWithStatus(replyTo -> new SdrCalendar.Book(tenantId, userId, appointmentId,
                    chosen.leadId(), chosen.startsAt(), chosen.startsAt().plus(chosen.length()), sdr.workingHours(),
                    call.principal().actor(), replyTo), deps.askTimeout()));
          }))
          .thenCompose(result -> result.created() ? booked(call, result) : CompletableFuture.completedFuture(result));
      return onSuccess(answer, result -> complete(answered(result, result.created() ? StatusCodes.CREATED
          : StatusCodes.OK)));
    }));
  }

  /** What to book: a lead, an SDR (null: the assignee), a start and a length. */
  private record Choice(String leadId, String userId, Instant startsAt, Duration length) {}

  /** Slot {@code slot} of the offer; an unknown offer is a 404, a slot it did not name a 400. */
  private CompletionStage<Choice> offered(String tenantId, String offerId, JsonNode body) {
    JsonNode slot = body.get("slot");
    if (slot == null || !slot.isInt() || slot.asInt() < 1 || slot.asInt() > settings.offerCount()) {
      throw new InvalidInput("slot", "slot must be the number of an offered slot, 1 to " + settings.offerCount());
    }
    String leadId = Optional.ofNullable(Json.optionalText(body, "leadId", 64)).map(l -> id("leadId", l)).orElse(null);
    return store.offer(tenantId, offerId).thenApply(offer -> {
      if (offer.isEmpty() || (leadId != null && !leadId.equals(offer.get().leadId()))) throw notFound("no such offer");
      List<Slot> slots;
      try {
        slots = List.of(Json.MAPPER.readValue(offer.get().slotsJson(), Slot[].class));
      } catch (java.io.IOException e) {
        throw new IllegalStateException("offer " + offerId + " has unreadable slots", e);
      }
      if (slot.asInt() > slots.size()) throw new InvalidInput("slot", "the offer named " + slots.size() + " slots");
      Slot chosen = slots.get(slot.asInt() - 1);
      return new Choice(offer.get().leadId(), offer.get().userId(), chosen.startsAt(),
          Duration.between(chosen.startsAt(), chosen.endsAt()));
    });
  }

  /** A new booking costs an {@code appointment} token and is audited. */
  private CompletionStage<SdrCalendar.Answer> booked(ApiRouter.Call call, SdrCalendar.Answer result) {
    SdrCalendar.Appointment a = result.appointment();
    return deps.tokens().debit(a.tenantId(), "appointment", a.leadId(), a.appointmentId())
        .exceptionally(failure -> {
          log.warn("Appointment {} booked without its token debit: {}", a.appointmentId(), failure.getMessage());
          return null;
        })
        .thenCompose(debited -> deps.audit().record(new AuditLog.NewEntry(a.tenantId(), call.principal().actor(),
            "appointment.booked", a.appointmentId(), Map.of("leadId", a.leadId(), "userId", a.userId(),
                "startsAt", a.startsAt().toString()))))
        .thenApply(entry -> result);
  }

  private Route reschedule(ApiRouter.Call call) {
    return entity(Unmarshaller.entityToString(), raw -> {
      JsonNode body = Json.object(raw);
      Instant startsAt = instant("startsAt", Json.requiredText(body, "startsAt", 64));
      CompletionStage<SdrCalendar.Answer> answer = existing(call).thenCompose(row -> sdr(call.tenant().id(),
          row.userId()).thenCompose(sdr -> calendar(call.tenant().id(), row.userId()).<SdrCalendar.Answer>askWithStatus(
              replyTo -> new SdrCalendar.Reschedule(row.appointmentId(), startsAt,
                  startsAt.plus(Duration.between(row.startsAt(), row.endsAt())), sdr.workingHours(),
                  call.principal().actor(), replyTo), deps.askTimeout())));
      return onSuccess(answer, result -> complete(answered(result, StatusCodes.OK)));
    });
  }

  private Route cancel(ApiRouter.Call call) {
    return entity(Unmarshaller.entityToString(), raw -> {
      JsonNode body = Json.object(raw);
      String reason = Json.optionalText(body, "reason", 500);
      CompletionStage<SdrCalendar.Answer> answer = existing(call).thenCompose(row ->
          calendar(call.tenant().id(), row.userId()).<SdrCalendar.Answer>askWithStatus(replyTo -> new SdrCalendar.Cancel(
              row.appointmentId(), reason, call.principal().actor(), replyTo), deps.askTimeout()));
      return onSuccess(answer, result -> complete(answered(result, StatusCodes.OK)));
    });
  }

  private Route list(ApiRouter.Call call) {
    return parameterOptional("userId", userId -> parameterOptional("from", from -> parameterOptional("to", to -> {
      Instant now = deps.clock().instant();
      Instant start = from.map(f -> instant("from", f)).orElse(now.minus(Duration.ofDays(1)));
      Instant end = to.map(t -> instant("to", t)).orElse(now.plus(settings.horizon()));
      if (!end.isAfter(start)) throw new InvalidInput("to", "to must be after from");
      String user = userId.map(u -> id("userId", u)).orElse(null);
      LeadQueries.Scope scope = ApiRoutes.scope(call);
      if (scope.restricted()) user = scope.assignedTo();
      // each with the reminders still to go out (My queue shows them)
      return onSuccess(store.list(call.tenant().id(), user, start, end, MAX_LIST).thenCombine(
          store.pendingReminders(call.tenant().id(), user, start, end), (rows, reminders) -> rows.stream().map(row -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> json = Json.MAPPER.convertValue(AppointmentView.of(row), Map.class);
            json.put("remindersDue", reminders.getOrDefault(row.appointmentId(), List.of()));
            return json;
          }).toList()),
          items -> complete(Json.response(StatusCodes.OK, Map.of("items", items))));
    })));
  }

  /** An SDR's to-do after their calls: who to follow up and since when (an SDR: their own; others give userId). */
  private Route tasks(ApiRouter.Call call) {
    return parameterOptional("userId", userId -> {
      LeadQueries.Scope scope = ApiRoutes.scope(call);
      String user = scope.restricted() ? scope.assignedTo() : id("userId", required("userId", userId));
      return onSuccess(store.tasks(call.tenant().id(), user), rows -> complete(Json.response(StatusCodes.OK,
          Map.of("items", rows))));
    });
  }

  private Route get(ApiRouter.Call call) {
    return onSuccess(existing(call), row -> complete(Json.response(StatusCodes.OK, AppointmentView.of(row))));
  }

  private Route connectCalendar(ApiRouter.Call call) {
    String userId = call.variable("user");
    return entity(Unmarshaller.entityToString(), raw -> {
      JsonNode body = Json.object(raw);
      String provider = Json.requiredText(body, "provider", 32);
      if (!"google".equals(provider)) throw new InvalidInput("provider", "provider must be google");
      String calendarId = Json.requiredText(body, "calendarId", 256);
      String token = Json.requiredText(body, "accessToken", 4096);
      CompletionStage<?> stored = store.connectCalendar(call.tenant().id(), userId, provider, calendarId, token)
          .thenCompose(done -> deps.audit().record(new AuditLog.NewEntry(call.tenant().id(), call.principal().actor(),
              "sdr.calendar-connected", userId, Map.of("provider", provider))));
      return onSuccess(stored, done -> complete(HttpResponse.create().withStatus(StatusCodes.NO_CONTENT)));
    });
  }

  // ---- helpers ----

  private CompletionStage<io.flexoraa.persistence.readmodel.LeadViews.LeadView> visibleLead(ApiRouter.Call call,
      String leadId) {
    return deps.leads().get(call.tenant().id(), leadId, ApiRoutes.scope(call)).thenApply(lead -> lead.orElseThrow(
        () -> notFound("no such lead")));
  }

  /** The appointment in the path, if the caller may see it (an SDR: only for their own leads). */
  private CompletionStage<JdbcAppointments.AppointmentRow> existing(ApiRouter.Call call) {
    String appointmentId = call.variable("appointment");
    return store.get(call.tenant().id(), appointmentId).thenCompose(row -> {
      if (row.isEmpty()) throw notFound("no such appointment");
      return visibleLead(call, row.get().leadId()).thenApply(lead -> row.get());
    });
  }

  /** Absent, or outside the caller's scope: 404 (EdgeErrors maps a not-found refusal). */
  private static RuntimeException notFound(String message) {
    return new io.flexoraa.engine.outbound.OutboundService.Refused(message, true);
  }

  private CompletionStage<Sdr> sdr(String tenantId, String userId) {
    return roster.sdr(tenantId, userId).thenApply(sdr -> sdr.orElseThrow(
        () -> new InvalidInput("userId", "no SDR " + userId + " on the tenant's roster")));
  }

  private CompletionStage<List<Interval>> bookings(String tenantId, String userId, Instant from) {
    return calendar(tenantId, userId).<List<Interval>>askWithStatus(replyTo -> new SdrCalendar.Bookings(from, replyTo),
        deps.askTimeout());
  }

  private EntityRef<SdrCalendar.Command> calendar(String tenantId, String userId) {
    return sharding.entityRefFor(SdrCalendarEntity.TYPE_KEY, SdrCalendarEntity.entityId(tenantId, userId));
  }

  private static HttpResponse answered(SdrCalendar.Answer answer, org.apache.pekko.http.javadsl.model.StatusCode ok) {
    if (answer.accepted()) return Json.response(ok, AppointmentView.of(answer.appointment()));
    return switch (answer.rejection()) {
      case "conflict" -> Problems.of(StatusCodes.CONFLICT, "Conflict", answer.message());
      case "not-found" -> Problems.notFound(answer.message());
      default -> Problems.badRequest("startsAt", answer.message());
    };
  }

  private static String required(String field, Optional<String> value) {
    return value.filter(v -> !v.isBlank()).orElseThrow(() -> new InvalidInput(field, field + " is required"));
  }

  private static String id(String field, String value) {
    return Json.matching(field, value, ID, "must be an id (letters, digits, _ or -)");
  }

  private static Instant instant(String field, String value) {
    try {
      return java.time.OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      throw new InvalidInput(field, field + " must be an ISO-8601 time with an offset, like 2026-03-04T11:00:00+05:30");
    }
  }

  private Duration duration(JsonNode body) {
    JsonNode minutes = body.get("durationMinutes");
    if (minutes == null || minutes.isNull()) return settings.slotLength();
    if (!minutes.isInt() || minutes.asInt() < 5 || minutes.asInt() > settings.maxDuration().toMinutes()) {
      throw new InvalidInput("durationMinutes", "durationMinutes must be a whole number from 5 to "
          + settings.maxDuration().toMinutes());
    }
    return Duration.ofMinutes(minutes.asInt());
  }
}
