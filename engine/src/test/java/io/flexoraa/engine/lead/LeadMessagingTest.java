package io.flexoraa.engine.lead;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexoraa.engine.lead.LeadModel.Event;
import io.flexoraa.engine.lead.LeadModel.Identifier;
import io.flexoraa.engine.lead.LeadModel.InboundMessage;
import io.flexoraa.engine.lead.LeadModel.MessageReceived;
import io.flexoraa.engine.lead.LeadModel.NotificationToken;
import io.flexoraa.engine.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The lead's Instagram and Messenger rules and merging, without actors: echoes, read marks, unsent messages and
 * marketing opt-ins are idempotent; a message intake screened (stale replay, standby) starts no AI work; a merge
 * hands identifiers, counts, presence, consent and message ids to the survivor once.
 */
class LeadMessagingTest {
  private static final int WINDOW = 100;
  private static final Instant T0 = Instant.parse("2026-05-01T10:00:00Z");
  private final ManualClock clock = new ManualClock(T0);

  private static Identifier igsid(String value) {
    return new Identifier(LeadModel.IGSID, "bidx:igsid:" + value, "enc:" + value, true);
  }

  private static InboundMessage message(String id, String channel, Instant sentAt, String intakeScreen) {
    return new InboundMessage(id, channel, channel + ":acct", "text", sentAt, "enc:hi", null, null, List.of(), null,
        null, null, intakeScreen);
  }

  private Lead leadWith(String leadId, String channel, Identifier identifier, String... messageIds) {
    Lead lead = Lead.empty();
    for (String id : messageIds) {
      apply(lead, lead.decideReceive("t", leadId, List.of(identifier), null,
          List.of(message(id, channel, clock.instant(), null)), clock));
    }
    return lead;
  }

  private static Lead apply(Lead lead, List<Event> events) {
    events.forEach(event -> lead.apply(event, WINDOW));
    return lead;
  }

  private static List<Event> persisted(Lead.Decision decision) {
    assertThat(decision).isInstanceOf(Lead.Decision.Persist.class);
    return ((Lead.Decision.Persist) decision).events();
  }

  @Test
  void aMessageIntakeScreenedStartsNoAiWorkAndSaysWhy() {
    Lead lead = Lead.empty();
    List<Event> events = lead.decideReceive("t", "l1", List.of(igsid("1")), null, List.of(
        message("old", LeadModel.INSTAGRAM, T0.minus(Duration.ofHours(5)), LeadModel.STALE_REPLAY),
        message("fresh", LeadModel.INSTAGRAM, T0, null)), clock);
    assertThat(events).filteredOn(MessageReceived.class::isInstance).map(MessageReceived.class::cast)
        .extracting(MessageReceived::aiScreen).containsExactly(LeadModel.STALE_REPLAY, null);
  }

  @Test
  void echoesReadsAndDeletionsAreRecordedOnce() {
    Lead lead = leadWith("l1", LeadModel.MESSENGER, igsid("1"), "in-1");
    LeadModel.OutboundEcho echo = new LeadModel.OutboundEcho("out-1", LeadModel.MESSENGER, "messenger:p", "text", T0,
        "enc:sent", null, null);
    List<Event> first = lead.decideEcho(echo, clock);
    assertThat(first).singleElement().isInstanceOf(LeadModel.EchoRecorded.class);
    apply(lead, first);
    assertThat(lead.decideEcho(echo, clock)).as("the same echo again").isEmpty();
    assertThat(lead.decideEcho(new LeadModel.OutboundEcho("in-1", LeadModel.MESSENGER, null, "text", T0, null, null,
        null), clock)).as("a message the lead already knows").isEmpty();

    Instant watermark = T0.plusSeconds(60);
    apply(lead, lead.decideRead(LeadModel.MESSENGER, watermark, null, watermark, clock));
    assertThat(lead.readMarkOn(LeadModel.MESSENGER).watermark()).isEqualTo(watermark);
    assertThat(lead.decideRead(LeadModel.MESSENGER, watermark.minusSeconds(1), null, watermark, clock))
        .as("an older watermark").isEmpty();
    assertThat(lead.decideRead(LeadModel.MESSENGER, watermark.plusSeconds(1), null, watermark, clock)).hasSize(1);
    apply(lead, lead.decideRead(LeadModel.INSTAGRAM, null, "out-1", T0, clock));
    assertThat(lead.decideRead(LeadModel.INSTAGRAM, null, "out-1", T0, clock)).as("the same seen mid").isEmpty();

    apply(lead, lead.decideDeletion(LeadModel.MESSENGER, "in-1", T0, clock));
    assertThat(lead.statusOf("in-1")).isEqualTo("deleted");
    assertThat(lead.decideDeletion(LeadModel.MESSENGER, "in-1", T0, clock)).isEmpty();
    assertThat(Lead.empty().decideEcho(echo, clock)).as("no lead, nothing to put it on").isEmpty();
  }

  @Test
  void aMarketingOptInRecordsConsentAndTokenAndStopWithdrawsAtOnce() {
    Lead lead = leadWith("l1", LeadModel.MESSENGER, igsid("1"), "in-1");
    NotificationToken token = new NotificationToken(LeadModel.MESSENGER, "messenger:p", "enc:tok", "digest-1", "DAILY",
        T0.plus(Duration.ofDays(180)), null, "Offers", T0);
    List<Event> given = lead.decideNotificationOptIn("optin:1", token, clock);
    assertThat(given).hasSize(2);
    LeadModel.ConsentRecorded consent = (LeadModel.ConsentRecorded) given.get(0);
    assertThat(consent.purpose()).isEqualTo(LeadModel.MARKETING);
    assertThat(consent.channel()).isEqualTo(LeadModel.MESSENGER);
    assertThat(consent.granted()).isTrue();
    assertThat(consent.source()).isEqualTo("messenger-optin:notification_messages");
    apply(lead, given);
    assertThat(lead.decideNotificationOptIn("optin:1", token, clock)).as("Meta's retry").isEmpty();
    assertThat(lead.notificationTokenFor("messenger:p").tokenEnc()).isEqualTo("enc:tok");

    NotificationToken stopped = new NotificationToken(LeadModel.MESSENGER, "messenger:p", "enc:tok", "digest-1",
        "DAILY", token.expiresAt(), "STOP_NOTIFICATIONS", "Offers", T0.plusSeconds(5));
    apply(lead, lead.decideNotificationOptIn("optin:2", stopped, clock));
    assertThat(lead.consentFor(LeadModel.MESSENGER, LeadModel.MARKETING).granted()).isFalse();
    assertThat(lead.notificationTokenFor("messenger:p").active()).isFalse();
  }

  @Test
  void aMergeHandsTheAbsorbedLeadOverOnceAndRefusesWhatCannotBeMerged() {
    Lead survivor = leadWith("keep", LeadModel.WHATSAPP, new Identifier(LeadModel.WA_ID, "bidx:wa", "enc:wa", true),
        "wa-1", "wa-2");
    clock.advance(Duration.ofMinutes(5));
    Lead absorbed = leadWith("gone", LeadModel.INSTAGRAM, igsid("9"), "ig-1");

    apply(absorbed, persisted(absorbed.decideMergeInto("keep", "user:ana", clock)));
    assertThat(absorbed.getMergedInto()).isEqualTo("keep");
    assertThat(persisted(absorbed.decideMergeInto("keep", "user:ana", clock))).as("the same merge again").isEmpty();
    assertThat(absorbed.decideMergeInto("other", "user:ana", clock)).isInstanceOf(Lead.Decision.Refuse.class);

    LeadModel.MergeHandoff handoff = absorbed.handoff();
    List<Event> absorbing = persisted(survivor.decideAbsorb(handoff, "user:ana", clock));
    assertThat(absorbing).singleElement().isInstanceOf(LeadModel.LeadAbsorbed.class);
    apply(survivor, absorbing);
    assertThat(survivor.getIdentifiers()).containsKeys("bidx:wa", "bidx:igsid:9");
    assertThat(survivor.getInboundCount()).isEqualTo(3);
    assertThat(survivor.getChannels()).containsKeys(LeadModel.WHATSAPP, LeadModel.INSTAGRAM);
    assertThat(survivor.presenceOn(LeadModel.INSTAGRAM).lastInboundAt()).isEqualTo(clock.instant());
    assertThat(survivor.getRecentMessageIds()).contains("ig-1", "wa-1");
    assertThat(persisted(survivor.decideAbsorb(handoff, "user:ana", clock))).as("absorbed already").isEmpty();
    assertThat(survivor.mergeCandidate().channels()).containsExactly(LeadModel.WHATSAPP, LeadModel.INSTAGRAM);

    assertThat(absorbed.decideAbsorb(survivor.handoff(), "user:ana", clock)).as("a merged lead absorbs nothing")
        .isInstanceOf(Lead.Decision.Refuse.class);
    Lead erased = leadWith("erased", LeadModel.WHATSAPP, igsid("5"), "x-1");
    apply(erased, persisted(erased.decideAnonymize("req-1", "user:dpo", clock)));
    assertThat(erased.decideMergeInto("keep", "user:ana", clock)).isInstanceOf(Lead.Decision.Refuse.class);
    assertThat(Lead.empty().decideMergeInto("keep", "user:ana", clock)).isInstanceOf(Lead.Decision.Refuse.class);
  }

  @Test
  void leadOsPlansMergeWhatsAppLeadsOnly() {
    LeadMerges.Policy policy = new LeadMerges.Policy(java.util.Set.of("agentos-starter", "full-os"));
    List<String> whatsapp = List.of(LeadModel.WHATSAPP);
    List<String> instagram = List.of(LeadModel.INSTAGRAM);
    assertThat(policy.refusal("full-os", whatsapp, instagram)).isNull();
    assertThat(policy.refusal("leados-pro", whatsapp, List.of(LeadModel.WHATSAPP, LeadModel.API_CHANNEL))).isNull();
    assertThat(policy.refusal("leados-pro", whatsapp, instagram)).contains("leados-pro").contains("WhatsApp");
    assertThat(policy.refusal("leados-starter", List.of(LeadModel.MESSENGER), whatsapp)).isNotNull();
  }
}
