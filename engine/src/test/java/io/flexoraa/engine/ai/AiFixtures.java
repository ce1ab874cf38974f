package io.flexoraa.engine.ai;

import io.flexoraa.engine.ai.ReplyRequest.Kind;
import io.flexoraa.engine.ai.ReplyRequest.Slot;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Profiles, analyses and requests the reply tests share: a real-estate developer and a SaaS tenant of our own. */
final class AiFixtures {
  private AiFixtures() {}

  static final String BOOKING = "https://book.skyline-homes.example/visit";

  /** A tenant that gave every kind of fact. */
  static AiProfile skyline() {
    return new AiProfile("Skyline Homes", "Ready-to-move apartments in Pune with clubhouse and metro access",
        List.of(
            new AiProfile.Product("Sky Villa 3BHK", "3 bedrooms, 1,650 sqft, private deck", new BigDecimal("9500000"),
                "INR", null),
            new AiProfile.Product("Garden 2BHK", "2 bedrooms facing the garden", new BigDecimal("6200000"), "INR",
                null),
            new AiProfile.Product("Studio Loft", "compact studio for young professionals", null, null, null)),
        List.of("Rated 4.7★ by 1,200 families"), "friendly",
        List.of(new AiProfile.Faq("Is there parking?", "Yes: one covered parking slot comes with every apartment.", "en"),
            new AiProfile.Faq("Parking hai kya?", "Haan, har apartment ke saath ek covered parking slot milta hai.",
                "hi-Latn"),
            new AiProfile.Faq("What is the price of the Garden 2BHK?", "The Garden 2BHK is ₹62,00,000 all inclusive.",
                "en")),
        List.of("Lodha"), Map.of(), BOOKING, "en", Instant.parse("2026-11-20T10:00:00Z"));
  }

  /** A tenant that gave nothing but its name. */
  static AiProfile bare() {
    return new AiProfile("Bare Co", null, List.of(), List.of(), null, List.of(), List.of(), Map.of(), null, "en",
        Instant.parse("2026-11-20T10:00:00Z"));
  }

  static Analysis analysis(String language, boolean hinglish, List<String> buyingSignals, Budget budget,
      String timeline) {
    return new Analysis(language, hinglish, "MEDIUM", "INFORMATION", "NEUTRAL", budget, timeline, null, List.of(),
        buyingSignals, List.of(), false, List.of(), false, List.of(), 0.9, Analysis.PROVIDER_BUILTIN, "test");
  }

  static Analysis plain(String language) {
    return analysis(language, false, List.of(), null, null);
  }

  static ReplyRequest request(Kind kind, Slot slot, String band, String language, boolean hinglish, String inbound,
      Analysis analysis, AiProfile profile) {
    return new ReplyRequest("tenant-a", "lead-1", kind, slot, band, language, hinglish, inbound, analysis, List.of(),
        List.of(), profile, "reply-" + System.nanoTime());
  }

  static ReplyRequest persuasion(String band, String language, String inbound, AiProfile profile) {
    return request(Kind.PERSUASION, null, band, language, false, inbound, plain(language), profile);
  }

  static ReplyRequest persuasion(String tenantId, String band, String language, boolean hinglish, String inbound,
      AiProfile profile) {
    return new ReplyRequest(tenantId, "lead-1", Kind.PERSUASION, null, band, language, hinglish, inbound,
        analysis(language, hinglish, List.of(), null, null), List.of(), List.of(), profile, "reply-" + System.nanoTime());
  }
}
