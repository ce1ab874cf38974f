package io.flexoraa.engine.ai.builtin;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The built-in engine's words and phrases, loaded from a HOCON resource ({@code flexoraa/ai/builtin-lexicon.conf}) so
 * that a new phrase is data, not code. Each cue's entries are compiled once into one pattern (entry syntax in the
 * resource's header); {@link #read} runs every cue over a message and returns what fired. Immutable, thread-safe.
 */
public final class Lexicon {
  public static final String DEFAULT_RESOURCE = "flexoraa/ai/builtin-lexicon.conf";

  /** A gap of up to six words inside one sentence (" ~ " in an entry). */
  private static final String GAP = "\\s+(?:[^\\s.?!]+\\s+){0,6}";
  private static final String LETTERS = "[\\p{L}\\p{M}]*";
  /** A match may not start inside a word: the previous or the next character is not a letter. */
  private static final String WORD_START = "(?:(?<![\\p{L}\\p{M}])|(?![\\p{L}\\p{M}]))";
  /** ...nor end inside one ("!!" after "phone" is fine, "price" inside "priced" is not). */
  private static final String WORD_END = "(?:(?![\\p{L}\\p{M}])|(?<![\\p{L}\\p{M}]))";
  private static final Pattern NOT_WORD = Pattern.compile("[^\\p{L}\\p{M}\\p{N}]+");
  /** Punctuation and spaces, but not the question mark: a bare "??" is a chaser, a bare "..." is nothing. */
  private static final Pattern PUNCTUATION_OR_SPACE = Pattern.compile("[\\p{P}\\s&&[^?]]+");
  /** Counting stops here: a cue that fired this often is as strong as it gets. */
  private static final int MAX_COUNT = 5;

  private final Map<String, Cue> cues;
  private final Map<String, Set<String>> wholeMessages;
  private final Map<String, WordList> romanized;
  private final Map<String, Set<String>> distinctWords;
  private final Map<String, Set<String>> nativeWords;
  private final Map<String, Set<String>> wordSets;

  /** One cue: its entries as one pattern, and what is blanked before it is read (null when nothing is). */
  record Cue(String name, Pattern pattern, Pattern ignore) {
    int count(String text) {
      String read = ignore == null ? text : blank(text, ignore);
      Matcher matcher = pattern.matcher(read);
      int count = 0;
      while (count < MAX_COUNT && matcher.find()) count++;
      return count;
    }

    List<String> matches(String text) {
      String read = ignore == null ? text : blank(text, ignore);
      List<String> found = new ArrayList<>();
      Matcher matcher = pattern.matcher(read);
      while (matcher.find()) found.add(matcher.group());
      return found;
    }

    /** Ignored text becomes full stops: no entry and no gap can reach across it. */
    private static String blank(String text, Pattern ignore) {
      Matcher matcher = ignore.matcher(text);
      if (!matcher.find()) return text;
      StringBuilder out = new StringBuilder(text);
      do {
        for (int i = matcher.start(); i < matcher.end(); i++) out.setCharAt(i, '.');
      } while (matcher.find());
      return out.toString();
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
      Map<String, Cue> cues, Map<String, Set<String>> wholeMessages, Map<String, WordList> romanized,
      Map<String, Set<String>> distinctWords, Map<String, Set<String>> nativeWords, Map<String, Set<String>> wordSets) {
    this.cues = Map.copyOf(cues);
    this.wholeMessages = Map.copyOf(wholeMessages);
    this.romanized = Map.copyOf(romanized);
    this.distinctWords = Map.copyOf(distinctWords);
    this.nativeWords = Map.copyOf(nativeWords);
    this.wordSets = Map.copyOf(wordSets);
  }

  /** Loads and compiles a lexicon resource; a malformed entry fails here, naming its cue. */
  public static Lexicon load(String resource) {
    Config root = ConfigFactory.parseResources(resource, ConfigParseOptions.defaults().setAllowMissing(false));
    Map<String, Cue> cues = new LinkedHashMap<>();
    Config cueConfig = root.getConfig("cues");
    for (String name : cueConfig.root().keySet()) {
      Config cue = cueConfig.getConfig(name);
      List<String> entries = new ArrayList<>();
      List<String> ignored = new ArrayList<>();
      for (Map.Entry<String, ConfigValue> language : cue.root().entrySet()) {
        if (language.getKey().equals("ignore")) ignored.addAll(flatten(cue.getValue("ignore")));
        else entries.addAll(flatten(language.getValue()));
      }
      cues.put(name, new Cue(name, compile(name, entries), ignored.isEmpty() ? null : compile(name, ignored)));
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
    return new Lexicon(cues, wholeMessages, romanized, distinct, nativeWords, wordSets);
  }

  /** Runs every cue over the message. */
  public Hits read(MessageText text) {
    Map<String, Integer> counts = new HashMap<>();
    for (Cue cue : cues.values()) counts.put(cue.name(), cue.count(text.normalized()));
    return new Hits(counts);
  }

  /** The text each entry of one cue matched, for tests and for explaining a reading. */
  public List<String> matches(String cue, MessageText text) {
    Cue found = cues.get(cue);
    if (found == null) throw new IllegalArgumentException("the lexicon has no cue " + cue);
    return found.matches(text.normalized());
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

  private static Pattern compile(String cue, List<String> entries) {
    StringBuilder alternatives = new StringBuilder();
    for (String entry : entries) {
      if (alternatives.length() > 0) alternatives.append('|');
      alternatives.append("(?:").append(toRegex(entry)).append(')');
    }
    try {
      // one boundary check around all alternatives: a match may still backtrack into the next alternative when the
      // first one ends inside a word
      return Pattern.compile(
          WORD_START + "(?:" + alternatives + ")" + WORD_END, Pattern.CASE_INSENSITIVE);
    } catch (java.util.regex.PatternSyntaxException malformed) {
      throw new IllegalArgumentException("lexicon cue " + cue + " has a malformed entry: " + malformed.getMessage(), malformed);
    }
  }

  /** An entry in the lexicon's syntax as a regular expression: "*" any letters, " ~ " a gap, a space any spaces. */
  static String toRegex(String entry) {
    String folded = MessageText.fold(entry.strip());
    StringBuilder out = new StringBuilder();
    boolean inClass = false;
    for (int i = 0; i < folded.length(); i++) {
      char c = folded.charAt(i);
      if (c == '\\' && i + 1 < folded.length()) {
        out.append(c).append(folded.charAt(++i));
      } else if (inClass) {
        if (c == ']') inClass = false;
        out.append(c);
      } else if (c == '[') {
        inClass = true;
        out.append(c);
        if (i + 1 < folded.length() && folded.charAt(i + 1) == '^') out.append(folded.charAt(++i));
        if (i + 1 < folded.length() && folded.charAt(i + 1) == ']') out.append(folded.charAt(++i));
      } else if (folded.startsWith(" ~ ", i)) {
        out.append(GAP);
        i += 2;
      } else if (c == ' ') {
        out.append("\\s+");
      } else if (c == '*') {
        out.append(LETTERS);
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
