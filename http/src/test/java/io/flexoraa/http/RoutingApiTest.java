package io.flexoraa.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Routing end to end (issue 7; docs/decisions/0030-routing-desk.md) with the AI on and durations in seconds: a lead
 * writing through the signed WhatsApp webhook asks for a visit (escalated → routed as HOT) and reaches the online
 * SDR, visible in the lead and the SDR's own list; with nobody online it waits in the queue until an SDR comes
 * online; an unanswered HOT lead leaks into an AI re-engagement that reaches the Graph API stub; SLA figures after a
 * breach and a response; the roster's validation.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RoutingApiTest {
  private static final String VERSION = "v21.0";
  private static final AtomicInteger SENDERS = new AtomicInteger(400);
  private static final AtomicInteger MESSAGES = new AtomicInteger();
  private static final AtomicInteger ACCOUNTS = new AtomicInteger();
  static final String ALWAYS = "{\"days\":[\"MON\",\"TUE\",\"WED\",\"THU\",\"FRI\",\"SAT\",\"SUN\"],"
      + "\"start\":\"00:00\",\"end\":\"23:59\",\"timeZone\":\"UTC\"}";

  private WireMockServer graph;
  private TestEngine engine;

  /** One tenant with its own WhatsApp number and an SDR user. */
  record Desk(String tenantId, String admin, String waba, String phoneNumberId, String sdrId, String sdrEmail) {}

  static Map<String, Object> settings(String graphUrl) {
    Map<String, Object> settings = new HashMap<>(Map.of(
        "flexoraa.ai.agent.enabled", true,
        "flexoraa.ai.agent.burst-quiet", "250ms",
        "flexoraa.meta.graph.base-url", graphUrl,
        "flexoraa.meta.graph.api-version", VERSION,
        "flexoraa.abuse.customer.rapid-fire.messages", 1000,
        "flexoraa.billing.plans.leados-pro.daily-burn-limit", 1000,
        "flexoraa.abuse.tenant.burn-spike.min-baseline", 10000));
    settings.put("flexoraa.routing.sla.hot", "4s");
    settings.put("flexoraa.routing.sla.warm", "4s");
    settings.put("flexoraa.routing.leakage.unanswered-after", "2s");
    settings.put("flexoraa.routing.leakage.unseen-after", "1h");
    settings.put("flexoraa.routing.keeper-interval", "1s");
    settings.put("flexoraa.routing.keeper-lookahead", "1s");
    return settings;
  }

  static WireMockServer graph() {
    WireMockServer graph = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort()
        .templatingEnabled(true));
    graph.start();
    graph.stubFor(post(urlPathMatching("/" + VERSION + "/.*/messages"))
        .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
            .withTransformers("response-template")
            .withBody("{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"{{jsonPath request.body '$.to'}}\","
                + "\"wa_id\":\"{{jsonPath request.body '$.to'}}\"}],\"messages\":[{\"id\":\"wamid.{{randomValue length=20"
                + " type='ALPHANUMERIC'}}\"}]}")));
    return graph;
  }

  @BeforeAll
  void start(@TempDir Path dataDirectory) {
    graph = graph();
    engine = TestEngine.start(dataDirectory, settings(graph.baseUrl()));
  }

  @AfterAll
  void stop() {
    if (engine != null) engine.close();
    if (graph != null) graph.stop();
  }

  static Desk desk(TestEngine engine, String presence) {
    int n = ACCOUNTS.incrementAndGet() + (int) (System.nanoTime() % 1000) * 10;
    String waba = "30300000" + String.format("%07d", n);
    String phone = "40300000" + String.format("%07d", n);
    String tenantId = engine.createTenant("Routing Realty " + n, "IN");
    String admin = engine.createApiKey(tenantId, "Admin");
    engine.registerWhatsApp(tenantId, phone, waba);
    HttpResponse<String> stored = engine.request("PUT", "/api/v1/tenants/" + tenantId
        + "/channel-accounts/whatsapp/" + phone + "/credentials", admin, "{\"accessToken\":\"EAAG-routing\"}");
    assertThat(stored.statusCode()).as(stored.body()).isEqualTo(204);
    String email = "sdr" + n + "@example.com";
    String sdrId = engine.createUser(tenantId, email, "SDR", "correct horse battery staple");
    HttpResponse<String> added = engine.post("/api/v1/tenants/" + tenantId + "/sdrs", admin,
        "{\"userId\":\"" + sdrId + "\",\"seniority\":\"senior\",\"capacity\":5,\"workingHours\":" + ALWAYS
            + ",\"presence\":\"" + presence + "\",\"languages\":[\"en\"],\"skills\":[\"villas\"]}");
    assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
    return new Desk(tenantId, admin, waba, phone, sdrId, email);
  }

  static String say(TestEngine engine, Desk desk, String from, String text) {
    HttpResponse<String> received = engine.postWebhook(Payloads.texts(desk.waba(), desk.phoneNumberId(), List.of(
        new Payloads.Text("wamid.routing-" + MESSAGES.incrementAndGet() + "-" + System.nanoTime(), from,
            "Meera Iyer", text, Instant.now().getEpochSecond()))));
    assertThat(received.statusCode()).isEqualTo(200);
    return from;
  }

  static String newSender() {
    return "9198" + (10_000_000 + SENDERS.incrementAndGet() + (int) (System.nanoTime() % 100_000) * 100);
  }

  static String leadOf(TestEngine engine, Desk desk, String waId) {
    JsonNode[] lead = new JsonNode[1];
    TestEngine.eventually(() -> {
      JsonNode page = TestEngine.json(engine.get("/api/v1/tenants/" + desk.tenantId() + "/leads?phone=%2B" + waId,
          desk.admin()));
      lead[0] = page.path("items").size() == 1 ? page.path("items").get(0) : null;
      return lead[0] != null;
    }, "the lead of " + waId);
    return lead[0].path("id").asText();
  }

  static JsonNode lead(TestEngine engine, Desk desk, String leadId) {
    return TestEngine.json(engine.get("/api/v1/tenants/" + desk.tenantId() + "/leads/" + leadId, desk.admin()));
  }

  @Test
  void anEscalatedLeadReachesTheOnlineSdrAndLeaksIntoAnAiReengagementWhenUnanswered() {
    Desk desk = desk(engine, "online");
    String from = say(engine, desk, newSender(), "Can we book a site visit this Saturday?");
    String leadId = leadOf(engine, desk, from);
    TestEngine.eventually(() -> desk.sdrId().equals(lead(engine, desk, leadId).path("assignedTo").asText()),
        "the lead assigned to the online SDR");
    // the AI's score and band show beside the assignee (the agent's read model follows a moment later)
    TestEngine.eventually(() -> lead(engine, desk, leadId).path("score").isInt(), "the lead's score");
    assertThat(lead(engine, desk, leadId).path("band").asText()).isIn("HOT", "WARM", "COLD");

    // the SDR sees it in their own list, and its routing payload
    String sdr = engine.signIn(desk.sdrEmail(), "correct horse battery staple");
    JsonNode own = TestEngine.json(engine.get("/api/v1/tenants/" + desk.tenantId() + "/leads", sdr));
    assertThat(own.path("items").findValuesAsText("id")).containsExactly(leadId);
    JsonNode payload = TestEngine.json(engine.get("/api/v1/tenants/" + desk.tenantId() + "/leads/" + leadId
        + "/routing", sdr));
    assertThat(payload.path("channel").asText()).isEqualTo("whatsapp");
    assertThat(payload.path("lastMessages").toString()).contains("site visit");
    // scored (WARM or HOT) and then escalated: whichever came first placed it; an assigned lead does not move
    assertThat(payload.path("assignments").get(0).path("reason").asText()).isIn("escalated", "hot", "warm");
    assertThat(payload.path("profileLink").asText()).endsWith("/leads/" + leadId);

    // the lead writes again and nobody answers: leakage, the AI re-engages
    say(engine, desk, from, "Hello? Is anyone there?");
    TestEngine.eventually(() -> engine.count("SELECT count(*) FROM routing_leakage WHERE tenant_id = ?"
        + " AND lead_id = ? AND kind = 'unanswered' AND action = 're-engaged'", desk.tenantId(), leadId) == 1,
        "the leak detected and acted on");
    TestEngine.eventually(() -> !graph.findAll(postRequestedFor(urlPathMatching("/" + VERSION + "/"
        + desk.phoneNumberId() + "/messages")).withRequestBody(containing("lock it in"))).isEmpty(),
        "the AI's re-engagement reaches the lead");
    // and the SLA of the escalated lead breached unanswered
    TestEngine.eventually(() -> engine.count("SELECT count(*) FROM sla_records WHERE tenant_id = ? AND lead_id = ?"
        + " AND breached_at IS NOT NULL", desk.tenantId(), leadId) == 1, "the SLA breach recorded");
  }

  @Test
  void withNobodyOnlineTheLeadWaitsThenGoesToTheSdrWhoComesOnline() {
    Desk desk = desk(engine, "offline");
    String from = say(engine, desk, newSender(), "Can we book a site visit this Saturday?");
    String leadId = leadOf(engine, desk, from);
    TestEngine.eventually(() -> TestEngine.json(engine.get("/api/v1/tenants/" + desk.tenantId() + "/routing/queue",
        desk.admin())).path("items").findValuesAsText("leadId").contains(leadId), "the lead queued");
    assertThat(lead(engine, desk, leadId).path("assignedTo").isNull()).isTrue();

    String sdr = engine.signIn(desk.sdrEmail(), "correct horse battery staple");
    HttpResponse<String> online = engine.request("PUT", "/api/v1/tenants/" + desk.tenantId() + "/sdrs/"
        + desk.sdrId() + "/presence", sdr, "{\"presence\":\"online\"}");
    assertThat(online.statusCode()).as(online.body()).isEqualTo(200);
    TestEngine.eventually(() -> desk.sdrId().equals(lead(engine, desk, leadId).path("assignedTo").asText()),
        "the queued lead assigned once the SDR is online");
    assertThat(TestEngine.json(engine.get("/api/v1/tenants/" + desk.tenantId() + "/routing/queue", desk.admin()))
        .path("items").size()).isZero();

    // the SDR answers in person: the SLA figures count the response
    HttpResponse<String> seen = engine.post("/api/v1/tenants/" + desk.tenantId() + "/leads/" + leadId + "/seen",
        sdr, "{}");
    assertThat(seen.statusCode()).as(seen.body()).isEqualTo(200);
    HttpResponse<String> sent = engine.post("/api/v1/tenants/" + desk.tenantId() + "/leads/" + leadId
        + "/messages", sdr, "{\"text\":\"Hi Meera, this is your advisor. Saturday 11am works.\"}");
    assertThat(sent.statusCode()).as(sent.body()).isIn(200, 202);
    TestEngine.eventually(() -> engine.count("SELECT count(*) FROM sla_records WHERE tenant_id = ?"
        + " AND responded_at IS NOT NULL", desk.tenantId()) == 1, "the response recorded");
    JsonNode sla = TestEngine.json(engine.get("/api/v1/tenants/" + desk.tenantId() + "/sla", desk.admin()));
    assertThat(sla.path("tenant").path("assignments").asLong()).isEqualTo(1);
    assertThat(sla.path("tenant").path("responded").asLong()).isEqualTo(1);
    assertThat(sla.path("sdrs").get(0).path("userId").asText()).isEqualTo(desk.sdrId());
    assertThat(sla.path("tenant").path("medianFirstResponseMs").isNumber()).isTrue();

    // a manager reassigns: to someone not on the roster → 400; route again → away from the current SDR, and with
    // nobody else on the roster it waits in the queue
    HttpResponse<String> bad = engine.post("/api/v1/tenants/" + desk.tenantId() + "/leads/" + leadId
        + "/assignment", desk.admin(), "{\"userId\":\"nobody\"}");
    assertThat(bad.statusCode()).isEqualTo(400);
    HttpResponse<String> again = engine.post("/api/v1/tenants/" + desk.tenantId() + "/leads/" + leadId
        + "/assignment", desk.admin(), "{}");
    assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
    assertThat(TestEngine.json(again).path("queued").asBoolean()).isTrue();
    assertThat(engine.count("SELECT count(*) FROM audit_log WHERE tenant_id = ? AND action = 'lead.reassigned'",
        desk.tenantId())).isEqualTo(1);
  }

  @Test
  void theRosterRejectsBadInputNamingTheField() {
    Desk desk = desk(engine, "online");
    String base = "/api/v1/tenants/" + desk.tenantId() + "/sdrs";
    Map<String, String> cases = Map.of(
        "capacity", "{\"userId\":\"" + desk.sdrId() + "\",\"seniority\":\"senior\",\"capacity\":900,"
            + "\"workingHours\":" + ALWAYS + "}",
        "seniority", "{\"userId\":\"" + desk.sdrId() + "\",\"seniority\":\"mid\",\"capacity\":5,"
            + "\"workingHours\":" + ALWAYS + "}",
        "workingHours.timeZone", "{\"userId\":\"" + desk.sdrId() + "\",\"seniority\":\"senior\",\"capacity\":5,"
            + "\"workingHours\":{\"days\":[\"MON\"],\"start\":\"09:00\",\"end\":\"18:00\",\"timeZone\":\"Mars/Base\"}}",
        "workingHours.end", "{\"userId\":\"" + desk.sdrId() + "\",\"seniority\":\"senior\",\"capacity\":5,"
            + "\"workingHours\":{\"days\":[\"MON\"],\"start\":\"18:00\",\"end\":\"09:00\",\"timeZone\":\"UTC\"}}",
        "userId", "{\"userId\":\"no-such-user\",\"seniority\":\"senior\",\"capacity\":5,\"workingHours\":" + ALWAYS
            + "}");
    cases.forEach((field, body) -> {
      HttpResponse<String> response = engine.request("PUT", base + "/" + desk.sdrId(), desk.admin(), body);
      if (field.equals("userId")) response = engine.post(base, desk.admin(), body);
      assertThat(response.statusCode()).as(field + ": " + response.body()).isEqualTo(400);
      assertThat(response.body()).as(field).contains(field);
    });
    // already on the roster
    HttpResponse<String> twice = engine.post(base, desk.admin(), "{\"userId\":\"" + desk.sdrId()
        + "\",\"seniority\":\"junior\",\"capacity\":5,\"workingHours\":" + ALWAYS + "}");
    assertThat(twice.statusCode()).isEqualTo(409);
    HttpResponse<String> sla = engine.get("/api/v1/tenants/" + desk.tenantId() + "/sla?from=yesterday",
        desk.admin());
    assertThat(sla.statusCode()).isEqualTo(400);
    // another SDR may not set this SDR's presence
    String other = engine.createUser(desk.tenantId(), "other-" + desk.sdrEmail(), "SDR", "correct horse battery staple");
    String otherToken = engine.signIn("other-" + desk.sdrEmail(), "correct horse battery staple");
    assertThat(other).isNotEqualTo(desk.sdrId());
    HttpResponse<String> forbidden = engine.request("PUT", base + "/" + desk.sdrId() + "/presence", otherToken,
        "{\"presence\":\"away\"}");
    assertThat(forbidden.statusCode()).isEqualTo(404);
    HttpResponse<String> removed = engine.request("DELETE", base + "/" + desk.sdrId(), desk.admin(), null);
    assertThat(removed.statusCode()).isEqualTo(204);
    assertThat(engine.get(base + "/" + desk.sdrId(), desk.admin()).statusCode()).isEqualTo(404);
  }
}
