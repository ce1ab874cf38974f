package io.flexoraa.engine.ai.builtin;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The lexicon's entry syntax: a Java regular expression in which a space matches any spaces, " ~ " is a gap of up to
 * six words inside one sentence, and "*" always means "any letters" (a word going on: "price*", "*سعر"); and the
 * literal beginnings of an entry, by which {@link Lexicon} files it so that it is only tried where a message has them.
 */
final class EntrySyntax {
  /** A gap of up to six words inside one sentence (" ~ " in an entry). */
  static final String GAP = "\\s+(?:[^\\s.?!]+\\s+){0,6}";
  static final String LETTERS = "[\\p{L}\\p{M}]*";
  /** A match may not start inside a word: the previous or the next character is not a letter. */
  static final String WORD_START = "(?:(?<![\\p{L}\\p{M}])|(?![\\p{L}\\p{M}]))";
  /** ...nor end inside one ("!!" after "phone" is fine, "price" inside "priced" is not). */
  static final String WORD_END = "(?:(?![\\p{L}\\p{M}])|(?<![\\p{L}\\p{M}]))";
  /** Characters of the entry syntax that end a literal first word. */
  private static final String SYNTAX = "()[]{}?*+|.^$\\~ ";

  /** The "prefix" of entries that start with [0-9]: filed under every digit. */
  static final String DIGITS = "[0-9]";

  private EntrySyntax() {}

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

  /**
   * The literal beginnings one of which every match of an (already folded) entry starts with, lower case, each with
   * whether it is a whole first word ({@link #DIGITS} for an entry starting with [0-9]); null when a match may start
   * otherwise (another character class, a leading "*").
   */
  static Map<String, Boolean> prefixes(String entry) {
    Map<String, Boolean> prefixes = new HashMap<>();
    String body = entry;
    if (body.startsWith("(?<")) {
      int close = closing(body, 0);
      if (close < 0) return null;
      body = body.substring(close + 1);
    }
    for (String alternative : topLevel(body)) {
      if (alternative.startsWith(DIGITS)) {
        prefixes.put(DIGITS, false);
      } else if (!collectPrefixes(alternative, true, prefixes)) {
        return null;
      }
    }
    return prefixes.keySet().stream().anyMatch(String::isEmpty) ? null : prefixes;
  }

  /** {@code endsWord}: whether the end of {@code entry} is followed by a word boundary in the enclosing entry. */
  private static boolean collectPrefixes(String entry, boolean endsWord, Map<String, Boolean> prefixes) {
    if (entry.isEmpty()) return false;
    if (entry.charAt(0) == '(') {
      int close = closing(entry, 0);
      if (close < 0) return false;
      char after = close + 1 < entry.length() ? entry.charAt(close + 1) : 0;
      if (after == '{' || after == '+') return false;
      int rest = after == '?' ? close + 2 : close + 1;
      boolean groupEndsWord = rest >= entry.length() ? endsWord : entry.charAt(rest) == ' ';
      for (String alternative : topLevel(entry.substring(1, close))) {
        String trimmed = alternative.strip();
        if (!collectPrefixes(trimmed, groupEndsWord || !trimmed.equals(alternative), prefixes)) return false;
      }
      return after != '?' || collectPrefixes(entry.substring(close + 2).strip(), endsWord, prefixes);
    }
    StringBuilder run = new StringBuilder();
    int end = 0;
    while (end < entry.length() && SYNTAX.indexOf(entry.charAt(end)) < 0) run.append(entry.charAt(end++));
    if (end + 1 < entry.length() && entry.charAt(end) == '\\' && run.isEmpty()) {
      run.append(entry.charAt(end + 1));
      end += 2;
    }
    String literal = run.toString();
    boolean whole = end == entry.length() ? endsWord : entry.charAt(end) == ' ';
    if (end < entry.length() && (entry.charAt(end) == '?' || entry.charAt(end) == '{') && !literal.isEmpty()) {
      literal = literal.substring(0, literal.length() - 1);
      whole = false;
    }
    if (literal.isEmpty()) return false;
    prefixes.merge(literal.toLowerCase(java.util.Locale.ROOT), whole, Boolean::logicalAnd);
    return true;
  }

  /** The entry's top-level alternatives ("a|b(c|d)" is "a" and "b(c|d)"). */
  private static List<String> topLevel(String entry) {
    List<String> alternatives = new ArrayList<>();
    int from = 0;
    for (int bar = findTopLevel(entry, 0, '|'); bar >= 0; bar = findTopLevel(entry, from, '|')) {
      alternatives.add(entry.substring(from, bar));
      from = bar + 1;
    }
    alternatives.add(entry.substring(from));
    return alternatives;
  }

  /** The index of the ")" closing the group opened at {@code open}, or -1. */
  private static int closing(String entry, int open) {
    return findTopLevel(entry, open + 1, ')');
  }

  /** The first {@code target} from {@code from} outside nested groups, character classes and escapes, or -1. */
  private static int findTopLevel(String entry, int from, char target) {
    int depth = 0;
    boolean inClass = false;
    for (int i = from; i < entry.length(); i++) {
      char c = entry.charAt(i);
      if (c == '\\') {
        i++;
      } else if (inClass) {
        inClass = c != ']';
      } else if (c == '[') {
        inClass = true;
      } else if (depth == 0 && c == target) {
        return i;
      } else if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      }
    }
    return -1;
  }

  /** A letter or a combining mark (Devanagari and Arabic vowel signs are marks): part of a word. */
  static boolean isWordCharacter(char c) {
    int type = Character.getType(c);
    return Character.isLetter(c) || type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
        || type == Character.ENCLOSING_MARK;
  }
}
