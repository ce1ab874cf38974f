package io.flexoraa.engine.ai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.flexoraa.engine.ai.builtin.HashingEmbedder;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * hashing-v1 puts rewordings of one question within the cache's 0.92 and different questions, or the same question
 * about another product or price, below it; and it is a pure function of the text.
 */
class HashingEmbedderTest {
  private static final double CACHE_THRESHOLD = 0.92;
  private final HashingEmbedder embedder = new HashingEmbedder(1024);

  @Test
  void vectorsAreUnitLengthDeterministicAndTheSameOnEveryInstance() {
    float[] first = embedder.vector("What is the price of the 3BHK?");
    float[] again = new HashingEmbedder(1024).vector("What is the price of the 3BHK?");
    assertThat(again).containsExactly(first);
    double norm = 0;
    for (float value : first) norm += value * value;
    assertThat(norm).isCloseTo(1.0, within(1e-5));
    assertThat(embedder.name()).isEqualTo("hashing-v1");
    assertThat(embedder.vector("?!  ...")).containsOnly(0f);
    assertThat(Embedder.cosine(embedder.vector("?!"), first)).isZero();
  }

  @Test
  void rewordingsOfOneQuestionMeetTheCacheThreshold() {
    List<List<String>> sameQuestion = List.of(
        List.of("What is the price of the 3BHK flat?", "whats the price for 3bhk flat", "Price of 3BHK flat??",
            "pls tell me the price of the 3bhk flat"),
        List.of("Do you have parking?", "do u have parking", "DO YOU HAVE PARKING"),
        List.of("Do you deliver to Dubai?", "do you deliver in dubai?", "Hi, do you deliver to Dubai"),
        List.of("3BHK ka price kya hai?", "3bhk ka price kya hai bhai", "3BHK ka price bataiye"),
        List.of("३ बीएचके की कीमत क्या है?", "3 बीएचके की कीमत क्या है"),
        List.of("Berapa harga paket Gold?", "berapa harga paket gold ya"),
        List.of("هل يوجد موقف سيارات؟", "هل يوجد موقف سيارات"));
    for (List<String> rewordings : sameQuestion) {
      float[] first = embedder.vector(rewordings.get(0));
      for (String other : rewordings.subList(1, rewordings.size())) {
        assertThat(Embedder.cosine(first, embedder.vector(other))).as(rewordings.get(0) + " ~ " + other)
            .isGreaterThanOrEqualTo(CACHE_THRESHOLD);
      }
    }
  }

  @Test
  void differentQuestionsProductsAndPricesStayApart() {
    List<List<String>> different = List.of(
        List.of("What is the price of the 3BHK flat?", "What is the price of the 2BHK flat?"),
        List.of("How much is the Gold plan?", "How much is the Silver plan?"),
        List.of("Do you deliver to Dubai?", "Do you deliver to Abu Dhabi?"),
        List.of("Is the 50 lakh flat available?", "Is the 80 lakh flat available?"),
        List.of("Do you have parking?", "Do you have a swimming pool?"),
        List.of("3BHK ka price kya hai?", "2BHK ka price kya hai?"),
        List.of("What are your opening hours?", "What is the price of the 3BHK flat?"));
    for (List<String> pair : different) {
      assertThat(Embedder.cosine(embedder.vector(pair.get(0)), embedder.vector(pair.get(1))))
          .as(pair.get(0) + " vs " + pair.get(1)).isLessThan(CACHE_THRESHOLD);
    }
  }

  @Test
  void aTypoStaysCloserThanAnotherQuestion() {
    float[] question = embedder.vector("Is the apartment ready to move?");
    double oneTypo = Embedder.cosine(question, embedder.vector("is the apartment redy to move"));
    double twoTypos = Embedder.cosine(question, embedder.vector("is the apartmnet redy to move"));
    double other = Embedder.cosine(question, embedder.vector("Is the clubhouse open on Sunday?"));
    assertThat(oneTypo).isGreaterThan(twoTypos).isGreaterThan(0.6);
    assertThat(twoTypos).isGreaterThan(other + 0.3);
  }

  @Test
  void digitsOfEveryScriptAreTheSameNumber() {
    assertThat(Embedder.cosine(embedder.vector("प्लॉट ४७"), embedder.vector("प्लॉट 47"))).isCloseTo(1.0, within(1e-6));
    assertThat(Embedder.cosine(embedder.vector("غرفة ٣"), embedder.vector("غرفة 3"))).isCloseTo(1.0, within(1e-6));
  }
}
