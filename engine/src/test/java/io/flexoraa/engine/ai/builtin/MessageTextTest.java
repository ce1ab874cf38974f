package io.flexoraa.engine.ai.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.Character.UnicodeScript;
import org.junit.jupiter.api.Test;

/** The folds every pattern relies on: one spelling for the many ways leads type the same word. */
class MessageTextTest {

  @Test
  void devanagariNuktaAndCandrabinduFoldToThePlainSpelling() {
    assertThat(MessageText.of("ज़्यादा").normalized()).isEqualTo(MessageText.of("ज्यादा").normalized());
    assertThat(MessageText.of("हूँ").normalized()).isEqualTo("हूं");
  }

  @Test
  void arabicAlefForms_taMarbuta_tatweel_andArabicIndicDigitsFold() {
    MessageText text = MessageText.of("أبغى شقة بـ ٢ مليون؟");
    assertThat(text.normalized()).isEqualTo("ابغي شقه ب 2 مليون?");
  }

  @Test
  void persianYehAndKehehFoldToTheirArabicLetters() {
    assertThat(MessageText.of("بیماری کی").normalized()).isEqualTo("بيماري كي");
  }

  @Test
  void latinLetterRunsOfThreeOrMoreCollapse_twoStay() {
    assertThat(MessageText.of("Pleeease sooo good, need it").normalized()).isEqualTo("please so good, need it");
  }

  @Test
  void spacesCollapse_newlinesStayAsSentenceBreaks_caseIsLowered() {
    assertThat(MessageText.of("  Hello,\r\n\n  Team   A ").normalized()).isEqualTo("hello,\nteam a");
  }

  @Test
  void wordsAreLettersWithTheirMarks() {
    assertThat(MessageText.of("बोलेरो का दाम? 2BHK!").words()).containsExactly("बोलेरो", "का", "दाम", "bhk");
  }

  @Test
  void lettersAreCountedPerScript() {
    MessageText text = MessageText.of("LIC की पॉलिसी");
    assertThat(text.letters().get(UnicodeScript.LATIN)).isEqualTo(3);
    assertThat(text.dominantScript()).isEqualTo(UnicodeScript.DEVANAGARI);
    assertThat(MessageText.of("😍 !!").letterCount()).isZero();
  }

  @Test
  void aVeryLongMessageIsAnalysedOnItsFirstCharactersOnly() {
    String huge = "price ".repeat(5_000);
    assertThat(MessageText.of(huge).normalized().length()).isLessThanOrEqualTo(MessageText.MAX_ANALYSED_CHARS);
    assertThat(MessageText.of(huge).original()).hasSize(huge.length());
  }
}
