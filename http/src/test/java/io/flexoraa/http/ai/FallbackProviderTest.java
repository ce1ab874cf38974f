package io.flexoraa.http.ai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static io.flexoraa.http.ai.OpenAiStub.completion;
import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClientAsync;
import io.flexoraa.engine.ai.AiProfile;
import io.flexoraa.engine.ai.AiProvider;
import io.flexoraa.engine.ai.Analysis;
import io.flexoraa.engine.ai.AnalysisRequest;
import io.flexoraa.engine.ai.BuiltInProvider;
import io.flexoraa.engine.ai.FallbackProvider;
import io.flexoraa.engine.ai.ReplyDraft;
import io.flexoraa.engine.ai.ReplyRequest;
import io.flexoraa.engine.ai.builtin.BuiltInAnalyzer;
import io.flexoraa.engine.ai.builtin.BuiltInReplies;
import io.flexoraa.engine.ai.builtin.UsdRates;
import io.flexoraa.engine.limits.BackpressureMode;
import io.flexoraa.engine.ports.EngineMetrics;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenAI with the built-in engine behind it, through the real SDK against a local stub: every way OpenAI can fail
 * (malformed answers, server errors, an answer slower than the call timeout) gives the built-in engine's answer,
 * the breaker stops calling a failing provider and lets it back after its reset timeout, and neither template-only
 * mode nor a template-only node calls it at all. The breaker's timeouts are short here; nothing asserts a speed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FallbackProviderTest {
  private static final LocalDate TODAY = LocalDate.of(2026, 11, 21);
  private static final String GOOD = OpenAiProviderTest.analysisAnswer("HIGH", "null", List.of("ready_to_buy"), List.of());

  private OpenAiStub stub;
  private CostLogDatabase database;
  private OpenAIClientAsync client;
  private OpenAiProvider openAi;
  private ActorTestKit testKit;
  private final BuiltInProvider builtIn = new BuiltInProvider(BuiltInAnalyzer.withDefaults(), new BuiltInReplies());
  private final RecordingMetrics metrics = new RecordingMetrics();
  private String tenantId;

  /** Counts what the fallback provider reports, as "provider/operation/outcome" and "fallback:reason". */
  private static final class RecordingMetrics implements EngineMetrics {
    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void eventsPersisted(String entityType, int count) {}

    @Override
    public void aiCall(String provider, String operation, String outcome) {
      events.add(provider + "/" + operation + "/" + outcome);
    }

    @Override
    public void aiFallback(String reason) {
      events.add("fallback:" + reason);
    }
  }

  @BeforeAll
  void start(@TempDir Path directory) {
    stub = new OpenAiStub();
    database = new CostLogDatabase(directory);
    // one attempt per call, so that the stub's request count is the provider's call count
    OpenAiSettings settings = OpenAiSettings.fromConfig(stub.config(Map.of(
        "flexoraa.ai.openai.request-timeout", "10s", "flexoraa.ai.openai.max-retries", 0)));
    client = OpenAiProvider.client(settings);
    openAi = new OpenAiProvider(client, settings, Prompts.load("v1"), UsdRates.defaults(),
        new CostRecorder(database.costLog, settings, Clock.systemUTC()));
    testKit = ActorTestKit.create();
  }

  @AfterAll
  void stop() {
    if (testKit != null) testKit.shutdownTestKit();
    if (client != null) client.close();
    if (database != null) database.close();
    if (stub != null) stub.close();
  }

  @BeforeEach
  void reset() {
    stub.reset();
    metrics.events.clear();
    tenantId = "tenant-" + UUID.randomUUID();
  }

  private FallbackProvider provider(boolean templateOnly, int maxFailures, Duration callTimeout, Duration resetTimeout,
      AtomicReference<BackpressureMode> mode) {
    return new FallbackProvider(openAi, builtIn,
        new FallbackProvider.Settings(templateOnly, maxFailures, callTimeout, resetTimeout),
        testKit.system().classicSystem().scheduler(), mode::get, metrics);
  }

  /** A call timeout so generous that a loaded test machine never turns another failure into a timeout. */
  private FallbackProvider provider() {
    return provider(false, 5, Duration.ofSeconds(10), Duration.ofSeconds(30), new AtomicReference<>(BackpressureMode.NORMAL));
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  private Analysis analyze(AiProvider provider, String reference) throws Exception {
    return await(provider.analyze(new AnalysisRequest(tenantId, "I want to buy the blue one today, budget $900",
        "whatsapp", List.of(), TODAY), new AiProvider.Call(tenantId, "lead-1", reference, "intent-classification")));
  }

  private static void eventually(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
      Thread.sleep(50);
    }
  }

  @Test
  void openAiAnswersWhenItCan() throws Exception {
    FallbackProvider provider = provider();
    stub.answerChat(completion(GOOD, 300, 50));

    Analysis analysis = analyze(provider, "ok-1");

    assertThat(provider.name()).isEqualTo("openai+builtin");
    assertThat(analysis.provider()).isEqualTo("openai");
    assertThat(analysis.escalateReasons()).containsExactly("ready_to_buy");
    assertThat(metrics.events).containsExactly("openai/intent-classification/ok");
  }

  @Test
  void everyKindOfFailureIsAnsweredByTheBuiltInEngine() throws Exception {
    Map<String, String> malformed = Map.of(
        "not-json", "{\"language\": \"en\", \"intent\": ",
        "wrong-enum", GOOD.replace("\"EXCITED\"", "\"ANGRY\""),
        "invented-budget", OpenAiProviderTest.analysisAnswer("HIGH",
            "{\"amount\": 900, \"currency\": \"USD\", \"period\": \"total\", \"text\": \"$9,000\"}", List.of(), List.of()));
    FallbackProvider provider = provider(false, 100, Duration.ofSeconds(10), Duration.ofSeconds(30),
        new AtomicReference<>(BackpressureMode.NORMAL));
    for (Map.Entry<String, String> answer : malformed.entrySet()) {
      stub.reset();
      stub.answerChat(completion(answer.getValue(), 400, 30));
      Analysis analysis = analyze(provider, answer.getKey());
      assertThat(analysis.provider()).as(answer.getKey()).isEqualTo("builtin");
      assertThat(analysis.model()).isEqualTo(BuiltInAnalyzer.MODEL);
      assertThat(database.row(tenantId, answer.getKey())).as("paid for, so logged").containsEntry("outcome", "error")
          .containsEntry("prompt_tokens", "400");
    }
    stub.reset();
    stub.answerChat(OpenAiStub.serverError());
    assertThat(analyze(provider, "server-error").provider()).isEqualTo("builtin");

    assertThat(metrics.events).containsExactly(
        "openai/intent-classification/malformed", "fallback:malformed", "builtin/intent-classification/ok",
        "openai/intent-classification/malformed", "fallback:malformed", "builtin/intent-classification/ok",
        "openai/intent-classification/malformed", "fallback:malformed", "builtin/intent-classification/ok",
        "openai/intent-classification/error", "fallback:error", "builtin/intent-classification/ok");
  }

  @Test
  void anAnswerSlowerThanTheCallTimeoutIsNotWaitedFor() throws Exception {
    FallbackProvider provider = provider(false, 5, Duration.ofMillis(300), Duration.ofSeconds(30),
        new AtomicReference<>(BackpressureMode.NORMAL));
    stub.answerChat(completion(GOOD, 300, 50).withFixedDelay(2_000));

    Analysis analysis = analyze(provider, "slow-1");

    assertThat(analysis.provider()).isEqualTo("builtin");
    assertThat(metrics.events).containsExactly(
        "openai/intent-classification/timeout", "fallback:timeout", "builtin/intent-classification/ok");
    // the call itself ends later and is still written to the cost log: it was paid for
    eventually(() -> "ok".equals(database.row(tenantId, "slow-1").get("outcome")), "the slow call's cost-log row");
  }

  @Test
  void theBreakerStopsCallingAFailingProviderAndLetsItBackAfterTheResetTimeout() throws Exception {
    FallbackProvider provider = provider(false, 2, Duration.ofSeconds(10), Duration.ofMillis(700),
        new AtomicReference<>(BackpressureMode.NORMAL));
    stub.answerChat(OpenAiStub.serverError());

    assertThat(analyze(provider, "down-1").provider()).isEqualTo("builtin");
    assertThat(analyze(provider, "down-2").provider()).isEqualTo("builtin");
    assertThat(provider.breakerState()).as("open after max-failures = 2").isEqualTo("open");
    for (int i = 3; i <= 6; i++) assertThat(analyze(provider, "down-" + i).provider()).isEqualTo("builtin");
    assertThat(stub.chatCalls()).as("an open breaker sends nothing").isEqualTo(2);
    assertThat(metrics.events.stream().filter("fallback:breaker-open"::equals).count()).isEqualTo(4);

    stub.reset();
    stub.answerChat(completion(GOOD, 300, 50));
    eventually(() -> provider.breakerState().equals("half-open"), "the breaker's reset timeout");
    assertThat(analyze(provider, "back-1").provider()).as("the trial call succeeds").isEqualTo("openai");
    // the breaker notes the trial's success as the call completes, a moment after its answer is handed on
    eventually(() -> provider.breakerState().equals("closed"), "the breaker closing");
    assertThat(analyze(provider, "back-2").provider()).as("closed again").isEqualTo("openai");
    assertThat(stub.chatCalls()).isEqualTo(2);
  }

  @Test
  void templateOnlyModeAndATemplateOnlyNodeNeverCallOpenAi() throws Exception {
    stub.answerChat(completion(GOOD, 300, 50));
    AtomicReference<BackpressureMode> mode = new AtomicReference<>(BackpressureMode.TEMPLATE_ONLY);
    FallbackProvider underBackpressure = provider(false, 5, Duration.ofSeconds(10), Duration.ofSeconds(30), mode);
    FallbackProvider configured = provider(true, 5, Duration.ofSeconds(10), Duration.ofSeconds(30),
        new AtomicReference<>(BackpressureMode.NORMAL));

    assertThat(analyze(underBackpressure, "bp-1").provider()).isEqualTo("builtin");
    assertThat(analyze(configured, "cfg-1").provider()).isEqualTo("builtin");
    assertThat(await(configured.compose(reply(ReplyRequest.Kind.PERSUASION, "ref-cfg"))).provider()).isEqualTo("builtin");
    assertThat(stub.chatCalls()).isZero();
    assertThat(database.rows(tenantId)).isZero();
    assertThat(metrics.events).contains("fallback:backpressure", "fallback:template-only");

    mode.set(BackpressureMode.DEFAULT_PERSUASION);
    assertThat(analyze(underBackpressure, "bp-2").provider()).as("fewer variants, but AI calls allowed").isEqualTo("openai");
    assertThat(stub.chatCalls()).isEqualTo(1);
  }

  private ReplyRequest reply(ReplyRequest.Kind kind, String reference) {
    return new ReplyRequest(tenantId, "lead-2", kind, null, "WARM", "en", false, "Is it worth it?", null, List.of(),
        List.of(), AiProfile.empty(), reference);
  }

  @Test
  void repliesFallBackToApprovedWordingAndHighRiskNeverReachesOpenAi() throws Exception {
    FallbackProvider provider = provider();
    stub.answerChat(completion("Absolutely, our members save 40% in the first year!", 500, 20));

    ReplyDraft persuasion = await(provider.compose(reply(ReplyRequest.Kind.PERSUASION, "reply-invented")));
    assertThat(persuasion.provider()).as("a number the tenant never gave").isEqualTo("builtin");
    assertThat(persuasion.source()).isEqualTo(ReplyDraft.TEMPLATE);

    ReplyDraft holding = await(provider.compose(reply(ReplyRequest.Kind.HOLDING, "reply-holding")));
    assertThat(holding.provider()).isEqualTo("builtin");
    assertThat(stub.chatCalls()).as("only the persuasion was asked of OpenAI").isEqualTo(1);
    assertThat(metrics.events).containsExactly(
        "openai/persuasion-message/malformed", "fallback:malformed", "builtin/persuasion-message/ok",
        "builtin/human-high-risk-review/ok");

    stub.reset();
    stub.answerChat(completion("Happy to help! Shall we set up a short call?", 500, 20));
    ReplyDraft generated = await(provider.compose(reply(ReplyRequest.Kind.PERSUASION, "reply-ok")));
    assertThat(generated.provider()).isEqualTo("openai");
    assertThat(generated.text()).isEqualTo("Happy to help! Shall we set up a short call?");
  }
}
