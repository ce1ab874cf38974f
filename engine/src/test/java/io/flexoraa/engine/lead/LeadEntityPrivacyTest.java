package io.flexoraa.engine.lead;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.flexoraa.engine.lead.LeadModel.Accepted;
import io.flexoraa.engine.lead.LeadModel.Anonymize;
import io.flexoraa.engine.lead.LeadModel.Anonymized;
import io.flexoraa.engine.lead.LeadModel.Command;
import io.flexoraa.engine.lead.LeadModel.ConsentRecorded;
import io.flexoraa.engine.lead.LeadModel.ConsentView;
import io.flexoraa.engine.lead.LeadModel.Event;
import io.flexoraa.engine.lead.LeadModel.GetLead;
import io.flexoraa.engine.lead.LeadModel.Identifier;
import io.flexoraa.engine.lead.LeadModel.InboundMessage;
import io.flexoraa.engine.lead.LeadModel.LeadAnonymized;
import io.flexoraa.engine.lead.LeadModel.LeadSnapshot;
import io.flexoraa.engine.lead.LeadModel.MessageReceived;
import io.flexoraa.engine.lead.LeadModel.ReceiveMessages;
import io.flexoraa.engine.lead.LeadModel.RecordConsent;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Consent and anonymization through the Lead entity on the persistence testkit, with serialization verification on
 * and a snapshot store that serializes what it is given, so the new events and state fields are proven to
 * round-trip through CBOR; {@code restart()} proves an anonymization survives recovery.
 */
class LeadEntityPrivacyTest {

  private static final Config CONFIG =
      ConfigFactory.parseString("pekko.persistence.testkit.snapshots.serialize = on")
          .withFallback(io.flexoraa.engine.EntityTestKit.CONFIG);

  private static final Instant NOW = Instant.parse("2026-03-14T09:26:53Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final Instant SENT_AT = Instant.parse("2026-03-14T09:20:00Z");
  private static final Instant GIVEN_AT = Instant.parse("2026-03-13T18:00:00Z");

  private static final String TENANT = "tenant-acme";
  private static final String CHANNEL = "whatsapp";

  private static final Identifier PHONE = identifier(LeadModel.PHONE, "+919111844757");
  private static final Identifier WA_ID = identifier(LeadModel.WA_ID, "919111844757");

  private static final AtomicInteger LEADS = new AtomicInteger();

  private static ActorTestKit testKit;

  @BeforeAll
  static void startActorSystem() {
    testKit = ActorTestKit.create("LeadEntityPrivacyTest", CONFIG);
  }

  @AfterAll
  static void stopActorSystem() {
    testKit.shutdownTestKit();
  }

  private static Identifier identifier(String kind, String value) {
    return new Identifier(kind, "bidx:" + kind + ":" + value, "enc:" + value, true);
  }

  private static InboundMessage text(String platformMessageId, String consentSignal) {
    return new InboundMessage(
        platformMessageId, CHANNEL, "418800112233445", "text", SENT_AT, "enc:text", null, null, List.of(),
        consentSignal);
  }

  private static final class LeadUnderTest {
    final String leadId = "privacy-lead-" + LEADS.incrementAndGet();
    final String persistenceId =
        PersistenceId.of(LeadEntity.TYPE_KEY.name(), LeadEntity.entityId(TENANT, leadId)).id();
    final EventSourcedBehaviorTestKit<Command, Event, Lead> kit;

    LeadUnderTest(LeadEntity.Settings settings) {
      kit = EventSourcedBehaviorTestKit.create(
          testKit.system(), LeadEntity.create(LeadEntity.entityId(TENANT, leadId), settings, CLOCK),
          EventSourcedBehaviorTestKit.enabledSerializationSettings());
    }

    LeadUnderTest() {
      this(LeadEntity.Settings.fromConfig(CONFIG));
    }

    CommandResultWithReply<Command, Event, Lead, StatusReply<Accepted>> receive(InboundMessage... messages) {
      return kit.runCommand(
          replyTo -> new ReceiveMessages(TENANT, leadId, List.of(PHONE, WA_ID), "enc:Amara", List.of(messages), replyTo));
    }

    CommandResultWithReply<Command, Event, Lead, StatusReply<ConsentView>> consent(String recordId, boolean granted) {
      return kit.runCommand(replyTo -> new RecordConsent(
          TENANT, leadId, recordId, CHANNEL, "marketing", granted, "web-form:pricing", "enc:203.0.113.7",
          "enc:Mozilla/5.0", "user:42", GIVEN_AT, replyTo));
    }

    CommandResultWithReply<Command, Event, Lead, StatusReply<Anonymized>> anonymize(String requestId) {
      return kit.runCommand(replyTo -> new Anonymize(requestId, "user:dpo", replyTo));
    }

    LeadSnapshot get() {
      return kit.runCommand(GetLead::new).reply();
    }
  }

  @Test
  void consentIsRecordedOnceAndARepeatIsAnsweredWithTheSameRecord() {
    LeadUnderTest lead = new LeadUnderTest();
    lead.receive(text("wamid.1", null));

    var first = lead.consent("form-1", true);
    var repeat = lead.consent("form-1", true);

    ConsentView expected = new ConsentView(
        "form-1", CHANNEL, "marketing", true, "web-form:pricing", "enc:203.0.113.7", "enc:Mozilla/5.0", "user:42",
        GIVEN_AT, NOW);
    assertThat(first.events()).containsExactly(new ConsentRecorded(
        TENANT, lead.leadId, "form-1", CHANNEL, "marketing", true, "web-form:pricing", "enc:203.0.113.7",
        "enc:Mozilla/5.0", "user:42", GIVEN_AT, NOW));
    assertThat(first.reply().getValue()).isEqualTo(expected);
    assertThat(repeat.hasNoEvents()).isTrue();
    assertThat(repeat.reply().getValue()).isEqualTo(expected);
    assertThat(lead.get().consents()).containsExactly(expected);
  }

  @Test
  void commandsToALeadThatDoesNotExistAreRefusedAndPersistNothing() {
    LeadUnderTest lead = new LeadUnderTest();

    var consent = lead.consent("form-1", true);
    var anonymize = lead.anonymize("erasure-1");

    assertThat(consent.hasNoEvents()).isTrue();
    assertThat(consent.reply().isError()).isTrue();
    assertThat(consent.reply().getError().getMessage()).isEqualTo("the lead does not exist");
    assertThat(anonymize.hasNoEvents()).isTrue();
    assertThat(anonymize.reply().isError()).isTrue();
    assertThat(lead.kit.persistenceTestKit().persistedInStorage(lead.persistenceId)).isEmpty();
  }

  @Test
  void aStopKeywordIsPersistedWithItsMessage() {
    LeadUnderTest lead = new LeadUnderTest();

    var result = lead.receive(text("wamid.stop", LeadModel.OPT_OUT));
    var retry = lead.receive(text("wamid.stop", LeadModel.OPT_OUT));

    assertThat(result.events()).hasSize(3);
    assertThat(result.events().get(2)).isInstanceOf(ConsentRecorded.class);
    assertThat(result.reply().getValue()).isEqualTo(
        new Accepted(lead.leadId, 3, 0, List.of("wamid.stop"), java.util.Map.of(), true));
    assertThat(retry.hasNoEvents()).isTrue();
    assertThat(lead.get().consents()).singleElement()
        .satisfies(consent -> {
          assertThat(consent.granted()).isFalse();
          assertThat(consent.recordId()).isEqualTo("inbound:wamid.stop");
          assertThat(consent.source()).isEqualTo("inbound-keyword:whatsapp");
        });
  }

  @Test
  void anAnonymizationSurvivesARestartFromASerializedSnapshotAndARepeatPersistsNothing() {
    LeadUnderTest lead = new LeadUnderTest(new LeadEntity.Settings(100, 2, 4));
    var snapshots = lead.kit.snapshotTestKit().orElseThrow();
    lead.receive(text("wamid.1", null)); // seq 1-2, snapshot at 2
    snapshots.expectNextPersistedClass(lead.persistenceId, Lead.class);
    lead.consent("form-1", true); // seq 3

    var anonymized = lead.anonymize("erasure-41"); // seq 4, snapshot at 4 holds the anonymized lead
    snapshots.expectNextPersistedClass(lead.persistenceId, Lead.class);

    Anonymized expected = new Anonymized(TENANT, lead.leadId, "erasure-41", "user:dpo", NOW);
    assertThat(anonymized.events()).containsExactly(new LeadAnonymized(TENANT, lead.leadId, "erasure-41", "user:dpo", NOW));
    assertThat(anonymized.reply().getValue()).isEqualTo(expected);
    LeadSnapshot before = lead.get();
    assertThat(before.anonymized()).isTrue();
    assertThat(before.identifiers()).isEmpty();

    Lead recovered = lead.kit.restart().state();

    assertThat(recovered.anonymized()).isTrue();
    assertThat(recovered.getIdentifiers()).isEmpty();
    assertThat(lead.get()).isEqualTo(before);
    assertThat(lead.get().consents()).extracting(ConsentView::recordId).containsExactly("form-1");
    assertThat(lead.get().inboundCount()).isEqualTo(1);
    var repeat = lead.anonymize("erasure-41-retry");
    assertThat(repeat.hasNoEvents()).isTrue();
    assertThat(repeat.reply().getValue()).as("answered with the anonymization that happened").isEqualTo(expected);
    var lateMessage = lead.receive(text("wamid.2", null));
    assertThat(lateMessage.events()).as("no identifier is learnt again")
        .singleElement().isInstanceOf(MessageReceived.class);
    assertThat(lead.get().identifiers()).isEmpty();
  }
}
