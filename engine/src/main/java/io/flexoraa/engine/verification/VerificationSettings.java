package io.flexoraa.engine.verification;

import com.typesafe.config.Config;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Settings of lead verification, from {@code flexoraa.verification} (engine {@code reference.conf}): the weight of
 * each fraud signal, the gibberish heuristic's thresholds, the burst window, and the two lists (disposable e-mail
 * domains, blocked identifiers). Weights are exact decimals read from their text.
 */
public record VerificationSettings(
    String operation,
    Set<String> mobileCapableTypes,
    Weights weights,
    GibberishText.Settings gibberish,
    Burst burst,
    Set<String> disposableEmailDomains,
    Set<String> blockedIdentifiers) {

  /** The weight each signal adds to the fraud score (the sum is capped at 1). */
  public record Weights(
      BigDecimal invalidNumber, BigDecimal notMobileCapable, BigDecimal disposableEmail, BigDecimal gibberish,
      BigDecimal burst, BigDecimal blockedIdentifier) {}

  /** More than {@code maxSubmissions} from one source and campaign within {@code window} is a burst. */
  public record Burst(int maxSubmissions, Duration window, int maxTrackedSources) {
    public Burst {
      if (maxSubmissions < 1) throw new IllegalArgumentException("flexoraa.verification.burst.max-submissions must be positive");
      if (maxTrackedSources < 1) throw new IllegalArgumentException("flexoraa.verification.burst.max-tracked-sources must be positive");
    }
  }

  public VerificationSettings {
    mobileCapableTypes = Set.copyOf(mobileCapableTypes);
    disposableEmailDomains = lowerCase(disposableEmailDomains);
    blockedIdentifiers = lowerCase(blockedIdentifiers);
  }

  public static VerificationSettings fromConfig(Config root) {
    Config config = root.getConfig("flexoraa.verification");
    Config weights = config.getConfig("weights");
    Config gibberish = config.getConfig("gibberish");
    Config burst = config.getConfig("burst");
    return new VerificationSettings(
        config.getString("operation"),
        Set.copyOf(config.getStringList("mobile-capable-types")),
        new Weights(
            weight(weights, "invalid-number"), weight(weights, "not-mobile-capable"),
            weight(weights, "disposable-email"), weight(weights, "gibberish"), weight(weights, "burst"),
            weight(weights, "blocked-identifier")),
        new GibberishText.Settings(
            gibberish.getInt("min-word-letters"), new BigDecimal(gibberish.getString("min-vowel-ratio")),
            gibberish.getInt("max-repeated-letter"), gibberish.getInt("keyboard-run"),
            new BigDecimal(gibberish.getString("min-gibberish-share"))),
        new Burst(burst.getInt("max-submissions"), burst.getDuration("window"), burst.getInt("max-tracked-sources")),
        Set.copyOf(config.getStringList("disposable-email-domains")),
        Set.copyOf(config.getStringList("blocked-identifiers")));
  }

  private static BigDecimal weight(Config weights, String path) {
    BigDecimal weight = new BigDecimal(weights.getString(path));
    if (weight.signum() < 0 || weight.compareTo(BigDecimal.ONE) > 0) {
      throw new IllegalArgumentException("flexoraa.verification.weights." + path + " must be between 0 and 1");
    }
    return weight;
  }

  private static Set<String> lowerCase(Set<String> values) {
    return values.stream().map(value -> value.trim().toLowerCase(Locale.ROOT)).filter(value -> !value.isEmpty())
        .collect(Collectors.toUnmodifiableSet());
  }

  /** For tests: the list settings replaced. */
  public VerificationSettings withLists(List<String> disposable, List<String> blocked) {
    return new VerificationSettings(operation, mobileCapableTypes, weights, gibberish, burst, Set.copyOf(disposable),
        Set.copyOf(blocked));
  }
}
