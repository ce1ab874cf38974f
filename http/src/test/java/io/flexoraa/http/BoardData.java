package io.flexoraa.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * A tenant's sales floor for the leads board and My queue, made through the real flows: people and the roster
 * through the API, WhatsApp leads through the signed webhook, form leads through {@code POST /leads}, assignments
 * and the waiting queue through the routing desk ({@code POST /leads/{id}/assignment}; both SDRs are offline, so a
 * lead routed with {@code {}} waits). Only the AI's scores and languages are written to {@code lead_ai} directly
 * (the AI would take a model call per lead), and one SLA is moved into the past: a real breach takes the SLA's 24 h.
 */
final class BoardData {
  static final String PASSWORD = "correct-horse-battery";
  static final String MANAGER_EMAIL = "mira@acme.example";
  static final String ASHA_EMAIL = "asha@acme.example";
  private static final String WABA = "303000000000777";
  private static final String PHONE_NUMBER_ID = "403000000000777";

  final TestEngine engine;
  final String tenant;
  final String admin;
  final String asha;
  final String vikram;
  String ravi;
  String fatima;
  String meera;
  String dana;
  String imran;
  String kiran;

  private BoardData(TestEngine engine) {
    this.engine = engine;
    this.tenant = engine.createTenant("Acme Realty", "IN");
    this.admin = engine.createApiKey(tenant, "Admin");
    engine.registerWhatsApp(tenant, PHONE_NUMBER_ID, WABA);
    user(MANAGER_EMAIL, "Mira Kapoor", "Manager");
    this.asha = user(ASHA_EMAIL, "Asha Rao", "SDR");
    this.vikram = user("vikram@acme.example", "Vikram Singh", "SDR");
    roster(asha, 3, "[\"en\",\"hi\"]");
    roster(vikram, 5, "[\"en\",\"ar\"]");
  }

  /** The floor: six leads over two channels, three sources, three languages and every band. */
  static BoardData create(TestEngine engine) {
    BoardData data = new BoardData(engine);
    data.ravi = data.whatsApp("919812300101", "Ravi Kumar", "Is the 3 BHK in Whitefield still available?");
    data.fatima = data.whatsApp("971501234567", "فاطمة الصايغ", "هل يمكنني زيارة الشقة يوم السبت؟");
    data.kiran = data.whatsApp("919812300106", "Kiran Patel", "Please call me about the villa plots");
    data.meera = data.form("Meera Shah", "+919812300103", "website");
    data.dana = data.form("Dana Cole", "+919812300104", "expo");
    data.imran = data.form("Imran Ali", "+919812300105", "website");
    data.score(data.ravi, 86, "HOT", "hi");
    data.score(data.fatima, 58, "WARM", "ar");
    data.score(data.kiran, 91, "HOT", "en");
    data.score(data.meera, 61, "WARM", "en");
    data.score(data.dana, 22, "COLD", "en");
    data.score(data.imran, null, null, "hi");
    data.assign(data.ravi, data.asha);
    data.assign(data.meera, data.asha);
    data.assign(data.dana, data.asha);
    data.assign(data.fatima, data.vikram);
    data.assign(data.imran, null);
    data.assign(data.kiran, null);
    data.breach(data.meera);
    return data;
  }

  private String user(String email, String name, String role) {
    HttpResponse<String> created = engine.post("/api/v1/tenants/" + tenant + "/users", TestEngine.OPERATOR_KEY,
        "{\"email\":\"" + email + "\",\"name\":\"" + name + "\",\"role\":\"" + role + "\",\"password\":\""
            + PASSWORD + "\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return TestEngine.json(created).get("id").asText();
  }

  private void roster(String userId, int capacity, String languages) {
    HttpResponse<String> added = engine.post("/api/v1/tenants/" + tenant + "/sdrs", admin,
        "{\"userId\":\"" + userId + "\",\"seniority\":\"senior\",\"capacity\":" + capacity + ",\"workingHours\":"
            + RoutingApiTest.ALWAYS + ",\"presence\":\"offline\",\"languages\":" + languages + "}");
    assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
  }

  /** A customer writes to the tenant's WhatsApp number (the signed webhook); returns their lead. */
  String whatsApp(String waId, String name, String text) {
    HttpResponse<String> received = engine.postWebhook(Payloads.texts(WABA, PHONE_NUMBER_ID, List.of(
        new Payloads.Text("wamid.board-" + waId + "-" + System.nanoTime(), waId, name, text,
            Instant.now().getEpochSecond()))));
    assertThat(received.statusCode()).isEqualTo(200);
    return leadOf("+" + waId);
  }

  private String form(String name, String phone, String source) {
    HttpResponse<String>[] answer = submit(name, phone, source);
    assertThat(answer[0].statusCode()).as(answer[0].body()).isEqualTo(201);
    return leadOf(phone);
  }

  @SuppressWarnings("unchecked")
  private HttpResponse<String>[] submit(String name, String phone, String source) {
    HttpResponse<String>[] answer = new HttpResponse[1];
    // the cluster's rate budget refuses leads right after start (429): retried as a client would (BrowserFixture)
    TestEngine.eventually(() -> {
      answer[0] = engine.post("/api/v1/tenants/" + tenant + "/leads", TestEngine.OPERATOR_KEY,
          "{\"name\":\"" + name + "\",\"phone\":\"" + phone + "\",\"source\":\"" + source + "\"}");
      return answer[0].statusCode() != 429;
    }, "lead " + name + " admitted");
    return answer;
  }

  /** The lead with this phone once the read model has it. */
  String leadOf(String phone) {
    String[] id = new String[1];
    TestEngine.eventually(() -> {
      JsonNode items = TestEngine.json(engine.get("/api/v1/tenants/" + tenant + "/leads?phone="
          + phone.replace("+", "%2B"), admin)).path("items");
      id[0] = items.size() == 1 ? items.get(0).path("id").asText() : null;
      return id[0] != null;
    }, "the lead of " + phone);
    return id[0];
  }

  /** The AI's score and detected language, as its projection would have written them. */
  private void score(String leadId, Integer score, String band, String language) {
    engine.update("INSERT INTO lead_ai (tenant_id, lead_id, score, band, language, scored_at, last_seq_nr, updated_at)"
        + " VALUES (?, ?, ?, ?, ?, now(), 0, now()) ON CONFLICT (tenant_id, lead_id) DO UPDATE SET score = EXCLUDED.score,"
        + " band = EXCLUDED.band, language = EXCLUDED.language", tenant, leadId, score, band, language);
  }

  /** A manager's reassignment: to {@code userId}, or routed again ({@code null}: nobody is online, so it waits). */
  void assign(String leadId, String userId) {
    HttpResponse<String> assigned = engine.post("/api/v1/tenants/" + tenant + "/leads/" + leadId + "/assignment",
        admin, userId == null ? "{}" : "{\"userId\":\"" + userId + "\"}");
    assertThat(assigned.statusCode()).as(assigned.body()).isEqualTo(200);
    TestEngine.eventually(() -> engine.count("SELECT count(*) FROM sla_records s JOIN lead_assignments a"
        + " USING (tenant_id, assignment_id) WHERE s.tenant_id = ? AND s.lead_id = ? AND a.ended_at IS NULL",
        tenant, leadId) == 1 || userId == null && engine.count(
            "SELECT count(*) FROM routing_queue WHERE tenant_id = ? AND lead_id = ?", tenant, leadId) == 1,
        "the routing read model has lead " + leadId);
  }

  /** The first-response SLA ran out 3 minutes ago and the desk recorded the breach (a real one takes 24 h). */
  private void breach(String leadId) {
    assertThat(engine.update("UPDATE sla_records SET due_at = now() - interval '3 minutes',"
        + " breached_at = now() - interval '3 minutes' WHERE tenant_id = ? AND lead_id = ?", tenant, leadId))
        .isEqualTo(1);
  }

  /** The next half hour on the grid at least 3 h ahead, inside the always-open working hours (UTC). */
  static Instant appointmentSlot() {
    Instant start = Instant.now().plus(Duration.ofHours(3)).truncatedTo(ChronoUnit.HOURS);
    return start.atZone(ZoneOffset.UTC).getHour() == 23 ? start.plus(Duration.ofHours(2)) : start;
  }

  /** Asha's appointment with Ravi, booked through the API. */
  String book() {
    HttpResponse<String> booked = engine.post("/api/v1/tenants/" + tenant + "/appointments", admin,
        "{\"leadId\":\"" + ravi + "\",\"userId\":\"" + asha + "\",\"startsAt\":\"" + appointmentSlot() + "\"}");
    assertThat(booked.statusCode()).as(booked.body()).isEqualTo(201);
    return TestEngine.json(booked).path("id").asText();
  }
}
