package io.flexoraa.engine.lead;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexoraa.engine.lead.LeadModel.MessageReceived;
import io.flexoraa.engine.testing.JournalShapes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Events and snapshots written before consent and anonymization existed still read, through the same Jackson set-up
 * the journal uses: the fields added since are null (or empty), never an error.
 */
class LeadEventCompatibilityTest {
  private static JournalShapes journal;

  @BeforeAll
  static void start() {
    journal = new JournalShapes("LeadEventCompatibilityTest");
  }

  @AfterAll
  static void stop() {
    journal.close();
  }

  private static Object read(Class<?> type, String json) throws Exception {
    return journal.read(type, json);
  }

  @Test
  void aMessageReceivedWithoutConsentSignalReadsAsAnOrdinaryMessage() throws Exception {
    Object event = read(MessageReceived.class, """
        {"type":"message-received.v1","tenantId":"tenant-acme","leadId":"lead-1","receivedAt":"2026-03-14T09:26:53Z",
         "message":{"platformMessageId":"wamid.1","channel":"whatsapp","channelAccount":"4188","type":"text",
                    "sentAt":"2026-03-14T09:20:00Z","textEnc":"enc:STOP","changedTo":[]}}""");

    assertThat(((MessageReceived) event).message().consentSignal()).isNull();
    assertThat(((MessageReceived) event).message().platformMessageId()).isEqualTo("wamid.1");
  }

  @Test
  void aSnapshotWithoutConsentOrAnonymizationReadsAsALeadWithNeither() throws Exception {
    Lead lead = (Lead) read(Lead.class, """
        {"tenantId":"tenant-acme","leadId":"lead-1","channel":"whatsapp","identifiers":{},
         "recentMessageIds":["wamid.1"],"statusByMessage":{},"inboundCount":1,"lastInboundAt":null}""");

    assertThat(lead.anonymized()).isFalse();
    assertThat(lead.snapshot().consents()).isEmpty();
    assertThat(lead.getRecentConsentRecords()).isEmpty();
    assertThat(lead.getInboundCount()).isEqualTo(1);
  }

  @Test
  void aSnapshotFromBeforeApiIntakeReadsAsALeadWithNoSubmissions() throws Exception {
    Lead lead = (Lead) read(Lead.class, """
        {"tenantId":"tenant-acme","leadId":"lead-1","channel":"whatsapp","identifiers":{},
         "recentMessageIds":["wamid.1"],"statusByMessage":{},"inboundCount":1,"lastInboundAt":null,
         "consents":{},"recentConsentRecords":{},"anonymization":null}""");

    assertThat(lead.getRecentSubmissions()).isEmpty();
    assertThat(lead.submissionOutcome("api:any", false)).isNull();
  }
}
