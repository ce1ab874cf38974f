package io.flexoraa.engine.lead;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexoraa.engine.lead.Lead.Decision;
import io.flexoraa.engine.lead.LeadModel.Event;
import io.flexoraa.engine.lead.LeadModel.Identifier;
import io.flexoraa.engine.lead.LeadModel.IdentifierAttached;
import io.flexoraa.engine.lead.LeadModel.InboundMessage;
import io.flexoraa.engine.lead.LeadModel.LeadAnonymized;
import io.flexoraa.engine.lead.LeadModel.LeadCreated;
import io.flexoraa.engine.lead.LeadModel.LeadSubmitted;
import io.flexoraa.engine.lead.LeadModel.LeadVerified;
import io.flexoraa.engine.lead.LeadModel.MessageReceived;
import io.flexoraa.engine.lead.LeadModel.RecordVerification;
import io.flexoraa.engine.lead.LeadModel.Rejection;
import io.flexoraa.engine.lead.LeadModel.Submission;
import io.flexoraa.engine.lead.LeadModel.SubmissionAccepted;
import io.flexoraa.engine.lead.LeadModel.SubmitLead;
import io.flexoraa.engine.lead.LeadModel.Utm;
import io.flexoraa.engine.lead.LeadModel.Verification;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Submissions from forms, CRMs and imports in the lead's pure rules: given events, when a submission or a
 * verification, expect exactly these events. The same lead a WhatsApp message created takes a form submission as an
 * attachment; the same submission id twice stores nothing twice.
 */
class LeadSubmissionTest {
  private static final Instant NOW = Instant.parse("2026-03-14T09:26:53Z");
  private static final Instant EARLIER = Instant.parse("2026-03-14T09:20:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final int WINDOW = 100;

  private static final String TENANT = "tenant-acme";
  private static final String LEAD = "lead-7f3a";
  private static final Identifier PHONE = identifier(LeadModel.PHONE, "+919812345678");
  private static final Identifier WA_ID = identifier(LeadModel.WA_ID, "919812345678");
  private static final Identifier EMAIL = identifier(LeadModel.EMAIL, "priya@example.com");
  private static final Utm UTM = new Utm("google", "cpc", "diwali-2026", null, null);

  private static final Verification VERIFIED = new Verification(
      Verification.VERIFIED, null, true, true, null, false, new BigDecimal("0.00"), List.of(), new BigDecimal("0.50"));

  private static Identifier identifier(String kind, String value) {
    return new Identifier(kind, "bidx:" + kind + ":" + value, "enc:" + value, true);
  }

  private static Submission submission(String id) {
    return new Submission(id, "api", "website-form", UTM, "enc:Priya", "enc:priya@example.com", "enc:2BHK please",
        "api-key:k1", EARLIER);
  }

  private static SubmitLead submit(String id, Identifier... identifiers) {
    return new SubmitLead(TENANT, LEAD, List.of(identifiers), submission(id), null);
  }

  private static Lead given(Event... history) {
    Lead lead = Lead.empty();
    for (Event event : history) lead.apply(event, WINDOW);
    return lead;
  }

  private static List<Event> persisted(Decision decision) {
    assertThat(decision).isInstanceOf(Decision.Persist.class);
    return ((Decision.Persist) decision).events();
  }

  private static final LeadCreated FROM_WHATSAPP = new LeadCreated(TENANT, LEAD, "whatsapp", List.of(PHONE, WA_ID), "enc:Priya", EARLIER);
  private static final MessageReceived FIRST_MESSAGE = new MessageReceived(TENANT, LEAD, new InboundMessage(
      "wamid.1", "whatsapp", "4188", "text", EARLIER, "enc:hi", null, null, List.of(), null), EARLIER);

  @Test
  void theFirstSubmissionCreatesTheLeadOnTheApiChannel() {
    List<Event> events = persisted(given().decideSubmit(submit("api:k-1", PHONE, EMAIL), CLOCK));

    assertThat(events).containsExactly(
        new LeadCreated(TENANT, LEAD, LeadModel.API_CHANNEL, List.of(PHONE, EMAIL), "enc:Priya", NOW),
        new LeadSubmitted(TENANT, LEAD, submission("api:k-1"), List.of(PHONE, EMAIL), true, NOW));
  }

  @Test
  void aSubmissionForALeadWhatsAppCreatedAttachesOnlyTheIdentifiersItLacks() {
    Lead lead = given(FROM_WHATSAPP, FIRST_MESSAGE);

    List<Event> events = persisted(lead.decideSubmit(submit("api:k-1", PHONE, EMAIL), CLOCK));

    assertThat(events).containsExactly(
        new IdentifierAttached(TENANT, LEAD, EMAIL, NOW),
        new LeadSubmitted(TENANT, LEAD, submission("api:k-1"), List.of(PHONE, EMAIL), false, NOW));
    events.forEach(event -> lead.apply(event, WINDOW));
    assertThat(lead.getIdentifiers()).containsKeys(PHONE.index(), WA_ID.index(), EMAIL.index());
    assertThat(lead.getChannel()).as("the lead keeps the channel it was created on").isEqualTo("whatsapp");
    assertThat(lead.snapshot().inboundCount()).isEqualTo(1);
    assertThat(lead.submissionOutcome("api:k-1", false))
        .isEqualTo(new SubmissionAccepted(LEAD, "api:k-1", false, false, null, 0));
  }

  @Test
  void theSameSubmissionIdAgainPersistsNothingAndIsAnsweredAsFirstDecided() {
    Lead lead = given(
        new LeadCreated(TENANT, LEAD, LeadModel.API_CHANNEL, List.of(PHONE), "enc:Priya", EARLIER),
        new LeadSubmitted(TENANT, LEAD, submission("api:k-1"), List.of(PHONE), true, EARLIER),
        new LeadVerified(TENANT, LEAD, "api:k-1", VERIFIED, EARLIER));

    assertThat(persisted(lead.decideSubmit(submit("api:k-1", PHONE, EMAIL), CLOCK))).isEmpty();
    assertThat(lead.submissionOutcome("api:k-1", true))
        .isEqualTo(new SubmissionAccepted(LEAD, "api:k-1", true, true, VERIFIED, 0));
  }

  @Test
  void aNewSubmissionIdForTheSameLeadIsANewSubmission() {
    Lead lead = given(
        new LeadCreated(TENANT, LEAD, LeadModel.API_CHANNEL, List.of(PHONE), "enc:Priya", EARLIER),
        new LeadSubmitted(TENANT, LEAD, submission("api:k-1"), List.of(PHONE), true, EARLIER));

    assertThat(persisted(lead.decideSubmit(submit("api:k-2", PHONE), CLOCK)))
        .containsExactly(new LeadSubmitted(TENANT, LEAD, submission("api:k-2"), List.of(PHONE), false, NOW));
  }

  @Test
  void submissionsAreRememberedForTheDedupWindowOnly() {
    Lead lead = Lead.empty();
    lead.apply(new LeadCreated(TENANT, LEAD, LeadModel.API_CHANNEL, List.of(PHONE), null, EARLIER), 2);
    for (String id : List.of("a", "b", "c")) {
      lead.apply(new LeadSubmitted(TENANT, LEAD, submission(id), List.of(PHONE), false, EARLIER), 2);
    }

    assertThat(lead.getRecentSubmissions()).containsOnlyKeys("b", "c");
  }

  @Test
  void anAnonymizedLeadRecordsTheSubmissionButLearnsNoIdentifier() {
    Lead lead = given(FROM_WHATSAPP, new LeadAnonymized(TENANT, LEAD, "req-1", "user:u1", EARLIER));

    assertThat(persisted(lead.decideSubmit(submit("api:k-1", PHONE, EMAIL), CLOCK)))
        .containsExactly(new LeadSubmitted(TENANT, LEAD, submission("api:k-1"), List.of(PHONE, EMAIL), false, NOW));
  }

  @Test
  void aSubmissionNeedsAnIdAnActorAndAnIdentifier() {
    SubmitLead withoutIdentifiers = new SubmitLead(TENANT, LEAD, List.of(), submission("api:k-1"), null);
    SubmitLead withoutId = new SubmitLead(TENANT, LEAD, List.of(PHONE), new Submission(
        " ", "api", null, null, null, null, null, "api-key:k1", EARLIER), null);

    assertThat(given().decideSubmit(withoutIdentifiers, CLOCK))
        .isEqualTo(new Decision.Refuse(new Rejection.MissingField("identifiers")));
    assertThat(given().decideSubmit(withoutId, CLOCK))
        .isEqualTo(new Decision.Refuse(new Rejection.MissingField("submissionId")));
  }

  @Test
  void theFirstVerificationOfASubmissionStands() {
    Lead lead = given(
        new LeadCreated(TENANT, LEAD, LeadModel.API_CHANNEL, List.of(PHONE), "enc:Priya", EARLIER),
        new LeadSubmitted(TENANT, LEAD, submission("api:k-1"), List.of(PHONE), true, EARLIER));

    List<Event> events = persisted(lead.decideVerification(new RecordVerification("api:k-1", VERIFIED, null), CLOCK));
    assertThat(events).containsExactly(new LeadVerified(TENANT, LEAD, "api:k-1", VERIFIED, NOW));
    events.forEach(event -> lead.apply(event, WINDOW));

    Verification later = Verification.skipped("ai-paused");
    assertThat(persisted(lead.decideVerification(new RecordVerification("api:k-1", later, null), CLOCK))).isEmpty();
    assertThat(lead.submissionOutcome("api:k-1", false).verification()).isEqualTo(VERIFIED);
  }

  @Test
  void aVerificationForAnUnknownSubmissionOrLeadIsRefused() {
    Lead lead = given(new LeadCreated(TENANT, LEAD, LeadModel.API_CHANNEL, List.of(PHONE), null, EARLIER));

    assertThat(lead.decideVerification(new RecordVerification("api:nope", VERIFIED, null), CLOCK))
        .isEqualTo(new Decision.Refuse(new Rejection.UnknownSubmission("api:nope")));
    assertThat(given().decideVerification(new RecordVerification("api:k-1", VERIFIED, null), CLOCK))
        .isEqualTo(new Decision.Refuse(new Rejection.UnknownLead()));
  }

  @Test
  void aSkippedVerificationSaysWhyAndCostsNothing() {
    Verification skipped = Verification.skipped("ai-paused");

    assertThat(skipped.status()).isEqualTo(Verification.SKIPPED);
    assertThat(skipped.skippedReason()).isEqualTo("ai-paused");
    assertThat(skipped.fraudScore()).isNull();
    assertThat(skipped.tokensDebited()).isEqualByComparingTo("0");
  }
}
