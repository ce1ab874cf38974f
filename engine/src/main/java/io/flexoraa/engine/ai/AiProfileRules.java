package io.flexoraa.engine.ai;

import com.typesafe.config.Config;
import io.flexoraa.engine.ai.builtin.BuiltInReplies;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Currency;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a tenant's AI profile must satisfy before it is stored, checked field by field so that the API can name the
 * first offending one ({@code products[2].currency}, {@code replyTemplates.hi.question.budget}). The profile is the
 * only source of facts replies state, so a price without its currency, a template naming a fact that does not exist
 * or a booking link that is not HTTPS is refused rather than half-used.
 */
public final class AiProfileRules {
  private static final Set<String> LANGUAGES = Set.of(Locale.getISOLanguages());
  private static final Set<String> CURRENCIES =
      Currency.getAvailableCurrencies().stream().map(Currency::getCurrencyCode).collect(Collectors.toUnmodifiableSet());

  /** The sizes a profile may have ({@code flexoraa.ai.replies.profile-limits}) and the tones replies know. */
  public record Limits(
      int products, int faq, int proofPoints, int competitors, int templateLanguages, int nameLength,
      int textLength, int templateLength, int answerLength, List<String> tones) {
    public Limits {
      tones = List.copyOf(tones);
    }

    public static Limits fromConfig(Config config) {
      Config limits = config.getConfig("flexoraa.ai.replies.profile-limits");
      return new Limits(limits.getInt("products"), limits.getInt("faq"), limits.getInt("proof-points"),
          limits.getInt("competitors"), limits.getInt("template-languages"), limits.getInt("name-length"),
          limits.getInt("text-length"), limits.getInt("template-length"), limits.getInt("answer-length"),
          config.getStringList("flexoraa.ai.replies.tones"));
    }
  }

  /** The first thing wrong with a profile: which field, and what it must be. */
  public record Violation(String field, String message) {}

  private final Limits limits;

  public AiProfileRules(Limits limits) {
    this.limits = limits;
  }

  /** A language tag a profile may use: an ISO 639-1 code in lower case, or {@code hi-Latn} for Hinglish. */
  public static boolean knownLanguage(String tag) {
    return tag != null && (BuiltInReplies.HINGLISH.equals(tag) || (tag.length() == 2 && LANGUAGES.contains(tag)));
  }

  public Optional<Violation> check(AiProfile profile) {
    try {
      text("business", profile.business(), limits.nameLength(), false);
      text("description", profile.description(), limits.textLength(), false);
      if (!limits.tones().contains(profile.tone())) {
        throw new Invalid("tone", "tone must be one of " + limits.tones());
      }
      language("defaultLanguage", profile.defaultLanguage());
      bookingLink(profile.bookingLink());
      products(profile.products());
      count("proofPoints", profile.proofPoints().size(), limits.proofPoints());
      for (int i = 0; i < profile.proofPoints().size(); i++) {
        text("proofPoints[" + i + "]", profile.proofPoints().get(i), limits.textLength(), true);
      }
      count("competitors", profile.competitors().size(), limits.competitors());
      for (int i = 0; i < profile.competitors().size(); i++) {
        text("competitors[" + i + "]", profile.competitors().get(i), limits.nameLength(), true);
      }
      faq(profile.faq());
      templates(profile.replyTemplates());
      return Optional.empty();
    } catch (Invalid invalid) {
      return Optional.of(new Violation(invalid.field, invalid.getMessage()));
    }
  }

  private void products(List<AiProfile.Product> products) {
    count("products", products.size(), limits.products());
    Set<String> names = new HashSet<>();
    for (int i = 0; i < products.size(); i++) {
      String field = "products[" + i + "]";
      AiProfile.Product product = products.get(i);
      if (product == null) throw new Invalid(field, field + " must be an object");
      text(field + ".name", product.name(), limits.nameLength(), true);
      if (!names.add(Texts.normalize(product.name()))) {
        throw new Invalid(field + ".name", field + ".name repeats another product's name");
      }
      text(field + ".description", product.description(), limits.textLength(), false);
      text(field + ".unit", product.unit(), limits.nameLength(), false);
      BigDecimal price = product.price();
      if ((price == null) != (product.currency() == null)) {
        throw new Invalid(field + (price == null ? ".price" : ".currency"),
            field + ": price and currency go together (both or neither)");
      }
      if (price != null) {
        if (price.signum() < 0) throw new Invalid(field + ".price", field + ".price must not be negative");
        if (price.stripTrailingZeros().scale() > 2) {
          throw new Invalid(field + ".price", field + ".price has at most two decimal places");
        }
        if (!CURRENCIES.contains(product.currency())) {
          throw new Invalid(field + ".currency", field + ".currency must be an ISO 4217 code such as INR, USD or AED");
        }
      }
    }
  }

  private void faq(List<AiProfile.Faq> faq) {
    count("faq", faq.size(), limits.faq());
    for (int i = 0; i < faq.size(); i++) {
      String field = "faq[" + i + "]";
      AiProfile.Faq entry = faq.get(i);
      if (entry == null) throw new Invalid(field, field + " must be an object");
      text(field + ".question", entry.question(), limits.textLength(), true);
      text(field + ".answer", entry.answer(), limits.answerLength(), true);
      if (entry.language() != null) language(field + ".language", entry.language());
    }
  }

  private void templates(Map<String, Map<String, String>> templates) {
    count("replyTemplates", templates.size(), limits.templateLanguages());
    for (Map.Entry<String, Map<String, String>> language : templates.entrySet()) {
      String languageField = "replyTemplates." + language.getKey();
      language(languageField, language.getKey());
      if (language.getValue() == null) throw new Invalid(languageField, languageField + " must be an object");
      for (Map.Entry<String, String> template : language.getValue().entrySet()) {
        String field = languageField + "." + template.getKey();
        if (!BuiltInReplies.KEYS.contains(template.getKey())) {
          throw new Invalid(field, "unknown template key " + template.getKey() + "; keys are " + BuiltInReplies.KEYS);
        }
        text(field, template.getValue(), limits.templateLength(), true);
        Set<String> unknown = new LinkedHashSet<>(BuiltInReplies.placeholdersIn(template.getValue()));
        unknown.removeAll(BuiltInReplies.PLACEHOLDERS);
        if (!unknown.isEmpty()) {
          throw new Invalid(field, field + " names unknown placeholders " + unknown + "; known are "
              + BuiltInReplies.PLACEHOLDERS);
        }
      }
    }
  }

  private void bookingLink(String link) {
    if (link == null) return;
    text("bookingLink", link, 500, true);
    try {
      URI uri = new URI(link.trim());
      if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || uri.getHost().isBlank()) {
        throw new Invalid("bookingLink", "bookingLink must be an https:// link");
      }
    } catch (URISyntaxException e) {
      throw new Invalid("bookingLink", "bookingLink must be an https:// link");
    }
  }

  private static void language(String field, String tag) {
    if (!knownLanguage(tag)) {
      throw new Invalid(field, field + " must be an ISO 639-1 code in lower case (en, hi, ar...) or hi-Latn for Hinglish");
    }
  }

  private static void count(String field, int size, int max) {
    if (size > max) throw new Invalid(field, field + " may have at most " + max + " entries");
  }

  private static void text(String field, String value, int maxLength, boolean required) {
    if (value == null || value.isBlank()) {
      if (required) throw new Invalid(field, field + " is required");
      return;
    }
    if (value.length() > maxLength) throw new Invalid(field, field + " must be at most " + maxLength + " characters");
  }

  private static final class Invalid extends RuntimeException {
    final String field;

    Invalid(String field, String message) {
      super(message, null, false, false);
      this.field = field;
    }
  }
}
