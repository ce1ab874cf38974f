package io.flexoraa.engine.ai.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The lexicon's entry syntax (header of builtin-lexicon.conf), on a fixture with one cue per rule. */
class LexiconTest {
  private static final Lexicon LEXICON = Lexicon.load("ai/syntax-lexicon.conf");

  private static boolean fires(String cue, String text) {
    return LEXICON.read(MessageText.of(text)).has(cue);
  }

  @Test
  void entriesMatchWholeWordsOnly_aStarLetsTheWordGoOn() {
    assertThat(fires("wildcard", "what are your prices")).isTrue();
    assertThat(fires("wildcard", "we are surprised")).isFalse();
    assertThat(fires("wildcard", "كم بسعر الفيلا")).isTrue();
    assertThat(fires("spaces", "how   much")).isTrue();
    assertThat(fires("spaces", "somehow much")).isFalse();
  }

  @Test
  void aTildeIsAGapOfUpToSixWordsInsideOneSentence() {
    assertThat(fires("gap", "my wife has to approve it")).isTrue();
    assertThat(fires("gap", "my wife and I and the kids will all need to approve")).isFalse();
    assertThat(fires("gap", "my wife. she will approve")).isFalse();
  }

  @Test
  void punctuationEntriesMatchRightAfterAWord() {
    assertThat(fires("punctuation", "nobody picks up the phone!!")).isTrue();
    assertThat(fires("punctuation", "hello??")).isTrue();
    assertThat(fires("punctuation", "hello?")).isFalse();
  }

  @Test
  void ignoredTextIsBlankedBeforeTheCueIsRead() {
    assertThat(fires("ignored", "paying cash, no loan")).isFalse();
    assertThat(fires("ignored", "is a loan possible?")).isTrue();
    assertThat(fires("ignored", "no loan needed but what about loans for the rest?")).isTrue();
  }

  @Test
  void entriesAreFoldedLikeMessages() {
    assertThat(fires("folded", "बहुत ज्यादा")).isTrue();
    assertThat(fires("folded", "ابي شقة")).isTrue();
    assertThat(LEXICON.matches("folded", MessageText.of("ज़्यादा है"))).containsExactly("ज्यादा");
  }

  @Test
  void smallTalkIsAWholeMessagePhraseOrOnlyItsWordsWithACoreOne() {
    assertThat(LEXICON.isOnly("acknowledgement", MessageText.of("OK!"))).isTrue();
    assertThat(LEXICON.isOnly("acknowledgement", MessageText.of("ok sir, thank you"))).isTrue();
    assertThat(LEXICON.isOnly("acknowledgement", MessageText.of("sir"))).isFalse();
    assertThat(LEXICON.isOnly("acknowledgement", MessageText.of("ok, price?"))).isFalse();
    assertThat(LEXICON.isOnly("acknowledgement", MessageText.of("??"))).isTrue();
    assertThat(LEXICON.isOnly("acknowledgement", MessageText.of("..."))).isFalse();
    assertThat(LEXICON.isOnly("greeting", MessageText.of("Hello team"))).isTrue();
  }

  @Test
  void askingForACueTheLexiconLacksFailsLoudly() {
    Lexicon.Hits hits = LEXICON.read(MessageText.of("hi"));
    assertThatThrownBy(() -> hits.has("no_such_cue")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no_such_cue");
  }

  @Test
  void aMalformedEntryFailsAtLoadNamingItsCue() {
    assertThatThrownBy(() -> Lexicon.load("ai/malformed-lexicon.conf")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("broken");
  }

  @Test
  void aStarAfterACharacterClassIsRefused_itWouldNotBeARegularExpressionStar() {
    assertThatThrownBy(() -> Lexicon.load("ai/starred-class-lexicon.conf")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("starred").hasMessageContaining("{0,n}");
  }

  @Test
  void theShippedLexiconCompilesAndHasEveryCueTheClassifiersRead() {
    Lexicon.Hits hits = Lexicon.load(Lexicon.DEFAULT_RESOURCE).read(MessageText.of("hello"));
    for (String cue : new String[] {"asks_price", "asks_demo", "asks_meeting", "asks_contract", "ready_to_buy",
        "asks_availability", "asks_payment", "objection_price", "objection_timing", "objection_trust",
        "objection_need_approval", "objection_features", "objection_other", "competitor_unnamed", "rival_offer",
        "price_complaint", "risk_legal", "risk_financial", "risk_medical", "risk_violent", "risk_abusive",
        "support_problem", "follow_up", "confusion", "wrong_contact", "urgency", "near_term", "want",
        "budget_mention", "quantity", "browsing", "rejection", "softener", "conditional_commit", "not_serious",
        "compliment", "compare_options", "question_word", "frustrated", "polite", "excited", "skeptical", "apology",
        "decider"}) {
      assertThat(hits.count(cue)).as(cue).isZero();
    }
  }
}
