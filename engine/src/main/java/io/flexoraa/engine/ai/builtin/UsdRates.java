package io.flexoraa.engine.ai.builtin;

import com.typesafe.config.Config;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Units of each currency per US dollar ({@code flexoraa.ai.builtin.usd-rates}): 83 INR, 3.67 AED, ... */
public record UsdRates(Map<String, BigDecimal> perUsd) {
  public UsdRates {
    perUsd = Map.copyOf(perUsd);
  }

  public static UsdRates fromConfig(Config config) {
    Config rates = config.getConfig("flexoraa.ai.builtin.usd-rates");
    Map<String, BigDecimal> perUsd = new TreeMap<>();
    for (String currency : rates.root().keySet()) perUsd.put(currency, new BigDecimal(rates.getString(currency)));
    return new UsdRates(perUsd);
  }

  /** The eval set's rates: 83 INR, 3.67 AED, 1.35 SGD, 15,800 IDR, 4.2 MYR per USD. */
  public static UsdRates defaults() {
    return new UsdRates(Map.of(
        "USD", BigDecimal.ONE, "INR", new BigDecimal("83"), "AED", new BigDecimal("3.67"),
        "SGD", new BigDecimal("1.35"), "IDR", new BigDecimal("15800"), "MYR", new BigDecimal("4.2")));
  }

  public Optional<BigDecimal> perUsd(String currency) {
    return Optional.ofNullable(perUsd.get(currency));
  }
}
