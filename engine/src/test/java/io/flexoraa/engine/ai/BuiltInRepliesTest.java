package io.flexoraa.engine.ai;

import static io.flexoraa.engine.ai.AiFixtures.BOOKING;
import static io.flexoraa.engine.ai.AiFixtures.analysis;
import static io.flexoraa.engine.ai.AiFixtures.bare;
import static io.flexoraa.engine.ai.AiFixtures.persuasion;
import static io.flexoraa.engine.ai.AiFixtures.plain;
import static io.flexoraa.engine.ai.AiFixtures.request;
import static io.flexoraa.engine.ai.AiFixtures.skyline;
import static org.assertj.core.api.Assertions.assertThat;

import io.flexoraa.engine.ai.ReplyRequest.Kind;
import io.flexoraa.engine.ai.ReplyRequest.Slot;
import io.flexoraa.engine.ai.builtin.BuiltInReplies;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The approved wording: every kind, slot and band in every shipped language, the tenant's own wording by key and
 * language, the language fallback, and the rule that a reply states no fact the profile does not hold.
 */
class BuiltInRepliesTest {
  private static final BuiltInReplies REPLIES = new BuiltInReplies();
  private static final Pattern DIGIT = Pattern.compile("\\p{Nd}");
  private static final Pattern DEVANAGARI = Pattern.compile("\\p{IsDevanagari}");
  private static final Pattern ARABIC = Pattern.compile("\\p{IsArabic}");

  @Test
  void everyKindSlotAndBandHasWordingInEveryShippedLanguage() {
    record Lead(String language, boolean hinglish, String tag) {}
    List<Lead> leads = List.of(new Lead("en", false, "en"), new Lead("hi", true, "hi-Latn"),
        new Lead("hi", false, "hi"), new Lead("ar", false, "ar"), new Lead("id", false, "id"),
        new Lead("ms", false, "ms"));
    for (Lead lead : leads) {
      Set<String> texts = new HashSet<>();
      for (Slot slot : Slot.values()) {
        texts.add(compose(Kind.QUESTION, slot, null, lead.language(), lead.hinglish(), bare(), lead.tag()));
      }
      for (String band : List.of("HOT", "WARM", "COLD")) {
        texts.add(compose(Kind.PERSUASION, null, band, lead.language(), lead.hinglish(), bare(), lead.tag()));
        texts.add(compose(Kind.PERSUASION, null, band, lead.language(), lead.hinglish(), skyline(), lead.tag()));
      }
      texts.add(compose(Kind.HOLDING, null, null, lead.language(), lead.hinglish(), bare(), lead.tag()));
      texts.add(compose(Kind.HANDOFF, null, null, lead.language(), lead.hinglish(), bare(), lead.tag()));
      assertThat(texts).as(lead.tag()).hasSize(6 + 6 + 2);
    }
  }

  private static String compose(Kind kind, Slot slot, String band, String language, boolean hinglish,
      AiProfile profile, String expectedTag) {
    ReplyDraft draft = REPLIES.compose(request(kind, slot, band, language, hinglish, "hello",
        analysis(language, hinglish, List.of(), null, null), profile));
    assertThat(draft.language()).isEqualTo(expectedTag);
    assertThat(draft.source()).isEqualTo(ReplyDraft.TEMPLATE);
    assertThat(draft.text()).isNotBlank().doesNotContain("{").doesNotContain("}");
    assertThat(draft.strategy()).isNotBlank();
    switch (expectedTag) {
      case "hi" -> assertThat(DEVANAGARI.matcher(draft.text()).find()).as(draft.text()).isTrue();
      case "ar" -> assertThat(ARABIC.matcher(draft.text()).find()).as(draft.text()).isTrue();
      case "hi-Latn", "en", "id", "ms" -> assertThat(DEVANAGARI.matcher(draft.text()).find()
          || ARABIC.matcher(draft.text()).find()).as(draft.text()).isFalse();
      default -> { }
    }
    return draft.text();
  }

  @Test
  void hinglishLeadsGetRomanizedHindiAndHindiLeadsDevanagari() {
    ReplyDraft hinglish = REPLIES.compose(request(Kind.QUESTION, Slot.BUDGET, null, "hi", true,
        "3bhk chahiye pune me", analysis("hi", true, List.of(), null, null), bare()));
    ReplyDraft hindi = REPLIES.compose(request(Kind.QUESTION, Slot.BUDGET, null, "hi", false,
        "पुणे में 3BHK चाहिए", analysis("hi", false, List.of(), null, null), bare()));

    assertThat(hinglish.language()).isEqualTo("hi-Latn");
    assertThat(hinglish.text()).contains("budget");
    assertThat(hindi.language()).isEqualTo("hi");
    assertThat(hindi.text()).contains("बजट");
    assertThat(hinglish.strategy()).isEqualTo(hindi.strategy()).isEqualTo("question:budget");
  }

  @Test
  void aLanguageWithoutWordingFallsBackToTheProfilesDefaultThenEnglish() {
    AiProfile indonesianDefault = new AiProfile("Toko Rumah", null, List.of(), List.of(), null, List.of(), List.of(),
        Map.of(), null, "id", null);
    ReplyDraft toDefault = REPLIES.compose(persuasion("WARM", "fr", "Bonjour", indonesianDefault));
    assertThat(toDefault.language()).isEqualTo("id");

    AiProfile frenchDefault = new AiProfile("Maison", null, List.of(), List.of(), null, List.of(), List.of(),
        Map.of(), null, "fr", null);
    assertThat(REPLIES.compose(persuasion("WARM", "ta", "vanakkam", frenchDefault)).language()).isEqualTo("en");
    assertThat(REPLIES.compose(persuasion("WARM", null, "hello", bare())).language()).isEqualTo("en");
  }

  @Test
  void theTenantsWordingOverridesByKeyAndLanguageAndMayAddALanguage() {
    AiProfile profile = withTemplates(skyline(), Map.of(
        "en", Map.of("holding", "Thanks for writing to {business}. Our advisor will call you personally."),
        "fr", Map.of("persuasion.warm", "Merci ! {business} vous rappelle quand vous voulez.")));

    ReplyDraft holding = REPLIES.compose(request(Kind.HOLDING, null, null, "en", false, "my lawyer will call",
        plain("en"), profile));
    assertThat(holding.text()).isEqualTo("Thanks for writing to Skyline Homes. Our advisor will call you personally.");

    ReplyDraft handoff = REPLIES.compose(request(Kind.HANDOFF, null, null, "en", false, "book now", plain("en"),
        profile));
    assertThat(handoff.text()).as("a key the tenant did not override").contains("A member of our team");

    ReplyDraft french = REPLIES.compose(persuasion("WARM", "fr", "Bonjour, c'est combien ?", profile));
    assertThat(french.language()).isEqualTo("fr");
    assertThat(french.text()).isEqualTo("Merci ! Skyline Homes vous rappelle quand vous voulez.");
    assertThat(french.strategy()).isEqualTo("tenant-wording:warm");

    ReplyDraft hindiLead = REPLIES.compose(request(Kind.HOLDING, null, null, "hi", false, "वकील", plain("hi"),
        profile));
    assertThat(hindiLead.text()).as("the English override does not reach a Hindi lead").contains("धन्यवाद");
  }

  @Test
  void aTenantTemplateNamingAFactTheProfileLacksIsNotUsed() {
    AiProfile profile = withTemplates(bare(), Map.of(
        "en", Map.of("persuasion.hot", "{proof}! Book here: {booking_link}")));

    ReplyDraft hot = REPLIES.compose(persuasion("HOT", "en", "I want to buy", profile));

    assertThat(hot.text()).doesNotContain("{").doesNotContain("Book here");
    assertThat(hot.strategy()).isEqualTo("urgency+call");
  }

  @Test
  void hotIsUrgencyWithTheBookingLinkWarmIsSocialProofColdIsCuriosity() {
    ReplyDraft hot = REPLIES.compose(persuasion("HOT", "en", "ready to book", skyline()));
    assertThat(hot.strategy()).isEqualTo("authority+urgency+booking");
    assertThat(hot.text()).contains(BOOKING).contains("Rated 4.7★ by 1,200 families");

    ReplyDraft warm = REPLIES.compose(persuasion("WARM", "en", "tell me more", skyline()));
    assertThat(warm.strategy()).isEqualTo("social-proof+benefits+soft-call");
    assertThat(warm.text()).contains("Rated 4.7★ by 1,200 families")
        .contains("Ready-to-move apartments in Pune with clubhouse and metro access.").doesNotContain("http");

    ReplyDraft cold = REPLIES.compose(persuasion("COLD", "en", "not now", skyline()));
    assertThat(cold.strategy()).isEqualTo("curiosity+education+soft-cta");
    assertThat(cold.text()).contains("Ready-to-move apartments").doesNotContain("http");
  }

  @Test
  void aProfileWithoutFactsGetsWordingThatStatesNone() {
    for (String band : List.of("HOT", "WARM", "COLD")) {
      ReplyDraft draft = REPLIES.compose(persuasion(band, "en", "hi", bare()));
      assertThat(DIGIT.matcher(draft.text()).find()).as(draft.text()).isFalse();
      assertThat(draft.text()).doesNotContain("http").doesNotContain("★");
    }
    assertThat(REPLIES.compose(persuasion("HOT", "en", "hi", bare())).strategy()).isEqualTo("urgency+call");
    assertThat(REPLIES.compose(persuasion("WARM", "en", "hi", bare())).strategy()).isEqualTo("trust+soft-call");
    assertThat(REPLIES.compose(persuasion("COLD", "en", "hi", bare())).strategy()).isEqualTo("re-engagement+soft-cta");
  }

  @Test
  void aPriceQuestionIsAnsweredWithTheProfilesPriceAndNeverAnInventedOne() {
    Analysis asksPrice = analysis("en", false, List.of("asks_price"), null, null);

    ReplyDraft named = REPLIES.compose(request(Kind.PERSUASION, null, "WARM", "en", false,
        "what's the price of the garden 2bhk?", asksPrice, skyline()));
    assertThat(named.text()).startsWith("Garden 2BHK is ₹6,200,000.");

    ReplyDraft unnamed = REPLIES.compose(request(Kind.PERSUASION, null, "WARM", "en", false, "price?", asksPrice,
        skyline()));
    assertThat(unnamed.text()).contains("Sky Villa 3BHK is ₹9,500,000.").contains("Garden 2BHK is ₹6,200,000.")
        .doesNotContain("Studio Loft");

    ReplyDraft unpriced = REPLIES.compose(request(Kind.PERSUASION, null, "WARM", "en", false,
        "how much is the studio loft", asksPrice, skyline()));
    assertThat(unpriced.text()).startsWith("I'll have our team confirm the exact price").doesNotContain("₹");

    ReplyDraft nothingPriced = REPLIES.compose(request(Kind.QUESTION, Slot.TIMELINE, null, "hi", true,
        "price kya hai?", analysis("hi", true, List.of("asks_price"), null, null), bare()));
    assertThat(nothingPriced.text()).contains("Exact price hamari team aapko confirm kar degi.");
    assertThat(DIGIT.matcher(nothingPriced.text()).find()).isFalse();

    ReplyDraft hindi = REPLIES.compose(request(Kind.PERSUASION, null, "WARM", "hi", false,
        "गार्डन 2BHK की कीमत?", analysis("hi", false, List.of("asks_price"), null, null), onlyProduct()));
    assertThat(hindi.text()).startsWith("Garden 2BHK की कीमत ₹6,200,000 है।");
  }

  @Test
  void aProductNamedEarlierInTheConversationIsTheOneAPriceQuestionMeans() {
    Analysis asksPrice = analysis("en", false, List.of("asks_price"), null, null);
    ReplyRequest request = new ReplyRequest("tenant-a", "lead-1", Kind.PERSUASION, null, "WARM", "en", false,
        "and how much is it?", asksPrice,
        List.of(new ConversationTurn(ConversationTurn.LEAD, "I liked the Sky Villa 3BHK brochure", "whatsapp",
            Instant.parse("2026-11-20T09:00:00Z"))),
        List.of(), skyline(), "reply-ctx");

    assertThat(REPLIES.compose(request).text()).startsWith("Sky Villa 3BHK is ₹9,500,000.")
        .doesNotContain("Garden");
  }

  @Test
  void aQuestionAcknowledgesTheBudgetOrTimingTheLeadJustGave() {
    Budget budget = new Budget(new BigDecimal("8000000"), "INR", "total", 96_386, Budget.B_50K_PLUS, "80 lakh");
    ReplyDraft afterBudget = REPLIES.compose(request(Kind.QUESTION, Slot.TIMELINE, null, "en", false,
        "budget is around 80 lakh", analysis("en", false, List.of(), budget, null), skyline()));
    assertThat(afterBudget.text()).isEqualTo("Noted: 80 lakh. When are you planning to decide or get started?");
    assertThat(afterBudget.strategy()).isEqualTo("question:timeline");

    ReplyDraft afterTiming = REPLIES.compose(request(Kind.QUESTION, Slot.AUTHORITY, null, "id", false,
        "mau beli bulan depan", analysis("id", false, List.of(), null, "1-3MO"), skyline()));
    assertThat(afterTiming.text()).startsWith("Baik, terima kasih sudah memberi tahu waktunya.")
        .contains("Apakah Anda sendiri yang akan memutuskan");
  }

  @Test
  void theNextStepOffersTheBookingLinkOnlyWhenTheTenantGaveOne() {
    ReplyDraft withLink = REPLIES.compose(request(Kind.QUESTION, Slot.NEXT_STEP, null, "ms", false, "ok",
        plain("ms"), skyline()));
    assertThat(withLink.text()).contains(BOOKING);
    assertThat(withLink.strategy()).isEqualTo("question:next_step+booking");

    ReplyDraft without = REPLIES.compose(request(Kind.QUESTION, Slot.NEXT_STEP, null, "ms", false, "ok",
        plain("ms"), bare()));
    assertThat(without.text()).doesNotContain("http");
    assertThat(without.strategy()).isEqualTo("question:next_step");
  }

  @Test
  void aFormalProfileGetsItsToneWhereWordingHasOne() {
    AiProfile formal = new AiProfile("Bare Co", null, List.of(), List.of(), "formal", List.of(), List.of(), Map.of(),
        null, "en", null);
    assertThat(REPLIES.compose(request(Kind.HOLDING, null, null, "en", false, "x", plain("en"), formal)).text())
        .isEqualTo("Thank you for your message. A member of our team will respond to you personally.");
    assertThat(REPLIES.compose(request(Kind.HOLDING, null, null, "en", false, "x", plain("en"), bare())).text())
        .isEqualTo("Thank you for your message. A member of our team will get back to you personally.");
  }

  @Test
  void questionsAreRecognisedInEveryShippedLanguage() {
    for (String question : List.of("price?", "what are the timings", "Do you deliver to Noida", "kitne ka hai",
        "कितने का है", "هل يوجد موقف سيارات", "berapa harganya", "bolehkah saya datang esok")) {
      assertThat(REPLIES.isQuestion(persuasion("WARM", "en", question, bare()))).as(question).isTrue();
    }
    for (String statement : List.of("ok thanks", "I will come tomorrow", "theek hai", "terima kasih")) {
      assertThat(REPLIES.isQuestion(persuasion("WARM", "en", statement, bare()))).as(statement).isFalse();
    }
    assertThat(REPLIES.isQuestion(request(Kind.PERSUASION, null, "WARM", "en", false, "send rates pls",
        analysis("en", false, List.of("asks_price"), null, null), bare()))).isTrue();
  }

  private static AiProfile onlyProduct() {
    AiProfile skyline = skyline();
    return new AiProfile(skyline.business(), null, List.of(skyline.products().get(1)), List.of(), null, List.of(),
        List.of(), Map.of(), null, "en", null);
  }

  static AiProfile withTemplates(AiProfile profile, Map<String, Map<String, String>> templates) {
    return new AiProfile(profile.business(), profile.description(), profile.products(), profile.proofPoints(),
        profile.tone(), profile.faq(), profile.competitors(), templates, profile.bookingLink(),
        profile.defaultLanguage(), profile.updatedAt());
  }
}
