package io.flexoraa.engine.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.flexoraa.engine.lead.LeadModel;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which inbound texts are opt-out or opt-in keywords: the whole text, trimmed, in any case; nothing else. */
class ConsentKeywordsTest {

  private final ConsentKeywords keywords = ConsentKeywords.fromConfig(ConfigFactory.load());

  @Test
  void theDefaultOptOutKeywordsWithdrawConsent() {
    for (String text : List.of("STOP", "stop", "  Stop \n", "STOP ALL", "unsubscribe", "Opt Out", "OPTOUT", "cancel")) {
      assertThat(keywords.signalOf("text", text)).as(text).isEqualTo(LeadModel.OPT_OUT);
    }
  }

  @Test
  void theDefaultOptInKeywordsGiveConsent() {
    for (String text : List.of("START", " start", "Subscribe", "opt in", "UNSTOP")) {
      assertThat(keywords.signalOf("text", text)).as(text).isEqualTo(LeadModel.OPT_IN);
    }
  }

  /** A sentence that contains a keyword is for a human to read; acting on it would misread "don't stop". */
  @Test
  void onlyTheWholeTextCounts() {
    for (String text : List.of("please stop", "STOP!", "stop.", "don't stop", "STARTED", "stop  all", "", "   ")) {
      assertThat(keywords.signalOf("text", text)).as(text).isNull();
    }
  }

  @Test
  void onlyTextMessagesCount() {
    assertThat(keywords.signalOf("image", "STOP")).as("a caption").isNull();
    assertThat(keywords.signalOf("text", null)).isNull();
  }

  @Test
  void keywordsComeFromConfigurationInAnyCase() {
    ConsentKeywords custom = ConsentKeywords.fromConfig(ConfigFactory.parseString(
        "flexoraa.consent { opt-out-keywords = [\"band karo\"], opt-in-keywords = [\" Shuru \"] }"));

    assertThat(custom.signalOf("text", "BAND KARO")).isEqualTo(LeadModel.OPT_OUT);
    assertThat(custom.signalOf("text", "shuru")).isEqualTo(LeadModel.OPT_IN);
    assertThat(custom.signalOf("text", "STOP")).isNull();
  }

  @Test
  void aKeywordInBothListsIsAConfigurationError() {
    assertThatThrownBy(() -> new ConsentKeywords(List.of("STOP"), List.of("stop")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("STOP");
  }
}
