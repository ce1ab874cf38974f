package io.flexoraa.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A person's reply end to end: a real engine whose Graph API is a WireMock server on a local port, leads that wrote
 * in through signed webhooks, and the reply posted to {@code POST …/leads/{id}/messages}. Inside the customer-service
 * window free text goes out; 25 h after the lead's last message the approved template goes instead, or the reply is
 * blocked naming the rule; a second message within the pair-rate interval is deferred and later sent by the
 * dispatcher, once; an opted-out lead is blocked; a retried request with the same Idempotency-Key is one message;
 * Meta's "window closed" (131047) turns a free-text reply into the template; statuses update the message.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OutboundApiTest {
  private static final String WABA = "301000000000001";
  private static final String PHONE_NUMBER_ID = "401000000000001";
  private static final String VERSION = "v21.0";
  private static final String TOKEN = "EAAG-outbound-test-token";
  private static final AtomicInteger SENDERS = new AtomicInteger(100);

  private WireMockServer graph;
  private TestEngine engine;
  private String tenantId;
  private String admin;

  @BeforeAll
  void start(@TempDir Path dataDirectory) {
    graph = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().templatingEnabled(true));
    graph.start();
    engine = TestEngine.start(dataDirectory, Map.of(
        "flexoraa.meta.graph.base-url", graph.baseUrl(),
        "flexoraa.meta.graph.api-version", VERSION,
        "flexoraa.abuse.customer.rapid-fire.messages", 1000,
        "flexoraa.outbound.dispatch-every", "100ms",
        "flexoraa.compliance.suspension.check-every", "1s",
        "flexoraa.compliance.suspension.keep-alive-every", "300ms"));
    tenantId = engine.createTenant("Outbound Realty", "IN");
    admin = engine.createApiKey(tenantId, "Admin");
    engine.registerWhatsApp(tenantId, PHONE_NUMBER_ID, WABA);
    HttpResponse<String> stored = engine.request("PUT", "/api/v1/tenants/" + tenantId + "/channel-accounts/whatsapp/"
        + PHONE_NUMBER_ID + "/credentials", admin, "{\"accessToken\":\"" + TOKEN + "\"}");
    assertThat(stored.statusCode()).as(stored.body()).isEqualTo(204);
  }

  @AfterAll
  void stop() {
    if (engine != null) engine.close();
    if (graph != null) graph.stop();
  }

  @BeforeEach
  void acceptEverySend() {
    graph.resetAll();
    graph.stubFor(post(urlPathEqualTo("/" + VERSION + "/" + PHONE_NUMBER_ID + "/messages")).atPriority(10)
        .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
            .withTransformers("response-template")
            .withBody("{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"{{jsonPath request.body '$.to'}}\","
                + "\"wa_id\":\"{{jsonPath request.body '$.to'}}\"}],\"messages\":[{\"id\":\"wamid.{{randomValue length=20"
                + " type='ALPHANUMERIC'}}\"}]}")));
  }

  // ---- the lead writes in ----

  /** A new sender writes {@code text} at {@code sentAt}; answers the sender's wa_id once its lead is readable. */
  private String[] leadWhoWrote(String text, Instant sentAt) {
    return leadWhoWrote(WABA, PHONE_NUMBER_ID, text, sentAt);
  }

  private String[] leadWhoWrote(String waba, String phoneNumberId, String text, Instant sentAt) {
    String from = "9198" + (10_000_000 + SENDERS.incrementAndGet());
    HttpResponse<String> received = engine.postWebhook(Payloads.texts(waba, phoneNumberId,
        List.of(new Payloads.Text("wamid.in-" + from, from, "Asha Rao", text, sentAt.getEpochSecond()))));
    assertThat(received.statusCode()).isEqualTo(200);
    JsonNode lead = await("the lead of " + from, () -> {
      JsonNode page = TestEngine.json(engine.get(
          "/api/v1/tenants/" + tenantId + "/leads?phone=%2B" + from, admin));
      return page.path("items").size() == 1 ? page.path("items").get(0) : null;
    });
    return new String[] {lead.path("id").asText(), from};
  }

  private HttpResponse<String> reply(String leadId, String json) {
    return engine.post("/api/v1/tenants/" + tenantId + "/leads/" + leadId + "/messages", admin, json);
  }

  private HttpResponse<String> reply(String leadId, String json, String idempotencyKey) {
    return engine.send(HttpRequest.newBuilder(URI.create(engine.baseUrl() + "/api/v1/tenants/" + tenantId + "/leads/"
            + leadId + "/messages"))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + admin)
        .header("Idempotency-Key", idempotencyKey).POST(HttpRequest.BodyPublishers.ofString(json)).build());
  }

  private JsonNode outboundMessage(String leadId, Predicate<JsonNode> which) {
    return await("an outbound message of " + leadId, () -> {
      for (JsonNode message : TestEngine.json(engine.get(
          "/api/v1/tenants/" + tenantId + "/leads/" + leadId + "/messages", admin)).path("items")) {
        if ("outbound".equals(message.path("direction").asText()) && which.test(message)) return message;
      }
      return null;
    });
  }

  private List<LoggedRequest> sendsTo(String waId) {
    return sendsTo(PHONE_NUMBER_ID, waId);
  }

  private List<LoggedRequest> sendsTo(String phoneNumberId, String waId) {
    return graph.findAll(postRequestedFor(urlPathEqualTo("/" + VERSION + "/" + phoneNumberId + "/messages"))
        .withRequestBody(matchingJsonPath("$.to", equalTo(waId))));
  }

  private void approveTemplate(String name, String language, String category, String purpose) {
    HttpResponse<String> registered = engine.post("/api/v1/tenants/" + tenantId + "/channel-accounts/whatsapp/"
        + PHONE_NUMBER_ID + "/templates", admin, "{\"name\":\"" + name + "\",\"language\":\"" + language
        + "\",\"category\":\"" + category + "\",\"purpose\":\"" + purpose + "\"}");
    assertThat(registered.statusCode()).as(registered.body()).isIn(200, 201);
    String update = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"" + WABA + "\",\"time\":"
        + Instant.now().getEpochSecond() + ",\"changes\":[{\"value\":{\"event\":\"APPROVED\",\"message_template_id\":"
        + Math.abs(name.hashCode()) + ",\"message_template_name\":\"" + name + "\",\"message_template_language\":\""
        + language + "\",\"reason\":\"NONE\"},\"field\":\"message_template_status_update\"}]}]}";
    assertThat(engine.postWebhook(update).statusCode()).isEqualTo(200);
  }

  // ---- tests ----

  @Test
  void aReplyInsideTheWindowGoesOutAsTextAndItsStatusesFollow() {
    String[] lead = leadWhoWrote("Is the 2BHK still available?", Instant.now().minusSeconds(60));

    HttpResponse<String> sent = reply(lead[0], "{\"text\":\"Yes, it is. Shall I share the floor plan?\"}");

    assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
    JsonNode answer = TestEngine.json(sent);
    assertThat(answer.path("decision").asText()).isEqualTo("send");
    assertThat(answer.path("messageId").asText()).startsWith("out-");
    String wamid = answer.path("platformMessageId").asText();
    assertThat(wamid).startsWith("wamid.");
    List<LoggedRequest> requests = sendsTo(lead[1]);
    assertThat(requests).hasSize(1);
    JsonNode body = TestEngine.json(requests.get(0).getBodyAsString());
    assertThat(body.path("messaging_product").asText()).isEqualTo("whatsapp");
    assertThat(body.path("type").asText()).isEqualTo("text");
    assertThat(body.path("text").path("body").asText()).isEqualTo("Yes, it is. Shall I share the floor plan?");
    assertThat(requests.get(0).getHeader("Authorization")).isEqualTo("Bearer " + TOKEN);

    assertThat(engine.postWebhook(Payloads.status(WABA, PHONE_NUMBER_ID, wamid, lead[1], "delivered",
        Instant.now().getEpochSecond())).statusCode()).isEqualTo(200);
    JsonNode shown = outboundMessage(lead[0], message -> "delivered".equals(message.path("status").asText()));
    assertThat(shown.path("platformMessageId").asText()).isEqualTo(wamid);
    assertThat(shown.path("text").asText()).isEqualTo("Yes, it is. Shall I share the floor plan?");
    assertThat(shown.path("outbound").path("decision").asText()).isEqualTo("send");
    assertThat(shown.path("outbound").path("author").asText()).isEqualTo("human");
    await("the cost log row of " + wamid, () ->
        engine.count("SELECT count(*) FROM cost_log WHERE reference = ?", wamid) == 1 ? true : null);
  }

  @Test
  void aFreeTextReply25HoursAfterTheLeadsLastMessageIsBlockedWithoutATemplateAndGoesAsTheTemplateWithOne() {
    String[] lead = leadWhoWrote("Send me the price list", Instant.now().minus(Duration.ofHours(25)));

    JsonNode blocked = TestEngine.json(reply(lead[0], "{\"text\":\"Here is the price list\"}"));
    assertThat(blocked.path("decision").asText()).isEqualTo("block");
    assertThat(blocked.path("rule").asText()).isEqualTo("window-closed");
    assertThat(sendsTo(lead[1])).isEmpty();

    approveTemplate("follow_up_price", "en", "UTILITY", "follow-up");
    HttpResponse<String> templated = await("the approved template in force", () -> {
      HttpResponse<String> response = reply(lead[0], "{\"text\":\"Here is the price list\"}");
      return "template".equals(TestEngine.json(response).path("decision").asText()) ? response : null;
    });
    JsonNode answer = TestEngine.json(templated);
    assertThat(answer.path("template").asText()).isEqualTo("follow_up_price");
    List<LoggedRequest> requests = sendsTo(lead[1]);
    assertThat(requests).hasSize(1);
    JsonNode body = TestEngine.json(requests.get(0).getBodyAsString());
    assertThat(body.path("type").asText()).isEqualTo("template");
    assertThat(body.path("template").path("name").asText()).isEqualTo("follow_up_price");
    assertThat(body.path("template").path("language").path("code").asText()).isEqualTo("en");
  }

  @Test
  void aSecondMessageWithinThePairRateIntervalIsDeferredThenSentOnceByTheDispatcher() {
    String[] lead = leadWhoWrote("Call me back please", Instant.now().minusSeconds(30));

    assertThat(TestEngine.json(reply(lead[0], "{\"text\":\"Calling you in 5 minutes\"}")).path("decision").asText())
        .isEqualTo("send");
    HttpResponse<String> second = reply(lead[0], "{\"text\":\"Or would tomorrow suit you better?\"}");

    assertThat(second.statusCode()).as(second.body()).isEqualTo(202);
    JsonNode deferred = TestEngine.json(second);
    assertThat(deferred.path("decision").asText()).isEqualTo("defer");
    assertThat(deferred.path("rule").asText()).isEqualTo("pair-rate");
    assertThat(Instant.parse(deferred.path("notBefore").asText())).isAfter(Instant.now());
    assertThat(sendsTo(lead[1])).hasSize(1);

    await("the deferred message sent", () -> sendsTo(lead[1]).size() == 2 ? true : null);
    JsonNode shown = outboundMessage(lead[0], message ->
        deferred.path("messageId").asText().equals(message.path("outbound").path("messageId").asText())
            && "sent".equals(message.path("status").asText()));
    assertThat(shown.path("platformMessageId").asText()).startsWith("wamid.");
    sleep(Duration.ofSeconds(1));
    assertThat(sendsTo(lead[1])).as("sent once").hasSize(2);
    assertThat(engine.count("SELECT count(*) FROM outbound_queue WHERE tenant_id = ? AND lead_id = ?", tenantId,
        lead[0])).isZero();
  }

  @Test
  void anOptedOutLeadIsBlockedAndNothingIsSent() {
    String[] lead = leadWhoWrote("STOP", Instant.now().minusSeconds(10));

    JsonNode blocked = TestEngine.json(reply(lead[0], "{\"text\":\"Sorry to see you go\"}"));

    assertThat(blocked.path("decision").asText()).isEqualTo("block");
    assertThat(blocked.path("rule").asText()).isEqualTo("opted-out");
    assertThat(sendsTo(lead[1])).isEmpty();
  }

  @Test
  void aRetriedRequestWithTheSameIdempotencyKeyIsOneMessage() {
    String[] lead = leadWhoWrote("Need a site visit on Sunday", Instant.now().minusSeconds(10));

    JsonNode first = TestEngine.json(reply(lead[0], "{\"text\":\"Sunday 11 am works\"}", "visit-confirm-0001"));
    JsonNode again = TestEngine.json(reply(lead[0], "{\"text\":\"Sunday 11 am works\"}", "visit-confirm-0001"));

    assertThat(again.path("messageId").asText()).isEqualTo(first.path("messageId").asText());
    assertThat(again.path("platformMessageId").asText()).isEqualTo(first.path("platformMessageId").asText());
    assertThat(sendsTo(lead[1])).hasSize(1);
  }

  @Test
  void metaSayingTheWindowIsClosedTurnsTheTextIntoTheTemplate() {
    approveTemplate("follow_up_general", "en", "UTILITY", "window-reopen");
    String[] lead = leadWhoWrote("Any update?", Instant.now().minusSeconds(120));
    graph.stubFor(post(urlPathEqualTo("/" + VERSION + "/" + PHONE_NUMBER_ID + "/messages")).atPriority(1)
        .withRequestBody(matchingJsonPath("$.to", equalTo(lead[1])))
        .withRequestBody(matchingJsonPath("$.type", equalTo("text")))
        .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
            .withBody("{\"error\":{\"message\":\"Re-engagement message\",\"type\":\"OAuthException\",\"code\":131047,"
                + "\"error_data\":{\"messaging_product\":\"whatsapp\",\"details\":\"More than 24 hours have passed\"},"
                + "\"fbtrace_id\":\"Az8or2yhqkZfEZ-_4Qn_Bam\"}}")));

    JsonNode answer = await("the template approved", () -> {
      JsonNode response = TestEngine.json(reply(lead[0],
          "{\"text\":\"We have an update for you\",\"purpose\":\"window-reopen\"}"));
      return "template".equals(response.path("decision").asText()) ? response : null;
    });

    assertThat(answer.path("template").asText()).isEqualTo("follow_up_general");
    assertThat(answer.path("platformMessageId").asText()).startsWith("wamid.");
    assertThat(sendsTo(lead[1])).extracting(request -> TestEngine.json(request.getBodyAsString()).path("type").asText())
        .containsExactly("text", "template");
  }

  @Test
  void aSuspensionPausesOutboundAndTheRecoveryCheckResumesItWithNothingLost() {
    String waba = "301000000000002";
    String phoneNumberId = "401000000000002";
    engine.registerWhatsApp(tenantId, phoneNumberId, waba);
    assertThat(engine.request("PUT", "/api/v1/tenants/" + tenantId + "/channel-accounts/whatsapp/" + phoneNumberId
        + "/credentials", admin, "{\"accessToken\":\"" + TOKEN + "\"}").statusCode()).isEqualTo(204);
    graph.stubFor(post(urlPathEqualTo("/" + VERSION + "/" + phoneNumberId + "/messages"))
        .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
            .withBody("{\"messaging_product\":\"whatsapp\",\"messages\":[{\"id\":\"wamid.after-recovery\"}]}")));
    graph.stubFor(get(urlPathEqualTo("/" + VERSION + "/" + phoneNumberId)).willReturn(okJson(
        "{\"status\":\"RESTRICTED\",\"quality_rating\":\"RED\",\"id\":\"" + phoneNumberId + "\"}")));
    String[] lead = leadWhoWrote(waba, phoneNumberId, "Is the offer still on?", Instant.now().minusSeconds(20));

    String ban = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"" + waba + "\",\"time\":"
        + Instant.now().getEpochSecond() + ",\"changes\":[{\"value\":{\"event\":\"DISABLED_UPDATE\",\"ban_info\":"
        + "{\"waba_ban_state\":\"DISABLE\",\"waba_ban_date\":\"November 22, 2026\"}},\"field\":\"account_update\"}]}]}";
    assertThat(engine.postWebhook(ban).statusCode()).isEqualTo(200);
    HttpResponse<String> paused = reply(lead[0], "{\"text\":\"Yes, until Sunday\"}");

    assertThat(paused.statusCode()).as(paused.body()).isEqualTo(202);
    assertThat(TestEngine.json(paused).path("rule").asText()).isEqualTo("account-suspended");
    sleep(Duration.ofSeconds(2));
    assertThat(sendsTo(phoneNumberId, lead[1])).as("nothing goes out while suspended").isEmpty();
    assertThat(engine.count("SELECT count(*) FROM outbound_queue WHERE tenant_id = ? AND lead_id = ?", tenantId,
        lead[0])).isEqualTo(1);

    graph.stubFor(get(urlPathEqualTo("/" + VERSION + "/" + phoneNumberId)).willReturn(okJson(
        "{\"status\":\"CONNECTED\",\"quality_rating\":\"GREEN\",\"id\":\"" + phoneNumberId + "\"}")));
    await("the message sent after the recovery", () -> sendsTo(phoneNumberId, lead[1]).size() == 1 ? true : null);
    JsonNode shown = outboundMessage(lead[0], message -> "sent".equals(message.path("status").asText()));
    assertThat(shown.path("platformMessageId").asText()).isEqualTo("wamid.after-recovery");
    assertThat(shown.path("text").asText()).isEqualTo("Yes, until Sunday");
    assertThat(engine.count("SELECT count(*) FROM outbound_queue WHERE tenant_id = ? AND lead_id = ?", tenantId,
        lead[0])).isZero();
  }

  @Test
  void anExpiredAccessTokenFailsTheMessageOnceAndAlertsTheTenant() {
    String[] lead = leadWhoWrote("Please call after 6", Instant.now().minusSeconds(15));
    graph.stubFor(post(urlPathEqualTo("/" + VERSION + "/" + PHONE_NUMBER_ID + "/messages")).atPriority(1)
        .withRequestBody(matchingJsonPath("$.to", equalTo(lead[1])))
        .willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/json")
            .withBody("{\"error\":{\"message\":\"Error validating access token: Session has expired\","
                + "\"type\":\"OAuthException\",\"code\":190,\"error_subcode\":463,\"fbtrace_id\":\"AbCdEf\"}}")));

    JsonNode answer = TestEngine.json(reply(lead[0], "{\"text\":\"Sure, 6:30 pm\"}"));

    assertThat(answer.path("decision").asText()).isEqualTo("send");
    assertThat(answer.path("outcome").asText()).isEqualTo("token-invalid");
    assertThat(answer.path("platformMessageId").isNull()).isTrue();
    assertThat(sendsTo(lead[1])).as("not retried").hasSize(1);
    JsonNode failed = outboundMessage(lead[0], message -> "failed".equals(message.path("status").asText()));
    assertThat(failed.path("outbound").path("outcome").asText()).isEqualTo("token-invalid");
    await("the tenant's admins alerted", () -> {
      for (JsonNode notification : TestEngine.json(engine.get("/api/v1/tenants/" + tenantId + "/compliance/summary",
          admin)).path("notifications")) {
        if (notification.path("kind").asText().equals("compliance.token-invalid")) return true;
      }
      return null;
    });
  }

  @Test
  void badRequestsAreRefusedClearlyAndChangeNothing() {
    String[] lead = leadWhoWrote("hello", Instant.now().minusSeconds(10));
    for (String body : List.of("{}", "{\"text\":\"a\",\"template\":\"b\"}", "{\"text\":\"  \"}",
        "{\"template\":\"follow_up\"}", "{\"template\":\"Bad Name\",\"language\":\"en\"}",
        "{\"text\":\"hi\",\"channel\":\"telegram\"}", "{\"text\":\"hi\",\"parameters\":[\"x\"]}", "[1,2]",
        "{\"template\":\"follow_up\",\"language\":\"en\",\"parameters\":[1]}")) {
      HttpResponse<String> refused = reply(lead[0], body);
      assertThat(refused.statusCode()).as(body + " → " + refused.body()).isEqualTo(400);
      assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }
    assertThat(reply("no-such-lead", "{\"text\":\"hi\"}").statusCode()).isEqualTo(404);
    assertThat(reply(lead[0], "{\"text\":\"hi\",\"channel\":\"instagram\"}").statusCode()).isEqualTo(422);
    assertThat(sendsTo(lead[1])).isEmpty();
  }

  // ---- waiting ----

  private static <T> T await(String what, java.util.function.Supplier<T> probe) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      T value = probe.get();
      if (value != null) return value;
      sleep(Duration.ofMillis(100));
    }
    throw new AssertionError("timed out waiting for " + what);
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
