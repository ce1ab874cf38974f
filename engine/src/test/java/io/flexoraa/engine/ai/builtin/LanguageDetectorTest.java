package io.flexoraa.engine.ai.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.flexoraa.engine.ai.builtin.LanguageDetector.Detected;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Languages as leads write them: native scripts (and the scripts several languages share), romanized Indian
 * languages mixed with English, Bahasa Indonesia against Malay, and the short messages that say too little.
 */
class LanguageDetectorTest {
  private static final LanguageDetector DETECTOR = new LanguageDetector(
      Lexicon.load(Lexicon.DEFAULT_RESOURCE),
      LanguageDetector.Settings.fromConfig(ConfigFactory.load().getConfig("flexoraa.ai.builtin")));

  private static Detected detect(String text) {
    return DETECTOR.detect(MessageText.of(text));
  }

  @Nested
  class NativeScripts {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "மாதம் எவ்வளவு விலை?                 | ta",
        "ఈ ఫ్లాట్ ధర ఎంత?                   | te",
        "સોલાર પેનલનો ભાવ કેટલો છે?          | gu",
        "কোচিং এর ফি কত?                    | bn",
        "ਇਸ ਕਾਰ ਦੀ ਕੀਮਤ ਕੀ ਹੈ?               | pa",
        "ಈ ಮನೆಯ ಬೆಲೆ ಎಷ್ಟು?                  | kn",
        "ഈ വീടിന്റെ വില എത്ര?                | ml",
        "ราคาเท่าไหร่ครับ                    | th",
        "这个套餐多少钱                       | zh",
        "この部屋はいくらですか                | ja",
        "가격이 얼마예요?                     | ko",
        "Сколько стоит квартира?             | ru",
        "كم سعر الشقة في دبي مارينا؟          | ar"})
    void aScriptOfOneLanguageNamesIt(String text, String language) {
      assertThat(detect(text.strip())).isEqualTo(new Detected(language, false, detect(text.strip()).confidence()));
      assertThat(detect(text.strip()).confidence()).isGreaterThanOrEqualTo(0.8);
    }

    @Test
    void devanagariIsHindiUnlessMarathiOrNepaliWordsOutnumberHindiOnes() {
      assertThat(detect("मुझे पुणे में 2BHK फ्लैट चाहिए").language()).isEqualTo("hi");
      assertThat(detect("मला पुण्यात 2BHK फ्लॅट पाहिजे आहे").language()).isEqualTo("mr");
      assertThat(detect("मलाई काठमाडौंमा घर चाहिन्छ, कति पर्छ?").language()).isEqualTo("ne");
      assertThat(detect("मुझे पुणे में फ्लैट चाहिए").hinglish()).isFalse();
    }

    @Test
    void arabicLettersAreUrduWithUrdusOwnLettersAndPersianWithPersianWords() {
      assertThat(detect("مجھے لاہور میں گھر چاہیے").language()).isEqualTo("ur");
      assertThat(detect("قیمت این خانه چند است؟").language()).isEqualTo("fa");
      assertThat(detect("ابغى فيلا في الشارقة").language()).isEqualTo("ar");
    }

    @Test
    void latinBrandNamesInsideAHindiMessageDoNotMakeItEnglish() {
      assertThat(detect("LIC की जीवन आनंद पॉलिसी लूँ या HDFC Life का टर्म प्लान?").language()).isEqualTo("hi");
    }
  }

  @Nested
  class Romanized {
    @Test
    void romanizedHindiIsHindiAndHinglish() {
      assertThat(detect("flat ka rate kya hai bhai, parking milegi?")).extracting(Detected::language, Detected::hinglish)
          .containsExactly("hi", true);
      assertThat(detect("kal tak delivery ho jayegi na? urgent hai")).extracting(Detected::language, Detected::hinglish)
          .containsExactly("hi", true);
    }

    @Test
    void romanUrduIsUrduNotHinglish() {
      assertThat(detect("ap ka rate kia hy? Lahore mein delivery hoti hy?"))
          .extracting(Detected::language, Detected::hinglish).containsExactly("ur", false);
      assertThat(detect("Assalam o alaikum bhai jan, DHA mein 5 marla plot ki qeemat kia hai?").language())
          .isEqualTo("ur");
    }

    @Test
    void tanglishTeluguMarathiGujaratiBengaliAndPunjabiInLatinLetters() {
      assertThat(detect("unga kadai la stock irukka? price evlo?").language()).isEqualTo("ta");
      assertThat(detect("naaku car kavali, rate entha untundi?").language()).isEqualTo("te");
      assertThat(detect("mala navin ghar pahije, kiti kharcha yeil?").language()).isEqualTo("mr");
      assertThat(detect("mane solar joiye che, ketla rupiya thase?").language()).isEqualTo("gu");
      assertThat(detect("ami ekta flat kinte chai, dam koto hobe?").language()).isEqualTo("bn");
      assertThat(detect("tusi delivery karde ho? menu kal chahida").language()).isEqualTo("pa");
      assertThat(detect("unga kadai la stock irukka? price evlo?").hinglish()).isFalse();
    }

    @Test
    void indonesianAndMalayAreToldApartByTheirOwnWords() {
      assertThat(detect("Berapa harga rumah ini? Saya tidak mau KPR, bisa cash?").language()).isEqualTo("id");
      assertThat(detect("Kereta ni berapa? Boleh nego tak? Nak ambil bulan ni").language()).isEqualTo("ms");
    }

    @Test
    void tagalog() {
      assertThat(detect("Magkano po ang bahay? Gusto ko po sana makita").language()).isEqualTo("tl");
    }

    @Test
    void anEnglishMessageWithABorrowedWordStaysEnglish() {
      assertThat(detect("Please send the price list bhai")).extracting(Detected::language, Detected::hinglish)
          .containsExactly("en", false);
      assertThat(detect("Can you deliver the sofa before Diwali? My budget is 50k").language()).isEqualTo("en");
    }
  }

  @Nested
  class ShortAndEmpty {
    @Test
    void veryShortMessagesAreEnglishByDefault() {
      for (String text : new String[] {"hi", "ok", "price?", "Hello", "thanks"}) {
        assertThat(detect(text)).as(text).extracting(Detected::language, Detected::hinglish)
            .containsExactly("en", false);
      }
    }

    @Test
    void aShortHindiQuestionIsStillHinglish() {
      assertThat(detect("kitna hai?")).extracting(Detected::language, Detected::hinglish).containsExactly("hi", true);
    }

    @Test
    void aMessageWithoutLettersGetsTheDefaultWithLowConfidence() {
      assertThat(detect("😍😍 👍")).extracting(Detected::language, Detected::hinglish).containsExactly("en", false);
      assertThat(detect("😍😍 👍").confidence()).isLessThan(0.6);
      assertThat(detect("").language()).isEqualTo("en");
    }

    @Test
    void otherLatinLanguagesComeFromLingua() {
      assertThat(detect("Hola, ¿cuánto cuesta el apartamento cerca de la playa?").language()).isEqualTo("es");
      assertThat(detect("Bonjour, quel est le prix de cet appartement à Dubaï ?").language()).isEqualTo("fr");
    }
  }
}
