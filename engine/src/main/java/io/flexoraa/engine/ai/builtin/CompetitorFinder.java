package io.flexoraa.engine.ai.builtin;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Named competitors in a message: the built-in list ({@code flexoraa.ai.builtin.competitors}) and the tenant's own
 * (its AI profile). Names are matched as whole words, case-insensitively, longest first, so "Zoho People" is one
 * competitor and not also "Zoho". A marketplace the lead sells on ("Amazon pe bechne ke liye") is a sales channel,
 * not a rival, even when a tenant lists it. Plain string search: a few hundred names cost well under a millisecond.
 */
public final class CompetitorFinder {
  private static final Pattern SPACES = Pattern.compile("\\s+");
  /** Words around a marketplace's name that make it the lead's sales channel. */
  private static final Set<String> CHANNEL_BEFORE = Set.of("on", "pe", "par", "via", "through", "di", "في", "على");
  private static final Set<String> CHANNEL_AFTER =
      Set.of("pe", "par", "seller", "sellers", "store", "listing", "listings", "account", "fba", "shop", "selling");
  private static final Pattern SELLING = Pattern.compile(
      "(?<![\\p{L}])(sell|sells|selling|seller|bech[\\p{L}]*|jual[\\p{L}]*|berjualan|listing|list my|نبيع|ابيع)(?![\\p{L}])");

  private final List<Name> builtIn;
  private final Set<String> salesChannels;

  /** A name as the lead would type it (folded, lower case) and as reports spell it. */
  private record Name(String key, String spelling) {}

  public CompetitorFinder(List<String> builtIn, List<String> salesChannels) {
    this.builtIn = names(builtIn);
    this.salesChannels = salesChannels.stream().map(CompetitorFinder::key).collect(Collectors.toUnmodifiableSet());
  }

  /** The competitors named, in the order they appear, spelled as the tenant's list (or else the built-in list) does. */
  public List<String> find(MessageText text, List<String> tenantCompetitors) {
    Map<String, Name> byKey = new LinkedHashMap<>();
    for (Name name : builtIn) byKey.put(name.key(), name);
    for (Name name : names(tenantCompetitors)) byKey.put(name.key(), name);
    List<Name> longestFirst = new ArrayList<>(byKey.values());
    longestFirst.sort(Comparator.comparingInt((Name name) -> name.key().length()).reversed());

    String haystack = text.normalized();
    boolean[] taken = new boolean[haystack.length()];
    TreeMap<Integer, String> found = new TreeMap<>();
    for (Name name : longestFirst) {
      int from = 0;
      while (true) {
        int at = haystack.indexOf(name.key(), from);
        if (at < 0) break;
        int end = at + name.key().length();
        from = at + 1;
        if (!wholeWord(haystack, at, end) || taken[at] || taken[end - 1]) continue;
        if (salesChannels.contains(name.key()) && salesChannel(haystack, at, end)) continue;
        for (int i = at; i < end; i++) taken[i] = true;
        found.putIfAbsent(at, name.spelling());
      }
    }
    return found.values().stream().distinct().toList();
  }

  private boolean salesChannel(String text, int start, int end) {
    String before = lastWord(text.substring(0, start));
    String after = firstWord(text.substring(end));
    return CHANNEL_BEFORE.contains(before) || CHANNEL_AFTER.contains(after) || SELLING.matcher(sentence(text, start)).find();
  }

  private static String sentence(String text, int at) {
    int start = at;
    while (start > 0 && ".?!\n".indexOf(text.charAt(start - 1)) < 0) start--;
    int end = at;
    while (end < text.length() && ".?!\n".indexOf(text.charAt(end)) < 0) end++;
    return text.substring(start, end);
  }

  private static String lastWord(String text) {
    String[] words = text.strip().split("[^\\p{L}\\p{M}]+");
    return words.length == 0 ? "" : words[words.length - 1];
  }

  private static String firstWord(String text) {
    for (String word : text.strip().split("[^\\p{L}\\p{M}]+")) if (!word.isEmpty()) return word;
    return "";
  }

  private static boolean wholeWord(String text, int start, int end) {
    return (start == 0 || !Character.isLetterOrDigit(text.charAt(start - 1)))
        && (end == text.length() || !Character.isLetterOrDigit(text.charAt(end)));
  }

  private static List<Name> names(List<String> spellings) {
    List<Name> names = new ArrayList<>();
    for (String spelling : spellings) {
      if (spelling == null || spelling.isBlank()) continue;
      names.add(new Name(key(spelling), spelling.strip()));
    }
    return names;
  }

  private static String key(String spelling) {
    return SPACES.matcher(MessageText.fold(spelling.strip()).toLowerCase(Locale.ROOT)).replaceAll(" ");
  }
}
