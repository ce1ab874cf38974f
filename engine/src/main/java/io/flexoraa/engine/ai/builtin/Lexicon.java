package io.flexoraa.engine.ai.builtin;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The built-in engine's words and phrases, loaded from a HOCON resource ({@code flexoraa/ai/builtin-lexicon.conf}) so
 * that a new phrase is data, not code (entry syntax: the resource's header and {@link EntrySyntax}). {@link #read}
 * runs every cue over a message and returns what fired; a match that overlaps text the cue's {@code ignore} entries
 * matched does not count. Immutable, thread-safe.
 */
public final class Lexicon {
  public static final String DEFAULT_RESOURCE = "flexoraa/ai/builtin-lexicon.conf";

  private static final Pattern NOT_WORD = Pattern.compile("[^\\p{L}\\p{M}\\p{N}]+");
  /** Punctuation and spaces, but not the question mark: a bare "??" is a chaser, a bare "..." is nothing. */
  private static final Pattern PUNCTUATION_OR_SPACE = Pattern.compile("[\\p{P}\\s&&[^?]]+");
  /** Counting stops here: a cue that fired this often is as strong as it gets. */
  private static final int MAX_COUNT = 5;

  private final List<String> cueNames;
  /**
   * Entries by the first character of their literal beginning (a word, punctuation, an emoji, or any digit): at each
   * place of a message where such an entry may start, only the entries whose beginning the text has there are tried,
   * instead of every alternative of every cue at every position (ten times faster on a long e-mail).
   */
  private final Map<Character, List<Keyed>> byFirstCharacter;
  /** Per cue, its entries without a literal beginning (a leading character class or *), scanned the ordinary way. */
  private final Pattern[] unkeyed;
  private final Pattern[] unkeyedIgnore;
  private final Map<String, Set<String>> wholeMessages;
  private final Map<String, WordList> romanized;
  private final Map<String, Set<String>> distinctWords;
  private final Map<String, Set<String>> nativeWords;
  private final Map<String, Set<String>> wordSets;

  /**
   * An entry tried at word starts that begin with {@code prefix} (and, when {@code whole}, where the prefix is the
   * whole word: "i" in "(i|we) ~ want" is not tried at "in"); {@code ignore} entries blank text for their cue.
   */
  private record Keyed(String prefix, boolean whole, int cue, boolean ignore, Pattern pattern) {
    /**
     * An entry starting with a letter is tried at word starts only; one starting with a digit ({@link #DIGITS}) at
     * number starts; one starting with punctuation or an emoji wherever that character is.
     */
    boolean fits(String text, int position) {
      char previous = position == 0 ? ' ' : text.charAt(position - 1);
      if (prefix.equals(EntrySyntax.DIGITS)) return !Character.isDigit(previous);
      if (EntrySyntax.isWordCharacter(prefix.charAt(0)) && EntrySyntax.isWordCharacter(previous)) return false;
      if (!text.startsWith(prefix, position)) return false;
      int end = position + prefix.length();
      return !whole || end == text.length() || !EntrySyntax.isWordCharacter(text.charAt(end));
    }
  }

  /** A stretch of the normalized text a cue (or its ignore list) matched. */
  private record Span(int start, int end) {
    boolean overlaps(Span other) {
      return start < other.end && other.start < end;
    }
  }

  /** Romanized words of one language: strong ones count 2, weak ones (shared with other languages) 1. */
  public record WordList(Set<String> strong, Set<String> weak) {
    public WordList {
      strong = Set.copyOf(strong);
      weak = Set.copyOf(weak);
    }

    public int weight(String word) {
      if (strong.contains(word)) return 2;
      return weak.contains(word) ? 1 : 0;
    }
  }

  /** What the cues found in one message: how often each fired (0 to 5). Asking for an unknown cue is a bug. */
  public record Hits(Map<String, Integer> counts) {
    public Hits {
      counts = Map.copyOf(counts);
    }

    public boolean has(String cue) {
      return count(cue) > 0;
    }

    public int count(String cue) {
      Integer count = counts.get(cue);
      if (count == null) throw new IllegalArgumentException("the lexicon has no cue " + cue);
      return count;
    }
  }

  private Lexicon(
      List<String> cueNames, Map<Character, List<Keyed>> byFirstCharacter, Pattern[] unkeyed, Pattern[] unkeyedIgnore,
      Map<String, Set<String>> wholeMessages, Map<String, WordList> romanized, Map<String, Set<String>> distinctWords,
      Map<String, Set<String>> nativeWords, Map<String, Set<String>> wordSets) {
    this.cueNames = List.copyOf(cueNames);
    this.byFirstCharacter = Map.copyOf(byFirstCharacter);
    this.unkeyed = unkeyed;
    this.unkeyedIgnore = unkeyedIgnore;
    this.wholeMessages = Map.copyOf(wholeMessages);
    this.romanized = Map.copyOf(romanized);
    this.distinctWords = Map.copyOf(distinctWords);
    this.nativeWords = Map.copyOf(nativeWords);
    this.wordSets = Map.copyOf(wordSets);
  }

  /** Loads and compiles a lexicon resource; a malformed entry fails here, naming its cue. */
  public static Lexicon load(String resource) {
    Config root = ConfigFactory.parseResources(resource, ConfigParseOptions.defaults().setAllowMissing(false));
    List<String> cueNames = new ArrayList<>();
    Map<Character, List<Keyed>> byFirstCharacter = new HashMap<>();
    Config cueConfig = root.getConfig("cues");
    List<Pattern> unkeyed = new ArrayList<>();
    List<Pattern> unkeyedIgnore = new ArrayList<>();
    for (String name : new java.util.TreeSet<>(cueConfig.root().keySet())) {
      Config cue = cueConfig.getConfig(name);
      int index = cueNames.size();
      cueNames.add(name);
      List<String> entries = new ArrayList<>();
      List<String> ignored = new ArrayList<>();
      for (Map.Entry<String, ConfigValue> language : cue.root().entrySet()) {
        if (language.getKey().equals("ignore")) ignored.addAll(flatten(cue.getValue("ignore")));
        else entries.addAll(flatten(language.getValue()));
      }
      unkeyed.add(index(name, index, false, entries, byFirstCharacter));
      unkeyedIgnore.add(index(name, index, true, ignored, byFirstCharacter));
    }
    Map<String, Set<String>> wholeMessages = new HashMap<>();
    Config whole = root.getConfig("whole-messages");
    for (String name : whole.root().keySet()) {
      Set<String> keys = new java.util.HashSet<>();
      for (String message : whole.getStringList(name)) keys.add(messageKey(MessageText.of(message)));
      wholeMessages.put(name, keys);
    }
    Map<String, WordList> romanized = new HashMap<>();
    Map<String, Set<String>> distinct = new HashMap<>();
    Config words = root.getConfig("romanized");
    for (Map.Entry<String, ConfigValue> entry : words.root().entrySet()) {
      if (entry.getValue().valueType() == ConfigValueType.LIST) {
        distinct.put(entry.getKey(), foldWords(words.getStringList(entry.getKey())));
      } else {
        Config language = words.getConfig(entry.getKey());
        romanized.put(entry.getKey(),
            new WordList(foldWords(language.getStringList("strong")), foldWords(language.getStringList("weak"))));
      }
    }
    Map<String, Set<String>> nativeWords = new HashMap<>();
    Config nativeConfig = root.getConfig("native");
    for (String language : nativeConfig.root().keySet()) {
      nativeWords.put(language, foldWords(nativeConfig.getStringList(language)));
    }
    Map<String, Set<String>> wordSets = new HashMap<>();
    Config sets = root.getConfig("word-sets");
    for (String name : sets.root().keySet()) wordSets.put(name, foldWords(sets.getStringList(name)));
    return new Lexicon(cueNames, byFirstCharacter, unkeyed.toArray(Pattern[]::new),
        unkeyedIgnore.toArray(Pattern[]::new), wholeMessages, romanized, distinct, nativeWords, wordSets);
  }

  /**
   * Files each entry under its literal first words, compiled on its own; returns the entries without a literal
   * first word as one pattern for the ordinary scan (null when there are none).
   */
  private static Pattern index(
      String cue, int index, boolean ignore, List<String> entries, Map<Character, List<Keyed>> byFirstCharacter) {
    List<String> unkeyed = new ArrayList<>();
    for (String entry : entries) {
      if (entry.contains("]*")) {
        throw new IllegalArgumentException("lexicon cue " + cue + ": \"" + entry + "\" has ]*, but * means letters in "
            + "an entry; write {0,n} after a character class");
      }
      String folded = MessageText.fold(entry.strip());
      Map<String, Boolean> prefixes = EntrySyntax.prefixes(folded);
      if (prefixes == null) {
        unkeyed.add(folded);
        continue;
      }
      Pattern pattern = compile(cue, "(?:" + EntrySyntax.toRegex(folded) + ")" + EntrySyntax.WORD_END);
      for (Map.Entry<String, Boolean> prefix : prefixes.entrySet()) {
        Keyed keyed = new Keyed(prefix.getKey(), prefix.getValue(), index, ignore, pattern);
        String firsts = prefix.getKey().equals(EntrySyntax.DIGITS) ? "0123456789" : prefix.getKey().substring(0, 1);
        for (char first : firsts.toCharArray()) {
          byFirstCharacter.computeIfAbsent(first, key -> new ArrayList<>()).add(keyed);
        }
      }
    }
    if (unkeyed.isEmpty()) return null;
    StringBuilder alternatives = new StringBuilder();
    for (String entry : unkeyed) {
      if (alternatives.length() > 0) alternatives.append('|');
      alternatives.append("(?:").append(EntrySyntax.toRegex(entry)).append(')');
    }
    return compile(cue, EntrySyntax.WORD_START + "(?:" + alternatives + ")" + EntrySyntax.WORD_END);
  }

  private static Pattern compile(String cue, String regex) {
    try {
      return Pattern.compile(regex, Pattern.CASE_INSENSITIVE);
    } catch (java.util.regex.PatternSyntaxException malformed) {
      throw new IllegalArgumentException("lexicon cue " + cue + " has a malformed entry: " + malformed.getMessage(), malformed);
    }
  }

  /** Runs every cue over the message. */
  public Hits read(MessageText text) {
    List<List<Span>> spans = spans(text.normalized(), -1);
    Map<String, Integer> counts = new HashMap<>();
    for (int cue = 0; cue < cueNames.size(); cue++) counts.put(cueNames.get(cue), count(spans.get(2 * cue), spans.get(2 * cue + 1)));
    return new Hits(counts);
  }

  /** The text each entry of one cue matched, for tests and for explaining a reading. */
  public List<String> matches(String cue, MessageText text) {
    int index = cueNames.indexOf(cue);
    if (index < 0) throw new IllegalArgumentException("the lexicon has no cue " + cue);
    List<List<Span>> spans = spans(text.normalized(), index);
    List<String> found = new ArrayList<>();
    for (Span span : kept(spans.get(2 * index), spans.get(2 * index + 1))) {
      found.add(text.normalized().substring(span.start(), span.end()));
    }
    return found;
  }

  /** Per cue (all, or only {@code onlyCue}), what its entries and its ignore list matched: lists 2c and 2c+1. */
  private List<List<Span>> spans(String text, int onlyCue) {
    List<List<Span>> spans = new ArrayList<>(cueNames.size() * 2);
    for (int i = 0; i < cueNames.size() * 2; i++) spans.add(new ArrayList<>(2));
    for (int position = 0; position < text.length(); position++) {
      char c = text.charAt(position);
      // entries that start with a letter start at word starts only: skip the middle of words before the lookup
      if (position > 0 && EntrySyntax.isWordCharacter(c) && EntrySyntax.isWordCharacter(text.charAt(position - 1))) continue;
      List<Keyed> candidates = byFirstCharacter.get(c);
      if (candidates == null) continue;
      for (Keyed keyed : candidates) {
        if ((onlyCue >= 0 && keyed.cue() != onlyCue) || !keyed.fits(text, position)) continue;
        Matcher matcher = keyed.pattern().matcher(text);
        matcher.useAnchoringBounds(false).useTransparentBounds(true).region(position, text.length());
        if (matcher.lookingAt()) {
          spans.get(2 * keyed.cue() + (keyed.ignore() ? 1 : 0)).add(new Span(position, matcher.end()));
        }
      }
    }
    for (int cue = 0; cue < cueNames.size(); cue++) {
      if (onlyCue >= 0 && cue != onlyCue) continue;
      scan(unkeyed[cue], text, spans.get(2 * cue));
      scan(unkeyedIgnore[cue], text, spans.get(2 * cue + 1));
    }
    return spans;
  }

  private static void scan(Pattern pattern, String text, List<Span> into) {
    if (pattern == null) return;
    Matcher matcher = pattern.matcher(text);
    while (matcher.find()) {
      if (matcher.end() > matcher.start()) into.add(new Span(matcher.start(), matcher.end()));
    }
  }

  /** Matches outside the cue's ignored text, without overlaps, earliest (and then longest) first. */
  private static List<Span> kept(List<Span> matched, List<Span> ignored) {
    if (matched.isEmpty()) return List.of();
    List<Span> sorted = new ArrayList<>(matched);
    sorted.sort(java.util.Comparator.comparingInt(Span::start).thenComparing(Span::end, java.util.Comparator.reverseOrder()));
    List<Span> kept = new ArrayList<>();
    int free = 0;
    for (Span span : sorted) {
      if (span.start() < free || ignored.stream().anyMatch(span::overlaps)) continue;
      kept.add(span);
      free = span.end();
    }
    return kept;
  }

  private static int count(List<Span> matched, List<Span> ignored) {
    return Math.min(MAX_COUNT, kept(matched, ignored).size());
  }

  /** Whether the whole message is one of a list's messages ("ok", "hi"), punctuation and emoji aside. */
  public boolean isWholeMessage(String list, MessageText text) {
    Set<String> keys = wholeMessages.get(list);
    if (keys == null) throw new IllegalArgumentException("the lexicon has no whole-message list " + list);
    return keys.contains(messageKey(text));
  }

  /**
   * Whether the message is only one kind of small talk: one of a whole-message list's phrases, or words all from the
   * word set {@code kind} with at least one from {@code kind-core} ("ok sir thank you" is an acknowledgement, "sir"
   * alone is not).
   */
  public boolean isOnly(String kind, MessageText text) {
    if (isWholeMessage(kind, text)) return true;
    Set<String> words = wordSet(kind);
    return !text.words().isEmpty() && words.containsAll(text.words())
        && text.words().stream().anyMatch(wordSet(kind + "-core")::contains);
  }

  private Set<String> wordSet(String name) {
    Set<String> words = wordSets.get(name);
    if (words == null) throw new IllegalArgumentException("the lexicon has no word set " + name);
    return words;
  }

  public WordList romanized(String language) {
    WordList words = romanized.get(language);
    if (words == null) throw new IllegalArgumentException("the lexicon has no romanized words for " + language);
    return words;
  }

  public Set<String> romanizedLanguages() {
    return romanized.keySet();
  }

  public Set<String> distinctWords(String list) {
    Set<String> words = distinctWords.get(list);
    if (words == null) throw new IllegalArgumentException("the lexicon has no word list " + list);
    return words;
  }

  /** Words of a language in its own script that tell it from a neighbour sharing the script (Marathi, Urdu...). */
  public Set<String> nativeWords(String language) {
    Set<String> words = nativeWords.get(language);
    if (words == null) throw new IllegalArgumentException("the lexicon has no native words for " + language);
    return words;
  }

  /** Word lists are compared with {@link MessageText#words()}, so they are folded the same way. */
  private static Set<String> foldWords(List<String> words) {
    Set<String> folded = new java.util.HashSet<>();
    for (String word : words) folded.add(MessageText.fold(word).toLowerCase(java.util.Locale.ROOT));
    return Set.copyOf(folded);
  }

  /** Letters and digits only, or, for a message without any, its emoji and question marks. */
  private static String messageKey(MessageText text) {
    String words = NOT_WORD.matcher(text.normalized()).replaceAll(" ").strip();
    if (!words.isEmpty()) return words;
    return PUNCTUATION_OR_SPACE.matcher(text.normalized()).replaceAll("").replace("\uFE0F", "");
  }

  private static List<String> flatten(ConfigValue value) {
    List<String> entries = new ArrayList<>();
    if (value.valueType() == ConfigValueType.LIST) {
      for (Object entry : (List<?>) value.unwrapped()) entries.add(String.valueOf(entry));
    } else if (value.valueType() == ConfigValueType.OBJECT) {
      for (Object list : ((Map<?, ?>) value.unwrapped()).values()) {
        for (Object entry : (List<?>) list) entries.add(String.valueOf(entry));
      }
    } else {
      entries.add(String.valueOf(value.unwrapped()));
    }
    return entries;
  }
}
