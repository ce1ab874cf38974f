package io.flexoraa.http.ai;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.flexoraa.http.ai.OpenAiStub.completion;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClientAsync;
import io.flexoraa.engine.ai.AiProfile;
import io.flexoraa.engine.ai.AiProvider;
import io.flexoraa.engine.ai.Analysis;
import io.flexoraa.engine.ai.AnalysisRequest;
import io.flexoraa.engine.ai.ConversationTurn;
import io.flexoraa.engine.ai.MalformedAnswer;
import io.flexoraa.engine.ai.ReplyDraft;
import io.flexoraa.engine.ai.ReplyRequest;
import io.flexoraa.engine.ai.builtin.UsdRates;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAI provider through the real SDK against a local stub of the Chat Completions and Embeddings API: what it
 * sends (a strict JSON schema with our enums, the tenant's facts), how it reads answers (our USD and bucket, derived
 * escalation), which answers it refuses, and the cost-log row every call leaves in a real PostgreSQL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenAiProviderTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-11-21T06:30:00Z");
  private static final LocalDate TODAY = LocalDate.of(2026, 11, 21);

  private OpenAiStub stub;
  private CostLogDatabase database;
  private OpenAIClientAsync client;
  private OpenAiProvider provider;
  private OpenAiEmbedder embedder;
  private String tenantId;
  private volatile boolean embeddingsAllowed = true;

  @BeforeAll
  void start(@TempDir Path directory) {
    stub = new OpenAiStub();
    database = new CostLogDatabase(directory);
    OpenAiSettings settings = OpenAiSettings.fromConfig(stub.config(Map.of(
        "flexoraa.ai.openai.request-timeout", "10s", "flexoraa.ai.openai.max-retries", 1)));
    client = OpenAiProvider.client(settings);
    CostRecorder costs = new CostRecorder(database.costLog, settings, Clock.fixed(NOW, ZoneOffset.UTC));
    provider = new OpenAiProvider(client, settings, Prompts.load("v1"), UsdRates.defaults(), costs);
    embedder = new OpenAiEmbedder(client, settings, costs, () -> embeddingsAllowed);
  }

  @AfterAll
  void stop() {
    if (client != null) client.close();
    if (database != null) database.close();
    if (stub != null) stub.close();
  }

  @BeforeEach
  void freshTenant() {
    stub.reset();
    tenantId = "tenant-" + UUID.randomUUID();
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  private static Throwable failureOf(CompletionStage<?> stage) {
    try {
      stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (ExecutionException failed) {
      return failed.getCause();
    } catch (Exception other) {
      throw new AssertionError(other);
    }
    throw new AssertionError("the stage succeeded");
  }

  private AiProvider.Call call(String reference) {
    return new AiProvider.Call(tenantId, "lead-1", reference, "intent-classification");
  }

  private static AnalysisRequest request(String text, List<String> competitors) {
    return new AnalysisRequest("t", text, "whatsapp", competitors, TODAY);
  }

  /** An analysis answer as the model would write it under the schema, with {@code budget} as raw JSON. */
  static String analysisAnswer(String intent, String budget, List<String> signals, List<String> competitors) {
    return """
        {"language": "en", "is_hinglish": false, "intent": "%s", "category": "BUYING", "tone": "EXCITED",
         "budget": %s, "timeline": "IMMEDIATE", "authority": "DECIDER", "objections": [],
         "buying_signals": %s, "competitors": %s, "high_risk_types": [], "confidence": 0.86}
        """.formatted(intent, budget, json(signals), json(competitors));
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aStructuredAnswerBecomesAnAnalysisWithOurOwnArithmetic() throws Exception {
    String text = "Looking for a 3BHK in Baner, budget 85 lakh to 1 crore. Can we visit this Saturday? "
        + "Nobroker showed me two already.";
    stub.answerChat(completion(analysisAnswer("HIGH",
        "{\"amount\": 9250000, \"currency\": \"INR\", \"period\": \"total\", \"text\": \"85 lakh to 1 crore\"}",
        List.of("asks_meeting"), List.of("Nobroker", "MagicBricks")), 812, 64));

    Analysis analysis = await(provider.analyze(request(text, List.of("NoBroker")), call("msg-1")));

    assertThat(analysis.provider()).isEqualTo("openai");
    assertThat(analysis.model()).isEqualTo("gpt-4o-mini");
    assertThat(analysis.intent()).isEqualTo("HIGH");
    assertThat(analysis.timeline()).isEqualTo("IMMEDIATE");
    assertThat(analysis.authority()).isEqualTo("DECIDER");
    assertThat(analysis.budget().amount()).isEqualByComparingTo("9250000");
    assertThat(analysis.budget().currency()).isEqualTo("INR");
    assertThat(analysis.budget().usd()).as("9,250,000 / 83, by us").isEqualTo(111_446L);
    assertThat(analysis.budget().bucket()).isEqualTo("50K+");
    assertThat(analysis.budget().text()).isEqualTo("85 lakh to 1 crore");
    assertThat(analysis.competitors()).as("named in the message, in the tenant's spelling; the invented one dropped")
        .containsExactly("NoBroker");
    assertThat(analysis.escalateReasons()).containsExactly("budget_50k_plus", "schedule_request", "named_competitor");
    assertThat(analysis.escalate()).isTrue();
    assertThat(analysis.highRisk()).isFalse();
    assertThat(analysis.confidence()).isEqualTo(0.86);

    stub.server.verify(postRequestedFor(urlEqualTo(OpenAiStub.CHAT))
        .withHeader("Authorization", equalTo("Bearer " + OpenAiStub.API_KEY))
        .withRequestBody(matchingJsonPath("$.model", equalTo("gpt-4o-mini")))
        .withRequestBody(matchingJsonPath("$.response_format.type", equalTo("json_schema")))
        .withRequestBody(matchingJsonPath("$.response_format.json_schema.strict", equalTo("true")))
        .withRequestBody(containing("Today's date: 2026-11-21"))
        .withRequestBody(containing("NoBroker")));
    JsonNode sent = JSON.readTree(stub.server.getAllServeEvents().get(0).getRequest().getBodyAsString());
    JsonNode schema = sent.at("/response_format/json_schema/schema");
    assertThat(schema.at("/additionalProperties").asBoolean(true)).isFalse();
    assertThat(JSON.convertValue(schema.at("/properties/category/enum"), List.class)).isEqualTo(Analysis.CATEGORIES);
    assertThat(JSON.convertValue(schema.at("/properties/buying_signals/items/enum"), List.class))
        .isEqualTo(Analysis.BUYING_SIGNALS);
    assertThat(schema.at("/required").size()).isEqualTo(13);

    Map<String, String> row = database.row(tenantId, "msg-1");
    assertThat(row).containsEntry("operation", "intent-classification").containsEntry("provider", "openai")
        .containsEntry("model", "gpt-4o-mini").containsEntry("lead_id", "lead-1").containsEntry("outcome", "ok")
        .containsEntry("prompt_tokens", "812").containsEntry("completion_tokens", "64")
        .containsEntry("currency", "USD");
    assertThat(new BigDecimal(row.get("amount"))).as("812 x $0.15 + 64 x $0.60 per million").isEqualByComparingTo("0.0001602");
  }

  @Test
  void hinglishIsHindiAndAnUnknownCurrencyLeavesTheBudgetUnknown() throws Exception {
    stub.answerChat(completion("""
        {"language": "en", "is_hinglish": true, "intent": "MEDIUM", "category": "INFORMATION", "tone": "NEUTRAL",
         "budget": {"amount": 20000, "currency": "EUR", "period": "total", "text": "20k euro"}, "timeline": null,
         "authority": null, "objections": ["price"], "buying_signals": ["asks_price"], "competitors": [],
         "high_risk_types": [], "confidence": 0.7}
        """, 300, 80));

    Analysis analysis = await(provider.analyze(request("bhai 20k euro tak ho jayega kya? price batao", List.of()),
        call("msg-hinglish")));

    assertThat(analysis.language()).isEqualTo("hi");
    assertThat(analysis.hinglish()).isTrue();
    assertThat(analysis.budget()).as("no EUR rate is configured: never a guessed one").isNull();
    assertThat(analysis.timeline()).isNull();
    assertThat(analysis.escalate()).isFalse();
  }

  @Test
  void answersOutsideTheContractFailTheStageAndTheirTokensAreStillLogged() {
    String text = "What does the premium plan cost? Budget is $2,000 a month.";
    Map<String, String> answers = Map.of(
        "not-json", "Sure! Here is the analysis: intent high",
        "wrong-enum", analysisAnswer("VERY_HIGH", "null", List.of(), List.of()),
        "invented-budget", analysisAnswer("MEDIUM",
            "{\"amount\": 5000, \"currency\": \"USD\", \"period\": \"monthly\", \"text\": \"$5,000 a month\"}",
            List.of(), List.of()),
        "missing-field", "{\"language\": \"en\", \"is_hinglish\": false}",
        "unknown-signal", analysisAnswer("HIGH", "null", List.of("wants_discount"), List.of()));
    answers.forEach((reference, content) -> {
      stub.reset();
      stub.answerChat(completion(content, 500, 20));
      Throwable failure = failureOf(provider.analyze(request(text, List.of()), call(reference)));
      assertThat(failure).as(reference).isInstanceOf(MalformedAnswer.class);
      assertThat(failure.getMessage()).as("what was wrong, never the lead's text").doesNotContain("premium");
      Map<String, String> row = database.row(tenantId, reference);
      assertThat(row).as(reference).containsEntry("outcome", "error").containsEntry("prompt_tokens", "500")
          .containsEntry("completion_tokens", "20");
      assertThat(new BigDecimal(row.get("amount"))).isEqualByComparingTo("0.000087");
    });
  }

  @Test
  void aServerErrorIsRetriedByTheSdkAndTheCallIsOneRow() throws Exception {
    stub.answerChatInTurn(OpenAiStub.serverError(), completion(analysisAnswer("LOW", "null", List.of(), List.of()), 200, 40));

    Analysis analysis = await(provider.analyze(request("just browsing", List.of()), call("msg-retried")));

    assertThat(analysis.provider()).isEqualTo("openai");
    assertThat(analysis.intent()).isEqualTo("LOW");
    assertThat(stub.chatCalls()).isEqualTo(2);
    assertThat(database.row(tenantId, "msg-retried")).containsEntry("outcome", "ok").containsEntry("prompt_tokens", "200");
    assertThat(database.rows(tenantId)).isEqualTo(1);
  }

  @Test
  void aCallThatKeepsFailingIsAnErrorRowWithoutTokens() {
    stub.answerChat(OpenAiStub.serverError());

    Throwable failure = failureOf(provider.analyze(request("hello", List.of()), call("msg-down")));

    assertThat(failure).isInstanceOf(com.openai.errors.InternalServerException.class);
    assertThat(stub.chatCalls()).as("the first attempt and max-retries = 1 more").isEqualTo(2);
    Map<String, String> row = database.row(tenantId, "msg-down");
    assertThat(row).containsEntry("outcome", "error").containsEntry("prompt_tokens", "0").containsEntry("completion_tokens", "0");
    assertThat(new BigDecimal(row.get("amount"))).isEqualByComparingTo("0");
  }

  private ReplyRequest reply(ReplyRequest.Kind kind, ReplyRequest.Slot slot, String band, String reference) {
    AiProfile profile = new AiProfile("Skyline Homes", "Apartments in Pune for young families",
        List.of(new AiProfile.Product("Skyline Meadows 2BHK", "near Hinjewadi", new BigDecimal("7450000"), "INR", null)),
        List.of("RERA registered", "1,200 families moved in"), "friendly", List.of(), List.of("NoBroker"), Map.of(),
        "https://book.skyline.example/visit", "en", null);
    Analysis analysis = new Analysis("en", false, "HIGH", "BUYING", "EXCITED", null, "IMMEDIATE", null, List.of(),
        List.of("asks_meeting"), List.of(), false, List.of(), true, List.of("schedule_request"), 0.9, "openai", "gpt-4o-mini");
    return new ReplyRequest(tenantId, "lead-7", kind, slot, band, "en", false, "Can I see the 2BHK this weekend?",
        analysis, List.of(new ConversationTurn(ConversationTurn.AI, "Hi! How can we help?", "whatsapp", NOW),
            new ConversationTurn(ConversationTurn.LEAD, "Can I see the 2BHK this weekend?", "whatsapp", NOW)),
        List.of("Asked about schools nearby in October"), profile, reference);
  }

  @Test
  void aReplyIsTheModelsTextWrittenFromTheTenantsFactsAlone() throws Exception {
    String text = "Yes! Skyline Meadows 2BHK is at INR 74,50,000 and 1,200 families already live with us. "
        + "Book your visit here: https://book.skyline.example/visit";
    stub.answerChat(completion(text, 900, 70));

    ReplyDraft draft = await(provider.compose(reply(ReplyRequest.Kind.PERSUASION, null, "HOT", "reply-1")));

    assertThat(draft.text()).isEqualTo(text);
    assertThat(draft.source()).isEqualTo(ReplyDraft.PROVIDER);
    assertThat(draft.provider()).isEqualTo("openai");
    assertThat(draft.model()).isEqualTo("gpt-4o-mini");
    assertThat(draft.language()).isEqualTo("en");
    assertThat(draft.strategy()).isEqualTo("scarcity+authority+urgency+booking");
    JsonNode sent = JSON.readTree(stub.server.getAllServeEvents().get(0).getRequest().getBodyAsString());
    JsonNode messages = sent.get("messages");
    String system = messages.get(0).get("content").asText();
    assertThat(system).contains("Skyline Meadows 2BHK", "INR 7450000", "RERA registered",
        "https://book.skyline.example/visit", "urgency", "Never state a product, price", "Write in English");
    assertThat(messages.get(1).get("content").asText()).contains("schools nearby");
    assertThat(messages.get(2).get("role").asText()).isEqualTo("assistant");
    assertThat(messages.get(3).get("role").asText()).isEqualTo("user");
    assertThat(messages.size()).as("the inbound message is the last context turn, not repeated").isEqualTo(4);
    assertThat(database.row(tenantId, "reply-1")).containsEntry("operation", "persuasion-message")
        .containsEntry("lead_id", "lead-7").containsEntry("outcome", "ok").containsEntry("completion_tokens", "70");
  }

  @Test
  void aQuestionAsksItsSlotInTheLeadsLanguage() throws Exception {
    stub.answerChat(completion("Bilkul! Aap kab tak shift hona chahte hain?", 600, 30));
    ReplyRequest base = reply(ReplyRequest.Kind.QUESTION, ReplyRequest.Slot.TIMELINE, "WARM", "reply-2");
    ReplyRequest hinglish = new ReplyRequest(base.tenantId(), base.leadId(), base.kind(), base.slot(), base.band(), "hi",
        true, base.inbound(), base.analysis(), base.context(), base.memories(), base.profile(), base.reference());

    ReplyDraft draft = await(provider.compose(hinglish));

    assertThat(draft.strategy()).isEqualTo("timeline");
    assertThat(draft.language()).isEqualTo("hi");
    assertThat(database.row(tenantId, "reply-2")).containsEntry("operation", "qualification-message");
    String system = JSON.readTree(stub.server.getAllServeEvents().get(0).getRequest().getBodyAsString())
        .get("messages").get(0).get("content").asText();
    assertThat(system).contains("Hinglish", "when they would like to buy or start");
  }

  @Test
  void aReplyStatingANumberOrLinkTheTenantNeverGaveIsRefused() {
    for (String invented : List.of(
        "Book now and get 15% off the 2BHK!",
        "Sure, see https://cheap-flats.example for details.")) {
      stub.reset();
      stub.answerChat(completion(invented, 800, 25));
      Throwable failure = failureOf(provider.compose(reply(ReplyRequest.Kind.PERSUASION, null, "WARM", "r-" + invented.length())));
      assertThat(failure).as(invented).isInstanceOf(MalformedAnswer.class);
    }
  }

  @Test
  void embeddingsAreVectorsAndCostMoney() throws Exception {
    stub.server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlEqualTo(OpenAiStub.EMBEDDINGS))
        .willReturn(OpenAiStub.embedding(9, 0.25f, -0.5f, 0.125f)));

    float[] vector = await(embedder.embed(tenantId, "what is the price of the 2BHK?"));

    assertThat(vector).containsExactly(0.25f, -0.5f, 0.125f);
    assertThat(embedder.name()).isEqualTo("openai:text-embedding-3-small");
    assertThat(database.rows(tenantId)).isEqualTo(1);
    stub.server.verify(postRequestedFor(urlEqualTo(OpenAiStub.EMBEDDINGS))
        .withRequestBody(matchingJsonPath("$.model", equalTo("text-embedding-3-small"))));

    embeddingsAllowed = false;
    try {
      assertThat(failureOf(embedder.embed(tenantId, "and the 3BHK?"))).isInstanceOf(IllegalStateException.class);
    } finally {
      embeddingsAllowed = true;
    }
    assertThat(stub.server.countRequestsMatching(postRequestedFor(urlEqualTo(OpenAiStub.EMBEDDINGS)).build()).getCount())
        .as("template-only: nothing sent").isEqualTo(1);
  }
}
