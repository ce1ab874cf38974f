package io.flexoraa.engine.compliance;

import static io.flexoraa.engine.compliance.GateHarness.START;
import static org.assertj.core.api.Assertions.assertThat;

import io.flexoraa.engine.channel.ChannelAccount;
import io.flexoraa.engine.compliance.GateRequest.Author;
import io.flexoraa.engine.compliance.GateRequest.Form;
import io.flexoraa.engine.ports.MetaSender.Outcome;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** WhatsApp's rules (PRODUCT §8) at their boundaries, on one account's state with a hand-moved clock. */
class WhatsAppRulesTest {

  private final GateHarness gate = new GateHarness("whatsapp");

  private void approvedTemplates() {
    gate.template("follow_up_en", "en", "UTILITY", "follow-up", "APPROVED");
    gate.template("follow_up_hi", "hi", "UTILITY", "follow-up", "APPROVED");
    gate.template("promo_en", "en_US", "MARKETING", "promo", "APPROVED");
  }

  @Test
  void freeFormInsideTheWindowIsSentAndAtExactly24HoursBecomesTheApprovedTemplate() {
    approvedTemplates();
    Instant lastInbound = START.minus(Duration.ofHours(24)).plusNanos(1);

    GateDecision inside = gate.decide(gate.reply("r1", lastInbound));
    assertThat(inside.verdict()).isEqualTo(Verdict.SEND);
    assertThat(inside.rule()).isNull();
    assertThat(inside.outsideWindow()).isFalse();

    GateDecision atBoundary = gate.decide(gate.reply("r2", START.minus(Duration.ofHours(24))));
    assertThat(atBoundary.verdict()).isEqualTo(Verdict.TEMPLATE);
    assertThat(atBoundary.rule()).isEqualTo("window-closed");
    assertThat(atBoundary.templateName()).isEqualTo("follow_up_en");
    assertThat(atBoundary.templateCategory()).isEqualTo("UTILITY");
    assertThat(atBoundary.outsideWindow()).isTrue();

    GateDecision never = gate.decide(gate.reply("r3", null));
    assertThat(never.verdict()).isEqualTo(Verdict.TEMPLATE);
  }

  @Test
  void aReply25HoursLaterWithoutAnApprovedTemplateIsBlockedNamingTheRule() {
    Instant lastInbound = START.minus(Duration.ofHours(25));
    assertThat(gate.decide(gate.reply("r1", lastInbound)).rule()).isEqualTo("window-closed");
    assertThat(gate.decide(gate.reply("r1", lastInbound)).verdict()).isEqualTo(Verdict.BLOCK);

    gate.template("follow_up_en", "en", "UTILITY", "follow-up", null);
    GateDecision pending = gate.decide(gate.reply("r1", lastInbound));
    assertThat(pending.verdict()).isEqualTo(Verdict.BLOCK);
    assertThat(pending.rule()).isEqualTo("no-approved-template");

    gate.webhook("message_template_status_update",
        "{\"event\":\"APPROVED\",\"message_template_name\":\"follow_up_en\",\"message_template_language\":\"en\"}");
    assertThat(gate.decide(gate.reply("r1", lastInbound)).verdict()).isEqualTo(Verdict.TEMPLATE);

    gate.webhook("message_template_quality_update",
        "{\"new_quality_score\":\"RED\",\"message_template_name\":\"follow_up_en\",\"message_template_language\":\"en\"}");
    assertThat(gate.decide(gate.reply("r2", lastInbound)).rule()).as("a RED template is never chosen")
        .isEqualTo("no-approved-template");
  }

  @Test
  void forceTemplateDecidesAsIfTheWindowWereClosed() {
    approvedTemplates();
    GateRequest request = GateHarness.with(gate.reply("r1", START.minusSeconds(60)), null, null, false, false, true);
    GateDecision decision = gate.decide(request);
    assertThat(decision.verdict()).isEqualTo(Verdict.TEMPLATE);
    assertThat(decision.outsideWindow()).isTrue();
  }

  @Test
  void theFallbackTemplateFollowsTheLanguageThenItsBaseThenTheDefault() {
    approvedTemplates();
    gate.template("follow_up_gb", "en-GB", "UTILITY", "follow-up", "APPROVED");
    Instant old = START.minus(Duration.ofDays(2));

    assertThat(gate.decide(gate.request("a", Author.AI, Form.FREE_FORM, null, "en_GB", "follow-up", 5, old))
        .templateName()).as("exact, Meta's en-GB spelt en_GB").isEqualTo("follow_up_gb");
    assertThat(gate.decide(gate.request("b", Author.AI, Form.FREE_FORM, null, "en_US", "follow-up", 5, old))
        .templateName()).as("the bare base language first").isEqualTo("follow_up_en");
    assertThat(gate.decide(gate.request("c", Author.AI, Form.FREE_FORM, null, "hi_IN", "follow-up", 5, old))
        .templateName()).isEqualTo("follow_up_hi");
    GateDecision french = gate.decide(gate.request("d", Author.AI, Form.FREE_FORM, null, "fr", "follow-up", 5, old));
    assertThat(french.templateName()).as("the default language").isEqualTo("follow_up_en");
    assertThat(french.templateLanguage()).isEqualTo("en");
  }

  @Test
  void aNamedTemplateMustBeRegisteredAndApproved() {
    GateDecision unknown = gate.decide(gate.template("r1", "promo_en", null));
    assertThat(unknown.verdict()).isEqualTo(Verdict.BLOCK);
    assertThat(unknown.rule()).isEqualTo("template-not-approved");

    gate.template("promo_en", "en", "MARKETING", "promo", null);
    assertThat(gate.decide(gate.template("r1", "promo_en", null)).rule()).isEqualTo("template-not-approved");

    gate.webhook("message_template_status_update", "{\"event\":\"APPROVED\",\"message_template_name\":\"promo_en\","
        + "\"message_template_language\":\"en\",\"message_template_category\":\"MARKETING\"}");
    GateDecision approved = gate.decide(gate.template("r1", "promo_en", null));
    assertThat(approved.verdict()).isEqualTo(Verdict.SEND);
    assertThat(approved.templateCategory()).isEqualTo("MARKETING");
    assertThat(approved.outsideWindow()).isTrue();

    gate.webhook("message_template_status_update",
        "{\"event\":\"PAUSED\",\"message_template_name\":\"promo_en\",\"message_template_language\":\"en\"}");
    gate.clock.advance(Duration.ofSeconds(10));
    assertThat(gate.decide(gate.template("r1", "promo_en", null)).rule()).isEqualTo("template-not-approved");
  }

  @Test
  void theOutsideWindowSendNeedsTheTierAndCarriesTheReportedLimit() {
    approvedTemplates();
    ChannelAccount.AccountDecision before = gate.decideFully(gate.reply("r1", null));
    assertThat(before.needsTier()).isTrue();
    assertThat(before.tierLimit()).as("configured default").isEqualTo(250);
    assertThat(gate.decideFully(gate.reply("r2", START)).needsTier()).as("inside the window").isFalse();

    gate.webhook("phone_number_quality_update",
        "{\"display_phone_number\":\"15550001111\",\"event\":\"UPGRADE\",\"current_limit\":\"TIER_2K\"}");
    assertThat(gate.decideFully(gate.reply("r3", null)).tierLimit()).isEqualTo(2000);
    gate.webhook("phone_number_quality_update",
        "{\"display_phone_number\":\"15550001111\",\"event\":\"UPGRADE\",\"max_daily_conversations_per_business\":\"TIER_UNLIMITED\"}");
    assertThat(gate.decideFully(gate.reply("r4", null)).tierLimit()).isEqualTo(ComplianceSettings.UNLIMITED);
  }

  @Test
  void throughputAdmits80AMessagesASecondThenDefersToTheNextFreeSlot() {
    for (int i = 0; i < 80; i++) {
      assertThat(gate.decide(gate.reply("r" + i, START)).verdict()).isEqualTo(Verdict.SEND);
    }
    GateDecision eightyFirst = gate.decide(gate.reply("r80", START));
    assertThat(eightyFirst.verdict()).isEqualTo(Verdict.DEFER);
    assertThat(eightyFirst.rule()).isEqualTo("throughput");
    assertThat(eightyFirst.notBefore()).isEqualTo(START.plusSeconds(1));

    gate.clock.advance(Duration.ofMillis(999));
    assertThat(gate.decide(gate.reply("r81", START)).rule()).isEqualTo("throughput");
    gate.clock.advance(Duration.ofMillis(1));
    assertThat(gate.decide(gate.reply("r82", START)).verdict()).isEqualTo(Verdict.SEND);
  }

  @Test
  void aThroughputUpgradeRaisesTheRate() {
    gate.webhook("phone_number_quality_update",
        "{\"display_phone_number\":\"15550783881\",\"event\":\"THROUGHPUT_UPGRADE\",\"current_limit\":\"TIER_UNLIMITED\"}");
    for (int i = 0; i < 200; i++) assertThat(gate.decide(gate.reply("r" + i, START)).verdict()).isEqualTo(Verdict.SEND);
    assertThat(gate.state.compliance().tierLimit()).as("the throughput level is not the messaging limit").isNull();
  }

  @Test
  void oneMessagePerSixSecondsToTheSameUser() {
    assertThat(gate.decide(gate.reply("r1", START)).verdict()).isEqualTo(Verdict.SEND);
    gate.clock.advance(Duration.ofMillis(5999));
    GateDecision early = gate.decide(gate.reply("r1", START));
    assertThat(early.verdict()).isEqualTo(Verdict.DEFER);
    assertThat(early.rule()).isEqualTo("pair-rate");
    assertThat(early.notBefore()).isEqualTo(START.plusSeconds(6));
    assertThat(gate.decide(gate.reply("r2", START)).verdict()).as("another user").isEqualTo(Verdict.SEND);
    gate.clock.advance(Duration.ofMillis(1));
    assertThat(gate.decide(gate.reply("r1", START)).verdict()).isEqualTo(Verdict.SEND);
  }

  @Test
  void aPairRateErrorFromMetaMakesThePairWait() {
    gate.outcome("r1", Outcome.PAIR_RATE);
    GateDecision decision = gate.decide(gate.reply("r1", START));
    assertThat(decision.rule()).isEqualTo("pair-rate");
    assertThat(decision.notBefore()).isEqualTo(START.plusSeconds(6));
  }

  @Test
  void twoMarketingTemplatesPerUserPerDayTheThirdIsBlocked() {
    approvedTemplates();
    assertThat(gate.decide(gate.template("r1", "promo_en", null)).verdict()).isEqualTo(Verdict.SEND);
    gate.clock.advance(Duration.ofMinutes(1));
    assertThat(gate.decide(gate.template("r1", "promo_en", null)).verdict()).isEqualTo(Verdict.SEND);
    gate.clock.advance(Duration.ofMinutes(1));
    GateDecision third = gate.decide(gate.template("r1", "promo_en", null));
    assertThat(third.verdict()).isEqualTo(Verdict.BLOCK);
    assertThat(third.rule()).isEqualTo("marketing-per-user");
    assertThat(gate.decide(gate.template("r2", "promo_en", null)).verdict()).isEqualTo(Verdict.SEND);
    assertThat(gate.decide(gate.reply("r1", START.plusSeconds(60))).verdict()).as("not marketing").isEqualTo(Verdict.SEND);

    gate.clock.set(START.plus(Duration.ofHours(24)));
    assertThat(gate.decide(gate.template("r1", "promo_en", null)).verdict()).as("the first aged out")
        .isEqualTo(Verdict.SEND);
  }

  @Test
  void error131049BacksTheUserOffMarketingFor24Hours() {
    approvedTemplates();
    gate.outcome("r1", Outcome.USER_BACKOFF);
    gate.clock.advance(Duration.ofHours(24).minusNanos(1));
    GateDecision backedOff = gate.decide(gate.template("r1", "promo_en", null));
    assertThat(backedOff.verdict()).isEqualTo(Verdict.BLOCK);
    assertThat(backedOff.rule()).isEqualTo("user-backoff");
    assertThat(gate.decide(gate.reply("r1", gate.clock.instant())).verdict()).as("service messages still go")
        .isEqualTo(Verdict.SEND);
    gate.clock.advance(Duration.ofSeconds(10));
    assertThat(gate.decide(gate.template("r1", "promo_en", null)).verdict()).isEqualTo(Verdict.SEND);
  }

  @Test
  void redQualityStopsMarketingAndYellowSlowsIt() {
    approvedTemplates();
    gate.webhook("phone_number_quality_update",
        "{\"display_phone_number\":\"15550001111\",\"event\":\"FLAGGED\",\"current_limit\":\"TIER_10K\"}");
    assertThat(gate.state.compliance().quality()).isEqualTo("RED");
    GateDecision red = gate.decide(gate.template("r1", "promo_en", null));
    assertThat(red.verdict()).isEqualTo(Verdict.BLOCK);
    assertThat(red.rule()).isEqualTo("quality-red");
    assertThat(gate.decide(gate.reply("r1", null)).verdict()).as("utility templates still go").isEqualTo(Verdict.TEMPLATE);

    gate.webhook("phone_number_quality_update", "{\"event\":\"UNFLAGGED\",\"quality_rating\":\"YELLOW\"}");
    for (int i = 0; i < 30; i++) {
      assertThat(gate.decide(gate.template("y" + i, "promo_en", null)).verdict()).isEqualTo(Verdict.SEND);
    }
    GateDecision slowed = gate.decide(gate.template("y30", "promo_en", null));
    assertThat(slowed.verdict()).isEqualTo(Verdict.DEFER);
    assertThat(slowed.rule()).isEqualTo("quality-yellow");
    assertThat(slowed.notBefore()).isEqualTo(gate.clock.instant().plus(Duration.ofMinutes(1)));

    gate.webhook("phone_number_quality_update", "{\"event\":\"UNFLAGGED\"}");
    assertThat(gate.decide(gate.template("y31", "promo_en", null)).verdict()).isEqualTo(Verdict.SEND);
    assertThat(gate.state.compliance().qualityHistory()).extracting(AccountCompliance.QualityChange::quality)
        .containsExactly("RED", "YELLOW", "GREEN");
  }

  @Test
  void optedOutIsBlockedOnEveryChannelImmediately() {
    GateDecision decision = gate.decide(GateHarness.with(gate.reply("r1", START), null, null, true, false, false));
    assertThat(decision.verdict()).isEqualTo(Verdict.BLOCK);
    assertThat(decision.rule()).isEqualTo("opted-out");
  }

  @Test
  void decidingAgainAnswersTheRecordedDecisionUntilADeferIsDue() {
    GateRequest first = gate.reply("r1", START);
    assertThat(gate.decide(first).repeated()).isFalse();
    GateDecision again = gate.decide(first);
    assertThat(again.repeated()).isTrue();
    assertThat(again.verdict()).isEqualTo(Verdict.SEND);
    int events = gate.events.size();
    gate.decide(first);
    assertThat(gate.events).as("nothing persisted for a repeat").hasSize(events);

    GateRequest second = gate.reply("r1", START);
    GateDecision deferred = gate.decide(second);
    assertThat(deferred.rule()).isEqualTo("pair-rate");
    gate.clock.advance(Duration.ofSeconds(3));
    assertThat(gate.decide(second).repeated()).as("not due yet").isTrue();
    gate.clock.advance(Duration.ofSeconds(3));
    GateDecision afresh = gate.decide(second);
    assertThat(afresh.repeated()).isFalse();
    assertThat(afresh.verdict()).isEqualTo(Verdict.SEND);
  }

  @Test
  void aTierDeferralGivesTheReservationBack() {
    approvedTemplates();
    GateRequest request = gate.template("r1", "promo_en", null);
    gate.decide(request);
    deferForTier(request.messageId());
    assertThat(gate.state.compliance().recorded(request.messageId()).orElseThrow().decision().rule())
        .isEqualTo("messaging-tier");
    gate.decide(gate.template("r1", "promo_en", null));
    gate.clock.advance(Duration.ofSeconds(7));
    assertThat(gate.decide(gate.template("r1", "promo_en", null)).verdict())
        .as("the deferred one did not count as one of the two marketing sends").isEqualTo(Verdict.SEND);
  }

  private void deferForTier(String messageId) {
    var decision = gate.decisions.deferForTier(gate.state, messageId, START.plus(Duration.ofHours(3)), gate.clock.instant());
    assertThat(decision.reply().decision().verdict()).isEqualTo(Verdict.DEFER);
    assertThat(decision.reply().decision().notBefore()).isEqualTo(START.plus(Duration.ofHours(3)));
    gate.apply(decision.events());
  }
}
