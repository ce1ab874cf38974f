package io.flexoraa.engine.recovery;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import io.flexoraa.engine.ai.AiProfile;
import io.flexoraa.engine.ai.builtin.BuiltInReplies;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The approved wording of the recovery steps per language ({@code flexoraa/recovery/wording.conf}), filled only
 * with facts from the tenant's AI profile: a variant naming a fact the profile lacks is passed over, so a message
 * never states what the tenant did not give. The language is the lead's when wording exists for it, else the
 * profile's default, else English.
 */
public final class RecoveryWording {
  private static final String RESOURCE = "flexoraa/recovery/wording.conf";
  private static final List<String> FACTS = List.of("business", "description", "product", "proof", "booking_link");

  /** A step's message and the language it is written in. */
  public record Text(String text, String language) {}

  /** language → step → variants, richest first. */
  private final Map<String, Map<String, List<String>>> wording;

  /** The shipped wording; fails at once when a step of {@code steps} lacks wording (or a fact-free variant). */
  public RecoveryWording(List<String> steps) {
    Config file = ConfigFactory.parseResources(
        RecoveryWording.class.getClassLoader(), RESOURCE, ConfigParseOptions.defaults().setAllowMissing(false));
    Map<String, Map<String, List<String>>> all = new LinkedHashMap<>();
    for (String language : BuiltInReplies.LANGUAGES) {
      Map<String, List<String>> byStep = new LinkedHashMap<>();
      for (String step : steps) {
        String path = "\"" + language + "\".\"" + step + "\"";
        if (!file.hasPath(path)) throw new IllegalStateException(RESOURCE + " has no " + language + " wording for " + step);
        List<String> variants = new ArrayList<>();
        for (Config variant : file.getConfigList(path)) {
          String text = variant.getString("text");
          if (!FACTS.containsAll(BuiltInReplies.placeholdersIn(text))) {
            throw new IllegalStateException(RESOURCE + " " + language + " " + step + " names an unknown fact: " + text);
          }
          variants.add(text);
        }
        if (variants.stream().noneMatch(text -> BuiltInReplies.placeholdersIn(text).isEmpty())) {
          throw new IllegalStateException(RESOURCE + " " + language + " " + step + " needs a variant that states no fact");
        }
        byStep.put(step, List.copyOf(variants));
      }
      all.put(language, Map.copyOf(byStep));
    }
    this.wording = Map.copyOf(all);
  }

  /** The step's message for a lead writing {@code language} ({@code hinglish}: romanized Hindi), or English. */
  public Text compose(String step, String language, boolean hinglish, AiProfile profile) {
    String lead = BuiltInReplies.languageTag(language, hinglish);
    String chosen = lead != null && wording.containsKey(lead) ? lead
        : wording.containsKey(profile.defaultLanguage()) ? profile.defaultLanguage() : BuiltInReplies.ENGLISH;
    Map<String, String> facts = facts(profile);
    for (String variant : wording.get(chosen).get(step)) {
      if (facts.keySet().containsAll(BuiltInReplies.placeholdersIn(variant))) return new Text(BuiltInReplies.fill(variant, facts), chosen);
    }
    throw new IllegalStateException("no wording for " + step); // unreachable: a fact-free variant is checked at start
  }

  /** The facts the profile gives; a product only when it sells exactly one (never a guess among several). */
  private static Map<String, String> facts(AiProfile profile) {
    Map<String, String> facts = new LinkedHashMap<>();
    put(facts, "business", profile.business());
    put(facts, "description", profile.description());
    profile.proofPoints().stream().filter(proof -> proof != null && !proof.isBlank()).findFirst()
        .ifPresent(proof -> put(facts, "proof", proof.trim().replaceAll("[.।]+$", "")));
    put(facts, "booking_link", profile.bookingLink());
    if (profile.products().size() == 1) put(facts, "product", profile.products().get(0).name());
    return facts;
  }

  private static void put(Map<String, String> facts, String name, String value) {
    if (value != null && !value.isBlank()) facts.put(name, value.trim());
  }
}
