package io.flexoraa.engine.routing;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import java.util.Optional;

/**
 * The wording of an AI re-engagement of a leaking HOT lead: the built-in engine's approved HOT persuasion wording
 * (flexoraa/ai/replies/{language}.conf), its first variant that states no fact and needs no tone, so it can be sent
 * without the tenant's profile. Outside the 24 h window the compliance gate sends the fallback-purpose template.
 */
public final class Reengagement {
  private Reengagement() {}

  public static Optional<String> wording(String language) {
    if (language == null || !language.matches("[a-zA-Z-]{2,8}")) return Optional.empty();
    Config file = ConfigFactory.parseResources(Reengagement.class.getClassLoader(),
        "flexoraa/ai/replies/" + language + ".conf", ConfigParseOptions.defaults().setAllowMissing(true));
    if (!file.hasPath("persuasion.hot")) return Optional.empty();
    return file.getConfigList("persuasion.hot").stream()
        .filter(variant -> !variant.hasPath("tone") && !variant.getString("text").contains("{"))
        .map(variant -> variant.getString("text"))
        .findFirst();
  }
}
