package io.flexoraa.engine.compliance;

import static io.flexoraa.engine.compliance.GateHarness.START;
import static org.assertj.core.api.Assertions.assertThat;

import io.flexoraa.engine.compliance.GateRequest.Author;
import io.flexoraa.engine.compliance.GateRequest.Form;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Instagram's and Messenger's rules (PRODUCT §8) at their boundaries. */
class SocialRulesTest {

  private final GateHarness instagram = new GateHarness("instagram");
  private final GateHarness messenger = new GateHarness("messenger");

  private static GateRequest dm(GateHarness gate, Author author, int bytes, Instant lastInboundAt) {
    return gate.request("u1", author, Form.FREE_FORM, null, "en", null, bytes, lastInboundAt);
  }

  @Test
  void instagramNeverSendsColdDms() {
    GateDecision cold = instagram.decide(dm(instagram, Author.HUMAN, 10, null));
    assertThat(cold.verdict()).isEqualTo(Verdict.BLOCK);
    assertThat(cold.rule()).isEqualTo("no-cold-dm");
  }

  @Test
  void insideTheWindowAReplyIsAResponseAfterItOnlyAHumanWithin7Days() {
    GateDecision inside = instagram.decide(dm(instagram, Author.AI, 10, START.minus(Duration.ofHours(23))));
    assertThat(inside.verdict()).isEqualTo(Verdict.SEND);
    assertThat(inside.messagingType()).isEqualTo("RESPONSE");
    assertThat(inside.tag()).isNull();

    Instant yesterday = START.minus(Duration.ofHours(25));
    GateDecision human = instagram.decide(dm(instagram, Author.HUMAN, 10, yesterday));
    assertThat(human.verdict()).isEqualTo(Verdict.SEND);
    assertThat(human.messagingType()).isEqualTo("MESSAGE_TAG");
    assertThat(human.tag()).isEqualTo("HUMAN_AGENT");
    assertThat(human.outsideWindow()).isTrue();

    GateDecision ai = instagram.decide(dm(instagram, Author.AI, 10, yesterday));
    assertThat(ai.verdict()).isEqualTo(Verdict.BLOCK);
    assertThat(ai.rule()).isEqualTo("human-agent-only");
    assertThat(ai.tag()).isNull();

    GateDecision weekOld = instagram.decide(dm(instagram, Author.HUMAN, 10, START.minus(Duration.ofDays(7))));
    assertThat(weekOld.rule()).isEqualTo("window-closed");
    GateDecision almostWeekOld =
        instagram.decide(dm(instagram, Author.HUMAN, 10, START.minus(Duration.ofDays(7)).plusNanos(1)));
    assertThat(almostWeekOld.tag()).isEqualTo("HUMAN_AGENT");
  }

  @Test
  void instagramTextsAreAtMost1000Bytes() {
    assertThat(instagram.decide(dm(instagram, Author.HUMAN, 1000, START)).verdict()).isEqualTo(Verdict.SEND);
    GateDecision tooLong = instagram.decide(dm(instagram, Author.HUMAN, 1001, START));
    assertThat(tooLong.verdict()).isEqualTo(Verdict.BLOCK);
    assertThat(tooLong.rule()).isEqualTo("text-too-long");
  }

  @Test
  void onePrivateReplyPerCommentWithin7Days() {
    GateRequest reply = GateHarness.with(dm(instagram, Author.AI, 10, null), "c-1", START.minus(Duration.ofDays(7)).plusNanos(1),
        false, false, false);
    assertThat(instagram.decide(reply).verdict()).as("a commenter engaged first: not a cold DM").isEqualTo(Verdict.SEND);
    GateDecision second = instagram.decide(
        GateHarness.with(dm(instagram, Author.HUMAN, 10, null), "c-1", START, false, false, false));
    assertThat(second.verdict()).isEqualTo(Verdict.BLOCK);
    assertThat(second.rule()).isEqualTo("private-reply-once");

    GateDecision expired = instagram.decide(
        GateHarness.with(dm(instagram, Author.HUMAN, 10, null), "c-2", START.minus(Duration.ofDays(7)), false, false, false));
    assertThat(expired.rule()).isEqualTo("private-reply-expired");
  }

  @Test
  void twoHundredAutomatedDmsAnHourPerAccount() {
    for (int i = 0; i < 200; i++) {
      GateRequest request = instagram.request("u" + i, Author.AI, Form.FREE_FORM, null, "en", null, 10, START);
      assertThat(instagram.decide(request).verdict()).isEqualTo(Verdict.SEND);
      instagram.clock.advance(Duration.ofSeconds(1));
    }
    GateDecision deferred = instagram.decide(instagram.request("u200", Author.AI, Form.FREE_FORM, null, "en", null, 10, START));
    assertThat(deferred.verdict()).isEqualTo(Verdict.DEFER);
    assertThat(deferred.rule()).isEqualTo("automated-dm-hourly");
    assertThat(deferred.notBefore()).isEqualTo(START.plus(Duration.ofHours(1)));
    assertThat(instagram.decide(instagram.request("u201", Author.HUMAN, Form.FREE_FORM, null, "en", null, 10, START))
        .verdict()).as("a human's reply is not automated").isEqualTo(Verdict.SEND);
  }

  @Test
  void messengerMarketingOnlyToOptedInUsersOncePerDay() {
    GateRequest campaign = messenger.request("u1", Author.CAMPAIGN, Form.FREE_FORM, null, "en", "promo", 10, null);
    GateDecision notOptedIn = messenger.decide(campaign);
    assertThat(notOptedIn.verdict()).isEqualTo(Verdict.BLOCK);
    assertThat(notOptedIn.rule()).isEqualTo("marketing-opt-in");

    GateRequest optedIn = GateHarness.with(
        messenger.request("u1", Author.CAMPAIGN, Form.FREE_FORM, null, "en", "promo", 10, null), null, null, false, true, false);
    assertThat(messenger.decide(optedIn).verdict()).isEqualTo(Verdict.SEND);
    GateRequest again = GateHarness.with(
        messenger.request("u1", Author.AI, Form.FREE_FORM, null, "en", "marketing", 10, null), null, null, false, true, false);
    GateDecision daily = messenger.decide(again);
    assertThat(daily.verdict()).isEqualTo(Verdict.BLOCK);
    assertThat(daily.rule()).isEqualTo("marketing-daily");

    messenger.clock.advance(Duration.ofHours(24));
    assertThat(messenger.decide(again).repeated()).as("a blocked message stays blocked").isTrue();
    GateRequest nextDay = GateHarness.with(
        messenger.request("u1", Author.CAMPAIGN, Form.FREE_FORM, null, "en", "promo", 10, null), null, null, false, true, false);
    assertThat(messenger.decide(nextDay).verdict()).isEqualTo(Verdict.SEND);
  }

  @Test
  void messengerOptOutIsImmediateAndTheWindowRulesMatchInstagram() {
    GateRequest optedOut = GateHarness.with(dm(messenger, Author.HUMAN, 10, START), null, null, true, true, false);
    assertThat(messenger.decide(optedOut).rule()).isEqualTo("opted-out");
    assertThat(messenger.decide(dm(messenger, Author.AI, 10, START.minus(Duration.ofHours(30)))).rule())
        .isEqualTo("human-agent-only");
    assertThat(messenger.decide(dm(messenger, Author.HUMAN, 10, START.minus(Duration.ofHours(30)))).tag())
        .isEqualTo("HUMAN_AGENT");
    assertThat(messenger.decide(dm(messenger, Author.HUMAN, 10, null)).rule()).isEqualTo("window-closed");
  }
}
