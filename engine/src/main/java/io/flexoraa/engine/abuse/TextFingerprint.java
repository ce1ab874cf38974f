package io.flexoraa.engine.abuse;

import io.flexoraa.engine.ports.PiiCipher.BlindIndex;
import io.flexoraa.engine.verification.GibberishText;
import java.text.Normalizer;
import java.util.Locale;

/**
 * What the customer screen needs to know of a message's text, taken at intake — the only place that sees it in
 * clear: a keyed digest of the normalized text (so "Price??" and "price" repeat each other) and whether it is
 * keyboard-mashed. The digest is the tenant's blind index truncated to 64 bits: enough to tell a repeat apart from
 * anything else a customer writes in a day, too short to be worth reversing.
 */
public final class TextFingerprint {
  static final String KIND = "message-text";
  private static final int DIGEST_HEX_CHARS = 16;
  /** Runs of anything but letters, digits and combining marks (compiled once: this runs for every message). */
  private static final java.util.regex.Pattern SEPARATORS = java.util.regex.Pattern.compile("[^\\p{L}\\p{N}\\p{M}]+");

  private final GibberishText gibberish;

  public TextFingerprint(GibberishText gibberish) {
    this.gibberish = gibberish;
  }

  /** The digest of the text's letters and digits, or null when it has none (media, emoji only, no text). */
  public String digest(BlindIndex blindIndex, String text) {
    String normalized = normalize(text);
    if (normalized.isEmpty()) return null;
    return blindIndex.of(KIND, normalized).substring(0, DIGEST_HEX_CHARS);
  }

  public boolean gibberish(String text) {
    return gibberish.isGibberish(text);
  }

  /** NFKC, lower case, only letters and digits in any script, single spaces between words. */
  static String normalize(String text) {
    if (text == null) return "";
    String folded = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    return SEPARATORS.matcher(folded).replaceAll(" ").trim();
  }
}
