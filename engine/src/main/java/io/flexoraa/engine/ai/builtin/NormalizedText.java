package io.flexoraa.engine.ai.builtin;

/**
 * A message folded for pattern matching, remembering where each folded character came from so that a match can be
 * cut out of the original text exactly (the eval scores {@code budget_text} by exact match).
 *
 * <p>Folding is one character to at most one character: lower case; every script's digits (Devanagari ०-९,
 * Arabic-Indic ٠-٩, ...) become ASCII; Arabic decimal and thousands signs become {@code .} and {@code ,}; dashes
 * become {@code -}, odd spaces a space, the danda a full stop. Spelling variants that leads type interchangeably are
 * merged so one pattern covers them: Devanagari nukta dropped (हज़ार = हजार) and chandrabindu read as anusvara;
 * Arabic short vowels and tatweel dropped, alef forms read as ا, ى as ي, ة as ه. Patterns are written in natural
 * spelling and passed through {@link #foldPattern} so they meet the text in the same form.
 */
final class NormalizedText {
  private final String original;
  private final String text;
  private final int[] origin;

  private NormalizedText(String original, String text, int[] origin) {
    this.original = original;
    this.text = text;
    this.origin = origin;
  }

  static NormalizedText of(String original) {
    String source = original == null ? "" : original;
    StringBuilder folded = new StringBuilder(source.length());
    int[] origin = new int[source.length() + 1];
    for (int i = 0; i < source.length(); i++) {
      char c = fold(source.charAt(i));
      if (c == DROP) continue;
      origin[folded.length()] = i;
      folded.append(c);
    }
    return new NormalizedText(source, folded.toString(), origin);
  }

  /** The folded text that patterns run on. */
  String text() {
    return text;
  }

  /** The exact original substring behind folded characters {@code [start, end)}. */
  String original(int start, int end) {
    if (start >= end) return "";
    int from = origin[start];
    int to = origin[end - 1] + 1;
    // A dropped mark right after the last character (Arabic tanween, a nukta) belongs to it.
    while (to < original.length() && fold(original.charAt(to)) == DROP && Character.getType(original.charAt(to))
        == Character.NON_SPACING_MARK) {
      to++;
    }
    if (Character.isHighSurrogate(original.charAt(to - 1)) && to < original.length()) to++;
    return original.substring(from, to);
  }

  /** A regex written in natural spelling, compiled to meet folded text. */
  static java.util.regex.Pattern pattern(String regex) {
    return java.util.regex.Pattern.compile(foldPattern(regex));
  }

  /**
   * Verbs of wanting and buying, in the five languages: a bare amount beside them is money the lead means to spend,
   * a bare "now" beside them is a timeline.
   */
  static final String WANT_VERBS = "want\\p{L}*|wanna|need\\p{L}*|looking|require\\p{L}*|search\\p{L}*|interested|"
      + "planning|plan|buy|purchase|chahiye|chaiye|chahie|chahiya|chaahiye|chahte|chahta|chahti|lena|leni|lene|lunga|"
      + "lenge|kharid\\p{L}*|dhoond\\p{L}*|dhund\\p{L}*|mangta|चाहिए|चाहते|चाहता|लेना|लेनी|खरीद\\p{L}*|mau|butuh|perlu|"
      + "cari|nyari|nak|ingin|pengen|pingin|mahu|beli|ابي|ابغى|ابغي|اريد|أريد|بدي|محتاج|ابحث|أبحث|اشتري|pahije|"
      + "pahijet|hava|venum|kavali|kavalenu";

  /** A pattern's non-ASCII letters folded like the text; ASCII (and so regex syntax) is left as written. */
  static String foldPattern(String pattern) {
    StringBuilder out = new StringBuilder(pattern.length());
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c < 128) {
        out.append(c);
        continue;
      }
      char f = fold(c);
      if (f != DROP) out.append(f);
    }
    return out.toString();
  }

  private static final char DROP = '\uFFFF';

  private static char fold(char c) {
    if (c < 128) return Character.toLowerCase(c);
    if (Character.isDigit(c)) {
      int digit = Character.digit(c, 10);
      return digit < 0 ? c : (char) ('0' + digit);
    }
    switch (c) {
      case '\u066B': return '.'; // Arabic decimal separator
      case '\u066C': case '\u060C': return ','; // Arabic thousands separator, Arabic comma
      case '\u061F': return '?';
      case '\u061B': return ';';
      case '\u06D4': case '\u0964': case '\u0965': return '.'; // Arabic full stop, danda, double danda
      case '\u00A0': case '\u2007': case '\u202F': case '\u2009': case '\u200A': case '\u3000': return ' ';
      case '\u2010': case '\u2011': case '\u2012': case '\u2013': case '\u2014': case '\u2015': case '\u2212':
        return '-';
      case '\u2018': case '\u2019': case '\u02BC': return '\'';
      case '\u201C': case '\u201D': return '"';
      case '\u223C': case '\u301C': case '\uFF5E': return '~';
      case '\uFF04': return '$';
      case '\u200B': case '\u200C': case '\u200D': case '\u2060': case '\uFEFF': return DROP; // zero-width
      // Devanagari: nukta dropped, precomposed nukta letters to their base, chandrabindu as anusvara
      case '\u093C': return DROP;
      case '\u0958': return '\u0915';
      case '\u0959': return '\u0916';
      case '\u095A': return '\u0917';
      case '\u095B': return '\u091C';
      case '\u095C': return '\u0921';
      case '\u095D': return '\u0922';
      case '\u095E': return '\u092B';
      case '\u095F': return '\u092F';
      case '\u0901': return '\u0902';
      // Arabic: alef forms, alef maqsura, teh marbuta, Persian yeh and keheh
      case '\u0623': case '\u0625': case '\u0622': case '\u0671': return '\u0627';
      case '\u0649': case '\u06CC': return '\u064A';
      case '\u0629': return '\u0647';
      case '\u06A9': return '\u0643';
      case '\u0640': return DROP; // tatweel
      default:
        if (c >= '\u064B' && c <= '\u065F' || c == '\u0670') return DROP; // harakat
        if (Character.isWhitespace(c)) return c == '\n' || c == '\r' ? '\n' : ' ';
        return Character.toLowerCase(c);
    }
  }
}
