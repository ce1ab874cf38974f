package io.flexoraa.persistence.projection;

import io.flexoraa.engine.lead.LeadModel;
import io.flexoraa.engine.lead.LeadModel.Event;
import io.flexoraa.persistence.live.LiveSignals;

/**
 * What the lead read model's writes announce to the dashboards (docs/decisions/0034-live-feed.md), from the event
 * alone: a message stored or its status moved is {@code lead.message}; anything else on the lead's row is
 * {@code lead.updated}. A merge announces both leads.
 */
final class LeadLiveSignals {
  private static final String INBOUND = "inbound";
  private static final String OUTBOUND = "outbound";

  private LeadLiveSignals() {}

  static void add(LiveSignals live, Event event) {
    String tenant = event.tenantId();
    String lead = event.leadId();
    if (event instanceof LeadModel.MessageReceived received) {
      live.leadMessage(tenant, lead, received.message().platformMessageId(), INBOUND);
    } else if (event instanceof LeadModel.MessageStatusChanged changed) {
      live.leadMessage(tenant, lead, changed.status().platformMessageId(), OUTBOUND);
    } else if (event instanceof LeadModel.OutboundRequested requested) {
      live.leadMessage(tenant, lead, requested.outbound().messageId(), OUTBOUND);
    } else if (event instanceof LeadModel.OutboundDecided decided) {
      live.leadMessage(tenant, lead, decided.messageId(), OUTBOUND);
    } else if (event instanceof LeadModel.OutboundSent sent) {
      live.leadMessage(tenant, lead, sent.messageId(), OUTBOUND);
    } else if (event instanceof LeadModel.OutboundFailed failed) {
      live.leadMessage(tenant, lead, failed.messageId(), OUTBOUND);
    } else if (event instanceof LeadModel.EchoRecorded echo) {
      live.leadMessage(tenant, lead, echo.echo().platformMessageId(), OUTBOUND);
    } else if (event instanceof LeadModel.ChannelRead) {
      live.leadMessage(tenant, lead, null, OUTBOUND);
    } else if (event instanceof LeadModel.MessageDeleted deleted) {
      live.leadMessage(tenant, lead, deleted.platformMessageId(), INBOUND);
    } else if (event instanceof LeadModel.LeadSubmitted submitted) {
      live.leadUpdated(tenant, lead);
      // the submitted text is shown in the conversation as an inbound form message
      if (submitted.submission().messageEnc() != null) {
        live.leadMessage(tenant, lead, "submission:" + submitted.submission().submissionId(), INBOUND);
      }
    } else if (event instanceof LeadModel.LeadAbsorbed absorbed) {
      live.leadUpdated(tenant, lead).leadUpdated(tenant, absorbed.absorbedLeadId());
    } else if (event instanceof LeadModel.LeadMergedInto merged) {
      live.leadUpdated(tenant, lead).leadUpdated(tenant, merged.survivorLeadId());
    } else if (!(event instanceof LeadModel.NotificationTokenRecorded)) {
      live.leadUpdated(tenant, lead);
    }
  }
}
