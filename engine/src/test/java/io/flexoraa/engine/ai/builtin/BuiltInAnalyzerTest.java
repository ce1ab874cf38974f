package io.flexoraa.engine.ai.builtin;

import static io.flexoraa.engine.ai.builtin.AnalyzerFixture.ANALYZER;
import static io.flexoraa.engine.ai.builtin.AnalyzerFixture.TODAY;
import static io.flexoraa.engine.ai.builtin.AnalyzerFixture.analyze;
import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.flexoraa.engine.ai.Analysis;
import io.flexoraa.engine.ai.AnalysisRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The analyzer as a whole: what it promises every caller, whatever the input. */
class BuiltInAnalyzerTest {

  @Nested
  class AnyInput {
    @Test
    void emptyBlankAndEmojiOnlyMessagesGetAReadingAndLowConfidence() {
      for (String text : new String[] {"", "   ", "\n\n", "😍😍😍", "🙏", "...", "!!!", "12345"}) {
        Analysis analysis = analyze(text);
        assertThat(analysis.language()).as(text).isNotBlank();
        assertThat(Analysis.CATEGORIES).as(text).contains(analysis.category());
        assertThat(Analysis.INTENTS).as(text).contains(analysis.intent());
        assertThat(Analysis.TONES).as(text).contains(analysis.tone());
      }
      assertThat(analyze("").confidence()).isLessThan(0.6);
      assertThat(analyze("😶").confidence()).isLessThan(0.6);
    }

    @Test
    void aHugeMessageIsAnalysedOnItsBeginning() {
      String huge = "Can we schedule a site visit tomorrow? ".repeat(30_000) + " I will kill you";
      Analysis analysis = analyze(huge);
      assertThat(analysis.buyingSignals()).contains("asks_meeting");
      assertThat(analysis.highRisk()).as("text past the analysed start is not read").isFalse();
    }

    @Test
    void randomTextInEveryScriptNeverThrowsAndAlwaysGivesValidLabels() {
      Random random = new Random(20261121);
      int[][] ranges = {{0x20, 0x7E}, {0x0900, 0x097F}, {0x0600, 0x06FF}, {0x0B80, 0x0BFF}, {0x0E00, 0x0E7F},
          {0x4E00, 0x4E80}, {0x1F300, 0x1F64F}, {0x0300, 0x036F}, {0x0000, 0x001F}, {0xD800, 0xDFFF}, {0x200B, 0x200F}};
      for (int message = 0; message < 500; message++) {
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(message % 50 == 0 ? 6_000 : 120);
        for (int i = 0; i < length; i++) {
          int[] range = ranges[random.nextInt(ranges.length)];
          text.appendCodePoint(range[0] + random.nextInt(range[1] - range[0] + 1));
        }
        Analysis analysis = analyze(text.toString());
        assertThat(Analysis.CATEGORIES).contains(analysis.category());
        assertThat(Analysis.INTENTS).contains(analysis.intent());
        assertThat(Analysis.TONES).contains(analysis.tone());
        assertThat(analysis.confidence()).isBetween(0.0, 1.0);
        assertThat(Analysis.OBJECTIONS).containsAll(analysis.objections());
        assertThat(Analysis.BUYING_SIGNALS).containsAll(analysis.buyingSignals());
        assertThat(Analysis.HIGH_RISK_TYPES).containsAll(analysis.highRiskTypes());
        assertThat(analysis.escalate()).isEqualTo(!analysis.escalateReasons().isEmpty());
      }
    }
  }

  @Nested
  class Escalation {
    @Test
    void reasonsAreDerivedFromTheOtherFields() {
      Analysis analysis = analyze(
          "We compared you with Zoho People and Keka: yours costs more, lacks payroll for Karnataka, and our CFO "
              + "has to sign off. Can we get a call on Thursday?");
      assertThat(analysis.competitors()).containsExactly("Zoho People", "Keka");
      assertThat(analysis.objections()).contains("price", "features", "need_approval", "competitor");
      assertThat(analysis.escalateReasons())
          .containsExactly("schedule_request", "named_competitor", "3plus_objections");
      assertThat(analysis.escalate()).isTrue();
      assertThat(analysis.authority()).isEqualTo("NEEDS_APPROVAL");
    }

    @Test
    void highRiskEscalatesByType() {
      Analysis analysis = analyze("treatment ke baad infection ho gaya, police complaint karunga");
      assertThat(analysis.highRisk()).isTrue();
      assertThat(analysis.escalateReasons()).containsExactly("sensitive_legal", "sensitive_medical");
    }

    @Test
    void anOrdinaryQuestionDoesNotEscalate() {
      Analysis analysis = analyze("What is the price of the day pass?");
      assertThat(analysis.escalate()).isFalse();
      assertThat(analysis.escalateReasons()).isEmpty();
    }

    @Test
    void aTenantsOwnCompetitorEscalates() {
      assertThat(analyze("Sunshine Realty showed me the same flat", List.of("Sunshine Realty")).escalateReasons())
          .containsExactly("named_competitor");
      assertThat(analyze("Sunshine Realty showed me the same flat").escalate()).isFalse();
    }
  }

  @Nested
  class Confidence {
    @Test
    void clearMessagesScoreAtLeastTheEscalationThreshold() {
      for (String text : new String[] {"What's the price of the 2BHK?", "Can we book a site visit on Sunday?",
          "ok", "hi", "My order is damaged, I want a refund", "kal se 4 seats chahiye, monthly kitna hoga?",
          "Is your software GDPR compliant? Our legal team will ask."}) {
        assertThat(analyze(text).confidence()).as(text).isGreaterThanOrEqualTo(0.6);
      }
    }

    @Test
    void textTheRulesCannotReadScoresBelowIt() {
      for (String text : new String[] {"asdkjh qweqwe zzzz", "xkcd blorp fnord", "😶"}) {
        assertThat(analyze(text).confidence()).as(text).isLessThan(0.6);
      }
    }

    @Test
    void moreAgreeingCuesMeanMoreConfidence() {
      assertThat(analyze("Need 2 desks from Monday, what's the monthly rent? Budget 20k. Can we visit tomorrow?")
          .confidence()).isGreaterThan(analyze("price?").confidence());
    }
  }

  @Test
  void theReadingNamesTheBuiltInProviderAndRuleSet() {
    Analysis analysis = analyze("price?");
    assertThat(analysis.provider()).isEqualTo(Analysis.PROVIDER_BUILTIN);
    assertThat(analysis.model()).isEqualTo(BuiltInAnalyzer.MODEL);
  }

  @Test
  void concurrentCallersGetTheSameReadingsAsOneCaller() throws Exception {
    List<String> texts = List.of("What's the price?", "kal se 4 seats chahiye", "ابي شقة في دبي، متى أقدر أشوفها؟",
        "Saya mau klaim tapi ditolak terus, saya lapor ke OJK", "I will kill you", "ok", "Zoho is cheaper",
        "मुझे 2BHK चाहिए");
    List<Analysis> expected = texts.stream().map(AnalyzerFixture::analyze).toList();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<Analysis>>> runs = new ArrayList<>();
      for (int thread = 0; thread < 4; thread++) {
        runs.add(pool.submit(() -> {
          List<Analysis> last = List.of();
          for (int round = 0; round < 50; round++) last = texts.stream().map(AnalyzerFixture::analyze).toList();
          return last;
        }));
      }
      for (Future<List<Analysis>> run : runs) assertThat(run.get()).isEqualTo(expected);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void theSettingsComeFromConfiguration() {
    var config = ConfigFactory.parseString("""
        flexoraa.ai.builtin.competitors = ["Acme Homes"]
        flexoraa.ai.builtin.confidence.clear = 0.7
        """).withFallback(ConfigFactory.load());
    BuiltInAnalyzer configured = BuiltInAnalyzer.fromConfig(config);
    Analysis analysis = configured.analyze(new AnalysisRequest(null, "Acme Homes quoted less", null, List.of(), TODAY));
    assertThat(analysis.competitors()).containsExactly("Acme Homes");
    assertThat(ANALYZER.analyze(new AnalysisRequest(null, "Acme Homes quoted less", null, List.of(), TODAY))
        .competitors()).isEmpty();
    assertThat(configured.settings().confidence().clear()).isEqualTo(0.7);
  }

  @Test
  void theTwoArgumentConstructorStillWorks() {
    BuiltInAnalyzer analyzer = new BuiltInAnalyzer(new BudgetExtractor(UsdRates.defaults()), new TimelineExtractor());
    assertThat(analyzer.analyze(new AnalysisRequest(null, "price?", null, List.of(), TODAY)).buyingSignals())
        .containsExactly("asks_price");
  }
}
