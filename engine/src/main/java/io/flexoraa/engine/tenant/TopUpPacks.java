package io.flexoraa.engine.tenant;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The token packs a tenant can buy (PRODUCT §6: 100 tokens $50, 500 $200, 1,000 $350, 5,000 $1,500), from
 * {@code flexoraa.billing.top-up-packs}. A pack is named by its token count ("500"); its price is in the currency's
 * minor units (cents), which is what the payment provider charges. An INR rate, when configured, only adds an
 * approximate INR figure for display: the charge is always the configured currency's.
 */
public record TopUpPacks(String currency, Map<String, Pack> packs, BigDecimal inrDisplayRate) {

  /** {@code amount} in minor units of the packs' currency. */
  public record Pack(String id, BigDecimal tokens, long amount) {}

  public TopUpPacks {
    currency = Currency.getInstance(currency).getCurrencyCode();
    List<Pack> sorted = new ArrayList<>(packs.values());
    sorted.sort(Comparator.comparing(Pack::tokens));
    Map<String, Pack> ordered = new LinkedHashMap<>();
    for (Pack pack : sorted) ordered.put(pack.id(), pack);
    packs = java.util.Collections.unmodifiableMap(ordered);
    if (inrDisplayRate != null && inrDisplayRate.signum() <= 0) {
      throw new IllegalArgumentException("top-up-packs.inr-display-rate must be positive: " + inrDisplayRate);
    }
  }

  public static TopUpPacks fromConfig(Config config) {
    Config block = config.getConfig("flexoraa.billing.top-up-packs");
    Map<String, Pack> packs = new LinkedHashMap<>();
    Config prices = block.getConfig("packs");
    for (String id : prices.root().keySet()) {
      BigDecimal tokens = Billing.exact(new BigDecimal(id.trim()))
          .filter(value -> value.signum() > 0)
          .orElseThrow(() -> new IllegalArgumentException("top-up pack " + id + ": the name is its token count, > 0"));
      long amount = prices.getLong("\"" + id + "\"");
      if (amount <= 0) throw new IllegalArgumentException("top-up pack " + id + ": the price must be positive");
      packs.put(id, new Pack(id, tokens, amount));
    }
    if (packs.isEmpty()) throw new IllegalArgumentException("flexoraa.billing.top-up-packs.packs is empty");
    return new TopUpPacks(block.getString("currency"), packs, optionalRate(block, "inr-display-rate"));
  }

  /** Empty string (the default, when the environment variable is unset) means no INR display. */
  private static BigDecimal optionalRate(Config block, String path) {
    if (!block.hasPath(path)) return null;
    ConfigValueType type = block.getValue(path).valueType();
    if (type != ConfigValueType.NUMBER && type != ConfigValueType.STRING) {
      throw new IllegalArgumentException("top-up-packs." + path + " must be a number");
    }
    String text = block.getString(path).trim();
    return text.isEmpty() ? null : new BigDecimal(text);
  }

  public Optional<Pack> pack(String id) {
    return Optional.ofNullable(id == null ? null : packs.get(id));
  }

  /** The price in major units (50.00 for 5000 cents). */
  public BigDecimal price(Pack pack) {
    return BigDecimal.valueOf(pack.amount(), Currency.getInstance(currency).getDefaultFractionDigits());
  }

  /** The price converted to INR for display, rounded to paise, when a rate is configured. */
  public Optional<BigDecimal> inrDisplayPrice(Pack pack) {
    if (inrDisplayRate == null) return Optional.empty();
    if ("INR".equals(currency)) return Optional.of(price(pack));
    return Optional.of(price(pack).multiply(inrDisplayRate).setScale(2, RoundingMode.HALF_UP));
  }
}
