package io.flexoraa.engine.ai.builtin;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import io.flexoraa.engine.ai.AiProfile;
import io.flexoraa.engine.ai.Analysis;
import io.flexoraa.engine.ai.ConversationTurn;
import io.flexoraa.engine.ai.ReplyComposer;
import io.flexoraa.engine.ai.ReplyDraft;
import io.flexoraa.engine.ai.ReplyRequest;
import io.flexoraa.engine.ai.Texts;
import java.math.BigDecimal;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The built-in engine's replies: approved wording per kind (a question per slot, persuasion per band, holding,
 * handoff) in English, Hinglish, Hindi, Arabic, Indonesian and Malay, kept as data in
 * {@code flexoraa/ai/replies/<language>.conf}. The tenant's own {@code replyTemplates} override a key in a language.
 *
 * <p>Facts come only from the tenant's profile ({@link #PLACEHOLDERS}; {@code lead_budget} is the lead's own words):
 * a variant whose placeholder has no fact is passed over for the next, so a reply never states what the tenant did
 * not give. The reply's language is the lead's when wording exists for it, else the profile's default, else English.
 */
public final class BuiltInReplies implements ReplyComposer {
  public static final String MODEL = "templates-1";
  /** Hinglish (romanized Hindi): the language tag of its wording, of tenant templates and of FAQ entries. */
  public static final String HINGLISH = "hi-Latn";
  public static final String ENGLISH = "en";
  /** The languages that ship with wording for every key. */
  public static final List<String> LANGUAGES = List.of(ENGLISH, HINGLISH, "hi", "ar", "id", "ms");
  /** Every template key; a tenant's {@code replyTemplates} may override exactly these. */
  public static final List<String> KEYS = List.of(
      "question.need", "question.budget", "question.timeline", "question.authority", "question.objections",
      "question.next_step", "persuasion.hot", "persuasion.warm", "persuasion.cold", "holding", "handoff",
      "ack.budget", "ack.timeline", "ack.thanks", "price.quote", "price.unknown");
  /** What a template may name; each is filled from the profile (or the lead's own words) or the variant is skipped. */
  public static final List<String> PLACEHOLDERS =
      List.of("business", "description", "product", "price", "proof", "booking_link", "lead_budget");

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_]+)}");
  private static final String SENTENCE_ENDS = ".!?।؟…";
  private static final Set<String> QUESTION_SIGNALS = Set.of("asks_price", "asks_availability", "asks_payment");

  private record Variant(String text, String strategy, String tone) {}

  private record Wording(
      String fullStop, Set<String> questionStarts, Set<String> questionWords, Map<String, List<Variant>> keys) {}

  private record Chosen(String text, String strategy) {}

  private final Map<String, Wording> wordings;
  private final Set<String> questionStarts;
  private final Set<String> questionWords;

  private BuiltInReplies(Map<String, Wording> wordings) {
    this.wordings = Map.copyOf(wordings);
    Set<String> starts = new LinkedHashSet<>();
    Set<String> words = new LinkedHashSet<>();
    for (Wording wording : wordings.values()) {
      starts.addAll(wording.questionStarts());
      words.addAll(wording.questionWords());
    }
    this.questionStarts = Set.copyOf(starts);
    this.questionWords = Set.copyOf(words);
  }

  /** The shipped wording of every language in {@link #LANGUAGES}; fails at once when a file is missing or wrong. */
  public BuiltInReplies() {
    this(shippedWordings());
  }

  private static Map<String, Wording> shippedWordings() {
    Map<String, Wording> wordings = new LinkedHashMap<>();
    for (String language : LANGUAGES) wordings.put(language, wording(language));
    return wordings;
  }

  private static Wording wording(String language) {
    String resource = "flexoraa/ai/replies/" + language + ".conf";
    Config file = ConfigFactory.parseResources(
        BuiltInReplies.class.getClassLoader(), resource, ConfigParseOptions.defaults().setAllowMissing(false));
    Map<String, List<Variant>> keys = new LinkedHashMap<>();
    for (String key : KEYS) {
      if (!file.hasPath(key)) throw new IllegalStateException(resource + " has no wording for " + key);
      List<Variant> variants = new ArrayList<>();
      for (Config variant : file.getConfigList(key)) {
        String text = variant.getString("text");
        Set<String> unknown = new LinkedHashSet<>(placeholdersIn(text));
        unknown.removeAll(PLACEHOLDERS);
        if (!unknown.isEmpty()) throw new IllegalStateException(resource + " " + key + " names unknown " + unknown);
        variants.add(new Variant(text, variant.hasPath("strategy") ? variant.getString("strategy") : null,
            variant.hasPath("tone") ? variant.getString("tone") : null));
      }
      boolean needsFacts = key.equals("ack.budget") || key.equals("price.quote");
      if (!needsFacts && variants.stream()
          .noneMatch(variant -> variant.tone() == null && placeholdersIn(variant.text()).isEmpty())) {
        throw new IllegalStateException(resource + " " + key + " needs a variant for every tone that states no fact");
      }
      keys.put(key, List.copyOf(variants));
    }
    return new Wording(file.getString("full-stop"), normalized(file.getStringList("question-starts")),
        normalized(file.getStringList("question-words")), keys);
  }

  private static Set<String> normalized(List<String> words) {
    Set<String> result = new LinkedHashSet<>();
    for (String word : words) result.add(Texts.normalize(word));
    return Set.copyOf(result);
  }

  /** The placeholder names a template uses, e.g. {@code [product, price]} for "{product} is {price}". */
  public static List<String> placeholdersIn(String template) {
    List<String> names = new ArrayList<>();
    Matcher matcher = PLACEHOLDER.matcher(template);
    while (matcher.find()) names.add(matcher.group(1));
    return names;
  }

  /** The tag of a lead's language: {@link #HINGLISH} for Hinglish, else the ISO 639-1 code (null when unknown). */
  public static String languageTag(String language, boolean hinglish) {
    if (language == null || language.isBlank()) return null;
    String code = language.trim().toLowerCase(Locale.ROOT);
    return hinglish && code.equals("hi") ? HINGLISH : code;
  }

  @Override
  public ReplyDraft compose(ReplyRequest request) {
    String mainKey = mainKey(request);
    String language = replyLanguage(request);
    Wording wording = wordings.get(language);
    Map<String, String> facts = facts(request, wording == null ? "." : wording.fullStop());
    Chosen main = pick(language, mainKey, request.profile(), facts).orElseThrow();
    List<String> parts = new ArrayList<>();
    if (request.kind() == ReplyRequest.Kind.QUESTION) {
      acknowledgement(request, language, facts).ifPresent(parts::add);
    }
    if (request.kind() == ReplyRequest.Kind.QUESTION || request.kind() == ReplyRequest.Kind.PERSUASION) {
      priceAnswer(request, language, facts).ifPresent(parts::add);
    }
    parts.add(main.text());
    return new ReplyDraft(String.join(" ", parts), language, ReplyDraft.TEMPLATE, Analysis.PROVIDER_BUILTIN, MODEL,
        main.strategy());
  }

  /**
   * The language the reply to this request is written in: the lead's when built-in or tenant wording exists for the
   * reply's key in it, else the profile's default language, else English.
   */
  public String replyLanguage(ReplyRequest request) {
    String mainKey = mainKey(request);
    List<String> candidates = new ArrayList<>();
    String lead = languageTag(request.language(), request.hinglish());
    if (lead != null) candidates.add(lead);
    candidates.add(request.profile().defaultLanguage());
    candidates.add(ENGLISH);
    Map<String, String> facts = facts(request, ".");
    for (String candidate : candidates) {
      if (pick(candidate, mainKey, request.profile(), facts).isPresent()) return candidate;
    }
    return ENGLISH;
  }

  /**
   * Whether the lead asked something: a question mark, a question word of any shipped language, or a buying signal
   * that is a question (price, availability, payment). The reply stage answers questions from the FAQ and the cache.
   */
  public boolean isQuestion(ReplyRequest request) {
    String inbound = request.inbound() == null ? "" : request.inbound();
    if (inbound.indexOf('?') >= 0 || inbound.indexOf('؟') >= 0) return true;
    if (request.analysis() != null
        && request.analysis().buyingSignals().stream().anyMatch(QUESTION_SIGNALS::contains)) {
      return true;
    }
    for (String line : inbound.split("\\R")) {
      List<String> words = Texts.words(line);
      if (words.isEmpty()) continue;
      if (questionStarts.contains(words.get(0))) return true;
      if (words.stream().anyMatch(questionWords::contains)) return true;
    }
    return false;
  }

  /** The languages with shipped wording. */
  public Set<String> languages() {
    return wordings.keySet();
  }

  private static String mainKey(ReplyRequest request) {
    return switch (request.kind()) {
      case QUESTION -> "question." + (request.slot() == null ? ReplyRequest.Slot.NEED : request.slot())
          .name().toLowerCase(Locale.ROOT);
      case PERSUASION -> "persuasion." + band(request).toLowerCase(Locale.ROOT);
      case HOLDING -> "holding";
      case HANDOFF -> "handoff";
    };
  }

  private static String band(ReplyRequest request) {
    String band = request.band() == null ? "WARM" : request.band().toUpperCase(Locale.ROOT);
    return switch (band) {
      case "HOT", "WARM", "COLD" -> band;
      default -> "WARM";
    };
  }

  /** The tenant's wording for the key when it can be filled, else the first built-in variant that can. */
  private Optional<Chosen> pick(String language, String key, AiProfile profile, Map<String, String> facts) {
    String tenant = profile.replyTemplates().getOrDefault(language, Map.of()).get(key);
    if (tenant != null && fillable(tenant, facts)) return Optional.of(new Chosen(fill(tenant, facts), defaultStrategy(key)));
    Wording wording = wordings.get(language);
    if (wording == null) return Optional.empty();
    List<Variant> variants = wording.keys().get(key);
    for (boolean toned : new boolean[] {true, false}) {
      for (Variant variant : variants) {
        boolean matches = toned ? profile.tone().equals(variant.tone()) : variant.tone() == null;
        if (matches && fillable(variant.text(), facts)) {
          return Optional.of(new Chosen(fill(variant.text(), facts),
              variant.strategy() == null ? defaultStrategy(key) : variant.strategy()));
        }
      }
    }
    return Optional.empty();
  }

  private static String defaultStrategy(String key) {
    if (key.startsWith("question.")) return "question:" + key.substring("question.".length());
    if (key.startsWith("persuasion.")) return "tenant-wording:" + key.substring("persuasion.".length());
    return key;
  }

  /** "Noted: 20 lakh." when the lead stated a budget, else its timing, else a thank-you. */
  private Optional<String> acknowledgement(ReplyRequest request, String language, Map<String, String> facts) {
    Analysis analysis = request.analysis();
    String key = "ack.thanks";
    if (analysis != null && analysis.budget() != null && facts.containsKey("lead_budget")) {
      key = "ack.budget";
    } else if (analysis != null && analysis.timeline() != null) {
      key = "ack.timeline";
    }
    return pick(language, key, request.profile(), facts).map(Chosen::text);
  }

  /**
   * When the lead asked the price: the price of the product it means (named in its words, or the only product), or
   * of up to three priced products; or that the team will confirm it. Never a price the profile does not hold.
   */
  private Optional<String> priceAnswer(ReplyRequest request, String language, Map<String, String> facts) {
    Analysis analysis = request.analysis();
    if (analysis == null || !analysis.buyingSignals().contains("asks_price")) return Optional.empty();
    if (facts.containsKey("price")) return pick(language, "price.quote", request.profile(), facts).map(Chosen::text);
    if (!facts.containsKey("product")) {
      List<String> quotes = new ArrayList<>();
      for (AiProfile.Product product : request.profile().products()) {
        if (product.price() == null || quotes.size() == 3) continue;
        Map<String, String> productFacts = new LinkedHashMap<>(facts);
        productFacts.put("product", product.name());
        productFacts.put("price", formatPrice(product));
        pick(language, "price.quote", request.profile(), productFacts).ifPresent(quote -> quotes.add(quote.text()));
      }
      if (!quotes.isEmpty()) return Optional.of(String.join(" ", quotes));
    }
    return pick(language, "price.unknown", request.profile(), facts).map(Chosen::text);
  }

  /** The facts a template may state, from the profile only; a fact the profile lacks is absent. */
  private static Map<String, String> facts(ReplyRequest request, String fullStop) {
    AiProfile profile = request.profile();
    Map<String, String> facts = new LinkedHashMap<>();
    putIfPresent(facts, "business", profile.business());
    if (present(profile.description())) facts.put("description", sentence(profile.description().trim(), fullStop));
    profile.proofPoints().stream().filter(BuiltInReplies::present).findFirst()
        .ifPresent(proof -> facts.put("proof", withoutFinalStop(proof.trim())));
    putIfPresent(facts, "booking_link", profile.bookingLink());
    mentionedProduct(request).ifPresent(product -> {
      facts.put("product", product.name().trim());
      if (product.price() != null && product.currency() != null) facts.put("price", formatPrice(product));
    });
    Analysis analysis = request.analysis();
    if (analysis != null && analysis.budget() != null) putIfPresent(facts, "lead_budget", analysis.budget().text());
    return facts;
  }

  /** The product the lead means: named in its message, else in the conversation (newest first), else the only one. */
  static Optional<AiProfile.Product> mentionedProduct(ReplyRequest request) {
    List<AiProfile.Product> products = request.profile().products();
    if (products.isEmpty()) return Optional.empty();
    List<String> texts = new ArrayList<>();
    texts.add(request.inbound());
    List<ConversationTurn> context = request.context();
    for (int i = context.size() - 1; i >= 0; i--) texts.add(context.get(i).text());
    for (String text : texts) {
      String normalized = Texts.normalize(text);
      if (normalized.isEmpty()) continue;
      for (AiProfile.Product product : products) {
        if (mentions(normalized, product.name())) return Optional.of(product);
      }
    }
    return products.size() == 1 ? Optional.of(products.get(0)) : Optional.empty();
  }

  /** The whole name, or every distinctive word of it ("3bhk sky villa" mentions "Sky Villa 3BHK"). */
  public static boolean mentions(String normalizedText, String productName) {
    if (!present(productName)) return false;
    if (Texts.containsPhrase(normalizedText, productName)) return true;
    List<String> distinctive = Texts.words(productName).stream()
        .filter(word -> word.length() >= 4 || word.chars().anyMatch(Character::isDigit)).toList();
    if (distinctive.isEmpty()) return false;
    Set<String> words = new HashSet<>(List.of(normalizedText.split(" ")));
    return words.containsAll(distinctive);
  }

  /** "₹1,200,000 per month": the currency's sign (or code), the amount as given, the unit. */
  public static String formatPrice(AiProfile.Product product) {
    BigDecimal amount = product.price().stripTrailingZeros();
    DecimalFormat format = new DecimalFormat(amount.scale() <= 0 ? "#,##0" : "#,##0.00",
        DecimalFormatSymbols.getInstance(Locale.ROOT));
    String sign = switch (product.currency()) {
      case "INR" -> "₹";
      case "USD" -> "$";
      case "EUR" -> "€";
      case "GBP" -> "£";
      case "SGD" -> "S$";
      case "IDR" -> "Rp ";
      case "MYR" -> "RM ";
      default -> product.currency() + " ";
    };
    String unit = present(product.unit()) ? " " + product.unit().trim() : "";
    return sign + format.format(amount) + unit;
  }

  private static boolean fillable(String template, Map<String, String> facts) {
    return facts.keySet().containsAll(placeholdersIn(template));
  }

  /** The template with each placeholder replaced by its fact (every placeholder must have one). */
  public static String fill(String template, Map<String, String> facts) {
    Matcher matcher = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) matcher.appendReplacement(out, Matcher.quoteReplacement(facts.get(matcher.group(1))));
    matcher.appendTail(out);
    return out.toString().trim();
  }

  private static String sentence(String text, String fullStop) {
    return SENTENCE_ENDS.indexOf(text.charAt(text.length() - 1)) >= 0 ? text : text + fullStop;
  }

  private static String withoutFinalStop(String text) {
    return text.endsWith(".") || text.endsWith("।") ? text.substring(0, text.length() - 1).trim() : text;
  }

  private static void putIfPresent(Map<String, String> facts, String name, String value) {
    if (present(value)) facts.put(name, value.trim());
  }

  private static boolean present(String value) {
    return value != null && !value.isBlank();
  }
}
