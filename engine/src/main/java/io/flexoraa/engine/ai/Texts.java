package io.flexoraa.engine.ai;

import java.text.Normalizer;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The one normalisation every text comparison of the reply stage uses (embeddings, question detection, product
 * mentions, the fact guard), so that "Price?", "PRICE" and "ｐｒｉｃｅ" meet: Unicode NFKC, lower case, every script's
 * decimal digits as ASCII digits (Devanagari ४ is 4), punctuation and symbols as spaces. Letters keep their combining
 * marks, which Devanagari and Arabic need.
 */
public final class Texts {
  private Texts() {}

  public static String normalize(String text) {
    if (text == null || text.isEmpty()) return "";
    String folded = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    StringBuilder out = new StringBuilder(folded.length());
    boolean space = true;
    for (int i = 0; i < folded.length(); ) {
      int codePoint = folded.codePointAt(i);
      i += Character.charCount(codePoint);
      if (Character.isDigit(codePoint)) {
        out.append((char) ('0' + Character.digit(codePoint, 10)));
        space = false;
      } else if (Character.isLetter(codePoint) || isMark(codePoint)) {
        out.appendCodePoint(codePoint);
        space = false;
      } else if (!space) {
        out.append(' ');
        space = true;
      }
    }
    int end = out.length();
    if (end > 0 && out.charAt(end - 1) == ' ') out.setLength(end - 1);
    return out.toString();
  }

  /** The normalised words of the text, in order. */
  public static List<String> words(String text) {
    String normalized = normalize(text);
    return normalized.isEmpty() ? List.of() : Arrays.asList(normalized.split(" "));
  }

  /** Whether {@code phrase} (normalised) occurs in {@code normalizedText} as whole words. */
  public static boolean containsPhrase(String normalizedText, String phrase) {
    String wanted = normalize(phrase);
    if (wanted.isEmpty()) return false;
    return (" " + normalizedText + " ").contains(" " + wanted + " ");
  }

  private static boolean isMark(int codePoint) {
    int type = Character.getType(codePoint);
    return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
        || type == Character.ENCLOSING_MARK;
  }
}
