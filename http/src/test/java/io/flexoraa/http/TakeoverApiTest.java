package io.flexoraa.http;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Human takeover end to end (docs/decisions/0035-inbox-and-takeover.md): the AI agent on, a WhatsApp number whose
 * Graph API is a WireMock server, a lead writing in through signed webhooks and an SDR it is assigned to. Taken
 * over, the lead's next message is analysed but gets no AI reply (no Graph call, no reply in the read model);
 * handed back, the next one does. Both are idempotent, audited and shown on the lead; another SDR cannot act on it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TakeoverApiTest {
  private static final String WABA = "302000000000035";
  private static final String PHONE_NUMBER_ID = "402000000000035";
  private static final String VERSION = "v21.0";
  private static final String PASSWORD = "correct horse battery staple";
  private static final AtomicInteger MESSAGES = new AtomicInteger();

  private WireMockServer graph;
  private TestEngine engine;
  private String tenantId;
  private String admin;
  private String sdrId;
  private String sdr;
  private String otherSdr;

  @BeforeAll
  void start(@TempDir Path dataDirectory) {
    graph = GraphStub.whatsApp(VERSION, PHONE_NUMBER_ID);
    engine = TestEngine.start(dataDirectory, Map.of(
        "flexoraa.ai.agent.enabled", true,
        "flexoraa.ai.agent.burst-quiet", "250ms",
        "flexoraa.meta.graph.base-url", graph.baseUrl(),
        "flexoraa.meta.graph.api-version", VERSION,
        "flexoraa.abuse.customer.rapid-fire.messages", 1000,
        "flexoraa.abuse.tenant.burn-spike.min-baseline", 10000));
    tenantId = engine.createTenant("Takeover Realty", "IN");
    admin = engine.createApiKey(tenantId, "Admin");
    engine.connectWhatsApp(tenantId, admin, PHONE_NUMBER_ID, WABA, "EAAG-takeover");
    sdrId = engine.createUser(tenantId, "sdr.one@takeover.example", "SDR", PASSWORD);
    sdr = engine.signIn("sdr.one@takeover.example", PASSWORD);
    engine.createUser(tenantId, "sdr.two@takeover.example", "SDR", PASSWORD);
    otherSdr = engine.signIn("sdr.two@takeover.example", PASSWORD);
    HttpResponse<String> rostered = engine.post("/api/v1/tenants/" + tenantId + "/sdrs", admin,
        "{\"userId\":\"" + sdrId + "\",\"seniority\":\"senior\",\"capacity\":5,\"workingHours\":"
            + RoutingApiTest.ALWAYS + ",\"presence\":\"offline\",\"languages\":[\"en\"]}");
    assertThat(rostered.statusCode()).as(rostered.body()).isEqualTo(201);
  }

  @AfterAll
  void stop() {
    if (engine != null) engine.close();
    if (graph != null) graph.stop();
  }

  private void say(String from, String text) {
    HttpResponse<String> received = engine.postWebhook(Payloads.texts(WABA, PHONE_NUMBER_ID, List.of(
        new Payloads.Text("wamid.takeover-" + MESSAGES.incrementAndGet(), from, "Farah Khan", text,
            Instant.now().getEpochSecond()))));
    assertThat(received.statusCode()).isEqualTo(200);
  }

  private int graphReplies(String waId) {
    return graph.findAll(postRequestedFor(urlPathEqualTo("/" + VERSION + "/" + PHONE_NUMBER_ID + "/messages"))
        .withRequestBody(matchingJsonPath("$.to", equalTo(waId)))).size();
  }

  private JsonNode ai(String leadId) {
    return TestEngine.json(engine.get("/api/v1/tenants/" + tenantId + "/leads/" + leadId + "/ai", admin));
  }

  private HttpResponse<String> act(String leadId, String what, String caller) {
    return engine.post("/api/v1/tenants/" + tenantId + "/leads/" + leadId + "/" + what, caller, "{}");
  }

  @Test
  void aTakenOverLeadGetsNoAiReplyUntilItIsHandedBack() throws InterruptedException {
    String from = "919700035001";
    say(from, "Hi");
    TestEngine.eventually(() -> graphReplies(from) == 1, "the AI's first reply");
    String leadId = GraphStub.leadOf(engine, tenantId, admin, from);
    HttpResponse<String> assigned = engine.post("/api/v1/tenants/" + tenantId + "/leads/" + leadId + "/assignment",
        admin, "{\"userId\":\"" + sdrId + "\"}");
    assertThat(assigned.statusCode()).as(assigned.body()).isEqualTo(200);
    TestEngine.eventually(() -> engine.get("/api/v1/tenants/" + tenantId + "/leads/" + leadId, sdr).statusCode() == 200,
        "the lead is the SDR's");

    // another SDR's lead, or no lead at all, is not there
    assertThat(act(leadId, "takeover", otherSdr).statusCode()).isEqualTo(404);
    assertThat(act("no-such-lead", "takeover", sdr).statusCode()).isEqualTo(404);
    assertThat(act("no-such-lead", "handback", admin).statusCode()).isEqualTo(404);

    HttpResponse<String> taken = act(leadId, "takeover", sdr);
    assertThat(taken.statusCode()).as(taken.body()).isEqualTo(200);
    JsonNode took = TestEngine.json(taken);
    assertThat(took.path("handledBy").asText()).isEqualTo("human");
    assertThat(took.path("takenOverBy").asText()).isEqualTo(sdrId);
    assertThat(took.path("changed").asBoolean()).isTrue();
    // twice: the same state, nothing new
    JsonNode again = TestEngine.json(act(leadId, "takeover", sdr));
    assertThat(again.path("changed").asBoolean()).isFalse();
    assertThat(again.path("takenOverAt").asText()).isEqualTo(took.path("takenOverAt").asText());

    // the lead writes: analysed and scored, but no AI reply goes out
    say(from, "I am looking for a 2BHK flat in Pune for my family");
    TestEngine.eventually(() -> ai(leadId).path("analyzed").asInt() == 2, "the message analysed");
    Thread.sleep(1_500);
    assertThat(graphReplies(from)).isEqualTo(1);
    assertThat(ai(leadId).path("replies")).hasSize(1);
    TestEngine.eventually(() -> "human".equals(ai(leadId).path("handledBy").asText()), "the read model shows it");
    JsonNode lead = TestEngine.json(engine.get("/api/v1/tenants/" + tenantId + "/leads/" + leadId, sdr));
    assertThat(lead.path("handledBy").asText()).isEqualTo("human");
    assertThat(lead.path("takenOverBy").asText()).isEqualTo(sdrId);
    assertThat(lead.path("takenOverAt").isNull()).isFalse();

    HttpResponse<String> back = act(leadId, "handback", sdr);
    assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
    assertThat(TestEngine.json(back).path("handledBy").asText()).isEqualTo("ai");
    assertThat(TestEngine.json(back).path("takenOverBy").isNull()).isTrue();
    assertThat(TestEngine.json(act(leadId, "handback", sdr)).path("changed").asBoolean()).isFalse();

    // the AI answers the next message again
    say(from, "Our budget is around 35 lakh");
    TestEngine.eventually(() -> graphReplies(from) == 2, "the AI replies again");
    TestEngine.eventually(() -> "ai".equals(ai(leadId).path("handledBy").asText())
        && sdrId.equals(ai(leadId).path("handedBackBy").asText()), "the hand-back in the read model");
    assertThat(TestEngine.json(engine.get("/api/v1/tenants/" + tenantId + "/leads/" + leadId, sdr))
        .path("handledBy").asText()).isEqualTo("ai");

    // each change audited once, the repeats not
    TestEngine.eventually(() -> engine.count("SELECT count(*) FROM audit_log WHERE tenant_id = ? AND subject = ?"
        + " AND action IN ('lead.taken-over', 'lead.handed-back')", tenantId, "lead:" + leadId) == 2, "two audit entries");
  }
}
