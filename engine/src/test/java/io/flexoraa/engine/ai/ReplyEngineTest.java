package io.flexoraa.engine.ai;

import static io.flexoraa.engine.ai.AiFixtures.analysis;
import static io.flexoraa.engine.ai.AiFixtures.persuasion;
import static io.flexoraa.engine.ai.AiFixtures.request;
import static io.flexoraa.engine.ai.AiFixtures.skyline;
import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.flexoraa.engine.ai.ReplyRequest.Kind;
import io.flexoraa.engine.ai.ReplyRequest.Slot;
import io.flexoraa.engine.ai.builtin.BuiltInAnalyzer;
import io.flexoraa.engine.ai.builtin.BuiltInReplies;
import io.flexoraa.engine.ai.builtin.HashingEmbedder;
import io.flexoraa.engine.ports.EngineMetrics;
import io.flexoraa.engine.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The reply stage's order — FAQ, then the tenant's cache, then the provider, then the fact guard — with a stand-in
 * for the AI provider (an outside service) that answers what each test scripts, including invented prices.
 */
class ReplyEngineTest {
  private static final BuiltInReplies BUILT_IN = new BuiltInReplies();

  /** Stands in for OpenAI: answers by script and counts the calls it would have cost. */
  private static final class ScriptedProvider implements AiProvider {
    final Function<ReplyRequest, CompletionStage<ReplyDraft>> script;
    final List<ReplyRequest> calls = new ArrayList<>();

    ScriptedProvider(Function<ReplyRequest, CompletionStage<ReplyDraft>> script) {
      this.script = script;
    }

    static ScriptedProvider answering(String text) {
      return new ScriptedProvider(request -> CompletableFuture.completedFuture(generated(text)));
    }

    @Override
    public String name() {
      return "openai";
    }

    @Override
    public CompletionStage<Analysis> analyze(AnalysisRequest request, Call call) {
      return CompletableFuture.failedFuture(new UnsupportedOperationException("not used here"));
    }

    @Override
    public CompletionStage<ReplyDraft> compose(ReplyRequest request) {
      calls.add(request);
      return script.apply(request);
    }
  }

  private static final class RecordingMetrics implements EngineMetrics {
    final List<String> sources = new ArrayList<>();
    int hallucinations;

    @Override
    public void eventsPersisted(String entityType, int count) {}

    @Override
    public void aiReplySource(String source) {
      sources.add(source);
    }

    @Override
    public void aiHallucinationPrevented() {
      hallucinations++;
    }
  }

  private static ReplyDraft generated(String text) {
    return new ReplyDraft(text, "en", ReplyDraft.PROVIDER, "openai", "gpt-test", "social-proof+soft-call");
  }

  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-21T10:00:00Z"));
  private final RecordingMetrics metrics = new RecordingMetrics();

  private ReplyEngine engine(AiProvider provider) {
    return new ReplyEngine(provider, BUILT_IN, new HashingEmbedder(1024),
        new SemanticCache(SemanticCache.Settings.fromConfig(ConfigFactory.load()), clock),
        new FactGuard(FactGuard.Settings.fromConfig(ConfigFactory.load())),
        ReplyEngine.Settings.fromConfig(ConfigFactory.load()), metrics);
  }

  private static ReplyDraft reply(ReplyEngine engine, ReplyRequest request) {
    try {
      return engine.reply(request).toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void theTenantsFaqAnswersWithoutAnAiCallInTheLeadsLanguage() {
    ScriptedProvider provider = ScriptedProvider.answering("Yes, there is parking.");
    ReplyEngine engine = engine(provider);

    ReplyDraft english = reply(engine, persuasion("WARM", "en", "Is there parking??", skyline()));
    ReplyDraft hinglish = reply(engine, AiFixtures.persuasion("tenant-a", "WARM", "hi", true, "parking hai kya", skyline()));
    ReplyDraft price = reply(engine, persuasion("WARM", "en", "what's the price of the garden 2bhk?", skyline()));

    assertThat(english.source()).isEqualTo(ReplyDraft.FAQ);
    assertThat(english.text()).isEqualTo("Yes: one covered parking slot comes with every apartment.");
    assertThat(hinglish.source()).isEqualTo(ReplyDraft.FAQ);
    assertThat(hinglish.language()).isEqualTo("hi-Latn");
    assertThat(hinglish.text()).startsWith("Haan, har apartment");
    assertThat(price.text()).isEqualTo("The Garden 2BHK is ₹62,00,000 all inclusive.");
    assertThat(provider.calls).isEmpty();
    assertThat(metrics.sources).containsExactly("faq", "faq", "faq");
  }

  @Test
  void aFaqForOneProductDoesNotAnswerTheSameQuestionAboutAnother() {
    ScriptedProvider provider = ScriptedProvider.answering("The Sky Villa 3BHK is ₹95 lakh.");
    ReplyDraft draft = reply(engine(provider), persuasion("WARM", "en", "what's the price of the sky villa 3bhk?",
        skyline()));

    assertThat(draft.source()).isEqualTo(ReplyDraft.PROVIDER);
    assertThat(draft.text()).isEqualTo("The Sky Villa 3BHK is ₹95 lakh.");
    assertThat(provider.calls).hasSize(1);
  }

  @Test
  void aGeneratedAnswerServesTheNextLeadAskingTheSameFromTheCache() {
    ScriptedProvider provider = ScriptedProvider.answering("The clubhouse has a pool, a gym and a party hall.");
    ReplyEngine engine = engine(provider);

    ReplyDraft first = reply(engine, persuasion("WARM", "en", "What does the clubhouse have?", skyline()));
    ReplyDraft second = reply(engine, persuasion("WARM", "en", "what does the clubhouse have", skyline()));
    ReplyDraft other = reply(engine, persuasion("WARM", "en", "Is the clubhouse open on Sunday?", skyline()));

    assertThat(first.source()).isEqualTo(ReplyDraft.PROVIDER);
    assertThat(second.source()).isEqualTo(ReplyDraft.CACHE);
    assertThat(second.text()).isEqualTo(first.text());
    assertThat(second.provider()).isEqualTo("openai");
    assertThat(other.source()).isEqualTo(ReplyDraft.PROVIDER);
    assertThat(provider.calls).hasSize(2);
    assertThat(metrics.sources).containsExactly("provider", "cache", "provider");
    assertThat(engine.stats()).isEqualTo(new ReplyEngine.Stats(0, 1, 2, 0, 0));
  }

  @Test
  void aCachedAnswerNeverReachesAnotherTenantLanguageOrBand() {
    ScriptedProvider provider = ScriptedProvider.answering("The clubhouse has a pool and a gym.");
    ReplyEngine engine = engine(provider);
    String question = "What does the clubhouse have?";

    reply(engine, AiFixtures.persuasion("tenant-a", "WARM", "en", false, question, skyline()));
    ReplyDraft otherTenant = reply(engine, AiFixtures.persuasion("tenant-b", "WARM", "en", false, question, skyline()));
    ReplyDraft otherLanguage = reply(engine, AiFixtures.persuasion("tenant-a", "WARM", "id", false, question, skyline()));
    ReplyDraft otherBand = reply(engine, AiFixtures.persuasion("tenant-a", "HOT", "en", false, question, skyline()));
    ReplyDraft same = reply(engine, AiFixtures.persuasion("tenant-a", "WARM", "en", false, question, skyline()));

    assertThat(List.of(otherTenant.source(), otherLanguage.source(), otherBand.source()))
        .containsOnly(ReplyDraft.PROVIDER);
    assertThat(same.source()).isEqualTo(ReplyDraft.CACHE);
    assertThat(provider.calls).hasSize(4);
  }

  @Test
  void anInventedPriceIsReplacedByTheApprovedWordingCountedAndNeverCached() {
    ScriptedProvider provider = ScriptedProvider.answering("Great news: the Sky Villa 3BHK is just ₹79 lakh this week!");
    ReplyEngine engine = engine(provider);
    ReplyRequest request = request(Kind.PERSUASION, null, "HOT", "en", false, "price of the sky villa 3bhk?",
        analysis("en", false, List.of("asks_price"), null, null), skyline());

    ReplyDraft first = reply(engine, request);
    ReplyDraft again = reply(engine, request);

    assertThat(first.source()).isEqualTo(ReplyDraft.TEMPLATE);
    assertThat(first.text()).startsWith("Sky Villa 3BHK is ₹9,500,000.").doesNotContain("79");
    assertThat(first.strategy()).isEqualTo("authority+urgency+booking");
    assertThat(again.source()).isEqualTo(ReplyDraft.TEMPLATE);
    assertThat(provider.calls).hasSize(2);
    assertThat(metrics.hallucinations).isEqualTo(2);
    assertThat(engine.stats().hallucinationsPrevented()).isEqualTo(2);
  }

  @Test
  void anAnswerQuotingTheLeadsOwnBudgetIsSentButNotCachedForOthers() {
    ScriptedProvider provider = ScriptedProvider.answering("With 80 lakh, the Garden 2BHK at ₹62 lakh fits well.");
    ReplyEngine engine = engine(provider);

    ReplyDraft first = reply(engine, persuasion("WARM", "en", "what fits a budget of 80 lakh?", skyline()));
    ReplyDraft second = reply(engine, persuasion("WARM", "en", "What fits a budget of 80 lakh", skyline()));

    assertThat(first.source()).isEqualTo(ReplyDraft.PROVIDER);
    assertThat(second.source()).isEqualTo(ReplyDraft.PROVIDER);
    assertThat(provider.calls).hasSize(2);
  }

  @Test
  void holdingAndHandoffAreAlwaysTheApprovedWording() {
    ScriptedProvider provider = ScriptedProvider.answering("Legally you are entitled to a refund.");
    ReplyEngine engine = engine(provider);

    ReplyDraft holding = reply(engine, request(Kind.HOLDING, null, null, "en", false, "my lawyer will sue you",
        analysis("en", false, List.of(), null, null), skyline()));
    ReplyDraft handoff = reply(engine, request(Kind.HANDOFF, null, null, "ar", false, "أريد الشراء الآن",
        analysis("ar", false, List.of("ready_to_buy"), null, null), skyline()));

    assertThat(holding.text()).isEqualTo("Thank you for your message. A member of our team will get back to you personally.");
    assertThat(handoff.language()).isEqualTo("ar");
    assertThat(List.of(holding.source(), handoff.source())).containsOnly(ReplyDraft.TEMPLATE);
    assertThat(provider.calls).isEmpty();
  }

  @Test
  void aFailingSlowOrEmptyProviderEndsInTheApprovedWording() {
    ScriptedProvider failing = new ScriptedProvider(request -> CompletableFuture.failedFuture(
        new IllegalStateException("503 from the provider")));
    ScriptedProvider throwing = new ScriptedProvider(request -> {
      throw new IllegalStateException("bug");
    });
    ScriptedProvider empty = ScriptedProvider.answering("  ");

    for (ScriptedProvider provider : List.of(failing, throwing, empty)) {
      ReplyDraft question = reply(engine(provider), request(Kind.QUESTION, Slot.BUDGET, null, "id", false,
          "mau rumah di Pune", analysis("id", false, List.of(), null, null), skyline()));
      assertThat(question.source()).isEqualTo(ReplyDraft.TEMPLATE);
      assertThat(question.text()).contains("Berapa anggaran yang Anda siapkan?");
      ReplyDraft persuasion = reply(engine(provider), persuasion("COLD", "en", "what's special?", skyline()));
      assertThat(persuasion.source()).isEqualTo(ReplyDraft.TEMPLATE);
      assertThat(persuasion.strategy()).isEqualTo("curiosity+education+soft-cta");
    }
  }

  @Test
  void questionsAndStatementsGoToTheProviderThroughTheGuardButAreNotCached() {
    ScriptedProvider provider = ScriptedProvider.answering("Happy to help you choose between our apartments!");
    ReplyEngine engine = engine(provider);

    ReplyDraft statement = reply(engine, persuasion("WARM", "en", "ok sounds good", skyline()));
    ReplyDraft again = reply(engine, persuasion("WARM", "en", "ok sounds good", skyline()));
    ReplyDraft question = reply(engine, request(Kind.QUESTION, Slot.TIMELINE, null, "en", false, "I like it",
        analysis("en", false, List.of(), null, null), skyline()));

    assertThat(List.of(statement.source(), again.source(), question.source())).containsOnly(ReplyDraft.PROVIDER);
    assertThat(provider.calls).hasSize(3);
  }

  @Test
  void aChangedProfileRetiresTheTenantsCachedAnswers() {
    ScriptedProvider provider = ScriptedProvider.answering("The clubhouse has a pool and a gym.");
    ReplyEngine engine = engine(provider);
    AiProfile before = skyline();
    AiProfile after = new AiProfile(before.business(), "Now with a rooftop garden.", before.products(),
        before.proofPoints(), before.tone(), before.faq(), before.competitors(), before.replyTemplates(),
        before.bookingLink(), before.defaultLanguage(), Instant.parse("2026-11-21T09:00:00Z"));

    reply(engine, persuasion("WARM", "en", "What does the clubhouse have?", before));
    ReplyDraft afterChange = reply(engine, persuasion("WARM", "en", "What does the clubhouse have?", after));

    assertThat(afterChange.source()).isEqualTo(ReplyDraft.PROVIDER);
    assertThat(provider.calls).hasSize(2);
  }

  @Test
  void theBuiltInProviderGivesTemplatesThatAreNeitherGuardedNorCached() {
    ReplyEngine engine = engine(new BuiltInProvider(BuiltInAnalyzer.withDefaults(), BUILT_IN));

    ReplyDraft first = reply(engine, persuasion("HOT", "en", "can I visit tomorrow?", skyline()));
    ReplyDraft second = reply(engine, persuasion("HOT", "en", "can I visit tomorrow?", skyline()));

    assertThat(first.source()).isEqualTo(ReplyDraft.TEMPLATE);
    assertThat(second.source()).isEqualTo(ReplyDraft.TEMPLATE);
    assertThat(first.text()).contains(AiFixtures.BOOKING);
    assertThat(metrics.sources).containsExactly("template", "template");
  }

  @Test
  void aFaqTaggedForALanguageServesOnlyThatLanguage() {
    AiProfile profile = new AiProfile("Toko", null, List.of(), List.of(), null,
        List.of(new AiProfile.Faq("Apakah ada parkir?", "Ada, parkir gratis.", "id")), List.of(), Map.of(), null,
        "id", null);
    ScriptedProvider provider = ScriptedProvider.answering("Parking is free.");
    ReplyEngine engine = engine(provider);

    assertThat(reply(engine, AiFixtures.persuasion("t", "WARM", "id", false, "apakah ada parkir?", profile)).source())
        .isEqualTo(ReplyDraft.FAQ);
    assertThat(reply(engine, AiFixtures.persuasion("t", "WARM", "ms", false, "apakah ada parkir?", profile)).source())
        .isEqualTo(ReplyDraft.PROVIDER);
  }

  @Test
  void theCacheExpires() {
    ScriptedProvider provider = ScriptedProvider.answering("The clubhouse has a pool and a gym.");
    ReplyEngine engine = engine(provider);
    reply(engine, persuasion("WARM", "en", "What does the clubhouse have?", skyline()));
    clock.advance(Duration.ofHours(25));
    assertThat(reply(engine, persuasion("WARM", "en", "What does the clubhouse have?", skyline())).source())
        .isEqualTo(ReplyDraft.PROVIDER);
  }
}
