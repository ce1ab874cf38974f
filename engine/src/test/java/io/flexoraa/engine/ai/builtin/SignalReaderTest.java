package io.flexoraa.engine.ai.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Each buying signal, each objection and decision authority, in English, Hinglish, Hindi, Arabic and Bahasa. */
class SignalReaderTest {
  private static final Lexicon LEXICON = Lexicon.load(Lexicon.DEFAULT_RESOURCE);

  private static List<String> signals(String text) {
    return SignalReader.buyingSignals(LEXICON.read(MessageText.of(text)));
  }

  private static List<String> objections(String text, List<String> named) {
    return SignalReader.objections(LEXICON.read(MessageText.of(text)), named);
  }

  private static List<String> objections(String text) {
    return objections(text, List.of());
  }

  @Nested
  class BuyingSignals {
    @Test
    void asksPrice() {
      assertThat(signals("What's the price of the 3BHK?")).containsExactly("asks_price");
      assertThat(signals("2BHK ka rate kya hai?")).containsExactly("asks_price");
      assertThat(signals("इस गाड़ी का दाम क्या है?")).containsExactly("asks_price");
      assertThat(signals("كم سعر الفيلا؟")).containsExactly("asks_price");
      assertThat(signals("Berapa harga paket bulanan?")).containsExactly("asks_price");
      assertThat(signals("Kereta ni boleh nego tak?")).containsExactly("asks_price");
    }

    @Test
    void askingWhatAKnownPriceCoversIsConfusionNotAPriceRequest() {
      assertThat(signals("samajh nahi aaya, ye fees poore course ki hai ya har semester ki?")).isEmpty();
      assertThat(signals("What is the interest rate on the loan?")).isEmpty();
    }

    @Test
    void asksDemo_butNotForAVideoOrATrial() {
      assertThat(signals("Can we get a live demo on Thursday?")).containsExactly("asks_demo");
      assertThat(signals("Send me a demo video please")).isEmpty();
      assertThat(signals("Is there a free trial?")).isEmpty();
    }

    @Test
    void asksMeeting() {
      assertThat(signals("Can we schedule a call next week?")).containsExactly("asks_meeting");
      assertThat(signals("Site visit kal ho sakti hai?")).containsExactly("asks_meeting");
      assertThat(signals("कल सुबह अपॉइंटमेंट चाहिए")).containsExactly("asks_meeting");
      assertThat(signals("متى أقدر أزور المعرض؟")).containsExactly("asks_meeting");
      assertThat(signals("Boleh saya test drive esok?")).containsExactly("asks_meeting");
      assertThat(signals("I had my consultation last week")).isEmpty();
    }

    @Test
    void asksContract() {
      assertThat(signals("Please send the agreement, we will review it")).containsExactly("asks_contract");
      assertThat(signals("ابي اشوف العقد قبل التوقيع")).containsExactly("asks_contract");
    }

    @Test
    void readyToBuy_butNotOnACondition() {
      assertThat(signals("I'll pay today, confirm the booking")).contains("ready_to_buy");
      assertThat(signals("cash me leni hai is hafte")).containsExactly("ready_to_buy");
      assertThat(signals("Sent you the purchase order yesterday")).containsExactly("ready_to_buy");
      assertThat(signals("Saya mau beli sekarang, siap transfer")).containsExactly("ready_to_buy");
      assertThat(signals("If you can match that price, I'll book this week")).isEmpty();
      assertThat(signals("sample dekh ke order de dunga")).isEmpty();
    }

    @Test
    void asksAvailability() {
      assertThat(signals("Are the 3BHK units on higher floors still available?")).containsExactly("asks_availability");
      assertThat(signals("kal se 4 seats chahiye")).containsExactly("asks_availability");
      assertThat(signals("Apartemen ini masih ada unit kosong?")).containsExactly("asks_availability");
      assertThat(signals("Is car financing available?")).isEmpty();
    }

    @Test
    void asksPayment() {
      assertThat(signals("Do you have EMI?")).containsExactly("asks_payment");
      assertThat(signals("COD hoga?")).containsExactly("asks_payment");
      assertThat(signals("Please share the payment link")).containsExactly("ready_to_buy", "asks_payment");
      assertThat(signals("هل يوجد تقسيط؟")).containsExactly("asks_payment");
      assertThat(signals("Bisa dicicil?")).containsExactly("asks_payment");
    }
  }

  @Nested
  class Objections {
    @Test
    void price() {
      assertThat(objections("This is too expensive for us")).containsExactly("price");
      assertThat(objections("rate bahut zyada hai")).containsExactly("price");
      assertThat(objections("السعر غالي جدا")).containsExactly("price");
      assertThat(objections("Mahal sangat lah")).containsExactly("price");
    }

    @Test
    void timing() {
      assertThat(objections("Not looking to switch before March")).containsExactly("timing");
      assertThat(objections("We need to think about it, will revert next month")).containsExactly("timing");
      assertThat(objections("abhi nahi lena, baad me dekhenge")).containsExactly("timing");
    }

    @Test
    void aLaterDateOrNotBeingInAHurryIsNotATimingObjection() {
      assertThat(objections("Nothing urgent, possession is in 2028")).isEmpty();
    }

    @Test
    void trust() {
      assertThat(objections("Results guaranteed? Is this legit?")).containsExactly("trust");
      assertThat(objections("solar sach me bill zero karta hai ya bas marketing hai?")).containsExactly("trust");
      assertThat(objections("هل هذا مضمون؟")).containsExactly("trust");
    }

    @Test
    void needApproval() {
      assertThat(objections("My husband has to approve the design")).containsExactly("need_approval");
      assertThat(objections("ghar walon se puch ke batata hu")).containsExactly("need_approval");
      assertThat(objections("Boss saya perlu setuju dulu")).containsExactly("need_approval");
    }

    @Test
    void featuresAndOther() {
      assertThat(objections("Your software doesn't support GST e-invoicing")).containsExactly("features");
      assertThat(objections("Your MOQ of 1000 units is too high")).containsExactly("other");
      assertThat(objections("What is your minimum order quantity?")).isEmpty();
    }

    @Test
    void anUnnamedRivalIsACompetitorObjection() {
      assertThat(objections("another dealer is giving 30k more discount")).containsExactly("price", "competitor");
      assertThat(objections("doosre coworking me 12k per seat hai")).containsExactly("competitor");
    }

    @Test
    void aNamedRivalIsAnObjectionOnlyWithItsOfferOrAComplaint() {
      assertThat(objections("Livspace quoted 9 lakh for the same", List.of("Livspace"))).containsExactly("competitor");
      assertThat(objections("what makes you different from Salesforce", List.of("Salesforce"))).isEmpty();
    }
  }

  @Test
  void authority() {
    assertThat(SignalReader.authority(LEXICON.read(MessageText.of("Our CFO has to sign off")))).isEqualTo("NEEDS_APPROVAL");
    assertThat(SignalReader.authority(LEXICON.read(MessageText.of("I'm the owner, it's my decision"))))
        .isEqualTo("DECIDER");
    assertThat(SignalReader.authority(LEXICON.read(MessageText.of("Regards,\nVikram\nDirector, Sahyadri Cold Chain"))))
        .isEqualTo("DECIDER");
    assertThat(SignalReader.authority(LEXICON.read(MessageText.of("price?")))).isNull();
  }
}
