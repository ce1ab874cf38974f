package io.flexoraa.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.flexoraa.engine.ports.MetaAccountProbe.AccountHealth;
import io.flexoraa.engine.ports.MetaSender;
import io.flexoraa.engine.ports.MetaSender.Content;
import io.flexoraa.engine.ports.MetaSender.OutboundSend;
import io.flexoraa.engine.ports.MetaSender.Outcome;
import io.flexoraa.engine.ports.MetaSender.SendResult;
import io.flexoraa.http.meta.GraphApiClient;
import io.flexoraa.http.meta.GraphSettings;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Graph API sender of a real engine node against a local stub of Meta's Graph API (WireMock over real HTTP):
 * the exact requests per channel and content kind, with each account's own token stored encrypted in PostgreSQL;
 * which errors are retried and which are not; that a message id is never sent twice; and the account probe.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GraphApiClientTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String VERSION = "v21.0";
  private static final String PHONE_NUMBER_ID = "106540352242922";
  private static final String IG_ACCOUNT_ID = "17841400000000001";
  private static final String PAGE_ID = "104000000000001";
  private static final String WA_TOKEN = "EAAGwhatsappTokenForTests123";
  private static final String IG_TOKEN = "IGAAinstagramTokenForTests456";
  private static final String PAGE_TOKEN = "EAAGpageTokenForTests789";
  private static final String CUSTOMER = "919812312345";
  private static final AtomicInteger IDS = new AtomicInteger();

  private WireMockServer graph;
  private TestEngine engine;
  private MetaSender sender;
  private String tenantId;
  private String admin;
  private final List<String> measured = new CopyOnWriteArrayList<>();

  @BeforeAll
  void start(@TempDir Path dataDirectory) {
    graph = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    graph.start();
    // Kamon's registry without bytecode instrumentation (that is Main's job); a short tick so /metrics is fresh
    kamon.Kamon.initWithoutAttaching(com.typesafe.config.ConfigFactory.parseString("kamon.metric.tick-interval = 500ms")
        .withFallback(com.typesafe.config.ConfigFactory.load()));
    engine = TestEngine.start(dataDirectory, Map.of(
        "flexoraa.meta.graph.base-url", graph.baseUrl(),
        "flexoraa.meta.graph.api-version", VERSION,
        "flexoraa.meta.graph.request-timeout", "1s",
        "flexoraa.meta.graph.retry.initial-backoff", "1ms",
        "flexoraa.meta.graph.retry.max-backoff", "5ms"));
    tenantId = engine.createTenant("Graph Realty", "IN");
    admin = engine.createApiKey(tenantId, "Admin");
    // WhatsApp's token comes with the registration, the others' afterwards through PUT .../credentials
    registerAccount("whatsapp", PHONE_NUMBER_ID, WA_TOKEN);
    registerAccount("instagram", IG_ACCOUNT_ID, null);
    registerAccount("messenger", PAGE_ID, null);
    storeToken("instagram", IG_ACCOUNT_ID, IG_TOKEN);
    storeToken("messenger", PAGE_ID, PAGE_TOKEN);
    sender = engine.server.metaSender();
  }

  @AfterAll
  void stop() {
    if (engine != null) engine.close();
    if (graph != null) graph.stop();
  }

  @BeforeEach
  void reset() {
    graph.resetAll();
    measured.clear();
  }

  // ---- the requests, as Meta documents them ----

  @Test
  void whatsAppTextGoesToThePhoneNumbersMessagesWithItsToken() throws Exception {
    stubWhatsAppAccepts("wamid.HBgLOTE5ODEyMzEyMzQ1FQIAERgSQUFBQUFB");
    SendResult result = await(sender.send(whatsApp(new Content.Text("Hello! See https://example.com/flats"))));

    assertThat(result.outcome()).isEqualTo(Outcome.SENT);
    assertThat(result.platformMessageId()).isEqualTo("wamid.HBgLOTE5ODEyMzEyMzQ1FQIAERgSQUFBQUFB");
    assertThat(result.attempts()).isEqualTo(1);
    LoggedRequest request = onlyPost("/" + VERSION + "/" + PHONE_NUMBER_ID + "/messages");
    assertThat(request.getHeader("Authorization")).isEqualTo("Bearer " + WA_TOKEN);
    assertThat(request.getHeader("Content-Type")).startsWith("application/json");
    assertThat(body(request)).isEqualTo(json("{\"messaging_product\":\"whatsapp\",\"recipient_type\":\"individual\","
        + "\"to\":\"" + CUSTOMER + "\",\"type\":\"text\","
        + "\"text\":{\"preview_url\":true,\"body\":\"Hello! See https://example.com/flats\"}}"));
  }

  @Test
  void whatsAppTemplateCarriesNameLanguageAndBodyParameters() throws Exception {
    stubWhatsAppAccepts("wamid.template");
    SendResult result = await(sender.send(whatsApp(
        new Content.Template("visit_reminder", "en_US", List.of("Asha", "Saturday 11:00")))));

    assertThat(result.sent()).isTrue();
    assertThat(body(onlyPost("/" + VERSION + "/" + PHONE_NUMBER_ID + "/messages"))).isEqualTo(json(
        "{\"messaging_product\":\"whatsapp\",\"recipient_type\":\"individual\",\"to\":\"" + CUSTOMER + "\","
            + "\"type\":\"template\",\"template\":{\"name\":\"visit_reminder\",\"language\":{\"code\":\"en_US\"},"
            + "\"components\":[{\"type\":\"body\",\"parameters\":[{\"type\":\"text\",\"text\":\"Asha\"},"
            + "{\"type\":\"text\",\"text\":\"Saturday 11:00\"}]}]}}"));

    graph.resetRequests();
    await(sender.send(whatsApp(new Content.Template("hello_world", "en_US", List.of()))));
    assertThat(body(onlyPost("/" + VERSION + "/" + PHONE_NUMBER_ID + "/messages")).path("template"))
        .isEqualTo(json("{\"name\":\"hello_world\",\"language\":{\"code\":\"en_US\"}}"));
  }

  @Test
  void whatsAppMediaAndInteractive() throws Exception {
    stubWhatsAppAccepts("wamid.media");
    await(sender.send(whatsApp(new Content.Media("image", "https://cdn.example.com/flat.jpg", "Living room"))));
    await(sender.send(whatsApp(new Content.Media("audio", "https://cdn.example.com/note.ogg", "ignored"))));
    await(sender.send(whatsApp(new Content.Media("document", "https://cdn.example.com/brochure.pdf", null))));
    String interactive = "{\"type\":\"button\",\"body\":{\"text\":\"Visit this week?\"},\"action\":{\"buttons\":["
        + "{\"type\":\"reply\",\"reply\":{\"id\":\"yes\",\"title\":\"Yes\"}}]}}";
    await(sender.send(whatsApp(new Content.Interactive(interactive))));

    List<JsonNode> bodies = posts("/" + VERSION + "/" + PHONE_NUMBER_ID + "/messages").stream()
        .map(GraphApiClientTest::body).toList();
    String head = "{\"messaging_product\":\"whatsapp\",\"recipient_type\":\"individual\",\"to\":\"" + CUSTOMER + "\",";
    assertThat(bodies).containsExactly(
        json(head + "\"type\":\"image\",\"image\":{\"link\":\"https://cdn.example.com/flat.jpg\","
            + "\"caption\":\"Living room\"}}"),
        json(head + "\"type\":\"audio\",\"audio\":{\"link\":\"https://cdn.example.com/note.ogg\"}}"),
        json(head + "\"type\":\"document\",\"document\":{\"link\":\"https://cdn.example.com/brochure.pdf\"}}"),
        json(head + "\"type\":\"interactive\",\"interactive\":" + interactive + "}"));
  }

  @Test
  void instagramDirectMessagePrivateReplyAndHumanAgentTag() throws Exception {
    graph.stubFor(post(urlEqualTo("/" + VERSION + "/" + IG_ACCOUNT_ID + "/messages"))
        .willReturn(okJson("{\"recipient_id\":\"5623000000000001\",\"message_id\":\"aWdfZAG1faXRlbTox\"}")));

    SendResult direct = await(sender.send(send("instagram", IG_ACCOUNT_ID, "5623000000000001", null,
        new Content.Text("Thanks for your message!"), null, null)));
    SendResult privateReply = await(sender.send(send("instagram", IG_ACCOUNT_ID, null, "17900000000000001",
        new Content.Text("We sent you the price list."), null, null)));
    SendResult human = await(sender.send(send("instagram", IG_ACCOUNT_ID, "5623000000000001", null,
        new Content.Text("Riya here, sorry for the wait."), "MESSAGE_TAG", "HUMAN_AGENT")));

    assertThat(List.of(direct, privateReply, human)).allSatisfy(result -> {
      assertThat(result.outcome()).isEqualTo(Outcome.SENT);
      assertThat(result.platformMessageId()).isEqualTo("aWdfZAG1faXRlbTox");
    });
    List<LoggedRequest> requests = posts("/" + VERSION + "/" + IG_ACCOUNT_ID + "/messages");
    assertThat(requests).allSatisfy(request ->
        assertThat(request.getHeader("Authorization")).isEqualTo("Bearer " + IG_TOKEN));
    assertThat(requests.stream().map(GraphApiClientTest::body).toList()).containsExactly(
        json("{\"recipient\":{\"id\":\"5623000000000001\"},\"message\":{\"text\":\"Thanks for your message!\"}}"),
        json("{\"recipient\":{\"comment_id\":\"17900000000000001\"},"
            + "\"message\":{\"text\":\"We sent you the price list.\"}}"),
        json("{\"recipient\":{\"id\":\"5623000000000001\"},\"messaging_type\":\"MESSAGE_TAG\","
            + "\"tag\":\"HUMAN_AGENT\",\"message\":{\"text\":\"Riya here, sorry for the wait.\"}}"));
  }

  @Test
  void messengerSendsWithAMessagingTypeAlways() throws Exception {
    graph.stubFor(post(urlEqualTo("/" + VERSION + "/" + PAGE_ID + "/messages"))
        .willReturn(okJson("{\"recipient_id\":\"2900000000000001\",\"message_id\":\"m_AG5Hz2Uq7tuwNEhXfYYKj8mJEM\"}")));

    SendResult response = await(sender.send(send("messenger", PAGE_ID, "2900000000000001", null,
        new Content.Text("Hi! How can we help?"), null, null)));
    await(sender.send(send("messenger", PAGE_ID, "2900000000000001", null,
        new Content.Text("Following up as promised."), "MESSAGE_TAG", "HUMAN_AGENT")));
    await(sender.send(send("messenger", PAGE_ID, "2900000000000001", null,
        new Content.Media("image", "https://cdn.example.com/flat.jpg", null), "RESPONSE", null)));

    assertThat(response.platformMessageId()).isEqualTo("m_AG5Hz2Uq7tuwNEhXfYYKj8mJEM");
    List<LoggedRequest> requests = posts("/" + VERSION + "/" + PAGE_ID + "/messages");
    assertThat(requests).allSatisfy(request ->
        assertThat(request.getHeader("Authorization")).isEqualTo("Bearer " + PAGE_TOKEN));
    assertThat(requests.stream().map(GraphApiClientTest::body).toList()).containsExactly(
        json("{\"recipient\":{\"id\":\"2900000000000001\"},\"messaging_type\":\"RESPONSE\","
            + "\"message\":{\"text\":\"Hi! How can we help?\"}}"),
        json("{\"recipient\":{\"id\":\"2900000000000001\"},\"messaging_type\":\"MESSAGE_TAG\",\"tag\":\"HUMAN_AGENT\","
            + "\"message\":{\"text\":\"Following up as promised.\"}}"),
        json("{\"recipient\":{\"id\":\"2900000000000001\"},\"messaging_type\":\"RESPONSE\",\"message\":{"
            + "\"attachment\":{\"type\":\"image\",\"payload\":{\"url\":\"https://cdn.example.com/flat.jpg\"}}}}"));
  }

  @Test
  void whatCannotBeSentAsGivenIsRejectedWithoutARequest() throws Exception {
    SendResult template = await(sender.send(send("messenger", PAGE_ID, "2900000000000001", null,
        new Content.Template("offer", "en_US", List.of()), null, null)));
    SendResult tagWithoutType = await(sender.send(send("instagram", IG_ACCOUNT_ID, "5623000000000001", null,
        new Content.Text("hi"), "RESPONSE", "HUMAN_AGENT")));
    SendResult badMedia = await(sender.send(whatsApp(new Content.Media("hologram", "https://x.example/a", null))));

    assertThat(List.of(template, tagWithoutType, badMedia)).allSatisfy(result -> {
      assertThat(result.outcome()).isEqualTo(Outcome.REJECTED);
      assertThat(result.attempts()).isZero();
    });
    assertThat(graph.getAllServeEvents()).isEmpty();
  }

  @Test
  void anAccountWithoutATokenSendsNothing() throws Exception {
    String unconnected = "106540352200" + (100 + IDS.incrementAndGet());
    registerAccount("whatsapp", unconnected, null);
    SendResult result = await(sender.send(send("whatsapp", unconnected, CUSTOMER, null, new Content.Text("hi"), null,
        null)));
    assertThat(result.outcome()).isEqualTo(Outcome.NO_CREDENTIALS);
    assertThat(graph.getAllServeEvents()).isEmpty();
  }

  // ---- retries and outcomes ----

  @Test
  void serverErrorsAndThrottlingAreRetriedUntilOneSendSucceeds() throws Exception {
    String path = "/" + VERSION + "/" + PHONE_NUMBER_ID + "/messages";
    graph.stubFor(post(urlEqualTo(path)).inScenario("flaky").whenScenarioStateIs(STARTED)
        .willReturn(aResponse().withStatus(500).withBody("{\"error\":{\"message\":\"Something went wrong\","
            + "\"code\":131000}}")).willSetStateTo("throttled"));
    graph.stubFor(post(urlEqualTo(path)).inScenario("flaky").whenScenarioStateIs("throttled")
        .willReturn(aResponse().withStatus(429).withBody("")).willSetStateTo("cloud-throttled"));
    graph.stubFor(post(urlEqualTo(path)).inScenario("flaky").whenScenarioStateIs("cloud-throttled")
        .willReturn(aResponse().withStatus(400).withBody(error(130429, "Rate limit hit"))).willSetStateTo("healthy"));
    graph.stubFor(post(urlEqualTo(path)).inScenario("flaky").whenScenarioStateIs("healthy")
        .willReturn(okJson(whatsAppAccepted("wamid.after-retries"))));

    SendResult result = await(sender.send(whatsApp(new Content.Text("Your visit is confirmed"))));

    assertThat(result.outcome()).isEqualTo(Outcome.SENT);
    assertThat(result.platformMessageId()).isEqualTo("wamid.after-retries");
    assertThat(result.attempts()).isEqualTo(4);
    assertThat(posts(path)).hasSize(4);
    assertThat(graph.getAllServeEvents().stream().filter(event -> event.getResponse().getStatus() == 200).count())
        .as("successful POSTs").isEqualTo(1);
  }

  @Test
  void throttlingThatOutlastsTheRetriesEndsRateLimited() throws Exception {
    String path = "/" + VERSION + "/" + PHONE_NUMBER_ID + "/messages";
    graph.stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(400).withBody(error(80007, "Rate limit"))));

    SendResult result = await(sender.send(whatsApp(new Content.Text("hello"))));

    assertThat(result.outcome()).isEqualTo(Outcome.RATE_LIMITED);
    assertThat(result.errorCode()).isEqualTo(80007);
    assertThat(result.attempts()).isEqualTo(4);
    assertThat(posts(path)).hasSize(4);
  }

  @Test
  void metasVerdictsOnTheMessageAreNotRetried() throws Exception {
    String path = "/" + VERSION + "/" + PHONE_NUMBER_ID + "/messages";
    Map<Integer, Outcome> expected = Map.of(
        131047, Outcome.WINDOW_CLOSED,
        131049, Outcome.USER_BACKOFF,
        131056, Outcome.PAIR_RATE,
        131026, Outcome.UNDELIVERABLE,
        190, Outcome.TOKEN_INVALID,
        100, Outcome.REJECTED);
    List<String> wrong = new ArrayList<>();
    for (Map.Entry<Integer, Outcome> code : expected.entrySet()) {
      graph.resetAll();
      graph.stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(code.getKey() == 190 ? 401 : 400)
          .withBody(error(code.getKey(), "Meta says no"))));
      SendResult result = await(sender.send(whatsApp(new Content.Text("hello"))));
      int requests = posts(path).size();
      if (result.outcome() != code.getValue() || requests != 1 || result.attempts() != 1
          || !Integer.valueOf(code.getKey()).equals(result.errorCode())) {
        wrong.add(code.getKey() + ": " + result + " after " + requests + " requests");
      }
      assertThat(result.errorDetail()).contains("Meta says no");
    }
    assertThat(wrong).isEmpty();
  }

  @Test
  void messengerAndInstagramSpeakOfAClosedWindowInTheirOwnCodes() throws Exception {
    graph.stubFor(post(urlEqualTo("/" + VERSION + "/" + PAGE_ID + "/messages")).willReturn(aResponse().withStatus(400)
        .withBody("{\"error\":{\"message\":\"(#10) This message is sent outside of allowed window.\","
            + "\"type\":\"OAuthException\",\"code\":10,\"error_subcode\":2018278}}")));
    graph.stubFor(post(urlEqualTo("/" + VERSION + "/" + IG_ACCOUNT_ID + "/messages")).willReturn(aResponse()
        .withStatus(400).withBody("{\"error\":{\"message\":\"(#551) This person isn't available right now.\","
            + "\"code\":551}}")));

    SendResult messenger = await(sender.send(send("messenger", PAGE_ID, "2900000000000001", null,
        new Content.Text("late"), null, null)));
    SendResult instagram = await(sender.send(send("instagram", IG_ACCOUNT_ID, "5623000000000001", null,
        new Content.Text("hello"), null, null)));

    assertThat(messenger.outcome()).isEqualTo(Outcome.WINDOW_CLOSED);
    assertThat(instagram.outcome()).isEqualTo(Outcome.UNDELIVERABLE);
  }

  // ---- never the same message twice ----

  @Test
  void theSameMessageIdTwiceMakesOneRequest() throws Exception {
    stubWhatsAppAccepts("wamid.once");
    OutboundSend once = whatsApp(new Content.Text("only once"));

    SendResult first = await(sender.send(once));
    SendResult second = await(sender.send(once));

    assertThat(second).isEqualTo(first);
    assertThat(posts("/" + VERSION + "/" + PHONE_NUMBER_ID + "/messages")).hasSize(1);
  }

  @Test
  void concurrentSendsOfOneMessageIdShareOneRequest() throws Exception {
    graph.stubFor(post(urlEqualTo("/" + VERSION + "/" + PHONE_NUMBER_ID + "/messages"))
        .willReturn(okJson(whatsAppAccepted("wamid.shared")).withFixedDelay(300)));
    OutboundSend once = whatsApp(new Content.Text("raced"));

    List<CompletableFuture<SendResult>> racing = new ArrayList<>();
    for (int i = 0; i < 8; i++) racing.add(sender.send(once).toCompletableFuture());

    for (CompletableFuture<SendResult> result : racing) {
      assertThat(await(result).platformMessageId()).isEqualTo("wamid.shared");
    }
    assertThat(posts("/" + VERSION + "/" + PHONE_NUMBER_ID + "/messages")).hasSize(1);
  }

  @Test
  void aRefusedMessageMayBeSentAgainUnderItsId() throws Exception {
    String path = "/" + VERSION + "/" + PHONE_NUMBER_ID + "/messages";
    graph.stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(400).withBody(error(131056, "Pair rate"))));
    OutboundSend later = whatsApp(new Content.Text("wait for it"));
    assertThat(await(sender.send(later)).outcome()).isEqualTo(Outcome.PAIR_RATE);

    stubWhatsAppAccepts("wamid.after-the-wait");
    assertThat(await(sender.send(later)).platformMessageId()).isEqualTo("wamid.after-the-wait");
    assertThat(posts(path)).hasSize(2);
  }

  @Test
  void aTimeOutIsNotRetriedAndNotRepeated() throws Exception {
    String path = "/" + VERSION + "/" + PHONE_NUMBER_ID + "/messages";
    // the stub answers after the client's request-timeout (1s): Meta may have taken the message
    graph.stubFor(post(urlEqualTo(path)).willReturn(okJson(whatsAppAccepted("wamid.too-late")).withFixedDelay(3_000)));
    OutboundSend slow = whatsApp(new Content.Text("slow"));

    SendResult result = await(sender.send(slow));

    assertThat(result.outcome()).isEqualTo(Outcome.SERVER_ERROR);
    assertThat(result.attempts()).isEqualTo(1);
    assertThat(result.errorDetail()).contains("may have been delivered");
    assertThat(await(sender.send(slow))).isEqualTo(result);
    assertThat(posts(path)).hasSize(1);
  }

  @Test
  void aRefusedConnectionIsRetriedBecauseNothingWasSent() throws Exception {
    GraphApiClient unreachable = client(URI.create("http://127.0.0.1:" + closedPort()));
    OutboundSend send = whatsApp(new Content.Text("anyone there?"));

    SendResult result = await(unreachable.send(send));

    assertThat(result.outcome()).isEqualTo(Outcome.SERVER_ERROR);
    assertThat(result.attempts()).isEqualTo(3);
    assertThat(result.errorDetail()).contains("could not be reached").contains("nothing was sent");
    assertThat(measured).containsExactly("whatsapp send unreachable", "whatsapp send unreachable",
        "whatsapp send unreachable");
    // nothing went out, so the same id may go again (and is tried again)
    assertThat(await(unreachable.send(send)).attempts()).isEqualTo(3);
  }

  // ---- account health ----

  @Test
  void theProbeReadsAWhatsAppNumbersStatus() throws Exception {
    String path = "/" + VERSION + "/" + PHONE_NUMBER_ID;
    graph.stubFor(get(urlPathEqualTo(path)).inScenario("probe").whenScenarioStateIs(STARTED)
        .willReturn(okJson("{\"status\":\"RESTRICTED\",\"quality_rating\":\"RED\",\"name_status\":\"APPROVED\","
            + "\"id\":\"" + PHONE_NUMBER_ID + "\"}")).willSetStateTo("recovered"));
    graph.stubFor(get(urlPathEqualTo(path)).inScenario("probe").whenScenarioStateIs("recovered")
        .willReturn(okJson("{\"status\":\"CONNECTED\",\"quality_rating\":\"GREEN\",\"name_status\":\"APPROVED\","
            + "\"id\":\"" + PHONE_NUMBER_ID + "\"}")).willSetStateTo("down"));
    graph.stubFor(get(urlPathEqualTo(path)).inScenario("probe").whenScenarioStateIs("down")
        .willReturn(aResponse().withStatus(503)));

    MetaAccountProbeAnswers answers = new MetaAccountProbeAnswers(
        await(engine.server.metaAccountProbe().check(tenantId, "whatsapp", PHONE_NUMBER_ID)),
        await(engine.server.metaAccountProbe().check(tenantId, "whatsapp", PHONE_NUMBER_ID)),
        await(engine.server.metaAccountProbe().check(tenantId, "whatsapp", PHONE_NUMBER_ID)));

    assertThat(answers).isEqualTo(new MetaAccountProbeAnswers(
        AccountHealth.RESTRICTED, AccountHealth.HEALTHY, AccountHealth.UNKNOWN));
    List<LoggedRequest> requests = graph.findAll(getRequestedFor(urlPathEqualTo(path)));
    assertThat(requests).hasSize(3).allSatisfy(request -> {
      assertThat(request.getUrl()).isEqualTo(path + "?fields=status,quality_rating,name_status");
      assertThat(request.getHeader("Authorization")).isEqualTo("Bearer " + WA_TOKEN);
    });
  }

  private record MetaAccountProbeAnswers(AccountHealth first, AccountHealth second, AccountHealth third) {}

  @Test
  void theProbeOfAPageOrInstagramAccountIsWhetherItAnswers() throws Exception {
    graph.stubFor(get(urlEqualTo("/" + VERSION + "/" + PAGE_ID + "?fields=id"))
        .willReturn(okJson("{\"id\":\"" + PAGE_ID + "\"}")));
    graph.stubFor(get(urlEqualTo("/" + VERSION + "/" + IG_ACCOUNT_ID + "?fields=id")).willReturn(aResponse()
        .withStatus(400).withBody("{\"error\":{\"message\":\"(#368) Temporarily blocked for policies violations\","
            + "\"code\":368}}")));

    assertThat(await(engine.server.metaAccountProbe().check(tenantId, "messenger", PAGE_ID)))
        .isEqualTo(AccountHealth.HEALTHY);
    assertThat(await(engine.server.metaAccountProbe().check(tenantId, "instagram", IG_ACCOUNT_ID)))
        .isEqualTo(AccountHealth.RESTRICTED);
    assertThat(await(client(URI.create("http://127.0.0.1:" + closedPort()))
        .check(tenantId, "messenger", PAGE_ID))).isEqualTo(AccountHealth.UNKNOWN);
    assertThat(await(engine.server.metaAccountProbe().check(tenantId, "whatsapp", "109999999999999")))
        .as("no token for an account").isEqualTo(AccountHealth.UNKNOWN);
  }

  @Test
  void requestsAreCountedInMetrics() throws Exception {
    stubWhatsAppAccepts("wamid.counted");
    await(sender.send(whatsApp(new Content.Text("count me"))));
    TestEngine.eventually(() -> engine.get("/metrics", null).body().lines().anyMatch(line ->
            line.startsWith("flexoraa_graph_api_requests_total{") && line.contains("channel=\"whatsapp\"")
                && line.contains("outcome=\"sent\"") && line.contains("operation=\"send\"")),
        "the Graph API request counter in /metrics");
    assertThat(engine.get("/metrics", null).body()).contains("flexoraa_graph_api_latency_seconds_count{");
  }

  // ---- helpers ----

  private GraphApiClient client(URI baseUrl) {
    GraphSettings settings = new GraphSettings(baseUrl, VERSION, Duration.ofSeconds(1), Duration.ofSeconds(1), 3,
        Duration.ofMillis(1), Duration.ofMillis(5), 100, Duration.ZERO, 10);
    return new GraphApiClient(settings, engine.server.channelCredentials(),
        (channel, operation, outcome, nanos) -> measured.add(channel + " " + operation + " " + outcome));
  }

  private void registerAccount(String channel, String externalId, String accessToken) {
    HttpResponse<String> response = engine.post("/api/v1/tenants/" + tenantId + "/channel-accounts", admin,
        "{\"channel\":\"" + channel + "\",\"externalId\":\"" + externalId + "\",\"displayName\":\"Sales\","
            + "\"verifyToken\":\"vt-" + externalId + "\""
            + (accessToken == null ? "" : ",\"accessToken\":\"" + accessToken + "\"") + "}");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
  }

  private void storeToken(String channel, String externalId, String accessToken) {
    HttpResponse<String> response = engine.request("PUT", "/api/v1/tenants/" + tenantId + "/channel-accounts/"
        + channel + "/" + externalId + "/credentials", admin, "{\"accessToken\":\"" + accessToken + "\"}");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private OutboundSend whatsApp(Content content) {
    return send("whatsapp", PHONE_NUMBER_ID, CUSTOMER, null, content, null, null);
  }

  private OutboundSend send(String channel, String account, String recipient, String commentId, Content content,
      String messagingType, String tag) {
    return new OutboundSend(tenantId, channel, account, "msg-" + IDS.incrementAndGet(), recipient, commentId, content,
        messagingType, tag);
  }

  private void stubWhatsAppAccepts(String wamid) {
    graph.stubFor(post(urlEqualTo("/" + VERSION + "/" + PHONE_NUMBER_ID + "/messages"))
        .willReturn(okJson(whatsAppAccepted(wamid))));
  }

  private static String whatsAppAccepted(String wamid) {
    return "{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"" + CUSTOMER + "\",\"wa_id\":\"" + CUSTOMER
        + "\"}],\"messages\":[{\"id\":\"" + wamid + "\"}]}";
  }

  private static String error(int code, String message) {
    return "{\"error\":{\"message\":\"" + message + "\",\"type\":\"OAuthException\",\"code\":" + code
        + ",\"error_data\":{\"messaging_product\":\"whatsapp\",\"details\":\"" + message + "\"},"
        + "\"fbtrace_id\":\"AbCdEf123\"}}";
  }

  private List<LoggedRequest> posts(String path) {
    return graph.findAll(postRequestedFor(urlEqualTo(path)));
  }

  private LoggedRequest onlyPost(String path) {
    List<LoggedRequest> requests = posts(path);
    assertThat(requests).hasSize(1);
    return requests.get(0);
  }

  private static JsonNode body(LoggedRequest request) {
    return json(request.getBodyAsString());
  }

  private static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
