package io.flexoraa.engine.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The packs of PRODUCT §6 as configured, and what the configuration refuses. */
class TopUpPacksTest {

  private static TopUpPacks withOverrides(Map<String, Object> overrides) {
    Config config = ConfigFactory.parseMap(overrides).withFallback(ConfigFactory.load());
    return TopUpPacks.fromConfig(config);
  }

  @Test
  void theProductsPacksInCents() {
    TopUpPacks packs = TopUpPacks.fromConfig(ConfigFactory.load());
    assertThat(packs.currency()).isEqualTo("USD");
    assertThat(packs.packs().keySet()).containsExactly("100", "500", "1000", "5000");
    assertThat(packs.pack("100").orElseThrow().amount()).isEqualTo(5_000);
    assertThat(packs.pack("500").orElseThrow().amount()).isEqualTo(20_000);
    assertThat(packs.pack("1000").orElseThrow().amount()).isEqualTo(35_000);
    assertThat(packs.pack("5000").orElseThrow().amount()).isEqualTo(150_000);
    assertThat(packs.pack("5000").orElseThrow().tokens()).isEqualByComparingTo("5000");
    assertThat(packs.price(packs.pack("1000").orElseThrow())).isEqualByComparingTo("350.00");
    assertThat(packs.inrDisplayPrice(packs.pack("100").orElseThrow())).as("no rate configured").isEmpty();
    assertThat(packs.pack("250")).isEmpty();
    assertThat(packs.pack(null)).isEmpty();
  }

  @Test
  void anInrRateOnlyAddsADisplayFigure() {
    TopUpPacks packs = withOverrides(Map.of("flexoraa.billing.top-up-packs.inr-display-rate", "83.25"));
    TopUpPacks.Pack pack = packs.pack("500").orElseThrow();
    assertThat(packs.inrDisplayPrice(pack)).hasValueSatisfying(inr -> assertThat(inr.toPlainString()).isEqualTo("16650.00"));
    assertThat(pack.amount()).as("the charge is unchanged").isEqualTo(20_000);
  }

  @Test
  void nonsenseIsRefusedAtStart() {
    assertThatThrownBy(() -> withOverrides(Map.of("flexoraa.billing.top-up-packs.inr-display-rate", "-1")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> withOverrides(Map.of("flexoraa.billing.top-up-packs.currency", "DOLLARS")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> withOverrides(Map.of("flexoraa.billing.top-up-packs.packs.\"100\"", 0)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
