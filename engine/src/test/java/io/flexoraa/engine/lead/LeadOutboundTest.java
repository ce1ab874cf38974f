package io.flexoraa.engine.lead;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexoraa.engine.lead.Lead.Decision;
import io.flexoraa.engine.lead.LeadModel.Event;
import io.flexoraa.engine.lead.LeadModel.Identifier;
import io.flexoraa.engine.lead.LeadModel.InboundMessage;
import io.flexoraa.engine.lead.LeadModel.Outbound;
import io.flexoraa.engine.lead.LeadModel.OutboundContext;
import io.flexoraa.engine.lead.LeadModel.OutboundDecided;
import io.flexoraa.engine.lead.LeadModel.OutboundFailed;
import io.flexoraa.engine.lead.LeadModel.OutboundRequested;
import io.flexoraa.engine.lead.LeadModel.OutboundSent;
import io.flexoraa.engine.lead.LeadModel.RecordOutboundDecision;
import io.flexoraa.engine.lead.LeadModel.RecordOutboundResult;
import io.flexoraa.engine.lead.LeadModel.StatusChange;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The lead's side of outbound messages, without actors: a message is recorded before anything else happens and
 * only once; decisions and endings are recorded once, a sent or failed message keeps its first ending; Meta's id of
 * a sent message joins the dedup window (so the page's echo of it is a duplicate); the lead's presence per channel
 * (where its windows start) follows its inbound messages.
 */
class LeadOutboundTest {
  private static final Instant NOW = Instant.parse("2026-11-22T09:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final int WINDOW = 100;
  private static final Identifier WA_ID = new Identifier(LeadModel.WA_ID, "bidx:wa", "enc:919111844757", true);

  private static Lead leadWithOneMessage() {
    Lead lead = Lead.empty();
    List<Event> events = lead.decideReceive("t1", "l1", List.of(WA_ID), null, List.of(inbound("wamid.in-1",
        LeadModel.WHATSAPP, "whatsapp:4188", NOW.minusSeconds(3600))), CLOCK);
    events.forEach(event -> lead.apply(event, WINDOW));
    return lead;
  }

  private static InboundMessage inbound(String id, String channel, String account, Instant sentAt) {
    return new InboundMessage(id, channel, account, "text", sentAt, "enc:hi", null, null, List.of(), null);
  }

  private static Outbound outbound(String messageId) {
    return new Outbound(messageId, LeadModel.WHATSAPP, "whatsapp:4188", LeadModel.AUTHOR_HUMAN, "user:u1",
        LeadModel.FORM_FREE, "enc:hello", null, null, null, null, "follow-up", 5, NOW);
  }

  private static List<Event> persist(Lead lead, Decision decision) {
    assertThat(decision).isInstanceOf(Decision.Persist.class);
    List<Event> events = ((Decision.Persist) decision).events();
    events.forEach(event -> lead.apply(event, WINDOW));
    return events;
  }

  @Test
  void theLeadsPresencePerChannelFollowsItsLatestInboundMessage() {
    Lead lead = leadWithOneMessage();
    List<Event> later = lead.decideReceive("t1", "l1", List.of(WA_ID), null, List.of(
        inbound("wamid.in-2", LeadModel.WHATSAPP, "whatsapp:9999", NOW.minusSeconds(60)),
        inbound("wamid.in-0", LeadModel.WHATSAPP, "whatsapp:0000", NOW.minusSeconds(7200))), CLOCK);
    later.forEach(event -> lead.apply(event, WINDOW));

    Lead.ChannelPresence presence = lead.presenceOn(LeadModel.WHATSAPP);
    assertThat(presence.lastInboundAt()).isEqualTo(NOW.minusSeconds(60));
    assertThat(presence.channelAccount()).as("the account of the latest message").isEqualTo("whatsapp:9999");
    assertThat(presence.firstInboundAt()).isEqualTo(NOW.minusSeconds(7200));
    assertThat(lead.presenceOn(LeadModel.INSTAGRAM)).isNull();
  }

  @Test
  void aMessageIsRecordedOnceAndTheRepeatIsAnsweredWithItAsItStands() {
    Lead lead = leadWithOneMessage();
    List<Event> events = persist(lead, lead.decideOutbound(outbound("out-1"), CLOCK));
    assertThat(events).singleElement().isInstanceOf(OutboundRequested.class);

    assertThat(persist(lead, lead.decideOutbound(outbound("out-1"), CLOCK))).isEmpty();
    OutboundContext context = lead.outboundContext("out-1");
    assertThat(context.message().verdict()).isEqualTo(LeadModel.OutboundState.REQUESTED);
    assertThat(context.message().settled()).isFalse();
    assertThat(context.channels()).containsKey(LeadModel.WHATSAPP);
    assertThat(context.identifiers()).contains(WA_ID);
  }

  @Test
  void noMessageIsRecordedForAnUnknownOrAnonymizedLead() {
    assertThat(Lead.empty().decideOutbound(outbound("out-1"), CLOCK)).isInstanceOf(Decision.Refuse.class);
    Lead lead = leadWithOneMessage();
    persist(lead, lead.decideAnonymize("req-1", "user:dpo", CLOCK));
    assertThat(lead.decideOutbound(outbound("out-1"), CLOCK)).isInstanceOf(Decision.Refuse.class);
  }

  @Test
  void aDecisionIsRecordedOnceAndASentMessageKeepsItsFirstEnding() {
    Lead lead = leadWithOneMessage();
    persist(lead, lead.decideOutbound(outbound("out-1"), CLOCK));
    RecordOutboundDecision defer =
        new RecordOutboundDecision("out-1", "defer", "pair-rate", null, null, NOW.plusSeconds(6), null);
    assertThat(persist(lead, lead.decideOutboundDecision(defer, CLOCK))).singleElement()
        .isInstanceOf(OutboundDecided.class);
    assertThat(persist(lead, lead.decideOutboundDecision(defer, CLOCK))).as("the same decision again").isEmpty();

    RecordOutboundDecision send = new RecordOutboundDecision("out-1", "send", null, null, null, null, null);
    persist(lead, lead.decideOutboundDecision(send, CLOCK));
    List<Event> sent = persist(lead, lead.decideOutboundResult(
        new RecordOutboundResult("out-1", "wamid.out-1", null, null, null), CLOCK));
    assertThat(sent).singleElement().isInstanceOfSatisfying(OutboundSent.class, event -> {
      assertThat(event.platformMessageId()).isEqualTo("wamid.out-1");
      assertThat(event.statusSoFar()).isNull();
    });

    assertThat(persist(lead, lead.decideOutboundResult(
        new RecordOutboundResult("out-1", null, "unconfirmed", null, null), CLOCK))).isEmpty();
    assertThat(persist(lead, lead.decideOutboundDecision(
        new RecordOutboundDecision("out-1", "block", "opted-out", null, null, null, null), CLOCK))).isEmpty();
    assertThat(lead.outboundContext("out-1").message().platformMessageId()).isEqualTo("wamid.out-1");
    assertThat(lead.outboundContext("out-1").message().settled()).isTrue();
    assertThat(lead.getRecentMessageIds()).as("an echo of it is a duplicate").contains("wamid.out-1");
  }

  @Test
  void aStatusThatOutranTheSendIsCarriedIntoTheSentEvent() {
    Lead lead = leadWithOneMessage();
    persist(lead, lead.decideOutbound(outbound("out-1"), CLOCK));
    lead.decideStatuses("t1", "l1", List.of(new StatusChange("wamid.out-1", "whatsapp", "delivered", NOW, null, null)),
        CLOCK).forEach(event -> lead.apply(event, WINDOW));

    List<Event> sent = persist(lead, lead.decideOutboundResult(
        new RecordOutboundResult("out-1", "wamid.out-1", null, null, null), CLOCK));

    assertThat(((OutboundSent) sent.get(0)).statusSoFar()).isEqualTo("delivered");
  }

  @Test
  void aFailedMessageRecordsWhyAndIsSettled() {
    Lead lead = leadWithOneMessage();
    persist(lead, lead.decideOutbound(outbound("out-1"), CLOCK));
    List<Event> failed = persist(lead, lead.decideOutboundResult(
        new RecordOutboundResult("out-1", null, "undeliverable", 131026, null), CLOCK));
    assertThat(failed).singleElement().isInstanceOfSatisfying(OutboundFailed.class, event -> {
      assertThat(event.outcome()).isEqualTo("undeliverable");
      assertThat(event.errorCode()).isEqualTo(131026);
    });
    assertThat(lead.outboundContext("out-1").message().settled()).isTrue();
    assertThat(lead.decideOutboundDecision(new RecordOutboundDecision("unknown", "send", null, null, null, null, null),
        CLOCK)).isInstanceOf(Decision.Refuse.class);
  }

  @Test
  void theSnapshotCopyCarriesOutboundMessagesAndPresence() {
    Lead lead = leadWithOneMessage();
    persist(lead, lead.decideOutbound(outbound("out-1"), CLOCK));
    Lead copy = lead.copy();
    assertThat(copy.getOutbound()).containsKey("out-1");
    assertThat(copy.getChannels()).containsKey(LeadModel.WHATSAPP);
  }
}
