package io.flexoraa.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.flexoraa.http.TestEngine.eventually;
import static io.flexoraa.http.TestEngine.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Appointments end to end on a real engine and PostgreSQL, with SDRs put on the roster through the API, GreenMail
 * as the SMTP server and WireMock as Google Calendar and the Graph API: 100 concurrent bookings for three slots give
 * three appointments (read model and journal agree exactly); the ICS invite arrives by e-mail (REQUEST, then
 * SEQUENCE 1 on reschedule, CANCEL on cancel) and the SDR's notices (booked, reminder, follow-up) are listed by the
 * notifications API; the follow-up task appears after the call; the offer reaches the lead's WhatsApp in the lead's
 * zone and the lead books one of its slots; an SDR cannot touch another SDR's lead's appointment; bad input is a
 * 400 and a taken slot a 409.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AppointmentApiTest {
  private static final String VERSION = "v21.0";
  private static final String PASSWORD = "correct horse battery staple";
  private static final AtomicInteger N = new AtomicInteger();

  private WireMockServer google;
  private WireMockServer graph;
  private GreenMail mail;
  private TestEngine engine;
  private String tenantId;
  private String admin;
  private final String waba = "305100000000001";
  private final String phoneNumberId = "405100000000001";

  @BeforeAll
  void start(@TempDir Path dataDirectory) {
    google = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    google.start();
    graph = RoutingApiTest.graph();
    mail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
    mail.start();
    Map<String, Object> settings = new HashMap<>();
    settings.put("flexoraa.appointments.google.root-url", google.baseUrl() + "/");
    settings.put("flexoraa.appointments.lead-time", "2s");
    settings.put("flexoraa.appointments.slot-length", "3s");
    settings.put("flexoraa.appointments.reminders", List.of("3s"));
    settings.put("flexoraa.appointments.follow-up-delay", "1s");
    settings.put("flexoraa.appointments.keeper-interval", "1s");
    settings.put("flexoraa.appointments.booking-link", "https://book.flexoraa.test/default");
    settings.put("flexoraa.meta.graph.base-url", graph.baseUrl());
    settings.put("flexoraa.meta.graph.api-version", VERSION);
    settings.put("flexoraa.smtp.host", "127.0.0.1");
    settings.put("flexoraa.smtp.port", mail.getSmtp().getPort());
    settings.put("flexoraa.smtp.from", "Flexoraa <calls@flexoraa.test>");
    engine = TestEngine.start(dataDirectory, settings);
    tenantId = engine.createTenant("Slots Realty", "IN");
    admin = engine.createApiKey(tenantId, "Admin");
    engine.registerWhatsApp(tenantId, phoneNumberId, waba);
    assertThat(engine.request("PUT", "/api/v1/tenants/" + tenantId + "/channel-accounts/whatsapp/" + phoneNumberId
        + "/credentials", admin, "{\"accessToken\":\"EAAG-appt\"}").statusCode()).isEqualTo(204);
  }

  @AfterAll
  void stop() {
    if (engine != null) engine.close();
    if (google != null) google.stop();
    if (graph != null) graph.stop();
    if (mail != null) mail.stop();
  }

  /** An SDR user on the roster, online, working round the clock in UTC. */
  record Rep(String userId, String email) {}

  private Rep rep(String name) {
    return rep(tenantId, admin, name, RoutingApiTest.ALWAYS);
  }

  private Rep rep(String tenant, String key, String name, String hours) {
    String email = name + N.incrementAndGet() + "@slots.example";
    String userId = engine.createUser(tenant, email, "SDR", PASSWORD);
    HttpResponse<String> added = engine.post("/api/v1/tenants/" + tenant + "/sdrs", key, "{\"userId\":\"" + userId
        + "\",\"seniority\":\"senior\",\"capacity\":50,\"workingHours\":" + hours
        + ",\"presence\":\"online\",\"languages\":[\"en\"]}");
    assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
    return new Rep(userId, email);
  }

  /** A lead who wrote on WhatsApp (so the 24 h window is open and messages reach the Graph API stub). */
  private String lead(String waId) {
    assertThat(engine.postWebhook(Payloads.texts(waba, phoneNumberId, List.of(new Payloads.Text("wamid.appt-" + waId,
        waId, "Ravi", "Can we talk this week?", Instant.now().getEpochSecond())))).statusCode()).isEqualTo(200);
    JsonNode[] lead = new JsonNode[1];
    eventually(() -> {
      JsonNode page = json(engine.get("/api/v1/tenants/" + tenantId + "/leads?phone=%2B" + waId, admin));
      lead[0] = page.path("items").size() == 1 ? page.path("items").get(0) : null;
      return lead[0] != null;
    }, "the lead " + waId);
    return lead[0].path("id").asText();
  }

  private String path(String rest) {
    return "/api/v1/tenants/" + tenantId + "/appointments" + rest;
  }

  private HttpResponse<String> book(String key, String leadId, String userId, Instant startsAt) {
    return engine.post(path(""), key, "{\"leadId\":\"" + leadId + "\"" + (userId == null ? "" : ",\"userId\":\""
        + userId + "\"") + ",\"startsAt\":\"" + startsAt + "\"}");
  }

  private List<JsonNode> slots(String leadId, String userId) {
    HttpResponse<String> response = engine.get(path("/slots?leadId=" + leadId + "&userId=" + userId), admin);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    List<JsonNode> out = new ArrayList<>();
    json(response).path("slots").forEach(out::add);
    return out;
  }

  private List<String> noticeKinds(String userId) {
    List<String> kinds = new ArrayList<>();
    json(engine.get("/api/v1/tenants/" + tenantId + "/notifications?userId=" + userId, admin)).path("items")
        .forEach(item -> kinds.add(item.path("kind").asText()));
    return kinds;
  }

  /** The text/calendar parts of the e-mails that reached {@code to}. */
  private List<String> invites(String to) {
    List<String> out = new ArrayList<>();
    try {
      for (MimeMessage message : mail.getReceivedMessages()) {
        if (!List.of(message.getAllRecipients()).toString().contains(to)) continue;
        collect(message, out);
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  private static void collect(Part part, List<String> out) throws Exception {
    if (part.isMimeType("text/calendar")) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      part.getDataHandler().writeTo(bytes);
      out.add(bytes.toString(StandardCharsets.UTF_8));
    } else if (part.getContent() instanceof Multipart multipart) {
      for (int i = 0; i < multipart.getCount(); i++) collect(multipart.getBodyPart(i), out);
    }
  }

  @Test
  void hundredConcurrentBookingsForThreeSlotsGiveThreeAppointments() throws Exception {
    Rep rep = rep("busy");
    String leadId = lead("919811100001");
    List<JsonNode> offered = slots(leadId, rep.userId());
    assertThat(offered).hasSize(3);
    ExecutorService pool = Executors.newFixedThreadPool(32);
    List<CompletableFuture<Integer>> calls = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      Instant startsAt = Instant.parse(offered.get(i % 3).path("startsAt").asText());
      calls.add(CompletableFuture.supplyAsync(() -> book(admin, leadId, rep.userId(), startsAt).statusCode(), pool));
    }
    List<Integer> statuses = calls.stream().map(CompletableFuture::join).toList();
    pool.shutdown();
    long created = statuses.stream().filter(s -> s == 201).count();
    assertThat(created).isEqualTo(3);
    assertThat(statuses.stream().filter(s -> s == 409).count()).isEqualTo(97);
    eventually(() -> engine.count("SELECT count(*) FROM appointments WHERE tenant_id = ? AND user_id = ?"
        + " AND status = 'booked'", tenantId, rep.userId()) == 3, "three appointments in the read model");
    assertThat(engine.count("SELECT count(*) FROM appointments a JOIN appointments b ON a.tenant_id = b.tenant_id"
        + " AND a.user_id = b.user_id AND a.appointment_id < b.appointment_id AND a.status = 'booked'"
        + " AND b.status = 'booked' AND tstzrange(a.starts_at, a.ends_at) && tstzrange(b.starts_at, b.ends_at)"))
        .isZero();
    assertThat(engine.count("SELECT count(*) FROM event_journal WHERE persistence_id = ?"
        + " AND event_ser_manifest LIKE '%AppointmentBooked'", "SdrCalendar|" + tenantId + ":" + rep.userId()))
        .as("one booking event per 201").isEqualTo(created);
    assertThat(slots(leadId, rep.userId())).extracting(s -> s.path("startsAt").asText())
        .doesNotContainAnyElementsOf(offered.stream().map(s -> s.path("startsAt").asText()).toList());
    eventually(() -> engine.count("SELECT count(*) FROM token_ledger WHERE tenant_id = ? AND operation = 'appointment'"
        + " AND lead_id = ?", tenantId, leadId) == 3, "one appointment token per booking");
    eventually(() -> invites(rep.email()).size() == 3, "three invites by e-mail to the SDR");
    assertThat(invites(rep.email())).allSatisfy(ics -> assertThat(ics).contains("METHOD:REQUEST", "UID:ap-",
        "SEQUENCE:0", "DTSTART", "mailto:" + rep.email()));
  }

  @Test
  void aBookingIsInvitedRemindedFollowedUpRescheduledAndCancelledWithTheSdrTold() throws Exception {
    Rep rep = rep("asha");
    String leadId = lead("919811100002");
    Instant startsAt = Instant.now().plusSeconds(7).truncatedTo(ChronoUnit.SECONDS);
    HttpResponse<String> booked = book(admin, leadId, rep.userId(), startsAt);
    assertThat(booked.statusCode()).as(booked.body()).isEqualTo(201);
    String id = json(booked).path("id").asText();
    eventually(() -> invites(rep.email()).size() == 1, "the invite by e-mail");
    assertThat(invites(rep.email()).get(0)).contains("METHOD:REQUEST", "UID:" + id, "SEQUENCE:0", "DTSTART");
    // reminder 3 s before, follow-up 1 s after the 3 s call: all seen through the notifications API
    eventually(() -> noticeKinds(rep.userId()).containsAll(List.of("appointment.booked", "appointment.reminder",
        "appointment.follow-up")), "booked, reminder and follow-up notices");
    eventually(() -> json(engine.get(path("/tasks?userId=" + rep.userId()), admin)).path("items").size() == 1,
        "the follow-up task");
    JsonNode task = json(engine.get(path("/tasks?userId=" + rep.userId()), admin)).path("items").get(0);
    assertThat(task.path("appointmentId").asText()).isEqualTo(id);
    assertThat(task.path("leadId").asText()).isEqualTo(leadId);
    assertThat(task.path("kind").asText()).isEqualTo("follow-up");
    assertThat(engine.get(path("/tasks"), admin).statusCode()).as("an API key names the SDR").isEqualTo(400);

    // a second call: rescheduled (SEQUENCE 1), then into a taken slot (409), then cancelled (CANCEL)
    Instant later = Instant.now().plus(Duration.ofHours(3)).truncatedTo(ChronoUnit.HOURS);
    String second = json(book(admin, leadId, rep.userId(), later)).path("id").asText();
    eventually(() -> engine.get(path("/" + second), admin).statusCode() == 200, "the booking in the read model");
    Instant other = later.plus(Duration.ofHours(1));
    assertThat(book(admin, leadId, rep.userId(), other).statusCode()).isEqualTo(201);
    HttpResponse<String> moved = engine.post(path("/" + second + "/reschedule"), admin, "{\"startsAt\":\""
        + later.plus(Duration.ofMinutes(30)) + "\"}");
    assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
    assertThat(json(moved).path("sequence").asInt()).isEqualTo(1);
    HttpResponse<String> clash = engine.post(path("/" + second + "/reschedule"), admin, "{\"startsAt\":\"" + other
        + "\"}");
    assertThat(clash.statusCode()).as(clash.body()).isEqualTo(409);
    assertThat(clash.headers().firstValue("Content-Type").orElse("")).contains("problem+json");
    assertThat(engine.post(path("/" + second + "/cancel"), admin, "{\"reason\":\"lead asked\"}").statusCode())
        .isEqualTo(200);
    eventually(() -> invites(rep.email()).stream().anyMatch(ics -> ics.contains("UID:" + second)
        && ics.contains("METHOD:CANCEL") && ics.contains("SEQUENCE:2")), "the cancellation by e-mail");
    assertThat(invites(rep.email())).anySatisfy(ics -> assertThat(ics).contains("UID:" + second, "METHOD:REQUEST",
        "SEQUENCE:1"));
    eventually(() -> noticeKinds(rep.userId()).containsAll(List.of("appointment.rescheduled",
        "appointment.cancelled")), "rescheduled and cancelled notices");
  }

  @Test
  void theOfferReachesTheLeadInTheirZoneAndTheLeadBooksOneOfItsSlots() {
    Rep rep = rep("offer");
    String waId = "919811100003";
    String leadId = lead(waId);
    HttpResponse<String> offer = engine.post(path("/offers"), admin, "{\"leadId\":\"" + leadId + "\",\"userId\":\""
        + rep.userId() + "\"}");
    assertThat(offer.statusCode()).as(offer.body()).isEqualTo(201);
    JsonNode sent = json(offer);
    assertThat(sent.path("timeZone").asText()).as("an Indian number reads Indian time").isEqualTo("Asia/Kolkata");
    assertThat(sent.path("slots").size()).isEqualTo(3);
    eventually(() -> !graph.findAll(postRequestedFor(urlPathMatching("/" + VERSION + "/.*/messages"))
        .withRequestBody(containing(waId)).withRequestBody(containing("Could we set up a call"))).isEmpty(),
        "the offer on WhatsApp");
    String body = graph.findAll(postRequestedFor(urlPathMatching("/" + VERSION + "/.*/messages"))
        .withRequestBody(containing("Could we set up a call")).withRequestBody(containing(waId))).get(0).getBodyAsString();
    Matcher times = Pattern.compile("\\(Asia/Kolkata\\)").matcher(body);
    int count = 0;
    while (times.find()) count++;
    assertThat(count).as(body).isEqualTo(3);

    String offerId = sent.path("offerId").asText();
    HttpResponse<String> chosen = engine.post(path(""), admin, "{\"offerId\":\"" + offerId + "\",\"slot\":2}");
    assertThat(chosen.statusCode()).as(chosen.body()).isEqualTo(201);
    assertThat(json(chosen).path("startsAt").asText()).isEqualTo(sent.path("slots").get(1).path("startsAt").asText());
    assertThat(json(chosen).path("userId").asText()).isEqualTo(rep.userId());
    assertThat(json(chosen).path("leadId").asText()).isEqualTo(leadId);
    assertThat(engine.post(path(""), admin, "{\"offerId\":\"" + offerId + "\",\"slot\":2}").statusCode())
        .as("taken now").isEqualTo(409);
    assertThat(engine.post(path(""), admin, "{\"offerId\":\"" + offerId + "\",\"slot\":7}").statusCode())
        .isEqualTo(400);
    assertThat(engine.post(path(""), admin, "{\"offerId\":\"offer-none\",\"slot\":1}").statusCode()).isEqualTo(404);
  }

  @Test
  void anSdrCannotSeeBookOrCancelAnotherSdrsLeadsAppointment() {
    Rep mine = rep("mine");
    Rep theirs = rep("theirs");
    String leadId = lead("919811100004");
    HttpResponse<String> assigned = engine.post("/api/v1/tenants/" + tenantId + "/leads/" + leadId + "/assignment",
        admin, "{\"userId\":\"" + mine.userId() + "\"}");
    assertThat(assigned.statusCode()).as(assigned.body()).isBetween(200, 204);
    String mineToken = engine.signIn(mine.email(), PASSWORD);
    String theirsToken = engine.signIn(theirs.email(), PASSWORD);
    eventually(() -> engine.get("/api/v1/tenants/" + tenantId + "/leads/" + leadId, mineToken).statusCode() == 200,
        "the lead visible to its SDR");
    Instant at = Instant.now().plus(Duration.ofHours(5)).truncatedTo(ChronoUnit.HOURS);
    HttpResponse<String> booked = book(mineToken, leadId, null, at);
    assertThat(booked.statusCode()).as(booked.body()).isEqualTo(201);
    String id = json(booked).path("id").asText();
    assertThat(json(booked).path("userId").asText()).as("the lead's assignee").isEqualTo(mine.userId());
    eventually(() -> engine.get(path("/" + id), mineToken).statusCode() == 200, "the booking in the read model");

    assertThat(engine.get(path("/" + id), theirsToken).statusCode()).isEqualTo(404);
    assertThat(book(theirsToken, leadId, theirs.userId(), at.plus(Duration.ofHours(1))).statusCode()).isEqualTo(404);
    assertThat(engine.post(path("/" + id + "/cancel"), theirsToken, "{}").statusCode()).isEqualTo(404);
    assertThat(engine.post(path("/" + id + "/reschedule"), theirsToken, "{\"startsAt\":\"" + at.plus(Duration.ofHours(2))
        + "\"}").statusCode()).isEqualTo(404);
    assertThat(json(engine.get(path(""), theirsToken)).path("items").size()).isZero();
    assertThat(engine.get(path("/" + id), mineToken).statusCode()).isEqualTo(200);
    assertThat(json(engine.get(path(""), mineToken)).path("items").size()).isEqualTo(1);
  }

  @Test
  void fewerThanThreeSlotsBringTheTenantsBookingLinkElseTheConfiguredOne() {
    // half an hour on Wednesdays: one slot at most in the next seven days
    String wednesdays = "{\"days\":[\"WED\"],\"start\":\"10:00\",\"end\":\"10:30\",\"timeZone\":\"UTC\"}";
    Rep scarce = rep(tenantId, admin, "scarce", wednesdays);
    JsonNode configured = json(engine.get(path("/slots?leadId=" + lead("919811100007") + "&userId="
        + scarce.userId()), admin));
    assertThat(configured.path("slots").size()).isLessThan(3);
    assertThat(configured.path("bookingLink").asText()).isEqualTo("https://book.flexoraa.test/default");

    String other = engine.createTenant("Linked Realty", "IN");
    String otherAdmin = engine.createApiKey(other, "Admin");
    HttpResponse<String> profile = engine.request("PUT", "/api/v1/tenants/" + other + "/ai-profile", otherAdmin,
        "{\"business\":\"Linked Realty\",\"bookingLink\":\"https://book.linked.example/call\",\"defaultLanguage\":\"en\"}");
    assertThat(profile.statusCode()).as(profile.body()).isBetween(200, 204);
    Rep linked = rep(other, otherAdmin, "linked", wednesdays);
    HttpResponse<String> created = engine.post("/api/v1/tenants/" + other + "/leads", otherAdmin,
        "{\"name\":\"Ravi\",\"phone\":\"+919811100008\",\"source\":\"web\"}");
    assertThat(created.statusCode()).as(created.body()).isIn(200, 201, 202);
    String leadId = json(created).path("leadId").asText(json(created).path("id").asText());
    eventually(() -> engine.get("/api/v1/tenants/" + other + "/leads/" + leadId, otherAdmin).statusCode() == 200,
        "the lead in the read model");
    JsonNode own = json(engine.get("/api/v1/tenants/" + other + "/appointments/slots?leadId=" + leadId + "&userId="
        + linked.userId(), otherAdmin));
    assertThat(own.path("bookingLink").asText()).isEqualTo("https://book.linked.example/call");
    assertThat(json(engine.get(path("/slots?leadId=" + lead("919811100009") + "&userId=" + rep("plenty").userId()),
        admin)).path("bookingLink").asText(null)).as("three slots: no link").isNull();
  }

  @Test
  void googleBusyTimesAreNotOfferedAndAFailingCalendarFallsBack() {
    Rep rep = rep("google");
    String leadId = lead("919811100005");
    HttpResponse<String> connected = engine.request("PUT", "/api/v1/tenants/" + tenantId + "/sdrs/" + rep.userId()
        + "/calendar", admin, "{\"provider\":\"google\",\"calendarId\":\"g@slots.example\",\"accessToken\":\"ya29.x\"}");
    assertThat(connected.statusCode()).as(connected.body()).isEqualTo(204);
    Instant from = Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.HOURS);
    Instant busyEnd = from.plus(Duration.ofDays(2));
    google.stubFor(post(urlPathEqualTo("/calendar/v3/freeBusy")).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/json").withBody("{\"kind\":\"calendar#freeBusy\",\"calendars\":"
            + "{\"g@slots.example\":{\"busy\":[{\"start\":\"" + from.minus(Duration.ofHours(3)) + "\",\"end\":\""
            + busyEnd + "\"}]}}}")));
    List<JsonNode> slots = slots(leadId, rep.userId());
    assertThat(slots).hasSize(3);
    slots.forEach(slot -> assertThat(Instant.parse(slot.path("startsAt").asText())).isAfterOrEqualTo(busyEnd));
    google.resetAll();
    google.stubFor(post(urlPathEqualTo("/calendar/v3/freeBusy")).willReturn(aResponse().withStatus(500)));
    List<JsonNode> fallback = slots(leadId, rep.userId());
    assertThat(fallback).hasSize(3);
    assertThat(Instant.parse(fallback.get(0).path("startsAt").asText())).isBefore(busyEnd);
  }

  @Test
  void badInputIsA400AndAnUnknownAppointmentA404() {
    Rep rep = rep("input");
    String leadId = lead("919811100006");
    String userId = rep.userId();
    String p = path("");
    assertThat(engine.post(p, admin, "{\"leadId\":\"" + leadId + "\",\"userId\":\"" + userId
        + "\",\"startsAt\":\"tomorrow\"}").statusCode()).isEqualTo(400);
    assertThat(engine.post(p, admin, "{\"userId\":\"" + userId + "\"}").statusCode()).isEqualTo(400);
    assertThat(book(admin, leadId, "nobody", Instant.now().plus(Duration.ofDays(1))).statusCode()).isEqualTo(400);
    assertThat(book(admin, leadId, userId, Instant.now().plus(Duration.ofDays(30))).statusCode()).isEqualTo(400);
    assertThat(engine.post(p, admin, "{\"leadId\":\"" + leadId + "\",\"userId\":\"" + userId + "\",\"startsAt\":\""
        + Instant.now().plus(Duration.ofDays(1)) + "\",\"durationMinutes\":9999}").statusCode()).isEqualTo(400);
    assertThat(engine.get(path("/slots"), admin).statusCode()).isEqualTo(400);
    assertThat(engine.get(path("/ap-none"), admin).statusCode()).isEqualTo(404);
    assertThat(engine.post(path("/ap-none/cancel"), admin, "{}").statusCode()).isEqualTo(404);
    assertThat(engine.post(p, admin, "not json").statusCode()).isEqualTo(400);
  }
}
