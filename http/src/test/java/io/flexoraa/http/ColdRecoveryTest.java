package io.flexoraa.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.math.BigDecimal;
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
 * Cold recovery end to end (issue 7 part 6) with the AI on and the sequence in seconds: a WhatsApp lead the built-in
 * analyzer scores COLD gets its recovery messages through the compliance gate to the Graph API stub, each debited
 * 2.5 tokens; a reply stops the sequence and counts as recovered; no reply → every step, then the lapse; outside the
 * customer-service window a step goes as the approved re-engagement template.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ColdRecoveryTest {
  static final String WABA = "303000000000001";
  static final String PHONE_NUMBER_ID = "403000000000001";
  static final String VERSION = "v21.0";
  /** What each step's built-in English wording says (a tenant without an AI profile). */
  static final List<String> STEP_WORDS = List.of("Are you still exploring options", "Choosing well takes time",
      "no-pressure call");
  /** A vague, low-intent first message: the built-in analyzer scores it COLD. */
  static final String VAGUE = "hmm ok";
  private static final AtomicInteger SENDERS = new AtomicInteger(300);
  private static final AtomicInteger MESSAGES = new AtomicInteger();

  private WireMockServer graph;
  private TestEngine engine;
  private String tenantId;
  private String admin;

  /** The settings of an engine whose recovery runs in seconds: steps at {@code offsets} seconds. */
  static Map<String, Object> settings(String graphUrl, int... offsets) {
    Map<String, Object> settings = new HashMap<>(Map.of(
        "flexoraa.ai.agent.enabled", true,
        "flexoraa.ai.agent.burst-quiet", "250ms",
        "flexoraa.meta.graph.base-url", graphUrl,
        "flexoraa.meta.graph.api-version", VERSION,
        "flexoraa.abuse.customer.rapid-fire.messages", 1000,
        "flexoraa.billing.plans.leados-pro.daily-burn-limit", 1000,
        "flexoraa.abuse.tenant.burn-spike.min-baseline", 10000,
        "flexoraa.compliance.whatsapp.pair-interval", "100ms",
        "flexoraa.outbound.dispatch-every", "200ms"));
    List<Map<String, Object>> steps = List.of(
        Map.of("name", "curiosity", "offset", offsets[0] + "s"),
        Map.of("name", "education", "offset", offsets[1] + "s"),
        Map.of("name", "soft-cta", "offset", offsets[2] + "s"));
    settings.put("flexoraa.cold-recovery.steps", steps);
    settings.put("flexoraa.cold-recovery.window", (offsets[2] + 1) + "s");
    settings.put("flexoraa.cold-recovery.grace", "2s");
    settings.put("flexoraa.cold-recovery.keeper-interval", "1s");
    settings.put("flexoraa.cold-recovery.keeper-lookahead", "200ms");
    return settings;
  }

  static void stubGraph(WireMockServer graph) {
    graph.stubFor(post(urlPathEqualTo("/" + VERSION + "/" + PHONE_NUMBER_ID + "/messages"))
        .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
            .withTransformers("response-template")
            .withBody("{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"{{jsonPath request.body '$.to'}}\","
                + "\"wa_id\":\"{{jsonPath request.body '$.to'}}\"}],\"messages\":[{\"id\":\"wamid.{{randomValue length=20"
                + " type='ALPHANUMERIC'}}\"}]}")));
  }

  @BeforeAll
  void start(@TempDir Path dataDirectory) {
    graph = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().templatingEnabled(true));
    graph.start();
    stubGraph(graph);
    engine = TestEngine.start(dataDirectory, settings(graph.baseUrl(), 2, 8, 10));
    tenantId = engine.createTenant("Recovery Realty", "IN");
    admin = engine.createApiKey(tenantId, "Admin");
    connect(engine, tenantId, admin);
  }

  static void connect(TestEngine engine, String tenantId, String admin) {
    engine.connectWhatsApp(tenantId, admin, PHONE_NUMBER_ID, WABA, "EAAG-cold");
  }

  @AfterAll
  void stop() {
    if (engine != null) engine.close();
    if (graph != null) graph.stop();
  }

  static void say(TestEngine engine, String from, String text, Instant sentAt) {
    HttpResponse<String> received = engine.postWebhook(Payloads.texts(WABA, PHONE_NUMBER_ID, List.of(
        new Payloads.Text("wamid.cold-" + MESSAGES.incrementAndGet() + "-" + from, from, "Ravi Menon", text,
            sentAt.getEpochSecond()))));
    assertThat(received.statusCode()).isEqualTo(200);
  }

  /** The Graph API requests to {@code waId} carrying the wording of recovery step {@code step}. */
  static long stepSends(WireMockServer graph, String waId, int step) {
    return graph.findAll(postRequestedFor(urlPathEqualTo("/" + VERSION + "/" + PHONE_NUMBER_ID + "/messages"))
            .withRequestBody(matchingJsonPath("$.to", equalTo(waId)))).stream()
        .filter(request -> request.getBodyAsString().contains(STEP_WORDS.get(step))).count();
  }

  static String leadOf(TestEngine engine, String tenantId, String admin, String waId) {
    JsonNode[] lead = new JsonNode[1];
    TestEngine.eventually(() -> {
      JsonNode page = TestEngine.json(engine.get("/api/v1/tenants/" + tenantId + "/leads?phone=%2B" + waId, admin));
      lead[0] = page.path("items").size() == 1 ? page.path("items").get(0) : null;
      return lead[0] != null;
    }, "the lead of " + waId);
    return lead[0].path("id").asText();
  }

  private JsonNode recovery(String leadId) {
    return TestEngine.json(engine.get("/api/v1/tenants/" + tenantId + "/leads/" + leadId + "/cold-recovery", admin))
        .path("current");
  }

  private String status(String leadId) {
    return recovery(leadId).path("status").asText();
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String newSender() {
    return "9196" + (10_000_000 + SENDERS.incrementAndGet());
  }

  @Test
  void aColdLeadGetsItsFirstRecoveryMessageDebitedAndItsReplyStopsTheSequence() {
    String from = newSender();
    say(engine, from, VAGUE, Instant.now());
    String leadId = leadOf(engine, tenantId, admin, from);
    TestEngine.eventually(() -> "active".equals(status(leadId)), "a recovery started for the COLD lead");
    assertThat(TestEngine.json(engine.get("/api/v1/tenants/" + tenantId + "/leads/" + leadId + "/ai", admin))
        .path("band").asText()).isEqualTo("COLD");

    TestEngine.eventually(() -> stepSends(graph, from, 0) == 1, "the first recovery message at the Graph API");
    TestEngine.eventually(() -> engine.count("SELECT count(*) FROM token_ledger WHERE tenant_id = ? AND lead_id = ?"
        + " AND kind = 'debit' AND operation = 'cold-recovery' AND tokens = ?", tenantId, leadId, new BigDecimal("2.5"))
        == 1, "the step debited 2.5 tokens");
    TestEngine.eventually(() -> recovery(leadId).path("stepsSent").asInt() == 1, "the step in the read model");
    JsonNode step = recovery(leadId).path("steps").get(0);
    assertThat(step.path("name").asText()).isEqualTo("curiosity");
    assertThat(step.path("decision").asText()).isEqualTo("send");

    say(engine, from, "ok tell me more about it", Instant.now());
    TestEngine.eventually(() -> "replied".equals(status(leadId)), "the reply recovers the lead");
    assertThat(recovery(leadId).path("repliedAfterStep").asText()).isEqualTo("curiosity");
    // the later steps were due at +8 s and +10 s: none reaches the lead
    sleep(9000);
    assertThat(stepSends(graph, from, 1) + stepSends(graph, from, 2)).isZero();
    assertThat(engine.count("SELECT count(*) FROM token_ledger WHERE tenant_id = ? AND lead_id = ?"
        + " AND operation = 'cold-recovery'", tenantId, leadId)).isEqualTo(1);

    JsonNode stats = TestEngine.json(engine.get("/api/v1/tenants/" + tenantId + "/cold-recovery", admin));
    assertThat(stats.path("replied").asInt()).isGreaterThanOrEqualTo(1);
    assertThat(stats.path("repliesAfterStep").path("curiosity").asInt()).isGreaterThanOrEqualTo(1);
    assertThat(stats.path("successRate").isNull()).isFalse();
  }

  @Test
  void withoutAReplyEveryStepGoesThenTheSequenceLapses() {
    String from = newSender();
    say(engine, from, VAGUE, Instant.now());
    String leadId = leadOf(engine, tenantId, admin, from);
    sleep(8000);
    TestEngine.eventually(() -> "lapsed".equals(status(leadId)), "the sequence lapsed");
    for (int step = 0; step < 3; step++) assertThat(stepSends(graph, from, step)).as("step " + step).isEqualTo(1);
    JsonNode current = recovery(leadId);
    assertThat(current.path("stepsSent").asInt()).isEqualTo(3);
    assertThat(current.path("lapsedAt").isNull()).isFalse();
    TestEngine.eventually(() -> !recovery(leadId).path("routedAt").isNull(), "handed to routing (junior pool)");
    assertThat(engine.count("SELECT count(*) FROM recovery_deadlines WHERE tenant_id = ? AND lead_id = ?",
        tenantId, leadId)).isZero();
    JsonNode stats = TestEngine.json(engine.get("/api/v1/tenants/" + tenantId + "/cold-recovery", admin));
    assertThat(stats.path("lapsed").asInt()).isGreaterThanOrEqualTo(1);
    assertThat(stats.path("started").asInt()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void outsideTheWindowAStepGoesAsTheApprovedReEngagementTemplate() {
    HttpResponse<String> registered = engine.post("/api/v1/tenants/" + tenantId + "/channel-accounts/whatsapp/"
        + PHONE_NUMBER_ID + "/templates", admin,
        "{\"name\":\"we_miss_you\",\"language\":\"en\",\"category\":\"MARKETING\",\"purpose\":\"re-engagement\"}");
    assertThat(registered.statusCode()).as(registered.body()).isIn(200, 201);
    String update = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"" + WABA + "\",\"time\":"
        + Instant.now().getEpochSecond() + ",\"changes\":[{\"value\":{\"event\":\"APPROVED\",\"message_template_id\":"
        + "7700001,\"message_template_name\":\"we_miss_you\",\"message_template_language\":\"en\",\"reason\":\"NONE\"},"
        + "\"field\":\"message_template_status_update\"}]}]}";
    assertThat(engine.postWebhook(update).statusCode()).isEqualTo(200);

    String from = newSender();
    say(engine, from, VAGUE, Instant.now().minus(java.time.Duration.ofHours(25)));
    String leadId = leadOf(engine, tenantId, admin, from);
    TestEngine.eventually(() -> recovery(leadId).path("steps").size() >= 1, "the first step decided");
    JsonNode step = recovery(leadId).path("steps").get(0);
    assertThat(step.path("decision").asText()).as(step.toString()).isEqualTo("template");
    assertThat(step.path("template").asText()).isEqualTo("we_miss_you");
    TestEngine.eventually(() -> graph.findAll(postRequestedFor(urlPathEqualTo("/" + VERSION + "/" + PHONE_NUMBER_ID
            + "/messages")).withRequestBody(matchingJsonPath("$.to", equalTo(from)))).stream()
        .anyMatch(request -> request.getBodyAsString().contains("we_miss_you")), "the template at the Graph API: "
        + recovery(leadId).path("steps") + " " + graph.findAll(postRequestedFor(urlPathEqualTo("/" + VERSION + "/"
        + PHONE_NUMBER_ID + "/messages")).withRequestBody(matchingJsonPath("$.to", equalTo(from)))).size());
    assertThat(stepSends(graph, from, 0)).as("no free text outside the window").isZero();
  }
}
