package io.flexoraa.engine.ai.builtin;

import java.lang.Character.UnicodeScript;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A message prepared once for every classifier of the built-in engine. Leads write the same word many ways (ज़्यादा
 * and ज्यादा, أبي and ابي, ٥٠٠ and 500, "pleeease"), so the text is folded to one spelling before any pattern sees
 * it, and the lexicon's entries are folded the same way ({@link #fold}): one entry then matches every spelling.
 *
 * @param original the text as the lead wrote it
 * @param normalized lower case, NFKC, digits as ASCII, Arabic and Devanagari spelling variants folded, runs of three
 *     or more equal Latin letters cut to one, spaces collapsed (newlines kept: they end a sentence)
 * @param words the normalized text's words (letters and combining marks), in order
 * @param letters letters per script: which writing systems the lead used, and how much of each
 */
public record MessageText(String original, String normalized, List<String> words, Map<UnicodeScript, Integer> letters) {

  /** Longer messages are analysed on their first characters only: the rest of a long email is signatures and quotes. */
  public static final int MAX_ANALYSED_CHARS = 4_000;

  private static final Pattern LETTER_RUN = Pattern.compile("([a-z])\\1{2,}");
  private static final Pattern SPACES = Pattern.compile("[\\t\\x0B\\f\\r \\u00A0\\u2000-\\u200B\\u202F\\u205F\\u3000]+");
  private static final Pattern NEWLINES = Pattern.compile(" ?\\n\\s*");

  public MessageText {
    words = List.copyOf(words);
    letters = letters.isEmpty() ? Map.of() : new EnumMap<>(letters);
  }

  public static MessageText of(String original) {
    String text = original.length() > MAX_ANALYSED_CHARS ? original.substring(0, MAX_ANALYSED_CHARS) : original;
    String normalized = collapseSpaces(collapseLetterRuns(fold(text).toLowerCase(Locale.ROOT)));
    Map<UnicodeScript, Integer> letters = new EnumMap<>(UnicodeScript.class);
    normalized.codePoints().filter(Character::isLetter)
        .forEach(cp -> letters.merge(UnicodeScript.of(cp), 1, Integer::sum));
    List<String> words = new ArrayList<>();
    for (String word : normalized.split("[^\\p{L}\\p{M}]+")) {
      if (!word.isEmpty()) words.add(word);
    }
    return new MessageText(original, normalized, words, letters);
  }

  /** Letters of all scripts together. */
  public int letterCount() {
    int total = 0;
    for (int count : letters.values()) total += count;
    return total;
  }

  /** The script with the most letters, or {@link UnicodeScript#COMMON} when the text has no letters. */
  public UnicodeScript dominantScript() {
    UnicodeScript best = UnicodeScript.COMMON;
    int most = 0;
    for (Map.Entry<UnicodeScript, Integer> entry : letters.entrySet()) {
      if (entry.getValue() > most) {
        best = entry.getKey();
        most = entry.getValue();
      }
    }
    return best;
  }

  /**
   * The spelling folds shared by messages and lexicon entries (no lower-casing, so a regular expression's escapes
   * survive): NFKC; every decimal digit as ASCII; Arabic alef forms as ا, ى as ي, ة as ه, Persian ی and ک as ي and
   * ك, no harakat or tatweel; no Devanagari nukta, candrabindu as anusvara; curly quotes straight; Arabic ؟ ، ؛
   * and the Devanagari danda as ? , ; and a full stop.
   */
  static String fold(String text) {
    String nfkc = Normalizer.normalize(text, Normalizer.Form.NFKC);
    StringBuilder out = new StringBuilder(nfkc.length());
    for (int i = 0; i < nfkc.length(); ) {
      int cp = nfkc.codePointAt(i);
      i += Character.charCount(cp);
      if (Character.getType(cp) == Character.DECIMAL_DIGIT_NUMBER && cp > '9') {
        out.append((char) ('0' + Character.digit(cp, 10)));
        continue;
      }
      switch (cp) {
        case 'أ', 'إ', 'آ', 'ٱ' -> out.append('ا');
        case 'ى', 'ی' -> out.append('ي');
        case 'ة' -> out.append('ه');
        case 'ک' -> out.append('ك');
        case 'ـ', '़' -> { }
        case 'ँ' -> out.append('ं');
        case '’', '‘', '`', '´' -> out.append('\'');
        case '“', '”' -> out.append('"');
        case '؟' -> out.append('?');
        case '،' -> out.append(',');
        case '؛' -> out.append(';');
        case '।', '॥' -> out.append('.');
        default -> {
          if ((cp >= 0x064B && cp <= 0x065F) || cp == 0x0670) continue;
          out.appendCodePoint(cp);
        }
      }
    }
    return out.toString();
  }

  private static String collapseLetterRuns(String text) {
    return LETTER_RUN.matcher(text).replaceAll("$1");
  }

  private static String collapseSpaces(String text) {
    return NEWLINES.matcher(SPACES.matcher(text).replaceAll(" ")).replaceAll("\n").strip();
  }
}
