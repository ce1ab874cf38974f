package io.flexoraa.engine.lead;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.flexoraa.engine.lead.LeadModel.Accepted;
import io.flexoraa.engine.lead.LeadModel.Command;
import io.flexoraa.engine.lead.LeadModel.Event;
import io.flexoraa.engine.lead.LeadModel.GetLead;
import io.flexoraa.engine.lead.LeadModel.Identifier;
import io.flexoraa.engine.lead.LeadModel.IdentifierAttached;
import io.flexoraa.engine.lead.LeadModel.InboundMessage;
import io.flexoraa.engine.lead.LeadModel.LeadCreated;
import io.flexoraa.engine.lead.LeadModel.LeadSnapshot;
import io.flexoraa.engine.lead.LeadModel.MessageReceived;
import io.flexoraa.engine.lead.LeadModel.MessageStatusChanged;
import io.flexoraa.engine.lead.LeadModel.ReceiveMessages;
import io.flexoraa.engine.lead.LeadModel.RecordStatuses;
import io.flexoraa.engine.lead.LeadModel.StatusChange;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.testkit.SnapshotMeta;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.apache.pekko.persistence.testkit.query.javadsl.PersistenceTestKitReadJournal;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The Lead entity on the in-memory journal of the persistence testkit. Serialization verification stays on, so every
 * command, event and state that passes through here is proven to round-trip through Jackson CBOR; {@code restart()}
 * proves that what the entity decided survives recovery.
 */
class LeadEntityTest {

  static final Config CONFIG = io.flexoraa.engine.EntityTestKit.CONFIG;

  private static final Instant NOW = Instant.parse("2026-03-14T09:26:53Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final Instant SENT_AT = Instant.parse("2026-03-14T09:20:00Z");

  private static final String TENANT = "tenant-acme";
  private static final String CHANNEL = "whatsapp";

  private static final Identifier PHONE = identifier(LeadModel.PHONE, "+919111844757");
  private static final Identifier WA_ID = identifier(LeadModel.WA_ID, "919111844757");
  private static final Identifier BSUID = identifier(LeadModel.BSUID, "IN.1234567890abcdef");

  private static final AtomicInteger LEADS = new AtomicInteger();

  private static ActorTestKit testKit;

  @BeforeAll
  static void startActorSystem() {
    testKit = ActorTestKit.create("LeadEntityTest", CONFIG);
  }

  @AfterAll
  static void stopActorSystem() {
    testKit.shutdownTestKit();
  }

  // ---- fixtures ----

  private static Identifier identifier(String kind, String value) {
    return new Identifier(kind, "bidx:" + kind + ":" + value, "enc:" + value, true);
  }

  private static InboundMessage message(String platformMessageId) {
    return new InboundMessage(
        platformMessageId, CHANNEL, "418800112233445", "text", SENT_AT, "enc:hi", null, null, List.of(), null);
  }

  private static StatusChange status(String platformMessageId, String status) {
    return new StatusChange(platformMessageId, CHANNEL, status, SENT_AT, null, null);
  }

  /** A lead under test: its own ids, so tests sharing the actor system never see each other's events. */
  private static final class LeadUnderTest {
    final String leadId = "lead-" + LEADS.incrementAndGet();
    final String entityId = LeadEntity.entityId(TENANT, leadId);
    final String persistenceId = PersistenceId.of(LeadEntity.TYPE_KEY.name(), entityId).id();
    final EventSourcedBehaviorTestKit<Command, Event, Lead> kit;

    LeadUnderTest(ActorTestKit actorTestKit, LeadEntity.Settings settings) {
      kit =
          EventSourcedBehaviorTestKit.create(
              actorTestKit.system(), LeadEntity.create(entityId, settings, CLOCK),
              EventSourcedBehaviorTestKit.enabledSerializationSettings());
    }

    CommandResultWithReply<Command, Event, Lead, StatusReply<Accepted>> receive(
        List<Identifier> sender, InboundMessage... messages) {
      return kit.runCommand(
          replyTo -> new ReceiveMessages(TENANT, leadId, sender, "enc:Amara", List.of(messages), replyTo));
    }

    CommandResultWithReply<Command, Event, Lead, StatusReply<Accepted>> statuses(StatusChange... statuses) {
      return kit.runCommand(replyTo -> new RecordStatuses(TENANT, leadId, List.of(statuses), replyTo));
    }

    LeadSnapshot get() {
      CommandResultWithReply<Command, Event, Lead, LeadSnapshot> result = kit.runCommand(GetLead::new);
      assertThat(result.hasNoEvents()).as("a query persists nothing").isTrue();
      return result.reply();
    }
  }

  private static LeadEntity.Settings defaults() {
    return LeadEntity.Settings.fromConfig(CONFIG);
  }

  @Test
  void settingsComeFromReferenceConf() {
    assertThat(defaults()).isEqualTo(new LeadEntity.Settings(10000, 100, 4));
  }

  @Test
  void receivingRepliesWithWhatWasPersisted() {
    LeadUnderTest lead = new LeadUnderTest(testKit, defaults());

    var result = lead.receive(List.of(PHONE, WA_ID), message("wamid.1"), message("wamid.2"), message("wamid.1"));

    assertThat(result.reply().isSuccess()).isTrue();
    assertThat(result.reply().getValue()).isEqualTo(new Accepted(lead.leadId, 3, 1, List.of("wamid.1", "wamid.2"), java.util.Map.of(), true));
    assertThat(result.events()).containsExactly(
        new LeadCreated(TENANT, lead.leadId, CHANNEL, List.of(PHONE, WA_ID), "enc:Amara", NOW),
        new MessageReceived(TENANT, lead.leadId, message("wamid.1"), NOW),
        new MessageReceived(TENANT, lead.leadId, message("wamid.2"), NOW));
    assertThat(result.state().getInboundCount()).isEqualTo(2);
  }

  @Test
  void aDuplicateDeliveryPersistsNothingAndIsCountedAsDuplicate() {
    LeadUnderTest lead = new LeadUnderTest(testKit, defaults());
    lead.receive(List.of(PHONE, WA_ID), message("wamid.1"));

    var again = lead.receive(List.of(PHONE, WA_ID), message("wamid.1"));

    assertThat(again.hasNoEvents()).isTrue();
    assertThat(again.reply().getValue()).isEqualTo(new Accepted(lead.leadId, 0, 1));
    assertThat(lead.kit.persistenceTestKit().persistedInStorage(lead.persistenceId)).hasSize(2);
  }

  @Test
  void aNewIdentifierIsAttachedAlongsideAFreshMessage() {
    LeadUnderTest lead = new LeadUnderTest(testKit, defaults());
    lead.receive(List.of(PHONE, WA_ID), message("wamid.1"));

    var result = lead.receive(List.of(PHONE, BSUID), message("wamid.2"));

    assertThat(result.events()).containsExactly(
        new IdentifierAttached(TENANT, lead.leadId, BSUID, NOW),
        new MessageReceived(TENANT, lead.leadId, message("wamid.2"), NOW));
    assertThat(result.reply().getValue()).isEqualTo(new Accepted(lead.leadId, 2, 0, List.of("wamid.2")));
    assertThat(lead.get().identifiers()).containsExactly(PHONE, WA_ID, BSUID);
  }

  @Test
  void afterARestartTheDuplicateIsStillRejectedAndTheLeadIsTheSame() {
    LeadUnderTest lead = new LeadUnderTest(testKit, defaults());
    lead.receive(List.of(PHONE, WA_ID), message("wamid.1"));
    lead.receive(List.of(PHONE, BSUID), message("wamid.2"));
    LeadSnapshot before = lead.get();

    Lead recovered = lead.kit.restart().state();

    assertThat(recovered.getInboundCount()).isEqualTo(2);
    var again = lead.receive(List.of(PHONE, WA_ID), message("wamid.2"), message("wamid.1"));
    assertThat(again.hasNoEvents()).isTrue();
    assertThat(again.reply().getValue()).isEqualTo(new Accepted(lead.leadId, 0, 2));
    LeadSnapshot after = lead.get();
    assertThat(after).isEqualTo(before);
    assertThat(after.identifiers()).containsExactly(PHONE, WA_ID, BSUID);
    assertThat(after.inboundCount()).isEqualTo(2);
    assertThat(after.recentMessageIds()).containsExactly("wamid.1", "wamid.2");
  }

  @Test
  void statusesNeverMoveBackwardsAcrossARestart() {
    LeadUnderTest lead = new LeadUnderTest(testKit, defaults());
    lead.receive(List.of(PHONE), message("wamid.1"));
    var read = lead.statuses(status("wamid.out", "sent"), status("wamid.out", "read"));
    assertThat(read.events()).containsExactly(
        new MessageStatusChanged(TENANT, lead.leadId, status("wamid.out", "sent"), NOW),
        new MessageStatusChanged(TENANT, lead.leadId, status("wamid.out", "read"), NOW));
    assertThat(read.reply().getValue()).isEqualTo(new Accepted(lead.leadId, 2, 0));

    assertThat(lead.kit.restart().state().statusOf("wamid.out")).isEqualTo("read");
    var late = lead.statuses(status("wamid.out", "delivered"));

    assertThat(late.hasNoEvents()).isTrue();
    assertThat(late.reply().getValue()).isEqualTo(new Accepted(lead.leadId, 0, 1));
    assertThat(late.state().statusOf("wamid.out")).isEqualTo("read");
  }

  @Test
  void everyEventCarriesTheLeadsSliceTag() throws Exception {
    LeadEntity.Settings settings = defaults();
    LeadUnderTest lead = new LeadUnderTest(testKit, settings);
    lead.receive(List.of(PHONE, WA_ID), message("wamid.1"));
    lead.receive(List.of(PHONE, BSUID), message("wamid.2"));
    lead.statuses(status("wamid.out", "delivered"));
    String tag = LeadEntity.tagFor(lead.entityId, settings.tagSlices());

    PersistenceTestKitReadJournal journal =
        PersistenceQuery.get(testKit.system().classicSystem())
            .getReadJournalFor(PersistenceTestKitReadJournal.class, PersistenceTestKitReadJournal.Identifier());

    assertThat(LeadEntity.allTags(settings.tagSlices())).contains(tag);
    for (String candidate : LeadEntity.allTags(settings.tagSlices())) {
      List<Object> tagged =
          journal.currentEventsByTag(candidate, Offset.noOffset())
              .filter(envelope -> envelope.persistenceId().equals(lead.persistenceId))
              .map(EventEnvelope::event)
              .runWith(Sink.seq(), testKit.system())
              .toCompletableFuture()
              .get(5, TimeUnit.SECONDS);
      if (candidate.equals(tag)) {
        assertThat(tagged).as("events under %s", candidate).hasSize(5)
            .hasOnlyElementsOfTypes(LeadCreated.class, MessageReceived.class, IdentifierAttached.class,
                MessageStatusChanged.class);
      } else {
        assertThat(tagged).as("events under %s", candidate).isEmpty();
      }
    }
  }

  @Test
  void theTagIsAStableSliceWithinRange() {
    int slices = 4;
    List<String> allTags = LeadEntity.allTags(slices);
    assertThat(allTags).containsExactly("lead-0", "lead-1", "lead-2", "lead-3");
    List<String> tags =
        IntStream.range(0, 200).mapToObj(i -> LeadEntity.tagFor(LeadEntity.entityId(TENANT, "lead-" + i), slices))
            .toList();
    assertThat(allTags).containsAll(tags);
    assertThat(tags).as("ids spread over every slice").containsAll(allTags);
    assertThat(LeadEntity.tagFor("tenant-acme:lead-42", slices)).isEqualTo(LeadEntity.tagFor("tenant-acme:lead-42", slices));
    // String.hashCode is specified by the JLS, so the slice of an id never changes between JVMs
    assertThat(LeadEntity.tagFor("tenant-acme:lead-42", slices))
        .isEqualTo("lead-" + Math.floorMod("tenant-acme:lead-42".hashCode(), slices));
  }

  @Nested
  class Snapshots {

    private final LeadEntity.Settings everyTwoEvents = new LeadEntity.Settings(100, 2, 4);

    /**
     * A snapshot taken at sequence number N must hold exactly the state after N events, whatever the entity does
     * afterwards. The in-memory snapshot store keeps the object it is handed — as a real store does until it gets
     * round to serializing it on its own thread — so a state mutated in place after the snapshot leaks later events
     * into it, and recovery then applies those events a second time.
     */
    @Test
    void aSnapshotHoldsTheStateAtItsSequenceNumberAndRecoveryIsIntact() {
      LeadUnderTest lead = new LeadUnderTest(testKit, everyTwoEvents);
      lead.receive(List.of(PHONE, WA_ID), message("wamid.1")); // seq 1-2: snapshot at 2
      lead.receive(List.of(PHONE, BSUID), message("wamid.2")); // seq 3-4: snapshot at 4
      lead.receive(List.of(PHONE), message("wamid.3")); // seq 5: replayed on top of the snapshot at 4
      LeadSnapshot before = lead.get();

      List<Pair<SnapshotMeta, Object>> snapshots =
          lead.kit.snapshotTestKit().orElseThrow().persistedInStorage(lead.persistenceId);
      Pair<SnapshotMeta, Object> latest = snapshots.get(snapshots.size() - 1);
      assertThat(latest.first().sequenceNr()).isEqualTo(4);
      assertThat(((Lead) latest.second()).getInboundCount()).as("snapshot at seq 4 holds two messages").isEqualTo(2);

      Lead recovered = lead.kit.restart().state();

      assertThat(recovered.getInboundCount()).isEqualTo(3);
      assertThat(lead.get()).isEqualTo(before);
    }
  }

  /**
   * The same entity against a snapshot store that serializes what it is given, as a real one does: recovery starts
   * from a Lead decoded from CBOR, not from the object the entity kept.
   */
  @Nested
  class SerializedSnapshots {

    private static ActorTestKit serializingTestKit;

    @BeforeAll
    static void startActorSystem() {
      serializingTestKit =
          ActorTestKit.create(
              "LeadEntitySerializedSnapshotsTest",
              ConfigFactory.parseString("pekko.persistence.testkit.snapshots.serialize = on").withFallback(CONFIG));
    }

    @AfterAll
    static void stopActorSystem() {
      serializingTestKit.shutdownTestKit();
    }

    @Test
    void afterRestartingFromASerializedSnapshotTheLeadIsIntact() {
      LeadUnderTest lead = new LeadUnderTest(serializingTestKit, new LeadEntity.Settings(100, 2, 4));
      var snapshotStore = lead.kit.snapshotTestKit().orElseThrow();
      List<Identifier> many = new ArrayList<>(List.of(PHONE, WA_ID));
      for (int i = 0; i < 10; i++) many.add(identifier(LeadModel.BSUID, "IN.bsuid-" + i));

      lead.receive(many, message("wamid.1")); // seq 1-2
      snapshotStore.expectNextPersistedClass(lead.persistenceId, Lead.class);
      lead.statuses(status("wamid.out", "sent"), status("wamid.out", "read")); // seq 3-4
      snapshotStore.expectNextPersistedClass(lead.persistenceId, Lead.class);
      lead.receive(List.of(PHONE), message("wamid.2")); // seq 5, replayed after the snapshot
      LeadSnapshot before = lead.get();

      Lead recovered = lead.kit.restart().state();

      assertThat(recovered.statusOf("wamid.out")).isEqualTo("read");
      assertThat(recovered.getInboundCount()).isEqualTo(2);
      assertThat(lead.get()).isEqualTo(before);
      assertThat(lead.get().identifiers()).as("identifiers keep the order they were learned in").isEqualTo(many);
      assertThat(lead.receive(List.of(PHONE), message("wamid.1")).hasNoEvents())
          .as("the dedup window survives the snapshot").isTrue();
    }
  }

  // ---- the customer screen (abuse protection) ----

  private static InboundMessage screened(String platformMessageId, Instant sentAt, String digest, boolean gibberish) {
    return new InboundMessage(platformMessageId, CHANNEL, "418800112233445", "text", sentAt, "enc:text", null, null,
        List.of(), null, digest, gibberish);
  }

  @Test
  void abusiveMessagesAreStoredButKeptFromAiWorkAndTheScreenSurvivesARestart() {
    LeadUnderTest lead = new LeadUnderTest(testKit, defaults());
    List<InboundMessage> burst = new java.util.ArrayList<>();
    for (int i = 0; i < 7; i++) burst.add(screened("wamid.fire." + i, SENT_AT.plusSeconds(i), "d" + i, false));
    var fired = lead.receive(List.of(PHONE), burst.toArray(InboundMessage[]::new));

    Accepted accepted = fired.reply().getValue();
    assertThat(accepted.newMessageIds()).hasSize(7);
    assertThat(accepted.screened()).containsOnly(
        java.util.Map.entry("wamid.fire.5", "rapid-fire"), java.util.Map.entry("wamid.fire.6", "rapid-fire"));
    assertThat(accepted.aiWorkMessageIds()).containsExactly(
        "wamid.fire.0", "wamid.fire.1", "wamid.fire.2", "wamid.fire.3", "wamid.fire.4");
    assertThat(fired.events().stream().filter(event -> event instanceof LeadModel.MessageReceived)
        .map(event -> ((LeadModel.MessageReceived) event).aiScreen()))
        .containsExactly(null, null, null, null, null, "rapid-fire", "rapid-fire");

    // the history comes back from the events: one more within the ten seconds is still rapid-fire
    lead.kit.restart();
    var again = lead.receive(List.of(PHONE), screened("wamid.fire.7", SENT_AT.plusSeconds(8), "d7", false));
    assertThat(again.reply().getValue().screened()).containsOnly(java.util.Map.entry("wamid.fire.7", "rapid-fire"));

    // a minute later: the same text a third time is repetition, mashed keys are gibberish, the rest goes through
    Instant later = SENT_AT.plusSeconds(60);
    var mixed = lead.receive(List.of(PHONE),
        screened("wamid.rep.1", later, "price?", false), screened("wamid.rep.2", later.plusSeconds(3), "price?", false),
        screened("wamid.rep.3", later.plusSeconds(20), "price?", false),
        screened("wamid.mash", later.plusSeconds(40), "asdf", true),
        screened("wamid.ok", later.plusSeconds(60), "budget", false));
    assertThat(mixed.reply().getValue().screened()).containsOnly(
        java.util.Map.entry("wamid.rep.3", "repetition"), java.util.Map.entry("wamid.mash", "gibberish"));
    assertThat(mixed.reply().getValue().createdLead()).isFalse();
    assertThat(lead.get().inboundCount()).isEqualTo(13);
  }
}
