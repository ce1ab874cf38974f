package io.flexoraa.engine.lead;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexoraa.engine.lead.Lead.Decision;
import io.flexoraa.engine.lead.LeadModel.Anonymized;
import io.flexoraa.engine.lead.LeadModel.ConsentRecorded;
import io.flexoraa.engine.lead.LeadModel.ConsentView;
import io.flexoraa.engine.lead.LeadModel.Event;
import io.flexoraa.engine.lead.LeadModel.Identifier;
import io.flexoraa.engine.lead.LeadModel.InboundMessage;
import io.flexoraa.engine.lead.LeadModel.LeadAnonymized;
import io.flexoraa.engine.lead.LeadModel.LeadCreated;
import io.flexoraa.engine.lead.LeadModel.MessageReceived;
import io.flexoraa.engine.lead.LeadModel.MessageStatusChanged;
import io.flexoraa.engine.lead.LeadModel.RecordConsent;
import io.flexoraa.engine.lead.LeadModel.Rejection;
import io.flexoraa.engine.lead.LeadModel.StatusChange;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The lead's privacy rules without actors — consent evidence, STOP / START keywords, anonymization — in the same
 * given-events / when-decide / expect-events style as {@link LeadTest}.
 */
class LeadPrivacyTest {

  private static final Instant NOW = Instant.parse("2026-03-14T09:26:53Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final Instant EARLIER = Instant.parse("2026-03-14T09:20:00Z");
  private static final Instant YESTERDAY = Instant.parse("2026-03-13T18:00:00Z");
  private static final int WINDOW = 100;

  private static final String TENANT = "tenant-acme";
  private static final String LEAD = "lead-7f3a";
  private static final String CHANNEL = "whatsapp";
  private static final String PHONE_NUMBER_ID = "418800112233445";

  private static final Identifier PHONE = identifier(LeadModel.PHONE, "+919111844757");
  private static final Identifier WA_ID = identifier(LeadModel.WA_ID, "919111844757");
  private static final Identifier BSUID = identifier(LeadModel.BSUID, "IN.1234567890abcdef");

  private static final LeadCreated CREATED =
      new LeadCreated(TENANT, LEAD, CHANNEL, List.of(PHONE, WA_ID), "enc:Amara", EARLIER);

  // ---- fixtures ----

  private static Identifier identifier(String kind, String value) {
    return new Identifier(kind, "bidx:" + kind + ":" + value, "enc:" + value, true);
  }

  private static InboundMessage message(String platformMessageId) {
    return text(platformMessageId, null);
  }

  /** A text message as intake hands it over: encrypted, marked when it was exactly an opt-out or opt-in keyword. */
  private static InboundMessage text(String platformMessageId, String consentSignal) {
    return new InboundMessage(
        platformMessageId, CHANNEL, PHONE_NUMBER_ID, "text", EARLIER, "enc:text of " + platformMessageId, null, null,
        List.of(), consentSignal);
  }

  private static ConsentRecorded keyword(String platformMessageId, boolean granted) {
    return new ConsentRecorded(
        TENANT, LEAD, "inbound:" + platformMessageId, CHANNEL, LeadModel.MESSAGING, granted, "inbound-keyword:whatsapp",
        null, null, "lead", EARLIER, NOW);
  }

  private static RecordConsent consent(String recordId, boolean granted, Instant at) {
    return new RecordConsent(
        TENANT, LEAD, recordId, CHANNEL, "marketing", granted, "web-form:pricing", "enc:203.0.113.7",
        "enc:Mozilla/5.0", "api-key:crm-sync", at, null);
  }

  private static ConsentRecorded recorded(String recordId, boolean granted, Instant at) {
    return new ConsentRecorded(
        TENANT, LEAD, recordId, CHANNEL, "marketing", granted, "web-form:pricing", "enc:203.0.113.7",
        "enc:Mozilla/5.0", "api-key:crm-sync", at, NOW);
  }

  private static final LeadAnonymized ANONYMIZED = new LeadAnonymized(TENANT, LEAD, "erasure-41", "user:dpo", NOW);

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

  private static List<Event> persisted(Decision decision) {
    assertThat(decision).isInstanceOf(Decision.Persist.class);
    return ((Decision.Persist) decision).events();
  }

  private static Rejection refused(Decision decision) {
    assertThat(decision).isInstanceOf(Decision.Refuse.class);
    return ((Decision.Refuse) decision).rejection();
  }

  @Nested
  class Consent {

    @Test
    void consentIsRecordedWithTheTimeTheLeadGaveIt() {
      Lead lead = given(CREATED);

      assertThat(persisted(lead.decideConsent(consent("form-1", true, YESTERDAY), CLOCK)))
          .containsExactly(recorded("form-1", true, YESTERDAY));
    }

    @Test
    void withoutATimeTheConsentWasGivenNow() {
      Lead lead = given(CREATED);

      assertThat(persisted(lead.decideConsent(consent("form-1", true, null), CLOCK)))
          .containsExactly(recorded("form-1", true, NOW));
    }

    @Test
    void aRecordIdAlreadyRecordedPersistsNothing() {
      Lead lead = given(CREATED, recorded("form-1", true, YESTERDAY));

      assertThat(persisted(lead.decideConsent(consent("form-1", true, YESTERDAY), CLOCK))).isEmpty();
      assertThat(lead.consentRecord("form-1")).isEqualTo(
          new ConsentView("form-1", CHANNEL, "marketing", true, "web-form:pricing", "enc:203.0.113.7",
              "enc:Mozilla/5.0", "api-key:crm-sync", YESTERDAY, NOW));
    }

    @Test
    void anUnknownLeadIsRefused() {
      assertThat(refused(Lead.empty().decideConsent(consent("form-1", true, null), CLOCK)))
          .isEqualTo(new Rejection.UnknownLead());
    }

    @Test
    void evidenceWithoutSourceOrActorIsRefused() {
      RecordConsent noSource = new RecordConsent(
          TENANT, LEAD, "form-1", CHANNEL, "marketing", true, " ", null, null, "user:7", null, null);
      RecordConsent noActor = new RecordConsent(
          TENANT, LEAD, "form-1", CHANNEL, "marketing", true, "web-form", null, null, null, null, null);

      assertThat(refused(given(CREATED).decideConsent(noSource, CLOCK))).isEqualTo(new Rejection.MissingField("source"));
      assertThat(refused(given(CREATED).decideConsent(noActor, CLOCK))).isEqualTo(new Rejection.MissingField("actor"));
    }

    @Test
    void theConsentGivenLastIsInForceWhateverTheOrderOfRecording() {
      Lead lead = given(CREATED, recorded("withdrawn-today", false, NOW), recorded("granted-yesterday", true, YESTERDAY));

      assertThat(lead.consentFor(CHANNEL, "marketing").recordId()).isEqualTo("withdrawn-today");
      assertThat(lead.consentFor(CHANNEL, "marketing").granted()).isFalse();
      assertThat(lead.consentRecord("granted-yesterday")).as("kept as evidence").isNotNull();
      assertThat(lead.snapshot().consents()).extracting(ConsentView::recordId).containsExactly("withdrawn-today");
    }

    @Test
    void eachChannelAndPurposeHasItsOwnConsent() {
      Lead lead = given(CREATED, recorded("marketing-yes", true, YESTERDAY), keyword("wamid.stop", false));

      assertThat(lead.consentFor(CHANNEL, "marketing").granted()).isTrue();
      assertThat(lead.consentFor(CHANNEL, LeadModel.MESSAGING).granted()).isFalse();
      assertThat(lead.consentFor("instagram", LeadModel.MESSAGING)).isNull();
    }
  }

  @Nested
  class Keywords {

    @Test
    void stopRecordsTheWithdrawalAlongsideTheMessage() {
      Lead lead = given(CREATED);

      assertThat(whenReceive(lead, List.of(PHONE, WA_ID), text("wamid.stop", LeadModel.OPT_OUT))).containsExactly(
          new MessageReceived(TENANT, LEAD, text("wamid.stop", LeadModel.OPT_OUT), NOW),
          keyword("wamid.stop", false));
    }

    @Test
    void startRecordsConsent() {
      Lead lead = given(CREATED, keyword("wamid.stop", false));

      List<Event> events = whenReceive(lead, List.of(PHONE, WA_ID), text("wamid.start", LeadModel.OPT_IN));

      assertThat(events).containsExactly(
          new MessageReceived(TENANT, LEAD, text("wamid.start", LeadModel.OPT_IN), NOW),
          keyword("wamid.start", true));
      events.forEach(event -> lead.apply(event, WINDOW));
      assertThat(lead.consentFor(CHANNEL, LeadModel.MESSAGING).granted()).isTrue();
    }

    @Test
    void aFirstMessageThatIsStopCreatesTheLeadAlreadyOptedOut() {
      List<Event> events = whenReceive(Lead.empty(), List.of(PHONE, WA_ID), text("wamid.stop", LeadModel.OPT_OUT));

      assertThat(events).containsExactly(
          new LeadCreated(TENANT, LEAD, CHANNEL, List.of(PHONE, WA_ID), "enc:Amara", NOW),
          new MessageReceived(TENANT, LEAD, text("wamid.stop", LeadModel.OPT_OUT), NOW),
          keyword("wamid.stop", false));
    }

    @Test
    void aRetriedWebhookRecordsTheKeywordOnce() {
      Lead lead = Lead.empty();
      List<Event> first = whenReceive(lead, List.of(PHONE, WA_ID), text("wamid.stop", LeadModel.OPT_OUT));
      first.forEach(event -> lead.apply(event, WINDOW));

      List<Event> retry = whenReceive(lead, List.of(PHONE, WA_ID), text("wamid.stop", LeadModel.OPT_OUT));

      assertThat(first).filteredOn(ConsentRecorded.class::isInstance).hasSize(1);
      assertThat(retry).isEmpty();
    }

    /** Past the dedup window the message itself is accepted again; the consent it gave is still known by its id. */
    @Test
    void aKeywordRedeliveredAfterItsMessageLeftTheDedupWindowIsNotRecordedAgain() {
      Lead lead = givenWithWindow(
          1, CREATED, new MessageReceived(TENANT, LEAD, text("wamid.stop", LeadModel.OPT_OUT), EARLIER),
          keyword("wamid.stop", false), new MessageReceived(TENANT, LEAD, message("wamid.later"), EARLIER));

      assertThat(whenReceive(lead, List.of(PHONE), text("wamid.stop", LeadModel.OPT_OUT)))
          .containsExactly(new MessageReceived(TENANT, LEAD, text("wamid.stop", LeadModel.OPT_OUT), NOW));
    }

    @Test
    void everyExplicitSignalIsEvidenceEvenWhenNothingChanges() {
      Lead lead = given(CREATED, keyword("wamid.stop.1", false));

      assertThat(whenReceive(lead, List.of(PHONE), text("wamid.stop.2", LeadModel.OPT_OUT)))
          .contains(keyword("wamid.stop.2", false));
    }

    @Test
    void anOrdinaryMessageRecordsNoConsent() {
      assertThat(whenReceive(given(CREATED), List.of(PHONE), message("wamid.1")))
          .containsExactly(new MessageReceived(TENANT, LEAD, message("wamid.1"), NOW));
    }
  }

  @Nested
  class Anonymization {

    private final StatusChange read = new StatusChange("wamid.out", CHANNEL, "read", EARLIER, null, null);

    private Lead richLead() {
      return given(
          CREATED, new MessageReceived(TENANT, LEAD, message("wamid.1"), EARLIER),
          new LeadModel.IdentifierAttached(TENANT, LEAD, BSUID, EARLIER), keyword("wamid.stop", false),
          new MessageStatusChanged(TENANT, LEAD, read, EARLIER));
    }

    @Test
    void anonymizingRecordsWhoAskedAndWhen() {
      assertThat(persisted(richLead().decideAnonymize("erasure-41", "user:dpo", CLOCK))).containsExactly(ANONYMIZED);
    }

    @Test
    void theIdentifiersAreForgottenWhileCountsDedupIdsStatusesAndConsentStay() {
      Lead lead = richLead();

      lead.apply(ANONYMIZED, WINDOW);

      assertThat(lead.anonymized()).isTrue();
      assertThat(lead.getIdentifiers()).isEmpty();
      assertThat(lead.snapshot().identifiers()).isEmpty();
      assertThat(lead.snapshot().anonymized()).isTrue();
      assertThat(lead.getAnonymization()).isEqualTo(new Anonymized(TENANT, LEAD, "erasure-41", "user:dpo", NOW));
      assertThat(lead.getInboundCount()).isEqualTo(1);
      assertThat(lead.getRecentMessageIds()).containsExactly("wamid.1");
      assertThat(lead.statusOf("wamid.out")).isEqualTo("read");
      assertThat(lead.consentFor(CHANNEL, LeadModel.MESSAGING).granted()).isFalse();
      assertThat(whenReceive(lead, List.of(PHONE), message("wamid.1"))).as("still absorbs retries").isEmpty();
    }

    @Test
    void aSecondAnonymizePersistsNothing() {
      Lead lead = given(CREATED, ANONYMIZED);

      assertThat(persisted(lead.decideAnonymize("erasure-41-retry", "user:dpo", CLOCK))).isEmpty();
      assertThat(lead.getAnonymization().requestId()).as("the first request stays on record").isEqualTo("erasure-41");
    }

    @Test
    void anUnknownLeadIsRefused() {
      assertThat(refused(Lead.empty().decideAnonymize("erasure-41", "user:dpo", CLOCK)))
          .isEqualTo(new Rejection.UnknownLead());
    }

    @Test
    void anAnonymizationWithoutRequestOrActorIsRefused() {
      assertThat(refused(given(CREATED).decideAnonymize("", "user:dpo", CLOCK)))
          .isEqualTo(new Rejection.MissingField("requestId"));
      assertThat(refused(given(CREATED).decideAnonymize("erasure-41", null, CLOCK)))
          .isEqualTo(new Rejection.MissingField("actor"));
    }

    /** A message routed here before the identifiers were retired is kept, but teaches the lead no identifier. */
    @Test
    void anAnonymizedLeadNeverLearnsIdentifiersAgain() {
      Lead lead = given(CREATED, ANONYMIZED);
      InboundMessage numberChange = new InboundMessage(
          "wamid.sys", CHANNEL, PHONE_NUMBER_ID, "system", EARLIER, null, "enc:changed", null,
          List.of(identifier(LeadModel.PHONE, "+919876543210")), null);

      assertThat(whenReceive(lead, List.of(PHONE, WA_ID, BSUID), message("wamid.2"), numberChange)).containsExactly(
          new MessageReceived(TENANT, LEAD, message("wamid.2"), NOW),
          new MessageReceived(TENANT, LEAD, numberChange, NOW));
    }

    @Test
    void recoveringFromTheEventsGivesTheSameAnonymizedLead() {
      Lead live = richLead();
      persisted(live.decideAnonymize("erasure-41", "user:dpo", CLOCK)).forEach(event -> live.apply(event, WINDOW));

      Lead recovered = richLead().apply(ANONYMIZED, WINDOW);

      assertThat(recovered.snapshot()).isEqualTo(live.snapshot());
      assertThat(recovered.copy().snapshot()).isEqualTo(live.snapshot());
      assertThat(recovered.getRecentConsentRecords()).isEqualTo(live.getRecentConsentRecords());
    }
  }
}
