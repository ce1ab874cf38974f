package io.flexoraa.http;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AI brain end to end (issue 6): a real engine with the built-in engine, a tenant's WhatsApp number whose Graph
 * API is a WireMock server, and leads writing in through signed webhooks. A conversation is qualified over six
 * questions in the interview's order and handed to a person when the lead asks for a visit; every step is an agent
 * event, every AI operation a ledger debit, every reply a compliance decision. High-risk content gets a review task,
 * a holding reply and an audit entry; a burst of messages gets one reply; a tenant without tokens gets no AI work.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LeadAgentTest {
  private static final String WABA = "302000000000001";
  private static final String PHONE_NUMBER_ID = "402000000000001";
  private static final String VERSION = "v21.0";
  private static final AtomicInteger SENDERS = new AtomicInteger(200);
  private static final AtomicInteger MESSAGES = new AtomicInteger();

  private WireMockServer graph;
  private TestEngine engine;
  private String tenantId;
  private String admin;

  @BeforeAll
  void start(@TempDir Path dataDirectory) {
    graph = GraphStub.whatsApp(VERSION, PHONE_NUMBER_ID);
    engine = TestEngine.start(dataDirectory, Map.of(
        "flexoraa.ai.agent.enabled", true,
        "flexoraa.ai.agent.burst-quiet", "250ms",
        "flexoraa.meta.graph.base-url", graph.baseUrl(),
        "flexoraa.meta.graph.api-version", VERSION,
        "flexoraa.abuse.customer.rapid-fire.messages", 1000,
        "flexoraa.billing.plans.leados-pro.daily-burn-limit", 1000,
        // a new tenant burning tens of tokens within minutes is a burn spike (abuse protection) in production
        "flexoraa.abuse.tenant.burn-spike.min-baseline", 10000));
    tenantId = engine.createTenant("Agent Realty", "IN");
    admin = engine.createApiKey(tenantId, "Admin");
    engine.connectWhatsApp(tenantId, admin, PHONE_NUMBER_ID, WABA, "EAAG-agent");
  }

  @AfterAll
  void stop() {
    if (engine != null) engine.close();
    if (graph != null) graph.stop();
  }

  private static String newSender() {
    return "9197" + (10_000_000 + SENDERS.incrementAndGet());
  }

  /** The lead {@code from} writes {@code texts} in one webhook. */
  private void say(String from, String... texts) {
    List<Payloads.Text> messages = new ArrayList<>();
    for (String text : texts) {
      messages.add(new Payloads.Text("wamid.agent-" + MESSAGES.incrementAndGet(), from, "Meera Iyer", text,
          Instant.now().getEpochSecond()));
    }
    HttpResponse<String> received = engine.postWebhook(Payloads.texts(WABA, PHONE_NUMBER_ID, messages));
    assertThat(received.statusCode()).isEqualTo(200);
  }

  private List<LoggedRequest> repliesTo(String waId) {
    return graph.findAll(postRequestedFor(urlPathEqualTo("/" + VERSION + "/" + PHONE_NUMBER_ID + "/messages"))
        .withRequestBody(matchingJsonPath("$.to", equalTo(waId))));
  }

  private void awaitReplies(String waId, int count) {
    TestEngine.eventually(() -> repliesTo(waId).size() >= count, count + " AI replies to " + waId);
  }

  private String leadOf(String waId) {
    JsonNode[] lead = new JsonNode[1];
    TestEngine.eventually(() -> {
      JsonNode page = TestEngine.json(engine.get("/api/v1/tenants/" + tenantId + "/leads?phone=%2B" + waId, admin));
      lead[0] = page.path("items").size() == 1 ? page.path("items").get(0) : null;
      return lead[0] != null;
    }, "the lead of " + waId);
    return lead[0].path("id").asText();
  }

  private List<String> replyKinds(String leadId) {
    List<String> kinds = new ArrayList<>();
    TestEngine.json(engine.get("/api/v1/tenants/" + tenantId + "/leads/" + leadId + "/ai", admin)).path("replies")
        .forEach(reply -> kinds.add(0, reply.path("kind").asText()
            + (reply.path("slot").isNull() ? "" : ":" + reply.path("slot").asText())));
    return kinds;
  }

  private long debits(String leadId, String operation) {
    return engine.count("SELECT count(*) FROM token_ledger WHERE tenant_id = ? AND lead_id = ? AND kind = 'debit'"
        + " AND operation = ?", tenantId, leadId, operation);
  }

  @Test
  void aConversationIsQualifiedInSixQuestionsScoredAndHandedToAPersonWhenTheLeadAsksForAVisit() {
    String from = newSender();
    String[] lead = new String[] {
        "Hi",
        "I am looking for a 2BHK flat in Pune for my family",
        "Our budget is around 35 lakh",
        "We want to move in within 3 months",
        "I am the decision maker, it is my own money",
        "Only the price worries me a little",
        "Yes please, can we book a site visit this Saturday?"};
    for (int turn = 0; turn < lead.length; turn++) {
      say(from, lead[turn]);
      awaitReplies(from, turn + 1);
    }
    String leadId = leadOf(from);
    TestEngine.eventually(() -> replyKinds(leadId).size() == 7, "seven AI replies in the read model");
    assertThat(replyKinds(leadId)).containsExactly("QUESTION:NEED", "QUESTION:BUDGET", "QUESTION:TIMELINE",
        "QUESTION:AUTHORITY", "QUESTION:OBJECTIONS", "QUESTION:NEXT_STEP", "HANDOFF");
    // each reply was one text message to the lead, inside the customer-service window
    assertThat(repliesTo(from)).hasSize(7).allSatisfy(request ->
        assertThat(TestEngine.json(request.getBodyAsString()).path("type").asText()).isEqualTo("text"));

    JsonNode view = TestEngine.json(engine.get("/api/v1/tenants/" + tenantId + "/leads/" + leadId + "/ai", admin));
    assertThat(view.path("analyzed").asInt()).isEqualTo(7);
    assertThat(view.path("budgetBucket").asText()).isEqualTo("5K-50K");
    // the latest reading wins: "move in within 3 months", then a site visit this Saturday
    assertThat(view.path("timeline").asText()).isEqualTo("IMMEDIATE");
    assertThat(view.path("analyses").toString()).contains("\"timeline\":\"1-3MO\"");
    assertThat(view.path("authority").asText()).isEqualTo("DECIDER");
    assertThat(view.path("objections").toString()).contains("price");
    assertThat(view.path("escalated").asBoolean()).isTrue();
    assertThat(view.path("escalateReasons").toString()).contains("schedule_request");
    assertThat(view.path("qualificationStatus").asText()).isEqualTo("escalated");
    assertThat(view.path("score").asInt()).isBetween(0, 100);
    assertThat(view.path("band").asText()).isIn("HOT", "WARM", "COLD");
    assertThat(view.path("topFactors")).hasSize(3);
    assertThat(view.path("scoreHistory").size()).isGreaterThanOrEqualTo(2);
    assertThat(view.path("analyses")).hasSize(7);

    // every step an event, every AI operation a debit, every reply a compliance decision
    long events = engine.count("SELECT count(*) FROM event_journal WHERE persistence_id = ?",
        "LeadAgent|" + tenantId + ":" + leadId);
    assertThat(events).isGreaterThanOrEqualTo(7 * 2 + 7 * 2);
    assertThat(debits(leadId, "intent-classification")).isEqualTo(7);
    assertThat(debits(leadId, "qualification-message")).isEqualTo(6);
    TestEngine.eventually(() -> debits(leadId, "escalation-decision") == 1, "the escalation debited");
    TestEngine.eventually(() -> debits(leadId, "scoring") >= 2, "scoring debits");
    // each reply decided by the gate (WhatsApp's one message per 6 s per user defers some; they are sent when due)
    TestEngine.eventually(() -> engine.count("SELECT count(DISTINCT message_id) FROM compliance_decisions"
        + " WHERE tenant_id = ? AND lead_id = ? AND author = 'AI' AND verdict = 'send'", tenantId, leadId) == 7,
        "7 replies decided send");
    assertThat(engine.count("SELECT count(*) FROM compliance_decisions WHERE tenant_id = ? AND lead_id = ?"
        + " AND (author <> 'AI' OR verdict NOT IN ('send', 'defer'))", tenantId, leadId)).isZero();
    TestEngine.eventually(() -> engine.count("SELECT count(*) FROM ai_notifications WHERE tenant_id = ? AND lead_id = ?"
        + " AND kind = 'ai.escalated'", tenantId, leadId) == 1, "the SDRs are told");
  }

  @Test
  void highRiskContentGetsAReviewTaskAHoldingReplyAndAnAuditEntryNotAnAnswer() {
    String from = newSender();
    say(from, "I paid the booking amount and you did nothing. My lawyer will file a case in consumer court.");
    awaitReplies(from, 1);
    String leadId = leadOf(from);
    TestEngine.eventually(() -> replyKinds(leadId).equals(List.of("HOLDING")), "a holding reply");
    TestEngine.eventually(() -> engine.count("SELECT count(*) FROM ai_review_tasks WHERE tenant_id = ? AND lead_id = ?"
        + " AND status = 'open' AND 'legal' = ANY(types)", tenantId, leadId) == 1, "a review task");
    JsonNode tasks = TestEngine.json(engine.get("/api/v1/tenants/" + tenantId + "/ai/review-tasks", admin));
    assertThat(tasks.path("items").toString()).contains(leadId);
    TestEngine.eventually(() -> engine.count("SELECT count(*) FROM audit_log WHERE tenant_id = ? AND action = ?"
        + " AND subject = ?", tenantId, "ai.high-risk-review", leadId) == 1, "an audit entry");
    TestEngine.eventually(() -> debits(leadId, "human-high-risk-review") == 1, "the review debited");
    assertThat(debits(leadId, "persuasion-message") + debits(leadId, "qualification-message")).isZero();
  }

  @Test
  void aBurstOfMessagesGetsOneReply() throws InterruptedException {
    String from = newSender();
    say(from, "Hello", "I saw your ad for the new villas", "in Baner");
    awaitReplies(from, 1);
    Thread.sleep(1_000);
    assertThat(repliesTo(from)).hasSize(1);
    String leadId = leadOf(from);
    TestEngine.eventually(() -> debits(leadId, "intent-classification") == 3, "three analyses");
  }
}
