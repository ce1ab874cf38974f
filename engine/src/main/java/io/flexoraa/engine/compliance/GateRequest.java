package io.flexoraa.engine.compliance;

import io.flexoraa.engine.CborSerializable;
import java.time.Instant;

/**
 * One outbound message as the compliance gate sees it: who it goes to (a blind index, never the plain id), on which
 * account, written by whom, in which form, and what the caller knows of the lead's consent and last inbound
 * message on this channel. {@code messageId} is ours and makes deciding idempotent.
 */
public record GateRequest(
    String messageId, String tenantId, String leadId, String channel, String accountExternalId,
    String businessAccountId, String recipientKey, Author author, Form form, String templateName, String language,
    String purpose, int textBytes, String commentId, Instant commentAt, Instant lastInboundAt, boolean optedOut,
    boolean marketingOptIn, boolean forceTemplate)
    implements CborSerializable {

  /** Who wrote the message: the HUMAN_AGENT tag and the automated-DM budget depend on it. */
  public enum Author { AI, HUMAN, CAMPAIGN }

  public enum Form { FREE_FORM, TEMPLATE }

  /** AI replies and campaigns are automated; only a human's reply may carry HUMAN_AGENT. */
  public boolean automated() {
    return author != Author.HUMAN;
  }
}
