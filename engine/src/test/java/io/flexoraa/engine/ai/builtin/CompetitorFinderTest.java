package io.flexoraa.engine.ai.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Named competitors: the built-in list, a tenant's own, longest name first, and marketplaces as sales channels. */
class CompetitorFinderTest {
  private static final CompetitorFinder FINDER = new CompetitorFinder(
      List.of("HubSpot", "Zoho", "Zoho People", "Keka", "LIC", "99acres"), List.of("Amazon", "Flipkart", "Meesho"));

  private static List<String> find(String text, String... tenant) {
    return FINDER.find(MessageText.of(text), List.of(tenant));
  }

  @Test
  void namesAreWholeWordsCaseInsensitiveSpelledAsTheListSpellsThem() {
    assertThat(find("we use hubspot today")).containsExactly("HubSpot");
    assertThat(find("public policy matters")).isEmpty();
    assertThat(find("LIC की जीवन आनंद या टर्म प्लान?")).containsExactly("LIC");
    assertThat(find("saw it on 99acres")).containsExactly("99acres");
  }

  @Test
  void theLongestNameWinsAndAppearanceOrderIsKept() {
    assertThat(find("compared with Zoho People and Keka")).containsExactly("Zoho People", "Keka");
    assertThat(find("Keka, then zoho")).containsExactly("Keka", "Zoho");
  }

  @Test
  void aTenantsOwnCompetitorsCountAndTheirSpellingWins() {
    assertThat(find("Sunshine Realty offered me a better deal", "Sunshine Realty")).containsExactly("Sunshine Realty");
    assertThat(find("hubspot is cheaper", "Hubspot")).containsExactly("Hubspot");
  }

  @Test
  void aMarketplaceTheLeadSellsOnIsNotACompetitor() {
    assertThat(find("Amazon pe bechne ke liye 1000 pcs chahiye", "Amazon")).isEmpty();
    assertThat(find("I sell on Flipkart and Meesho", "Flipkart", "Meesho")).isEmpty();
    assertThat(find("Amazon has the same speaker for 500 less", "Amazon")).containsExactly("Amazon");
  }

  @Test
  void nothingNamedNothingFound() {
    assertThat(find("another dealer gave me a better price")).isEmpty();
    assertThat(find("")).isEmpty();
  }
}
