package io.flexoraa.http;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.flexoraa.http.TestEngine.eventually;
import static io.flexoraa.http.TestEngine.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.flexoraa.http.RoutingApiTest.Desk;
import jakarta.mail.internet.MimeMessage;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sales desk's done-when on a real engine (embedded PostgreSQL, real HTTP, the AI on, the signed WhatsApp
 * webhook, the Graph API and SMTP as local stubs, every duration in seconds): a lead asking for a visit reaches the
 * online SDR, who hears it live on their stream and by e-mail; left unanswered it leaks, the AI writes to the lead
 * and the manager is told within the 10 s bound. A WARM lead left unanswered moves to the other SDR; closing an
 * assignment frees the SDR's place for the lead that waited.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SalesFlowTest {
  private static final String PASSWORD = "correct horse battery staple";

  private GreenMail mail;
  private WireMockServer graph;
  private TestEngine engine;

  @BeforeAll
  void start(@TempDir Path dataDirectory) {
    mail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
    mail.start();
    graph = RoutingApiTest.graph();
    Map<String, Object> settings = RoutingApiTest.settings(graph.baseUrl());
    settings.put("flexoraa.smtp.host", "127.0.0.1");
    settings.put("flexoraa.smtp.port", mail.getSmtp().getPort());
    settings.put("flexoraa.smtp.from", "Flexoraa <alerts@flexoraa.test>");
    settings.put("flexoraa.notifications.heartbeat", "200ms");
    engine = TestEngine.start(dataDirectory, settings);
  }

  @AfterAll
  void stop() {
    if (engine != null) engine.close();
    if (graph != null) graph.stop();
    if (mail != null) mail.stop();
  }

  @Test
  void aHotLeadReachesTheOnlineSdrLiveAndByEmailThenLeaksIntoAnAiReengagementAndTheManagerIsTold()
      throws Exception {
    Desk desk = RoutingApiTest.desk(engine, "online");
    String managerEmail = "manager-" + desk.sdrEmail();
    String managerId = engine.createUser(desk.tenantId(), managerEmail, "Manager", PASSWORD);
    String sdrToken = engine.signIn(desk.sdrEmail(), PASSWORD);
    String managerToken = engine.signIn(managerEmail, PASSWORD);

    try (SseStream stream = SseStream.open(engine.baseUrl() + "/api/v1/tenants/" + desk.tenantId()
        + "/notifications/stream", sdrToken, null).awaitOpen()) {
      String from = RoutingApiTest.say(engine, desk, RoutingApiTest.newSender(),
          "Can we book a site visit this Saturday?");
      String leadId = RoutingApiTest.leadOf(engine, desk, from);

      // assigned: the lead shows its assignee beside the AI's score and band
      eventually(() -> desk.sdrId().equals(RoutingApiTest.lead(engine, desk, leadId).path("assignedTo").asText()),
          "the escalated lead assigned to the online SDR");
      eventually(() -> RoutingApiTest.lead(engine, desk, leadId).path("band").isTextual(), "the lead's band");
      assertThat(RoutingApiTest.lead(engine, desk, leadId).path("band").asText()).isIn("HOT", "WARM");

      // live on the SDR's stream, and by e-mail (the escalation made it HOT)
      SseStream.Event assigned = awaitEvent(stream, "lead.assigned", leadId);
      assertThat(json(assigned.data()).path("userId").asText()).isEqualTo(desk.sdrId());
      MimeMessage email = awaitMail(desk.sdrEmail(), "HOT");
      assertThat(email.getAllRecipients()[0].toString()).isEqualTo(desk.sdrEmail());

      // nobody answers the lead's next message: leakage; the AI writes, the manager and the SDR are told
      RoutingApiTest.say(engine, desk, from, "Hello? Is anyone there?");
      eventually(() -> !graph.findAll(postRequestedFor(urlPathMatching("/v21.0/" + desk.phoneNumberId()
          + "/messages")).withRequestBody(containing("lock it in"))).isEmpty(), "the AI's re-engagement sent");
      JsonNode[] notice = new JsonNode[1];
      eventually(() -> {
        notice[0] = find(json(engine.get("/api/v1/tenants/" + desk.tenantId() + "/notifications?userId="
            + managerId, managerToken)), "leakage.detected", leadId);
        return notice[0] != null;
      }, "the manager's leakage notice");
      assertThat(notice[0].path("data").path("action").asText()).isEqualTo("re-engaged");
      Duration delay = Duration.between(Instant.parse(notice[0].path("eventAt").asText()),
          Instant.parse(notice[0].path("createdAt").asText()));
      assertThat(delay).as("leak detected → manager notified").isLessThan(Duration.ofSeconds(10));
      SseStream.Event alert = awaitEvent(stream, "leakage.detected", leadId);
      assertThat(json(alert.data()).path("userId").asText()).isEqualTo(desk.sdrId());
    }
  }

  @Test
  void aWarmLeadLeftUnansweredIsReassignedToTheOtherSdr() {
    Desk desk = RoutingApiTest.desk(engine, "online");
    String other = addSdr(desk, "other-" + desk.sdrEmail());
    String from = RoutingApiTest.say(engine, desk, RoutingApiTest.newSender(), "hmm ok");
    String leadId = RoutingApiTest.leadOf(engine, desk, from);
    // a manager gives it to the first SDR (a lead the desk does not hold yet is WARM)
    HttpResponse<String> given = engine.post(assignmentPath(desk, leadId), desk.admin(),
        "{\"userId\":\"" + desk.sdrId() + "\"}");
    assertThat(given.statusCode()).as(given.body()).isEqualTo(200);
    assertThat(json(given).path("assignment").path("band").asText()).isEqualTo("WARM");

    RoutingApiTest.say(engine, desk, from, "Hello? Is anyone there?");
    eventually(() -> other.equals(RoutingApiTest.lead(engine, desk, leadId).path("assignedTo").asText()),
        "the leaking WARM lead reassigned to the other SDR");
    assertThat(engine.count("SELECT count(*) FROM routing_leakage WHERE tenant_id = ? AND lead_id = ?"
        + " AND action = 'reassigned' AND user_id = ?", desk.tenantId(), leadId, desk.sdrId())).isEqualTo(1);
    assertThat(engine.count("SELECT count(*) FROM lead_assignments WHERE tenant_id = ? AND lead_id = ? AND user_id = ?"
        + " AND reason = 'manual' AND ended_at IS NOT NULL", desk.tenantId(), leadId, desk.sdrId())).isEqualTo(1);
    assertThat(engine.count("SELECT count(*) FROM lead_assignments WHERE tenant_id = ? AND lead_id = ? AND user_id = ?"
        + " AND reason = 'leakage' AND previous_user_id = ? AND ended_at IS NULL", desk.tenantId(), leadId, other,
        desk.sdrId())).isEqualTo(1);
    JsonNode history = json(engine.get("/api/v1/tenants/" + desk.tenantId() + "/leads/" + leadId + "/routing",
        desk.admin())).path("assignments");
    assertThat(history.findValuesAsText("userId")).containsExactlyInAnyOrder(desk.sdrId(), other);
  }

  @Test
  void closingAnAssignmentFreesTheSdrsPlaceForTheLeadThatWaited() {
    Desk desk = RoutingApiTest.desk(engine, "online");
    HttpResponse<String> full = engine.request("PUT", "/api/v1/tenants/" + desk.tenantId() + "/sdrs/"
        + desk.sdrId(), desk.admin(), "{\"seniority\":\"senior\",\"capacity\":1,\"workingHours\":"
        + RoutingApiTest.ALWAYS + ",\"presence\":\"online\"}");
    assertThat(full.statusCode()).as(full.body()).isEqualTo(200);
    String first = RoutingApiTest.leadOf(engine, desk, RoutingApiTest.say(engine, desk, RoutingApiTest.newSender(),
        "hmm ok"));
    String second = RoutingApiTest.leadOf(engine, desk, RoutingApiTest.say(engine, desk, RoutingApiTest.newSender(),
        "hmm ok"));
    assertThat(engine.post(assignmentPath(desk, first), desk.admin(), "{}").statusCode()).isEqualTo(200);
    HttpResponse<String> waits = engine.post(assignmentPath(desk, second), desk.admin(), "{}");
    assertThat(json(waits).path("queued").asBoolean()).as(waits.body()).isTrue();

    String sdr = engine.signIn(desk.sdrEmail(), PASSWORD);
    engine.createUser(desk.tenantId(), "nosy-" + desk.sdrEmail(), "SDR", PASSWORD);
    String nosy = engine.signIn("nosy-" + desk.sdrEmail(), PASSWORD);
    eventually(() -> desk.sdrId().equals(RoutingApiTest.lead(engine, desk, first).path("assignedTo").asText()),
        "the first lead in the SDR's scope");
    assertThat(engine.post(closePath(desk, first), nosy, "{\"outcome\":\"won\"}").statusCode())
        .as("another SDR's lead").isEqualTo(404);
    HttpResponse<String> bad = engine.post(closePath(desk, first), sdr, "{\"outcome\":\"maybe\"}");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("outcome");

    HttpResponse<String> closed = engine.post(closePath(desk, first), sdr,
        "{\"outcome\":\"won\",\"note\":\"Booked the 3BHK\"}");
    assertThat(closed.statusCode()).as(closed.body()).isEqualTo(200);
    assertThat(json(closed).path("assignment").path("userId").asText()).isEqualTo(desk.sdrId());
    assertThat(engine.post(closePath(desk, first), sdr, "{\"outcome\":\"won\"}").statusCode())
        .as("already closed").isEqualTo(409);
    // the freed place goes to the lead that waited; the closed one is history, its clocks gone
    eventually(() -> desk.sdrId().equals(RoutingApiTest.lead(engine, desk, second).path("assignedTo").asText()),
        "the waiting lead drained to the SDR");
    eventually(() -> engine.count("SELECT count(*) FROM lead_assignments WHERE tenant_id = ? AND lead_id = ?"
        + " AND end_reason = 'won' AND ended_at IS NOT NULL", desk.tenantId(), first) == 1, "the closed assignment");
    eventually(() -> engine.count("SELECT count(*) FROM routing_deadlines WHERE tenant_id = ? AND lead_id = ?",
        desk.tenantId(), first) == 0, "the closed lead's clocks stopped");
    assertThat(engine.count("SELECT count(*) FROM audit_log WHERE tenant_id = ? AND action = 'lead.assignment-closed'",
        desk.tenantId())).isEqualTo(1);
    JsonNode view = json(engine.get("/api/v1/tenants/" + desk.tenantId() + "/sdrs/" + desk.sdrId(), desk.admin()));
    assertThat(view.path("openLeads").asInt()).isEqualTo(1);
    // a manager may close any assignment
    assertThat(engine.post(closePath(desk, second), desk.admin(), "{\"outcome\":\"lost\"}").statusCode())
        .isEqualTo(200);
  }

  // ---- helpers ----

  private String addSdr(Desk desk, String email) {
    String userId = engine.createUser(desk.tenantId(), email, "SDR", PASSWORD);
    HttpResponse<String> added = engine.post("/api/v1/tenants/" + desk.tenantId() + "/sdrs", desk.admin(),
        "{\"userId\":\"" + userId + "\",\"seniority\":\"senior\",\"capacity\":5,\"workingHours\":"
            + RoutingApiTest.ALWAYS + ",\"presence\":\"online\",\"languages\":[\"en\"]}");
    assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
    return userId;
  }

  private static String assignmentPath(Desk desk, String leadId) {
    return "/api/v1/tenants/" + desk.tenantId() + "/leads/" + leadId + "/assignment";
  }

  private static String closePath(Desk desk, String leadId) {
    return assignmentPath(desk, leadId) + "/close";
  }

  private static JsonNode find(JsonNode page, String kind, String leadId) {
    for (JsonNode item : page.path("items")) {
      if (kind.equals(item.path("kind").asText()) && leadId.equals(item.path("leadId").asText())) return item;
    }
    return null;
  }

  /** The next event of {@code kind} about the lead on the stream (other notices pass by). */
  private static SseStream.Event awaitEvent(SseStream stream, String kind, String leadId) {
    List<String> seen = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      SseStream.Event event;
      try {
        event = stream.poll(Duration.ofSeconds(1));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      if (event == null) continue;
      if (kind.equals(event.type()) && leadId.equals(json(event.data()).path("leadId").asText())) return event;
      seen.add(event.type());
    }
    throw new AssertionError("no " + kind + " for " + leadId + " on the stream; saw " + seen);
  }

  private MimeMessage awaitMail(String to, String subjectPart) {
    MimeMessage[] found = new MimeMessage[1];
    eventually(() -> {
      found[0] = Arrays.stream(mail.getReceivedMessages()).filter(message -> {
        try {
          return message.getAllRecipients()[0].toString().equals(to) && message.getSubject().contains(subjectPart);
        } catch (Exception e) {
          return false;
        }
      }).findFirst().orElse(null);
      return found[0] != null;
    }, "an e-mail to " + to + " about " + subjectPart);
    return found[0];
  }
}
