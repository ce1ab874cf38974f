package io.flexoraa.engine.ai;

import static io.flexoraa.engine.ai.AiFixtures.skyline;
import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A profile is stored only when every field is usable; the first field that is not is named. */
class AiProfileRulesTest {
  private final AiProfileRules rules = new AiProfileRules(AiProfileRules.Limits.fromConfig(ConfigFactory.load()));

  @Test
  void aCompleteProfileAndAnEmptyOnePass() {
    assertThat(rules.check(skyline())).isEmpty();
    assertThat(rules.check(AiProfile.empty())).isEmpty();
  }

  @Test
  void eachWrongFieldIsNamed() {
    AiProfile good = skyline();
    assertThat(field(products(good, new AiProfile.Product("X", null, new BigDecimal("10"), null, null))))
        .contains("products[0].currency");
    assertThat(field(products(good, new AiProfile.Product("X", null, null, "INR", null))))
        .contains("products[0].price");
    assertThat(field(products(good, new AiProfile.Product("X", null, new BigDecimal("10"), "RUPEES", null))))
        .contains("products[0].currency");
    assertThat(field(products(good, new AiProfile.Product("X", null, new BigDecimal("-1"), "INR", null))))
        .contains("products[0].price");
    assertThat(field(products(good, new AiProfile.Product("X", null, new BigDecimal("1.005"), "USD", null))))
        .contains("products[0].price");
    assertThat(field(products(good, new AiProfile.Product(" ", null, null, null, null))))
        .contains("products[0].name");
    assertThat(field(products(good, new AiProfile.Product("Gold", null, null, null, null),
        new AiProfile.Product("gold", null, null, null, null)))).contains("products[1].name");
    assertThat(field(templates(good, Map.of("en", Map.of("question.salary", "What do you earn?")))))
        .contains("replyTemplates.en.question.salary");
    assertThat(field(templates(good, Map.of("en", Map.of("holding", "Hi {first_name}, we'll call.")))))
        .contains("replyTemplates.en.holding");
    assertThat(field(templates(good, Map.of("english", Map.of("holding", "We'll call.")))))
        .contains("replyTemplates.english");
    assertThat(field(templates(good, Map.of("hi-Latn", Map.of("holding", "Shukriya, {business} aapko call karega.")))))
        .isEmpty();
    assertThat(field(new AiProfile("B", null, List.of(), List.of(), "sarcastic", List.of(), List.of(), Map.of(), null,
        "en", null))).contains("tone");
    assertThat(field(new AiProfile("B", null, List.of(), List.of(), null, List.of(), List.of(), Map.of(),
        "http://book.example/x", "en", null))).contains("bookingLink");
    assertThat(field(new AiProfile("B", null, List.of(), List.of(), null, List.of(), List.of(), Map.of(), null, "EN",
        null))).contains("defaultLanguage");
    assertThat(field(new AiProfile("B", null, List.of(), List.of(), null,
        List.of(new AiProfile.Faq("Parking?", "Yes", "xx")), List.of(), Map.of(), null, "en", null)))
        .contains("faq[0].language");
    assertThat(field(new AiProfile("B", null, List.of(), List.of(), null,
        List.of(new AiProfile.Faq("Parking?", "", null)), List.of(), Map.of(), null, "en", null)))
        .contains("faq[0].answer");
    assertThat(field(new AiProfile("B".repeat(121), null, List.of(), List.of(), null, List.of(), List.of(), Map.of(),
        null, "en", null))).contains("business");
  }

  @Test
  void countsAreBounded() {
    List<String> proofs = java.util.Collections.nCopies(21, "Trusted by many");
    assertThat(field(new AiProfile("B", null, List.of(), proofs, null, List.of(), List.of(), Map.of(), null, "en",
        null))).contains("proofPoints");
  }

  private Optional<String> field(AiProfile profile) {
    return rules.check(profile).map(AiProfileRules.Violation::field);
  }

  private static AiProfile products(AiProfile profile, AiProfile.Product... products) {
    return new AiProfile(profile.business(), profile.description(), List.of(products), profile.proofPoints(),
        profile.tone(), profile.faq(), profile.competitors(), profile.replyTemplates(), profile.bookingLink(),
        profile.defaultLanguage(), profile.updatedAt());
  }

  private static AiProfile templates(AiProfile profile, Map<String, Map<String, String>> templates) {
    return BuiltInRepliesTest.withTemplates(profile, templates);
  }
}
