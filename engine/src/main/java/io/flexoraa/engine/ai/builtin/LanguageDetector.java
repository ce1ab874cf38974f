package io.flexoraa.engine.ai.builtin;

import com.github.pemistahl.lingua.api.IsoCode639_1;
import com.github.pemistahl.lingua.api.Language;
import com.github.pemistahl.lingua.api.LanguageDetectorBuilder;
import com.typesafe.config.Config;
import java.lang.Character.UnicodeScript;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The language of a message, as an ISO 639-1 code, and whether it is Hinglish. Three steps, cheapest and surest
 * first:
 *
 * <ol>
 *   <li>the script: Devanagari, Arabic, Tamil, Thai... letters name the language outright, but for the scripts
 *       several languages share (Hindi, Marathi and Nepali in Devanagari; Arabic, Urdu and Persian in Arabic letters),
 *       which the lexicon's native words and Urdu's own letters settle;
 *   <li>romanized words: leads in India, Pakistan, Malaysia and Indonesia write their languages in Latin letters mixed
 *       with English, which no n-gram model has seen enough of. Each language's strong and weak words are counted;
 *       one that scores enough, and enough against the message's English words, wins. Romanized Hindi is Hinglish
 *       ({@code hi}, hinglish), unless Roman Urdu's own spellings outnumber Hindi's ({@code ur});
 *   <li>lingua, for Latin text of a few words that no word list claimed (Vietnamese, Spanish...). English is the
 *       answer when lingua is unsure and for very short messages ("ok", "price?").
 * </ol>
 *
 * Lingua's models are loaded once per JVM and shared (they are large and slow to load); the detector is thread-safe.
 */
public final class LanguageDetector {
  private static final Map<String, com.github.pemistahl.lingua.api.LanguageDetector> LINGUA = new ConcurrentHashMap<>();
  private static final Map<UnicodeScript, String> SCRIPT_LANGUAGES = scriptLanguages();
  /** Lingua reads at most this much of a message: the language shows in its first sentences, the cost grows with it. */
  private static final int LINGUA_MAX_CHARS = 400;
  /** Letters only Urdu uses among the Arabic-script languages. */
  private static final String URDU_LETTERS = "ٹڈڑںےھہۓ";
  /** Letters Urdu and Persian use and Arabic does not. */
  private static final String PERSO_ARABIC_LETTERS = "پچژگیک";

  /** Tuning from {@code flexoraa.ai.builtin.language}. */
  public record Settings(
      String defaultLanguage, List<String> linguaLanguages, boolean linguaLowAccuracy, int linguaMinWords,
      double linguaMaxEnglishScore, int romanizedMinScore, double romanizedMinShareOfEnglish, int shortMessageWords) {

    public Settings {
      linguaLanguages = List.copyOf(linguaLanguages);
    }

    public static Settings fromConfig(Config builtin) {
      Config config = builtin.getConfig("language");
      return new Settings(
          config.getString("default"), config.getStringList("lingua-languages"), config.getBoolean("lingua-low-accuracy"),
          config.getInt("lingua-min-words"), config.getDouble("lingua-max-english-score"),
          config.getInt("romanized-min-score"), config.getDouble("romanized-min-share-of-english"),
          config.getInt("short-message-words"));
    }
  }

  /**
   * @param confidence how sure the detector is: the script alone says much, romanized words less, a default little
   */
  public record Detected(String language, boolean hinglish, double confidence) {}

  private final Lexicon lexicon;
  private final Settings settings;
  private final com.github.pemistahl.lingua.api.LanguageDetector lingua;
  /** Romanized languages in a fixed order (Hindi first: it wins a tie), so that equal scores always end alike. */
  private final List<String> romanizedOrder;

  public LanguageDetector(Lexicon lexicon, Settings settings) {
    this.lexicon = lexicon;
    this.settings = settings;
    this.romanizedOrder = lexicon.romanizedLanguages().stream()
        .filter(language -> !language.equals("en"))
        .sorted(java.util.Comparator.comparing((String language) -> !language.equals("hi")).thenComparing(language -> language))
        .toList();
    this.lingua = LINGUA.computeIfAbsent(settings.linguaLanguages() + "/" + settings.linguaLowAccuracy(),
        key -> buildLingua(settings));
  }

  public Detected detect(MessageText text) {
    if (text.letterCount() == 0) return new Detected(settings.defaultLanguage(), false, 0.3);
    UnicodeScript script = mainScript(text);
    if (script == UnicodeScript.DEVANAGARI) return devanagari(text);
    if (script == UnicodeScript.ARABIC) return arabicScript(text);
    if (script == UnicodeScript.CYRILLIC) {
      boolean ukrainian = text.normalized().chars().anyMatch(c -> "іїєґ".indexOf(c) >= 0);
      return new Detected(ukrainian ? "uk" : "ru", false, 0.8);
    }
    if (script == UnicodeScript.HAN && hasKana(text)) return new Detected("ja", false, 0.95);
    String byScript = SCRIPT_LANGUAGES.get(script);
    if (byScript != null) return new Detected(byScript, false, 0.95);
    return latin(text);
  }

  /**
   * The script a lead wrote in: the non-Latin script with the most letters when it has at least half as many as
   * Latin (brand names and English terms in Latin letters are common inside Hindi or Arabic messages), else Latin.
   */
  private static UnicodeScript mainScript(MessageText text) {
    int latin = text.letters().getOrDefault(UnicodeScript.LATIN, 0);
    UnicodeScript best = UnicodeScript.LATIN;
    int most = 0;
    for (Map.Entry<UnicodeScript, Integer> entry : text.letters().entrySet()) {
      UnicodeScript script = entry.getKey();
      if (script == UnicodeScript.LATIN || script == UnicodeScript.COMMON || script == UnicodeScript.INHERITED) continue;
      int count = script == UnicodeScript.HIRAGANA || script == UnicodeScript.KATAKANA
          ? entry.getValue() + text.letters().getOrDefault(UnicodeScript.HAN, 0) : entry.getValue();
      if (count > most) {
        best = script == UnicodeScript.HIRAGANA || script == UnicodeScript.KATAKANA ? UnicodeScript.HAN : script;
        most = count;
      }
    }
    return most * 2 >= latin && most > 0 ? best : UnicodeScript.LATIN;
  }

  private Detected devanagari(MessageText text) {
    int hindi = count(text.words(), lexicon.nativeWords("hi"));
    int marathi = count(text.words(), lexicon.nativeWords("mr"));
    int nepali = count(text.words(), lexicon.nativeWords("ne"));
    if (nepali > 0 && nepali > marathi && nepali >= hindi) return new Detected("ne", false, 0.85);
    if (marathi > 0 && marathi >= hindi) return new Detected("mr", false, 0.85);
    if (hindi > 0) return new Detected("hi", false, 0.95);
    String guess = linguaBest(text, Set.of("hi", "mr"));
    return new Detected(guess == null ? "hi" : guess, false, 0.75);
  }

  private Detected arabicScript(MessageText text) {
    String original = text.original();
    if (original.chars().anyMatch(c -> URDU_LETTERS.indexOf(c) >= 0)) return new Detected("ur", false, 0.9);
    if (original.chars().noneMatch(c -> PERSO_ARABIC_LETTERS.indexOf(c) >= 0)) return new Detected("ar", false, 0.95);
    int urdu = count(text.words(), lexicon.nativeWords("ur"));
    int persian = count(text.words(), lexicon.nativeWords("fa"));
    if (urdu != persian) return new Detected(urdu > persian ? "ur" : "fa", false, 0.8);
    String guess = linguaBest(text, Set.of("ur", "fa", "ar"));
    return new Detected(guess == null ? "ur" : guess, false, 0.65);
  }

  private Detected latin(MessageText text) {
    List<String> words = text.words();
    int english = score(words, lexicon.romanized("en"));
    String best = null;
    int bestScore = 0;
    int bestStrong = 0;
    for (String language : romanizedOrder) {
      int score = score(words, lexicon.romanized(language));
      if (score > bestScore) {
        best = language;
        bestScore = score;
        bestStrong = strongCount(words, lexicon.romanized(language));
      }
    }
    boolean shortMessage = words.size() <= settings.shortMessageWords();
    boolean enough = shortMessage
        ? bestStrong >= 1 && bestScore >= 2 && bestScore >= english
        : bestStrong >= 1 && bestScore >= settings.romanizedMinScore()
            && bestScore >= settings.romanizedMinShareOfEnglish() * english;
    if (best != null && enough) {
      double confidence = Math.min(0.9, 0.6 + 0.05 * bestScore);
      if (best.equals("hi")) return hindustani(words, confidence);
      if (best.equals("id") || best.equals("ms")) return bahasa(text, confidence);
      return new Detected(best, false, confidence);
    }
    if (words.size() >= settings.linguaMinWords()) {
      String guess = linguaLatin(text);
      if (guess != null && !guess.equals("en")) return new Detected(guess, false, 0.7);
    }
    if (english >= 2) return new Detected("en", false, 0.9);
    return new Detected(settings.defaultLanguage(), false, shortMessage ? 0.7 : 0.55);
  }

  /** Romanized Hindi is Hinglish; Roman Urdu shares most of its words and is told by its own spellings. */
  private Detected hindustani(List<String> words, double confidence) {
    int urdu = count(words, lexicon.distinctWords("ur-distinct"));
    int hindi = count(words, lexicon.distinctWords("hi-distinct"));
    if (urdu >= 2 && urdu > hindi) return new Detected("ur", false, confidence);
    return new Detected("hi", true, confidence);
  }

  private Detected bahasa(MessageText text, double confidence) {
    int indonesian = count(text.words(), lexicon.distinctWords("id-distinct"));
    int malay = count(text.words(), lexicon.distinctWords("ms-distinct"));
    if (indonesian != malay) return new Detected(indonesian > malay ? "id" : "ms", false, confidence);
    String guess = linguaBest(text, Set.of("id", "ms"));
    return new Detected(guess == null ? "id" : guess, false, confidence - 0.1);
  }

  /** Lingua's first language, unless English is close behind it (then English: the product's lingua franca). */
  private String linguaLatin(MessageText text) {
    SortedMap<Language, Double> values = lingua.computeLanguageConfidenceValues(linguaInput(text));
    if (values.isEmpty()) return null;
    Language top = values.firstKey();
    if (top == Language.ENGLISH) return "en";
    Double englishValue = values.get(Language.ENGLISH);
    if (englishValue != null && englishValue >= settings.linguaMaxEnglishScore() * values.get(top)) return "en";
    return iso(top);
  }

  /** Lingua's best among some languages, or null when it has no opinion on them. */
  private String linguaBest(MessageText text, Set<String> among) {
    for (Map.Entry<Language, Double> entry : lingua.computeLanguageConfidenceValues(linguaInput(text)).entrySet()) {
      String code = iso(entry.getKey());
      if (among.contains(code)) return code;
    }
    return null;
  }

  private static String linguaInput(MessageText text) {
    String normalized = text.normalized();
    return normalized.length() <= LINGUA_MAX_CHARS ? normalized : normalized.substring(0, LINGUA_MAX_CHARS);
  }

  private static String iso(Language language) {
    return language.getIsoCode639_1().toString().toLowerCase(Locale.ROOT);
  }

  private static int score(List<String> words, Lexicon.WordList list) {
    int score = 0;
    for (String word : words) score += list.weight(word);
    return score;
  }

  private static int strongCount(List<String> words, Lexicon.WordList list) {
    int count = 0;
    for (String word : words) if (list.strong().contains(word)) count++;
    return count;
  }

  private static int count(List<String> words, Set<String> list) {
    int count = 0;
    for (String word : words) if (list.contains(word)) count++;
    return count;
  }

  private static boolean hasKana(MessageText text) {
    return text.letters().containsKey(UnicodeScript.HIRAGANA) || text.letters().containsKey(UnicodeScript.KATAKANA);
  }

  private static com.github.pemistahl.lingua.api.LanguageDetector buildLingua(Settings settings) {
    IsoCode639_1[] codes = settings.linguaLanguages().stream()
        .map(code -> IsoCode639_1.valueOf(code.toUpperCase(Locale.ROOT)))
        .toArray(IsoCode639_1[]::new);
    LanguageDetectorBuilder builder = LanguageDetectorBuilder.fromIsoCodes639_1(codes).withPreloadedLanguageModels();
    if (settings.linguaLowAccuracy()) builder = builder.withLowAccuracyMode();
    return builder.build();
  }

  private static Map<UnicodeScript, String> scriptLanguages() {
    Map<UnicodeScript, String> languages = new EnumMap<>(UnicodeScript.class);
    languages.put(UnicodeScript.BENGALI, "bn");
    languages.put(UnicodeScript.GUJARATI, "gu");
    languages.put(UnicodeScript.GURMUKHI, "pa");
    languages.put(UnicodeScript.TAMIL, "ta");
    languages.put(UnicodeScript.TELUGU, "te");
    languages.put(UnicodeScript.KANNADA, "kn");
    languages.put(UnicodeScript.MALAYALAM, "ml");
    languages.put(UnicodeScript.ORIYA, "or");
    languages.put(UnicodeScript.SINHALA, "si");
    languages.put(UnicodeScript.THAI, "th");
    languages.put(UnicodeScript.LAO, "lo");
    languages.put(UnicodeScript.MYANMAR, "my");
    languages.put(UnicodeScript.KHMER, "km");
    languages.put(UnicodeScript.HANGUL, "ko");
    languages.put(UnicodeScript.HAN, "zh");
    languages.put(UnicodeScript.GREEK, "el");
    languages.put(UnicodeScript.HEBREW, "he");
    languages.put(UnicodeScript.GEORGIAN, "ka");
    languages.put(UnicodeScript.ARMENIAN, "hy");
    languages.put(UnicodeScript.ETHIOPIC, "am");
    languages.put(UnicodeScript.TIBETAN, "bo");
    return languages;
  }
}
