package io.flexoraa.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Appointments end to end on a real engine and PostgreSQL: 100 concurrent bookings for three slots give three
 * appointments (read model and journal agree), Google free/busy through WireMock removes busy slots and a failing
 * calendar falls back, the invite reaches the mailer, bad input is a 400 and a taken slot a 409.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AppointmentApiTest {
  private WireMockServer google;
  private TestEngine engine;
  private AppointmentFixtures fixtures;
  private String tenantId;
  private String admin;
  private final String userId = "sdr-asha";

  @BeforeAll
  void start(@TempDir Path dataDirectory) {
    google = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    google.start();
    engine = TestEngine.start(dataDirectory, Map.of(
        "flexoraa.appointments.google.root-url", google.baseUrl() + "/",
        "flexoraa.appointments.lead-time", "1h",
        "flexoraa.appointments.keeper-interval", "1s"));
    tenantId = engine.createTenant("Slots Realty", "IN");
    admin = engine.createApiKey(tenantId, "Admin");
    fixtures = new AppointmentFixtures(List.of(AppointmentFixtures.sdr(tenantId, userId, "asha@slots.example")));
    fixtures.install(engine.server);
  }

  @AfterAll
  void stop() {
    if (engine != null) engine.close();
    if (google != null) google.stop();
  }

  private String newLead(String phone) {
    HttpResponse<String> created = engine.post("/api/v1/tenants/" + tenantId + "/leads", admin,
        "{\"name\":\"Ravi\",\"phone\":\"" + phone + "\",\"email\":\"ravi" + phone.substring(phone.length() - 4)
            + "@example.com\",\"source\":\"web\"}");
    assertThat(created.statusCode()).as(created.body()).isIn(200, 201, 202);
    String leadId = TestEngine.json(created).path("leadId").asText(TestEngine.json(created).path("id").asText());
    TestEngine.eventually(() -> engine.count("SELECT count(*) FROM leads WHERE tenant_id = ? AND lead_id = ?",
        tenantId, leadId) == 1, "the lead in the read model");
    return leadId;
  }

  private List<JsonNode> slots(String leadId) {
    HttpResponse<String> response = engine.get("/api/v1/tenants/" + tenantId + "/appointments/slots?leadId=" + leadId
        + "&userId=" + userId, admin);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    List<JsonNode> out = new ArrayList<>();
    TestEngine.json(response).path("slots").forEach(out::add);
    return out;
  }

  @Test
  void hundredConcurrentBookingsForThreeSlotsGiveThreeAppointments() throws Exception {
    String leadId = newLead("+919811100001");
    List<JsonNode> offered = slots(leadId);
    assertThat(offered).hasSize(3);
    ExecutorService pool = Executors.newFixedThreadPool(32);
    List<CompletableFuture<Integer>> calls = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      String startsAt = offered.get(i % 3).path("startsAt").asText();
      calls.add(CompletableFuture.supplyAsync(() -> engine.post("/api/v1/tenants/" + tenantId + "/appointments",
          admin, "{\"leadId\":\"" + leadId + "\",\"userId\":\"" + userId + "\",\"startsAt\":\"" + startsAt + "\"}")
          .statusCode(), pool));
    }
    List<Integer> statuses = calls.stream().map(CompletableFuture::join).toList();
    pool.shutdown();
    assertThat(statuses.stream().filter(s -> s == 201).count()).isEqualTo(3);
    assertThat(statuses.stream().filter(s -> s == 409).count()).isEqualTo(97);
    TestEngine.eventually(() -> engine.count("SELECT count(*) FROM appointments WHERE tenant_id = ? AND user_id = ?"
        + " AND status = 'booked'", tenantId, userId) == 3, "three appointments in the read model");
    assertThat(engine.count("SELECT count(*) FROM appointments a JOIN appointments b ON a.tenant_id = b.tenant_id"
        + " AND a.user_id = b.user_id AND a.appointment_id < b.appointment_id AND a.status = 'booked'"
        + " AND b.status = 'booked' AND tstzrange(a.starts_at, a.ends_at) && tstzrange(b.starts_at, b.ends_at)"))
        .isZero();
    assertThat(engine.count("SELECT count(*) FROM event_journal WHERE persistence_id = ?"
        + " AND convert_from(event_ser_manifest::bytea, 'UTF8') IS NOT NULL AND event_payload IS NOT NULL",
        "SdrCalendar|" + tenantId + ":" + userId)).isGreaterThanOrEqualTo(3);
    // the slots are no longer offered, and each booking cost one token
    assertThat(slots(leadId)).extracting(s -> s.path("startsAt").asText())
        .doesNotContainAnyElementsOf(offered.stream().map(s -> s.path("startsAt").asText()).toList());
    TestEngine.eventually(() -> engine.count("SELECT count(*) FROM token_ledger WHERE tenant_id = ?"
        + " AND operation = 'appointment'", tenantId) == 3, "one appointment token per booking");
    // the invite went to the SDR and the lead
    TestEngine.eventually(() -> fixtures.emails.size() >= 3, "three invites");
    Mailer0.check(fixtures.emails.get(0));
  }

  /** Reads the invite handed to the mailer. */
  static final class Mailer0 {
    static void check(io.flexoraa.engine.ports.Mailer.Email email) {
      assertThat(email.to()).contains("asha@slots.example");
      String ics = new String(email.attachments().get(0).content(), StandardCharsets.UTF_8);
      assertThat(ics).contains("METHOD:REQUEST", "UID:ap-", "SEQUENCE:0", "ORGANIZER;CN=Asha Rao:mailto:asha@slots.example");
    }
  }

  @Test
  void googleBusyTimesAreNotOfferedAndAFailingCalendarFallsBack() {
    String leadId = newLead("+919811100002");
    String other = "sdr-google";
    fixtures = new AppointmentFixtures(List.of(AppointmentFixtures.sdr(tenantId, userId, "asha@slots.example"),
        AppointmentFixtures.sdr(tenantId, other, "g@slots.example")));
    fixtures.install(engine.server);
    HttpResponse<String> connected = engine.request("PUT", "/api/v1/tenants/" + tenantId + "/sdrs/" + other
        + "/calendar", admin, "{\"provider\":\"google\",\"calendarId\":\"g@slots.example\",\"accessToken\":\"ya29.x\"}");
    assertThat(connected.statusCode()).as(connected.body()).isEqualTo(204);
    Instant from = Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.HOURS);
    Instant busyEnd = from.plus(Duration.ofDays(2));
    google.stubFor(post(urlPathEqualTo("/calendar/v3/freeBusy")).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/json").withBody("{\"kind\":\"calendar#freeBusy\",\"calendars\":"
            + "{\"g@slots.example\":{\"busy\":[{\"start\":\"" + from.minus(Duration.ofHours(3)) + "\",\"end\":\""
            + busyEnd + "\"}]}}}")));
    HttpResponse<String> response = engine.get("/api/v1/tenants/" + tenantId + "/appointments/slots?leadId=" + leadId
        + "&userId=" + other, admin);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode slots = TestEngine.json(response).path("slots");
    assertThat(slots.size()).isEqualTo(3);
    slots.forEach(slot -> assertThat(Instant.parse(slot.path("startsAt").asText())).isAfterOrEqualTo(busyEnd));
    google.resetAll();
    google.stubFor(post(urlPathEqualTo("/calendar/v3/freeBusy")).willReturn(aResponse().withStatus(500)));
    JsonNode fallback = TestEngine.json(engine.get("/api/v1/tenants/" + tenantId + "/appointments/slots?leadId="
        + leadId + "&userId=" + other, admin)).path("slots");
    assertThat(fallback.size()).isEqualTo(3);
    assertThat(Instant.parse(fallback.get(0).path("startsAt").asText())).isBefore(busyEnd);
  }

  @Test
  void badInputIsA400AndAnUnknownAppointmentA404() {
    String leadId = newLead("+919811100003");
    String path = "/api/v1/tenants/" + tenantId + "/appointments";
    assertThat(engine.post(path, admin, "{\"leadId\":\"" + leadId + "\",\"userId\":\"" + userId
        + "\",\"startsAt\":\"tomorrow\"}").statusCode()).isEqualTo(400);
    assertThat(engine.post(path, admin, "{\"userId\":\"" + userId + "\"}").statusCode()).isEqualTo(400);
    assertThat(engine.post(path, admin, "{\"leadId\":\"" + leadId + "\",\"userId\":\"nobody\",\"startsAt\":\""
        + Instant.now().plus(Duration.ofDays(1)) + "\"}").statusCode()).isEqualTo(400);
    assertThat(engine.post(path, admin, "{\"leadId\":\"" + leadId + "\",\"userId\":\"" + userId + "\",\"startsAt\":\""
        + Instant.now().plus(Duration.ofDays(30)) + "\"}").statusCode()).isEqualTo(400);
    assertThat(engine.post(path, admin, "{\"leadId\":\"" + leadId + "\",\"userId\":\"" + userId + "\",\"startsAt\":\""
        + Instant.now().plus(Duration.ofDays(1)) + "\",\"durationMinutes\":9999}").statusCode()).isEqualTo(400);
    assertThat(engine.get(path + "/slots", admin).statusCode()).isEqualTo(400);
    assertThat(engine.get(path + "/ap-none", admin).statusCode()).isEqualTo(404);
    assertThat(engine.post(path + "/ap-none/cancel", admin, "{}").statusCode()).isEqualTo(404);
    assertThat(engine.post(path, admin, "not json").statusCode()).isEqualTo(400);
  }
}
