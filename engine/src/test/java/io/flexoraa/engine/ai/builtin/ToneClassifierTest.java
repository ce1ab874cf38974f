package io.flexoraa.engine.ai.builtin;

import static io.flexoraa.engine.ai.builtin.AnalyzerFixture.analyze;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Tone in the languages leads write, with its precedence: frustration over doubt over excitement. */
class ToneClassifierTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "Still no update after 2 weeks!! This is ridiculous                  | FRUSTRATED",
      "maal kab dispatch hoga? 5 din ho gaye                                | FRUSTRATED",
      "وين الفاوتشر؟ الرحلة بكرة!!                                          | FRUSTRATED",
      "I'll see you in court, you cheats                                   | FRUSTRATED",
      "Still waiting for the estimate. Could you please check? Thanks      | NEUTRAL",
      "lol another CRM. what makes u any different from Salesforce         | SKEPTICAL",
      "solar sach me bill zero karta hai ya bas marketing hai?             | SKEPTICAL",
      "Saya tidak pernah daftar tapi dapat tagihan                         | SKEPTICAL",
      "Rate bahut zyada hai, neighbour ne 50 hazar kam me lagwaya          | SKEPTICAL",
      "Love this living room 😍 which sofa fabric is this?                  | EXCITED",
      "bhai finally gaadi leni hai 😄 test drive kal?                       | EXCITED",
      "Your package is over our budget and my parents say no. Sorry.       | NEUTRAL",
      "What is the price of the 2BHK?                                      | NEUTRAL",
      "Love the design!! but nobody from your team has replied in a week!! | FRUSTRATED"})
  void tone(String text, String tone) {
    assertThat(analyze(text.strip()).tone()).as(text).isEqualTo(tone);
  }
}
