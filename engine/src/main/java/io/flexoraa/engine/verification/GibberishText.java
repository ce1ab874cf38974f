package io.flexoraa.engine.verification;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A deliberately simple test for keyboard-mashed text ("asdfgh", "xkcdqzp", "aaaaaaa"), for a form's name and
 * message fields. Only words of plain Latin letters with at least {@code minWordLetters} letters are judged; words in
 * other scripts (Devanagari, Arabic...) and short words are never judged, so they can never make text gibberish. A
 * judged word is gibberish when any of:
 *
 * <ul>
 *   <li>its vowel ratio (a, e, i, o, u, y over all its letters) is below {@code minVowelRatio} — real words in
 *       English and romanized Hindi, Malay or Arabic stay well above 0.12;
 *   <li>one letter repeats more than {@code maxRepeatedLetter} times in a row ("zzzzz");
 *   <li>it contains {@code keyboardRun} or more neighbouring keys of one QWERTY row, in either direction ("asdfg",
 *       "lkjhg"); five, because four would catch "property" (e-r-t-y).
 * </ul>
 *
 * The text is gibberish when at least {@code minGibberishShare} of its judged words are. No language model: lingua
 * is not available offline and a detector of languages says little about mashed keys.
 */
public final class GibberishText {
  private static final String[] KEYBOARD_ROWS = {"qwertyuiop", "asdfghjkl", "zxcvbnm"};
  private static final String VOWELS = "aeiouy";

  /** Thresholds, from {@code flexoraa.verification.gibberish}. */
  public record Settings(
      int minWordLetters, BigDecimal minVowelRatio, int maxRepeatedLetter, int keyboardRun,
      BigDecimal minGibberishShare) {}

  private final Settings settings;
  private final List<String> keyboardRuns;

  public GibberishText(Settings settings) {
    this.settings = settings;
    List<String> runs = new ArrayList<>();
    for (String row : KEYBOARD_ROWS) {
      String reversed = new StringBuilder(row).reverse().toString();
      for (String direction : List.of(row, reversed)) {
        for (int start = 0; start + settings.keyboardRun() <= direction.length(); start++) {
          runs.add(direction.substring(start, start + settings.keyboardRun()));
        }
      }
    }
    this.keyboardRuns = List.copyOf(runs);
  }

  public boolean isGibberish(String text) {
    if (text == null || text.isBlank()) return false;
    int judged = 0;
    int gibberish = 0;
    for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}]+")) {
      if (word.length() < settings.minWordLetters() || !word.chars().allMatch(c -> c >= 'a' && c <= 'z')) continue;
      judged++;
      if (gibberishWord(word)) gibberish++;
    }
    if (judged == 0) return false;
    return BigDecimal.valueOf(gibberish).compareTo(settings.minGibberishShare().multiply(BigDecimal.valueOf(judged))) >= 0;
  }

  boolean gibberishWord(String word) {
    long vowels = word.chars().filter(c -> VOWELS.indexOf(c) >= 0).count();
    if (BigDecimal.valueOf(vowels).compareTo(settings.minVowelRatio().multiply(BigDecimal.valueOf(word.length()))) < 0) {
      return true;
    }
    int run = 1;
    for (int i = 1; i < word.length(); i++) {
      run = word.charAt(i) == word.charAt(i - 1) ? run + 1 : 1;
      if (run > settings.maxRepeatedLetter()) return true;
    }
    for (String keys : keyboardRuns) {
      if (word.contains(keys)) return true;
    }
    return false;
  }
}
