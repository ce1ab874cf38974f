package io.flexoraa.engine.lead;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexoraa.engine.lead.LeadModel.Event;
import io.flexoraa.engine.lead.LeadModel.Identifier;
import io.flexoraa.engine.lead.LeadModel.IdentifierAttached;
import io.flexoraa.engine.lead.LeadModel.InboundMessage;
import io.flexoraa.engine.lead.LeadModel.LeadCreated;
import io.flexoraa.engine.lead.LeadModel.MessageReceived;
import io.flexoraa.engine.lead.LeadModel.MessageStatusChanged;
import io.flexoraa.engine.lead.LeadModel.PhoneNumberChanged;
import io.flexoraa.engine.lead.LeadModel.StatusChange;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The lead's rules without actors: given events already applied to {@link Lead#empty()}, when a {@code decide*}
 * call, expect exactly these events. Time comes from a fixed clock, so every instant in an expected event is known.
 */
class LeadTest {

  private static final Instant NOW = Instant.parse("2026-03-14T09:26:53Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final Instant EARLIER = Instant.parse("2026-03-14T09:20:00Z");
  private static final int WINDOW = 100;

  private static final String TENANT = "tenant-acme";
  private static final String LEAD = "lead-7f3a";
  private static final String CHANNEL = "whatsapp";
  private static final String PHONE_NUMBER_ID = "418800112233445";

  private static final Identifier PHONE = identifier(LeadModel.PHONE, "+919111844757");
  private static final Identifier WA_ID = identifier(LeadModel.WA_ID, "919111844757");
  private static final Identifier BSUID = identifier(LeadModel.BSUID, "IN.1234567890abcdef");
  private static final Identifier NEW_PHONE = identifier(LeadModel.PHONE, "+919876543210");
  private static final Identifier NEW_WA_ID = identifier(LeadModel.WA_ID, "919876543210");

  private static final LeadCreated CREATED =
      new LeadCreated(TENANT, LEAD, CHANNEL, List.of(PHONE, WA_ID), "enc:Amara", EARLIER);

  // ---- fixtures ----

  private static Identifier identifier(String kind, String value) {
    return new Identifier(kind, "bidx:" + kind + ":" + value, "enc:" + value, true);
  }

  private static InboundMessage message(String platformMessageId) {
    return new InboundMessage(
        platformMessageId, CHANNEL, PHONE_NUMBER_ID, "text", EARLIER, "enc:hello " + platformMessageId, null, null,
        List.of(), null);
  }

  private static InboundMessage numberChange(String platformMessageId, List<Identifier> changedTo) {
    return new InboundMessage(
        platformMessageId, CHANNEL, PHONE_NUMBER_ID, "system", EARLIER, null, "enc:user changed number", null,
        changedTo, null);
  }

  private static MessageReceived received(String platformMessageId) {
    return new MessageReceived(TENANT, LEAD, message(platformMessageId), EARLIER);
  }

  private static StatusChange status(String platformMessageId, String status) {
    return new StatusChange(platformMessageId, CHANNEL, status, EARLIER, null, null);
  }

  private static MessageStatusChanged statusChanged(String platformMessageId, String status) {
    return new MessageStatusChanged(TENANT, LEAD, status(platformMessageId, status), NOW);
  }

  private static Lead given(Event... history) {
    return givenWithWindow(WINDOW, history);
  }

  private static Lead givenWithWindow(int window, Event... history) {
    Lead lead = Lead.empty();
    for (Event event : history) lead.apply(event, window);
    return lead;
  }

  private static List<Event> whenReceive(Lead lead, List<Identifier> sender, InboundMessage... messages) {
    return lead.decideReceive(TENANT, LEAD, sender, "enc:Amara", List.of(messages), CLOCK);
  }

  private static List<Event> whenStatuses(Lead lead, StatusChange... statuses) {
    return lead.decideStatuses(TENANT, LEAD, List.of(statuses), CLOCK);
  }

  @Nested
  class Receiving {

    @Test
    void theFirstMessageCreatesTheLeadAndRecordsTheMessageAtTheClocksInstant() {
      Lead lead = Lead.empty();

      List<Event> events = whenReceive(lead, List.of(PHONE, WA_ID), message("wamid.1"));

      assertThat(events).containsExactly(
          new LeadCreated(TENANT, LEAD, CHANNEL, List.of(PHONE, WA_ID), "enc:Amara", NOW),
          new MessageReceived(TENANT, LEAD, message("wamid.1"), NOW));
      assertThat(lead.exists()).as("deciding does not change the state").isFalse();
    }

    @Test
    void aPlatformMessageIdAlreadyReceivedYieldsNoEvents() {
      Lead lead = given(CREATED, received("wamid.1"));

      assertThat(whenReceive(lead, List.of(PHONE, WA_ID), message("wamid.1"))).isEmpty();
    }

    @Test
    void theSameIdTwiceInOneBatchIsReceivedOnce() {
      Lead lead = given(CREATED);

      List<Event> events =
          whenReceive(lead, List.of(PHONE, WA_ID), message("wamid.1"), message("wamid.1"), message("wamid.2"));

      assertThat(events).containsExactly(
          new MessageReceived(TENANT, LEAD, message("wamid.1"), NOW),
          new MessageReceived(TENANT, LEAD, message("wamid.2"), NOW));
    }

    /** Identifiers are learned only alongside a fresh message: a pure retry changes nothing at all. */
    @Test
    void aRetryOfKnownIdsAttachesNoIdentifierEither() {
      Lead lead = given(CREATED, received("wamid.1"), received("wamid.2"));

      assertThat(whenReceive(lead, List.of(PHONE, WA_ID, BSUID), message("wamid.2"), message("wamid.1"))).isEmpty();
    }

    /**
     * Only the last {@code dedupWindow} ids are remembered, so memory per lead is bounded. The price: a duplicate
     * arriving after more than {@code dedupWindow} newer messages is no longer recognised and is accepted again.
     */
    @Test
    void theDedupWindowForgetsTheOldestIdsToKeepMemoryBounded() {
      int window = 3;
      Lead lead =
          givenWithWindow(window, CREATED, received("wamid.1"), received("wamid.2"), received("wamid.3"),
              received("wamid.4"));

      assertThat(lead.getRecentMessageIds()).containsExactly("wamid.2", "wamid.3", "wamid.4");
      assertThat(whenReceive(lead, List.of(PHONE), message("wamid.1")))
          .as("evicted id is accepted again (bounded-memory trade-off)")
          .containsExactly(new MessageReceived(TENANT, LEAD, message("wamid.1"), NOW));
      assertThat(whenReceive(lead, List.of(PHONE), message("wamid.2"))).as("still within the window").isEmpty();
      assertThat(whenReceive(lead, List.of(PHONE), message("wamid.4"))).isEmpty();
    }

    @Test
    void aNewIdentifierOnAnExistingLeadIsAttached() {
      Lead lead = given(CREATED, received("wamid.1"));

      List<Event> events = whenReceive(lead, List.of(PHONE, WA_ID, BSUID), message("wamid.2"));

      assertThat(events).containsExactly(
          new IdentifierAttached(TENANT, LEAD, BSUID, NOW),
          new MessageReceived(TENANT, LEAD, message("wamid.2"), NOW));
    }

    @Test
    void knownIdentifiersAreNotAttachedAgain() {
      Lead lead = given(CREATED, received("wamid.1"));

      List<Event> events = whenReceive(lead, List.of(WA_ID, PHONE), message("wamid.2"));

      assertThat(events).containsExactly(new MessageReceived(TENANT, LEAD, message("wamid.2"), NOW));
    }

    @Test
    void anExistingLeadKeepsItsOwnTenantAndLeadIdInNewEvents() {
      Lead lead = given(CREATED);

      List<Event> events =
          lead.decideReceive("other-tenant", "other-lead", List.of(BSUID), null, List.of(message("wamid.9")), CLOCK);

      assertThat(events).extracting(Event::tenantId).containsOnly(TENANT);
      assertThat(events).extracting(Event::leadId).containsOnly(LEAD);
    }

    @Test
    void aNumberChangeRecordsTheMessageAndTheNewIdentifiersWhileKeepingTheOldOnes() {
      Lead lead = given(CREATED, received("wamid.1"));
      InboundMessage change = numberChange("wamid.sys", List.of(NEW_PHONE, NEW_WA_ID));

      List<Event> events = whenReceive(lead, List.of(PHONE, WA_ID), change);

      assertThat(events).containsExactly(
          new MessageReceived(TENANT, LEAD, change, NOW),
          new PhoneNumberChanged(TENANT, LEAD, "wamid.sys", List.of(NEW_PHONE, NEW_WA_ID), NOW));

      events.forEach(event -> lead.apply(event, WINDOW));
      assertThat(lead.getIdentifiers()).containsOnlyKeys(
          PHONE.index(), WA_ID.index(), NEW_PHONE.index(), NEW_WA_ID.index());
      assertThat(lead.getIdentifiers().get(NEW_PHONE.index())).isEqualTo(NEW_PHONE);
      assertThat(lead.getIdentifiers().get(PHONE.index())).as("old number stays an alias").isEqualTo(PHONE);
      assertThat(lead.getInboundCount()).isEqualTo(2);
    }

    @Test
    void applyingReceivedMessagesCountsThemAndKeepsTheLatestSendTime() {
      Instant later = EARLIER.plusSeconds(60);
      InboundMessage late = new InboundMessage("wamid.2", CHANNEL, PHONE_NUMBER_ID, "text", later, null, null, null, null, null);
      Lead lead =
          given(CREATED, new MessageReceived(TENANT, LEAD, late, NOW), received("wamid.1"));

      assertThat(lead.getInboundCount()).isEqualTo(2);
      assertThat(lead.getLastInboundAt()).as("an older message arriving late does not move it back").isEqualTo(later);
      assertThat(lead.snapshot().exists()).isTrue();
      assertThat(lead.snapshot().recentMessageIds()).containsExactly("wamid.2", "wamid.1");
    }
  }

  @Nested
  class Statuses {

    @Test
    void sentThenDeliveredThenReadAreEachAccepted() {
      Lead lead = given(CREATED);

      List<Event> sent = whenStatuses(lead, status("wamid.out", "sent"));
      assertThat(sent).containsExactly(statusChanged("wamid.out", "sent"));
      sent.forEach(event -> lead.apply(event, WINDOW));

      List<Event> delivered = whenStatuses(lead, status("wamid.out", "delivered"));
      assertThat(delivered).containsExactly(statusChanged("wamid.out", "delivered"));
      delivered.forEach(event -> lead.apply(event, WINDOW));

      List<Event> read = whenStatuses(lead, status("wamid.out", "read"));
      assertThat(read).containsExactly(statusChanged("wamid.out", "read"));
      read.forEach(event -> lead.apply(event, WINDOW));

      assertThat(lead.statusOf("wamid.out")).isEqualTo("read");
    }

    @Test
    void aStatusNeverMovesBackwards() {
      Lead lead = given(CREATED, statusChanged("wamid.out", "read"));

      assertThat(whenStatuses(lead, status("wamid.out", "delivered"))).isEmpty();
      assertThat(whenStatuses(lead, status("wamid.out", "sent"))).isEmpty();
    }

    @Test
    void failedIsTerminal() {
      Lead lead = given(CREATED, statusChanged("wamid.out", "failed"));

      assertThat(whenStatuses(lead, status("wamid.out", "read"))).isEmpty();
      assertThat(whenStatuses(lead, status("wamid.out", "played"))).isEmpty();
      assertThat(whenStatuses(lead, status("wamid.out", "deleted"))).as("failed and deleted share the top rank").isEmpty();
    }

    @Test
    void failedIsAcceptedAfterAnyDeliveryProgress() {
      Lead lead = given(CREATED, statusChanged("wamid.out", "read"));

      assertThat(whenStatuses(lead, status("wamid.out", "failed")))
          .containsExactly(statusChanged("wamid.out", "failed"));
    }

    @Test
    void anUnknownStatusIsRecordedOnlyWhenNothingIsKnown() {
      assertThat(whenStatuses(given(CREATED), status("wamid.out", "warning")))
          .containsExactly(statusChanged("wamid.out", "warning"));
      assertThat(whenStatuses(given(CREATED, statusChanged("wamid.out", "sent")), status("wamid.out", "warning")))
          .isEmpty();
    }

    @Test
    void aKnownStatusReplacesAnUnknownOne() {
      Lead lead = given(CREATED, statusChanged("wamid.out", "warning"));

      assertThat(whenStatuses(lead, status("wamid.out", "sent"))).containsExactly(statusChanged("wamid.out", "sent"));
    }

    @Test
    void theSameStatusRepeatedYieldsNothing() {
      Lead lead = given(CREATED, statusChanged("wamid.out", "delivered"));

      assertThat(whenStatuses(lead, status("wamid.out", "delivered"))).isEmpty();
    }

    @Test
    void withinOneBatchTheOrderIsEnforcedToo() {
      Lead lead = given(CREATED);

      List<Event> events =
          whenStatuses(
              lead, status("wamid.out", "delivered"), status("wamid.out", "read"), status("wamid.out", "delivered"));

      assertThat(events).containsExactly(statusChanged("wamid.out", "delivered"), statusChanged("wamid.out", "read"));
    }

    @Test
    void statusesOfDifferentMessagesAreIndependent() {
      Lead lead = given(CREATED, statusChanged("wamid.a", "read"));

      List<Event> events = whenStatuses(lead, status("wamid.b", "delivered"), status("wamid.a", "delivered"));

      assertThat(events).containsExactly(statusChanged("wamid.b", "delivered"));
    }
  }

  @Nested
  class Evolution {

    /** Runs decisions against one lead, applying what each produces, and returns every event in order. */
    private List<Event> history(Lead lead) {
      List<List<Event>> steps = new ArrayList<>();
      steps.add(whenReceive(lead, List.of(PHONE, WA_ID), message("wamid.1"), message("wamid.2")));
      applyLast(lead, steps);
      steps.add(whenReceive(lead, List.of(PHONE, BSUID), message("wamid.3")));
      applyLast(lead, steps);
      steps.add(whenReceive(lead, List.of(PHONE), numberChange("wamid.4", List.of(NEW_PHONE, NEW_WA_ID))));
      applyLast(lead, steps);
      steps.add(whenStatuses(lead, status("wamid.out", "sent"), status("wamid.out", "read")));
      applyLast(lead, steps);
      return steps.stream().flatMap(List::stream).toList();
    }

    private void applyLast(Lead lead, List<List<Event>> steps) {
      steps.get(steps.size() - 1).forEach(event -> lead.apply(event, WINDOW));
    }

    @Test
    void recoveringFromTheProducedEventsGivesTheSameState() {
      Lead live = Lead.empty();
      List<Event> events = history(live);

      Lead recovered = given(events.toArray(Event[]::new));

      assertThat(events).hasSize(9);
      assertThat(recovered.snapshot()).isEqualTo(live.snapshot());
      assertThat(recovered.getStatusByMessage()).isEqualTo(live.getStatusByMessage());
      assertThat(recovered.getLastInboundAt()).isEqualTo(live.getLastInboundAt());
      assertThat(recovered.snapshot().identifiers())
          .containsExactly(PHONE, WA_ID, BSUID, NEW_PHONE, NEW_WA_ID);
      assertThat(recovered.snapshot().inboundCount()).isEqualTo(4);
    }

    @Test
    void applyingTheSameHistoryTwiceGivesEqualSnapshots() {
      List<Event> events = history(Lead.empty());

      assertThat(given(events.toArray(Event[]::new)).snapshot())
          .isEqualTo(given(events.toArray(Event[]::new)).snapshot());
    }

    @Test
    void anEmptyLeadDoesNotExist() {
      assertThat(Lead.empty().exists()).isFalse();
      assertThat(Lead.empty().snapshot().exists()).isFalse();
      assertThat(Lead.empty().snapshot().inboundCount()).isZero();
    }
  }
}
