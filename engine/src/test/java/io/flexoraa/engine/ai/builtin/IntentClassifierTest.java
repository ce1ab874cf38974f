package io.flexoraa.engine.ai.builtin;

import static io.flexoraa.engine.ai.builtin.AnalyzerFixture.analyze;
import static org.assertj.core.api.Assertions.assertThat;

import io.flexoraa.engine.ai.Analysis;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Category (the primary purpose) and intent, by the eval conventions, through the whole analyzer so that the
 * classifier sees what it sees in production: each category, the small-talk conventions, and the intent rules.
 */
class IntentClassifierTest {

  private static void reads(String text, String category, String intent) {
    Analysis analysis = analyze(text);
    assertThat(analysis.category()).as("category of: " + text).isEqualTo(category);
    assertThat(analysis.intent()).as("intent of: " + text).isEqualTo(intent);
  }

  @Nested
  class Categories {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "Can we come for a site visit on Sunday at 11?                        | BUYING      | HIGH",
        "मुझे 2BHK फ्लैट चाहिए, बजट 50 लाख                                  | BUYING      | MEDIUM",
        "ابي ٢٠٠ حبة عطور بالجملة، وش أقل سعر؟                                 | BUYING      | MEDIUM",
        "samajh nahi aaya, EMI monthly hai ya quarterly?                     | CONFUSION   | MEDIUM",
        "Saya bingung, harga ini untuk satu orang atau dua?                  | CONFUSION   | MEDIUM",
        "who gave you my number? what is this?                               | CONFUSION   | LOW",
        "My order #A-5531 arrived damaged, I want a replacement              | SUPPORT     | LOW",
        "login nahi ho raha, OTP hi nahi aa raha                             | SUPPORT     | LOW",
        "Too expensive, and my parents think we don't need a planner. Sorry. | OBJECTION   | LOW",
        "Price is too high, not worth it                                     | OBJECTION   | LOW",
        "Not interested, please stop messaging                               | OBJECTION   | LOW",
        "my car insurance expired yesterday, need a policy urgently          | URGENCY     | HIGH",
        "kal se 3 desk chahiye, rate kya hai?                                | URGENCY     | HIGH",
        "Do you install solar on tin roofs? How long does it take?           | INFORMATION | MEDIUM",
        "كم سعر الشقة؟                                                       | INFORMATION | MEDIUM",
        "what makes you different from HubSpot?                              | COMPETITOR  | MEDIUM",
        "doosre coworking me 9k per seat hai, aap kitna loge?                | COMPETITOR  | MEDIUM",
        "Any update on the quotation you promised on Monday?                 | FOLLOW_UP   | MEDIUM",
        "ما رديتوا علي من يومين، في أي تحديث؟                                | FOLLOW_UP   | MEDIUM"})
    void eachCategory(String text, String category, String intent) {
      reads(text.strip(), category, intent);
    }

    @Test
    void namingARivalWhileBookingIsBuying() {
      reads("HubSpot was too slow to set up. Can we book a demo with you for Friday?", "BUYING", "HIGH");
    }

    @Test
    void aRivalsOfferToMatchIsCompetitor_aComplaintAboutOurPriceIsObjection() {
      reads("Cars24 is giving me 40k more for my old car, can you match?", "COMPETITOR", "MEDIUM");
      reads("Fees bahut zyada hai, Unacademy pe yahi course 8000 me hai", "OBJECTION", "LOW");
    }

    @Test
    void anOpenObjectionIsMediumAndAConditionalPurchaseIsHigh() {
      reads("Yours is more expensive and the CFO has to sign off. Not a no, but hard right now.", "OBJECTION", "MEDIUM");
      reads("Another dealer is offering 30k more discount. If you can match that, I'll book this week.", "OBJECTION",
          "HIGH");
    }
  }

  @Nested
  class SmallTalk {
    @Test
    void aBareAcknowledgementIsALowFollowUp() {
      reads("ok", "FOLLOW_UP", "LOW");
      reads("ok sir thank you", "FOLLOW_UP", "LOW");
      reads("theek hai ji", "FOLLOW_UP", "LOW");
      reads("👍", "FOLLOW_UP", "LOW");
    }

    @Test
    void aBareGreetingOrComplimentIsLowInformation() {
      reads("hi", "INFORMATION", "LOW");
      reads("السلام عليكم", "INFORMATION", "LOW");
      reads("nice car bro 🔥", "INFORMATION", "LOW");
    }
  }

  @Nested
  class Intent {
    @Test
    void readyToBuyOrSchedulingIsHigh() {
      reads("Send the payment link, I'll pay today", "BUYING", "HIGH");
      reads("Test drive kal shaam ho sakti hai?", "BUYING", "HIGH");
    }

    @Test
    void aPriceAskedToProceedNowIsHigh_aPriceAloneIsMedium() {
      reads("Need 2 desks from Monday in Andheri, what's the monthly rent?", "BUYING", "HIGH");
      reads("What's the monthly rent for a desk?", "INFORMATION", "MEDIUM");
    }

    @Test
    void browsingWrongFitAndNotSeriousAreLow() {
      reads("abhi sirf rates dekh raha hu, koi jaldi nahi", "INFORMATION", "LOW");
      reads("is this a coworking or a cafe? i just want somewhere to sit lol", "CONFUSION", "LOW");
      reads("guarantee doge? pehle results dikhao", "INFORMATION", "LOW");
    }

    @Test
    void existingCustomerSupportIsLowEvenWhenUrgent() {
      reads("Flight kal subah hai aur abhi tak ticket nahi mila!! urgent", "SUPPORT", "LOW");
    }

    @Test
    void aCommittedBuyerChasingIsAHighFollowUp() {
      reads("hello?? sent you the purchase order yesterday, still no confirmation", "FOLLOW_UP", "HIGH");
    }
  }
}
