package io.flexoraa.engine.ai;

import com.typesafe.config.Config;
import io.flexoraa.engine.ai.builtin.BuiltInReplies;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps a generated reply from stating a fact the tenant did not give (PRODUCT §5: "the AI never invents facts"). A
 * reply passes only when every price or other number, every link or domain, every model-like token ("X200",
 * "3BHK") and every product-like name ("Platinum Plan") it states is found in the tenant's profile or in the lead's
 * own words. Anything else sends the reply back to the approved wording. Deliberately strict: a false alarm costs a
 * template reply, a missed invention costs the tenant's word.
 *
 * <p>Numbers compare by value: "₹12,00,000", "1200000" and "12 lakh" are one number; small bare counts ("a 2-minute
 * call", up to {@code maxBareNumber}) pass unless a currency or a percent sign makes them a price or a rate.
 */
public final class FactGuard {
  private static final Map<String, BigDecimal> MULTIPLIERS = Map.ofEntries(
      Map.entry("k", BigDecimal.valueOf(1_000)), Map.entry("thousand", BigDecimal.valueOf(1_000)),
      Map.entry("hazar", BigDecimal.valueOf(1_000)), Map.entry("hazaar", BigDecimal.valueOf(1_000)),
      Map.entry("ribu", BigDecimal.valueOf(1_000)), Map.entry("rb", BigDecimal.valueOf(1_000)),
      Map.entry("हज़ार", BigDecimal.valueOf(1_000)), Map.entry("हजार", BigDecimal.valueOf(1_000)),
      Map.entry("ألف", BigDecimal.valueOf(1_000)),
      Map.entry("lakh", BigDecimal.valueOf(100_000)), Map.entry("lakhs", BigDecimal.valueOf(100_000)),
      Map.entry("lac", BigDecimal.valueOf(100_000)), Map.entry("lacs", BigDecimal.valueOf(100_000)),
      Map.entry("लाख", BigDecimal.valueOf(100_000)),
      Map.entry("crore", BigDecimal.valueOf(10_000_000)), Map.entry("crores", BigDecimal.valueOf(10_000_000)),
      Map.entry("cr", BigDecimal.valueOf(10_000_000)), Map.entry("करोड़", BigDecimal.valueOf(10_000_000)),
      Map.entry("million", BigDecimal.valueOf(1_000_000)), Map.entry("mn", BigDecimal.valueOf(1_000_000)),
      Map.entry("juta", BigDecimal.valueOf(1_000_000)), Map.entry("jt", BigDecimal.valueOf(1_000_000)),
      Map.entry("مليون", BigDecimal.valueOf(1_000_000)));
  private static final Pattern NUMBER = Pattern.compile(
      "(?<![\\p{L}\\p{N}.,])(\\d{1,3}(?:,\\d{2,3})+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?)"
          + "(?:\\s*(" + String.join("|", MULTIPLIERS.keySet().stream()
              .sorted(Comparator.comparingInt(String::length).reversed()).toList())
          + "))?(?![\\p{L}\\p{N}])",
      Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
  private static final Pattern CURRENCY_NEAR = Pattern.compile(
      "[₹$€£]|\\b(?:rs|inr|usd|aed|sgd|idr|myr|rm|rp|eur|gbp|dirhams?|rupees?|ringgit|rupiah|dollars?)\\b|%",
      Pattern.CASE_INSENSITIVE);
  private static final String COMMON_TLDS =
      "com|in|io|co|net|org|ae|sg|id|my|app|ai|me|info|biz|shop|store|online|site|xyz|uk|us";
  private static final Pattern URL = Pattern.compile(
      "(?i)(?:https?://|www\\.)[^\\s<>\"')]+"
          + "|\\b[a-z0-9][a-z0-9-]*(?:\\.[a-z0-9-]+)*\\.(?:" + COMMON_TLDS + ")\\b(?:/[^\\s<>\"')]*)?");
  private static final Pattern MODEL_TOKEN = Pattern.compile(
      "(?<![\\p{L}\\p{N}])(?=[\\p{L}\\p{N}-]*\\p{L})(?=[\\p{L}\\p{N}-]*\\p{N})[\\p{L}\\p{N}]+(?:-[\\p{L}\\p{N}]+)*"
          + "(?![\\p{L}\\p{N}])");
  /** "3rd", "2-minute", "5-star": a number used as a word, checked as a number, not as a name. */
  private static final Pattern NUMBER_WORD =
      Pattern.compile("\\d+(?:st|nd|rd|th)|\\d+(?:\\.\\d+)?-\\p{L}+", Pattern.CASE_INSENSITIVE);
  private static final Set<String> GENERIC_CAPITALS = Set.of(
      "our", "the", "this", "that", "your", "a", "an", "any", "each", "every", "my", "which", "what", "all", "new",
      "its", "their", "his", "her", "one", "both", "either", "i", "we", "you");

  /**
   * @param maxBareNumber counts up to this pass without being in the profile, unless a currency or % is beside them
   * @param productWords nouns that make a capitalised phrase a product name ("Gold Plan", "Sky Villas")
   * @param allowedPhrases phrases with digits that state no fact ("24/7")
   */
  public record Settings(int maxBareNumber, List<String> productWords, List<String> allowedPhrases) {
    public Settings {
      productWords = List.copyOf(productWords);
      allowedPhrases = List.copyOf(allowedPhrases);
    }

    /** {@code flexoraa.ai.replies.fact-guard}. */
    public static Settings fromConfig(Config config) {
      Config guard = config.getConfig("flexoraa.ai.replies.fact-guard");
      return new Settings(guard.getInt("max-bare-number"), guard.getStringList("product-words"),
          guard.getStringList("allowed-phrases"));
    }
  }

  /** What a reply states that neither the profile nor the lead said; allowed when empty. */
  public record Verdict(List<String> unsupported) {
    public Verdict {
      unsupported = List.copyOf(unsupported);
    }

    public boolean allowed() {
      return unsupported.isEmpty();
    }
  }

  private final Settings settings;
  private final Pattern productPhrase;

  public FactGuard(Settings settings) {
    this.settings = settings;
    List<String> words = settings.productWords().stream().map(Pattern::quote).toList();
    this.productPhrase = Pattern.compile(
        "(?<![\\p{L}\\p{N}])((?:\\p{Lu}[\\p{L}\\p{N}'’-]*\\s+){1,3})(?iu:(" + String.join("|", words) + "))(?![\\p{L}\\p{N}])");
  }

  /** Checks a reply against the profile and the lead's own words (its messages and recalled memories). */
  public Verdict check(String reply, AiProfile profile, Collection<String> leadWords) {
    Sources sources = sources(profile, leadWords);
    String text = withoutAllowedPhrases(asciiDigits(reply));
    List<String> unsupported = new ArrayList<>();
    for (Matcher url = URL.matcher(text); url.find(); ) {
      String stated = normalizeUrl(url.group());
      if (sources.urls().stream().noneMatch(known -> known.equals(stated) || known.startsWith(stated + "/"))) {
        unsupported.add("link " + url.group());
      }
    }
    String withoutUrls = URL.matcher(text).replaceAll(" ");
    for (Matcher number = NUMBER.matcher(withoutUrls); number.find(); ) {
      BigDecimal value = value(number);
      boolean priced = CURRENCY_NEAR.matcher(window(withoutUrls, number.start(), number.end())).find();
      boolean count = number.group(2) == null && value.compareTo(BigDecimal.valueOf(settings.maxBareNumber())) <= 0;
      if ((priced || !count) && !sources.numbers().contains(key(value))) unsupported.add("number " + number.group());
    }
    for (Matcher token = MODEL_TOKEN.matcher(withoutUrls); token.find(); ) {
      String stated = token.group();
      if (NUMBER_WORD.matcher(stated).matches() || NUMBER.matcher(stated).matches()) continue;
      if (!Texts.containsPhrase(sources.text(), stated)) unsupported.add("name " + stated);
    }
    for (Matcher phrase = productPhrase.matcher(withoutUrls); phrase.find(); ) {
      List<String> names = new ArrayList<>(List.of(phrase.group(1).trim().split("\\s+")));
      names.removeIf(word -> GENERIC_CAPITALS.contains(word.toLowerCase(Locale.ROOT)));
      if (names.isEmpty()) continue;
      String name = String.join(" ", names);
      if (!Texts.containsPhrase(sources.text(), name) && !Texts.containsPhrase(sources.text(), name + " " + phrase.group(2))) {
        unsupported.add("product " + name + " " + phrase.group(2));
      }
    }
    return new Verdict(unsupported);
  }

  /** Whether a reply states only the profile's facts, none of one lead's: only such replies may serve other leads. */
  public boolean statesOnlyProfileFacts(String reply, AiProfile profile) {
    return check(reply, profile, List.of()).allowed();
  }

  /**
   * The facts a question names, for keying answers: every number by value, link, model-like token and product of the
   * profile it mentions. Two questions that differ in one of these ("2BHK" / "3BHK", "Gold" / "Silver" plan) do not
   * share an answer however alike they read.
   */
  public Set<String> factsNamed(String question, AiProfile profile) {
    String text = asciiDigits(question == null ? "" : question);
    Set<String> facts = new TreeSet<>();
    for (Matcher url = URL.matcher(text); url.find(); ) facts.add("link:" + normalizeUrl(url.group()));
    String withoutUrls = URL.matcher(text).replaceAll(" ");
    for (Matcher number = NUMBER.matcher(withoutUrls); number.find(); ) facts.add("number:" + key(value(number)));
    for (Matcher token = MODEL_TOKEN.matcher(withoutUrls); token.find(); ) {
      if (!NUMBER.matcher(token.group()).matches() && !NUMBER_WORD.matcher(token.group()).matches()) {
        facts.add("name:" + Texts.normalize(token.group()));
      }
    }
    String normalized = Texts.normalize(text);
    for (AiProfile.Product product : profile.products()) {
      if (BuiltInReplies.mentions(normalized, product.name())) facts.add("product:" + Texts.normalize(product.name()));
    }
    return facts;
  }

  private record Sources(String text, Set<String> numbers, Set<String> urls) {}

  private Sources sources(AiProfile profile, Collection<String> leadWords) {
    List<String> texts = new ArrayList<>(leadWords);
    texts.add(profile.business());
    texts.add(profile.description());
    texts.add(profile.bookingLink());
    texts.addAll(profile.proofPoints());
    texts.addAll(profile.competitors());
    for (AiProfile.Product product : profile.products()) {
      texts.add(product.name());
      texts.add(product.description());
      texts.add(product.unit());
      if (product.price() != null && product.currency() != null) texts.add(BuiltInReplies.formatPrice(product));
    }
    for (AiProfile.Faq faq : profile.faq()) {
      texts.add(faq.question());
      texts.add(faq.answer());
    }
    profile.replyTemplates().values().forEach(templates -> texts.addAll(templates.values()));
    Set<String> numbers = new LinkedHashSet<>();
    Set<String> urls = new LinkedHashSet<>();
    StringBuilder all = new StringBuilder();
    for (String source : texts) {
      if (source == null || source.isBlank()) continue;
      String text = asciiDigits(source);
      all.append(Texts.normalize(text)).append(" \n ");
      for (Matcher url = URL.matcher(text); url.find(); ) urls.add(normalizeUrl(url.group()));
      for (Matcher number = NUMBER.matcher(URL.matcher(text).replaceAll(" ")); number.find(); ) {
        numbers.add(key(value(number)));
        numbers.add(key(new BigDecimal(number.group(1).replace(",", ""))));
      }
    }
    for (AiProfile.Product product : profile.products()) {
      if (product.price() != null) numbers.add(key(product.price()));
    }
    return new Sources(all.toString(), numbers, urls);
  }

  private String withoutAllowedPhrases(String text) {
    String result = text;
    for (String phrase : settings.allowedPhrases()) result = result.replace(phrase, " ");
    return result;
  }

  private static BigDecimal value(Matcher number) {
    BigDecimal value = new BigDecimal(number.group(1).replace(",", ""));
    String multiplier = number.group(2);
    return multiplier == null ? value : value.multiply(MULTIPLIERS.get(multiplier.toLowerCase(Locale.ROOT)));
  }

  private static String key(BigDecimal value) {
    return value.stripTrailingZeros().toPlainString();
  }

  private static String window(String text, int start, int end) {
    return text.substring(Math.max(0, start - 5), Math.min(text.length(), end + 6));
  }

  private static String normalizeUrl(String url) {
    String normalized = url.toLowerCase(Locale.ROOT).replaceFirst("^https?://", "").replaceFirst("^www\\.", "");
    while (!normalized.isEmpty() && ".,;:!?)/".indexOf(normalized.charAt(normalized.length() - 1)) >= 0) {
      normalized = normalized.substring(0, normalized.length() - 1);
    }
    return normalized;
  }

  /** Every script's decimal digits as ASCII ("४५" is "45"), everything else as it was. */
  private static String asciiDigits(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints().forEach(codePoint -> {
      if (Character.isDigit(codePoint)) {
        out.append((char) ('0' + Character.digit(codePoint, 10)));
      } else {
        out.appendCodePoint(codePoint);
      }
    });
    return out.toString();
  }
}
