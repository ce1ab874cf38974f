package io.flexoraa.engine.lead;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexoraa.engine.lead.LeadModel.Command;
import io.flexoraa.engine.lead.LeadModel.Event;
import io.flexoraa.engine.lead.LeadModel.Identifier;
import io.flexoraa.engine.lead.LeadModel.LeadCreated;
import io.flexoraa.engine.lead.LeadModel.LeadSubmitted;
import io.flexoraa.engine.lead.LeadModel.LeadVerified;
import io.flexoraa.engine.lead.LeadModel.RecordVerification;
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
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Submissions through the Lead entity on the testkit's journal, with serialization checked: the reply says what a
 * submission did, and a restarted entity still recognises a submission id and its verification.
 */
class LeadEntitySubmissionTest {
  private static final Instant NOW = Instant.parse("2026-03-14T09:26:53Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final String TENANT = "tenant-acme";
  private static final Identifier PHONE = new Identifier(LeadModel.PHONE, "bidx:phone", "enc:+919812345678", true);
  private static final Identifier EMAIL = new Identifier(LeadModel.EMAIL, "bidx:email", "enc:priya@example.com", true);
  private static final Verification VERIFIED = new Verification(Verification.VERIFIED, null, true, true, null, false,
      new BigDecimal("0.30"), List.of("disposable-email"), new BigDecimal("0.50"));

  private static ActorTestKit testKit;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create("LeadEntitySubmissionTest", io.flexoraa.engine.EntityTestKit.CONFIG);
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static Submission submission(String id) {
    return new Submission(id, "csv-import", "expo-2026", new Utm("expo", null, null, null, null), "enc:Priya",
        "enc:priya@example.com", null, "user:u1", NOW);
  }

  @Test
  void aSubmissionIsTakenInOnceAndItsVerificationSurvivesARestart() {
    String leadId = "lead-submitted-1";
    EventSourcedBehaviorTestKit<Command, Event, Lead> kit = EventSourcedBehaviorTestKit.create(testKit.system(),
        LeadEntity.create(LeadEntity.entityId(TENANT, leadId), LeadEntity.Settings.fromConfig(
            io.flexoraa.engine.EntityTestKit.CONFIG), CLOCK),
        EventSourcedBehaviorTestKit.enabledSerializationSettings());

    var first = kit.<StatusReply<SubmissionAccepted>>runCommand(
        replyTo -> new SubmitLead(TENANT, leadId, List.of(PHONE, EMAIL), submission("csv:abc"), replyTo));
    assertThat(first.events()).containsExactly(
        new LeadCreated(TENANT, leadId, LeadModel.API_CHANNEL, List.of(PHONE, EMAIL), "enc:Priya", NOW),
        new LeadSubmitted(TENANT, leadId, submission("csv:abc"), List.of(PHONE, EMAIL), true, NOW));
    assertThat(first.reply().getValue()).isEqualTo(new SubmissionAccepted(leadId, "csv:abc", true, false, null, 2));

    var verified = kit.<StatusReply<SubmissionAccepted>>runCommand(
        replyTo -> new RecordVerification("csv:abc", VERIFIED, replyTo));
    assertThat(verified.events()).containsExactly(new LeadVerified(TENANT, leadId, "csv:abc", VERIFIED, NOW));
    assertThat(verified.reply().getValue().verification()).isEqualTo(VERIFIED);

    kit.restart();

    var again = kit.<StatusReply<SubmissionAccepted>>runCommand(
        replyTo -> new SubmitLead(TENANT, leadId, List.of(PHONE, EMAIL), submission("csv:abc"), replyTo));
    assertThat(again.hasNoEvents()).isTrue();
    assertThat(again.reply().getValue()).isEqualTo(new SubmissionAccepted(leadId, "csv:abc", true, true, VERIFIED, 0));
  }

  @Test
  void aVerificationForASubmissionTheLeadNeverTookInIsAnErrorAndPersistsNothing() {
    String leadId = "lead-submitted-2";
    EventSourcedBehaviorTestKit<Command, Event, Lead> kit = EventSourcedBehaviorTestKit.create(testKit.system(),
        LeadEntity.create(LeadEntity.entityId(TENANT, leadId), LeadEntity.Settings.fromConfig(
            io.flexoraa.engine.EntityTestKit.CONFIG), CLOCK),
        EventSourcedBehaviorTestKit.enabledSerializationSettings());
    kit.<StatusReply<SubmissionAccepted>>runCommand(
        replyTo -> new SubmitLead(TENANT, leadId, List.of(PHONE), submission("csv:abc"), replyTo));

    var refused = kit.<StatusReply<SubmissionAccepted>>runCommand(
        replyTo -> new RecordVerification("csv:other", VERIFIED, replyTo));

    assertThat(refused.hasNoEvents()).isTrue();
    assertThat(refused.reply().isError()).isTrue();
    assertThat(refused.reply().getError().getMessage()).isEqualTo("the lead has no submission csv:other");
  }
}
