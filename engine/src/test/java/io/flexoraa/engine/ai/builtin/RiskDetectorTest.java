package io.flexoraa.engine.ai.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each high-risk type in the languages leads write, and each deliberate distractor of the eval conventions, which
 * must stay out: a high-risk message gets no AI answer, so a false alarm silences a sale and a miss answers a threat.
 */
class RiskDetectorTest {
  private static final Lexicon LEXICON = Lexicon.load(Lexicon.DEFAULT_RESOURCE);

  private static List<String> risks(String text) {
    return RiskDetector.types(LEXICON.read(MessageText.of(text)));
  }

  @Nested
  class Legal {
    @ParameterizedTest
    @ValueSource(strings = {
        "If the refund does not come by Friday I will talk to my lawyer",
        "We will raise a chargeback with our bank",
        "main consumer court jaunga, case karunga tum logon pe",
        "पैसे नहीं लौटाए तो पुलिस में शिकायत करूंगा",
        "سأرفع قضية في المحكمة إذا لم ترجعوا المبلغ",
        "Kalau tidak dikembalikan saya lapor ke OJK dan cari pengacara",
        "I will complain to RERA about the delay"})
    void threatsAndDisputesAreLegal(String text) {
      assertThat(risks(text)).containsExactly("legal");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Our legal team will review the contract before we sign",
        "Is the property legally clear and RERA approved?",
        "We need a venue with a food court nearby",
        "Do you arrange court marriage registration too?",
        "Is police verification needed for the rental agreement?"})
    void mentionsOfLawThatAreNotADisputeAreNot(String text) {
      assertThat(risks(text)).isEmpty();
    }
  }

  @Nested
  class Financial {
    @ParameterizedTest
    @ValueSource(strings = {
        "Can I get a home loan for this flat? What is the interest rate?",
        "My CIBIL score is 600, will financing be approved?",
        "Which plan saves more income tax under 80C?",
        "tax bhi bachana hai, kaunsa plan lu?",
        "Is solar a good investment? What is the payback period?",
        "هل يوجد تمويل بنكي للسيارة؟",
        "Bisa KPR? Saya mau pinjaman bank"})
    void loansTaxAndInvestmentAreFinancial(String text) {
      assertThat(risks(text)).containsExactly("financial");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Do you have EMI on the course fee?",
        "Paying full in cash, no loan",
        "I don't want to take a bank loan, any instalment plan?",
        "GST invoice milega na? Company ke naam pe chahiye",
        "Is the price including GST?",
        "What are the stamp duty and registration charges?",
        "We are a fintech startup looking for a CRM",
        "Please send it to our Finance Controller"})
    void emiGstStampDutyAndNegatedLoansAreNot(String text) {
      assertThat(risks(text)).isEmpty();
    }
  }

  @Nested
  class Medical {
    @ParameterizedTest
    @ValueSource(strings = {
        "My mother has diabetes and high BP, will the premium be higher?",
        "After the extraction my gums are swollen and bleeding",
        "I am 6 months pregnant, is teeth cleaning safe?",
        "treatment ke baad infection ho gaya hai",
        "मेरे पिताजी को दिल की बीमारी है",
        "میرے والد کو شوگر ہے",
        "Saya ada darah tinggi, boleh buat rawatan ini?",
        "My son has ADHD, do your teachers handle special needs?"})
    void disclosedConditionsSymptomsAndMedicationAreMedical(String text) {
      assertThat(risks(text)).containsExactly("medical");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Is Dr. Mehta available on Saturday?",
        "Is PRP painful? How many sessions will I need?",
        "I'd like to book a teeth whitening appointment for my 15-year-old",
        "We run a dental clinic and need a CRM",
        "Orion Pharma is looking for a coworking space",
        "Members: 2 (ages 62, 64) | Plan: family floater"})
    void doctorNamesRoutineBookingsAgeAndBusinessTypesAreNot(String text) {
      assertThat(risks(text)).isEmpty();
    }
  }

  @Nested
  class ViolentAndAbusive {
    @Test
    void threatsOfHarmAreViolent() {
      assertThat(risks("paise wapas nahi kiye toh jaan se maar dunga")).containsExactly("violent");
      assertThat(risks("I will kill you if you call again")).containsExactly("violent");
      assertThat(risks("والله راح اقتلك")).containsExactly("violent");
    }

    @Test
    void insultsAndProfanityAreAbusive() {
      assertThat(risks("you guys are scammers and thieves")).containsExactly("abusive");
      assertThat(risks("what the fuck is this service")).containsExactly("abusive");
      assertThat(risks("dhokebaaz ho tum sab, chor company")).containsExactly("abusive");
      assertThat(risks("انتم نصابين وحرامية")).containsExactly("abusive");
      assertThat(risks("dasar penipu, bangsat")).containsExactly("abusive");
    }

    @Test
    void aThreatWithAnInsultIsBoth() {
      assertThat(risks("पैसा वापस नहीं किया तो जान से मार दूंगा। धोखेबाज़ हो तुम सब।"))
          .containsExactly("violent", "abusive");
    }

    @Test
    void doubtAndSlangAreNot() {
      assertThat(risks("Is this a scam? Sounds too good to be true")).isEmpty();
      assertThat(risks("This is a killer deal, the design kills it")).isEmpty();
      assertThat(risks("Do you deliver to Bombay?")).isEmpty();
      assertThat(risks("Need an MC for the sangeet")).isEmpty();
    }
  }

  @Test
  void typesComeInTheirListOrder() {
    assertThat(risks("aapke clinic me treatment ke baad infection ho gaya, police complaint karunga"))
        .containsExactly("legal", "medical");
  }
}
