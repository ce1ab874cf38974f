package io.flexoraa.engine.ai.builtin;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.flexoraa.engine.ai.Analysis;
import io.flexoraa.engine.ai.AnalysisRequest;
import io.flexoraa.engine.ai.Analyzer;
import io.flexoraa.engine.ai.Budget;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The built-in engine's analysis (PRODUCT §4.2, §5): deterministic keyword and pattern rules over a multilingual
 * lexicon, no network, no model to download. One message is folded once ({@link MessageText}), every cue of the
 * {@link Lexicon} is read once, and small classifiers turn what fired into the fields of an {@link Analysis}:
 * {@link LanguageDetector}, {@link SignalReader}, {@link RiskDetector}, {@link CompetitorFinder},
 * {@link IntentClassifier}, {@link ToneClassifier}; budgets and timelines come from {@link BudgetExtractor} and
 * {@link TimelineExtractor}. Labels follow {@code ../shared/eval/README.md}; figures are in
 * {@code docs/ai/model-card.md}.
 *
 * <p>Construct it once: the lexicon's patterns and lingua's models are compiled and loaded at construction (and
 * cached per JVM). {@link #analyze} is thread-safe and never blocks.
 */
public final class BuiltInAnalyzer implements Analyzer {
  /** The rule set's version: changes whenever the lexicon or the rules change what a message reads as. */
  public static final String MODEL = "builtin-2";

  private static final Map<String, Lexicon> LEXICONS = new ConcurrentHashMap<>();

  /** How a reading's confidence is scored, from {@code flexoraa.ai.builtin.confidence}. */
  public record ConfidenceSettings(
      double nothingMatched, double clear, double perCue, double max, double contested, double unsureLanguage) {

    static ConfidenceSettings fromConfig(Config builtin) {
      Config config = builtin.getConfig("confidence");
      return new ConfidenceSettings(
          config.getDouble("nothing-matched"), config.getDouble("clear"), config.getDouble("per-cue"),
          config.getDouble("max"), config.getDouble("contested"), config.getDouble("unsure-language"));
    }
  }

  /** Everything tunable, from {@code flexoraa.ai.builtin}. */
  public record Settings(
      String lexicon, LanguageDetector.Settings language, ConfidenceSettings confidence, List<String> competitors,
      List<String> salesChannels) {

    public Settings {
      competitors = List.copyOf(competitors);
      salesChannels = List.copyOf(salesChannels);
    }

    public static Settings fromConfig(Config root) {
      Config builtin = root.getConfig("flexoraa.ai.builtin");
      return new Settings(
          builtin.getString("lexicon"), LanguageDetector.Settings.fromConfig(builtin),
          ConfidenceSettings.fromConfig(builtin), builtin.getStringList("competitors"),
          builtin.getStringList("sales-channels"));
    }
  }

  private final BudgetExtractor budgets;
  private final TimelineExtractor timelines;
  private final Settings settings;
  private final Lexicon lexicon;
  private final LanguageDetector languages;
  private final CompetitorFinder competitors;

  public BuiltInAnalyzer(BudgetExtractor budgets, TimelineExtractor timelines, Settings settings) {
    this.budgets = budgets;
    this.timelines = timelines;
    this.settings = settings;
    this.lexicon = LEXICONS.computeIfAbsent(settings.lexicon(), Lexicon::load);
    this.languages = new LanguageDetector(lexicon, settings.language());
    this.competitors = new CompetitorFinder(settings.competitors(), settings.salesChannels());
  }

  /** With the rules of the configuration on the class path ({@code reference.conf}). */
  public BuiltInAnalyzer(BudgetExtractor budgets, TimelineExtractor timelines) {
    this(budgets, timelines, Settings.fromConfig(ConfigFactory.load()));
  }

  public static BuiltInAnalyzer fromConfig(Config config) {
    return new BuiltInAnalyzer(
        BudgetExtractor.fromConfig(config), new TimelineExtractor(Festivals.fromConfig(config)),
        Settings.fromConfig(config));
  }

  public static BuiltInAnalyzer withDefaults() {
    return fromConfig(ConfigFactory.load());
  }

  @Override
  public Analysis analyze(AnalysisRequest request) {
    MessageText text = MessageText.of(request.text());
    LanguageDetector.Detected language = languages.detect(text);
    Lexicon.Hits hits = lexicon.read(text);
    Budget budget = budgets.extract(request.text()).orElse(null);
    String timeline = timelines.extract(request.text(), request.today()).orElse(null);

    List<String> named = competitors.find(text, request.competitors());
    List<String> riskTypes = RiskDetector.types(hits);
    List<String> signals = SignalReader.buyingSignals(hits);
    List<String> objections = SignalReader.objections(hits, named);
    IntentClassifier.Verdict verdict = IntentClassifier.classify(new IntentClassifier.Facts(
        hits, signals, objections, named, riskTypes, budget, timeline,
        lexicon.isOnly("acknowledgement", text), lexicon.isOnly("greeting", text),
        Math.max(questions(text), hits.has("question_word") ? 1 : 0)));
    String tone = ToneClassifier.classify(hits, verdict.category(), riskTypes, objections);
    // objections and buying signals are a prospect's: an existing customer's complaint is support (the category
    // rule already keeps a support message that books or buys out of SUPPORT)
    if (verdict.category().equals("SUPPORT")) {
      objections = List.of();
      signals = List.of();
    }

    List<String> reasons = Analysis.escalateReasons(budget, signals, riskTypes, named, objections);
    String authority = SignalReader.authority(hits);
    return new Analysis(
        language.language(), language.hinglish(), verdict.intent(), verdict.category(), tone, budget, timeline,
        authority, objections, signals, named, !riskTypes.isEmpty(), riskTypes,
        !reasons.isEmpty(), reasons, confidence(verdict, language, authority != null), Analysis.PROVIDER_BUILTIN,
        MODEL);
  }

  /**
   * Calibrated so that the pipeline's 0.6 threshold (PRODUCT §4.5) sends a person exactly the messages the rules
   * could not read: a clear reading scores at least {@code clear} and more with every agreeing cue; nothing matched
   * scores {@code nothing-matched}; competing readings and a defaulted language cost points.
   */
  private double confidence(IntentClassifier.Verdict verdict, LanguageDetector.Detected language,
      boolean authorityRead) {
    ConfidenceSettings tuning = settings.confidence();
    // a lead telling who decides ("I am the decision maker") answers the interview clearly though no intent cue fired
    double confidence = verdict.evidence() == 0 && !authorityRead
        ? tuning.nothingMatched()
        : Math.min(tuning.max(), tuning.clear() + tuning.perCue() * Math.max(0, verdict.evidence() - 1));
    if (verdict.contested()) confidence -= tuning.contested();
    if (language.confidence() < 0.6) confidence -= tuning.unsureLanguage();
    confidence = Math.max(0.05, Math.min(tuning.max(), confidence));
    return Math.round(confidence * 100) / 100.0;
  }

  /** Sentences that end in a question mark (Arabic ؟ is folded to ?). */
  private static int questions(MessageText text) {
    int questions = 0;
    boolean inSentence = false;
    for (int i = 0; i < text.normalized().length(); i++) {
      char c = text.normalized().charAt(i);
      if (c == '?') {
        if (inSentence) questions++;
        inSentence = false;
      } else if (c == '.' || c == '!' || c == '\n') {
        inSentence = false;
      } else if (Character.isLetterOrDigit(c)) {
        inSentence = true;
      }
    }
    return questions;
  }

  public Settings settings() {
    return settings;
  }
}
