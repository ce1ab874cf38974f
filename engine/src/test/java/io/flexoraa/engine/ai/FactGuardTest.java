package io.flexoraa.engine.ai;

import static io.flexoraa.engine.ai.AiFixtures.BOOKING;
import static io.flexoraa.engine.ai.AiFixtures.bare;
import static io.flexoraa.engine.ai.AiFixtures.skyline;
import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A generated reply may state the profile's facts and the lead's own words, in any notation, and nothing else: no
 * price, number, link, model or product the tenant did not give.
 */
class FactGuardTest {
  private final FactGuard guard = new FactGuard(FactGuard.Settings.fromConfig(ConfigFactory.load()));

  @Test
  void theProfilesPricesPassInAnyNotation() {
    for (String reply : List.of(
        "The Sky Villa 3BHK is ₹9,500,000.",
        "The Sky Villa 3BHK is ₹95,00,000 all inclusive.",
        "Sky Villa 3BHK: Rs 95 lakh",
        "Sky Villa 3BHK costs 9500000 INR",
        "The Garden 2BHK is ₹62 lakh and the Sky Villa 3BHK ₹95 lakh.")) {
      assertThat(guard.check(reply, skyline(), List.of()).allowed()).as(reply).isTrue();
    }
  }

  @Test
  void anInventedPriceDiscountOrNumberIsCaught() {
    assertThat(guard.check("The Sky Villa 3BHK is ₹89 lakh this week only.", skyline(), List.of()).unsupported())
        .containsExactly("number 89 lakh");
    assertThat(guard.check("You get 15% off if you book today!", skyline(), List.of()).unsupported())
        .containsExactly("number 15");
    assertThat(guard.check("It's just $5 per sqft more.", skyline(), List.of()).allowed()).isFalse();
    assertThat(guard.check("Only 37 units are left.", skyline(), List.of()).allowed()).isFalse();
    assertThat(guard.check("The Garden 2BHK is ₹६२ लाख.", skyline(), List.of()).allowed())
        .as("Devanagari digits are numbers too").isTrue();
    assertThat(guard.check("Garden 2BHK ka price ₹६० लाख hai.", skyline(), List.of()).allowed()).isFalse();
  }

  @Test
  void smallCountsPassButNotAsPrices() {
    assertThat(guard.check("Let's do a 2-minute call, we have 3 options for you. Open 24/7.", skyline(), List.of())
        .allowed()).isTrue();
    assertThat(guard.check("It starts at just ₹5.", skyline(), List.of()).allowed()).isFalse();
  }

  @Test
  void theLeadsOwnNumbersMayBeRepeatedToIt() {
    String reply = "With your budget of 80 lakh, the Garden 2BHK at ₹62 lakh fits well.";
    assertThat(guard.check(reply, skyline(), List.of()).allowed()).isFalse();
    assertThat(guard.check(reply, skyline(), List.of("my budget is 80 lakh")).allowed()).isTrue();
    assertThat(guard.check(reply, skyline(), List.of("my budget is ₹80,00,000")).allowed()).isTrue();
  }

  @Test
  void onlyTheProfilesLinksPass() {
    assertThat(guard.check("Book here: " + BOOKING, skyline(), List.of()).allowed()).isTrue();
    assertThat(guard.check("See book.skyline-homes.example for slots", skyline(), List.of()).allowed()).isTrue();
    assertThat(guard.check("Book at https://calendly.com/skyline-sales today", skyline(), List.of()).unsupported())
        .containsExactly("link https://calendly.com/skyline-sales");
    assertThat(guard.check("More at skylinehomes.in", skyline(), List.of()).allowed()).isFalse();
  }

  @Test
  void inventedModelsAndProductsAreCaught() {
    assertThat(guard.check("Our Sky Villa 3BHK has a private deck.", skyline(), List.of()).allowed()).isTrue();
    assertThat(guard.check("You may like the 4BHK penthouse too.", skyline(), List.of()).unsupported())
        .containsExactly("name 4BHK");
    assertThat(guard.check("Try our Platinum Plan for more space.", skyline(), List.of()).unsupported())
        .containsExactly("product Platinum Plan");
    assertThat(guard.check("Our Plan is simple: visit, choose, move in.", skyline(), List.of()).allowed()).isTrue();
    assertThat(guard.check("The 4BHK you asked about is not in our list.", skyline(), List.of("do you have 4BHK?"))
        .allowed()).isTrue();
  }

  @Test
  void aReplyWithTheLeadsWordsIsNotOneForOtherLeads() {
    String reply = "The Garden 2BHK is ₹62 lakh, well within your 80 lakh.";
    assertThat(guard.check(reply, skyline(), List.of("budget 80 lakh")).allowed()).isTrue();
    assertThat(guard.statesOnlyProfileFacts(reply, skyline())).isFalse();
    assertThat(guard.statesOnlyProfileFacts("The Garden 2BHK is ₹62 lakh.", skyline())).isTrue();
  }

  @Test
  void aBareProfileAllowsNoFactsAtAll() {
    assertThat(guard.check("Thanks! Our team will call you shortly.", bare(), List.of()).allowed()).isTrue();
    assertThat(guard.check("Plans start at $49 a month.", bare(), List.of()).allowed()).isFalse();
  }

  @Test
  void questionsNamingDifferentFactsAreTold() {
    assertThat(guard.factsNamed("price of the 2BHK?", skyline()))
        .isNotEqualTo(guard.factsNamed("price of the 3BHK?", skyline()));
    assertThat(guard.factsNamed("is the 50 lakh flat available", skyline()))
        .isNotEqualTo(guard.factsNamed("is the 80 lakh flat available", skyline()));
    assertThat(guard.factsNamed("how much is the Garden 2BHK", skyline()))
        .contains("product:garden 2bhk").doesNotContain("product:sky villa 3bhk");
    assertThat(guard.factsNamed("Price of 3BHK flat??", skyline()))
        .isEqualTo(guard.factsNamed("whats the price for 3bhk flat", skyline()));
    assertThat(guard.factsNamed("50 lakh", skyline())).isEqualTo(guard.factsNamed("₹50,00,000", skyline()));
  }
}
