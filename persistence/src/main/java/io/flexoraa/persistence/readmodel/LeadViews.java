package io.flexoraa.persistence.readmodel;

import java.time.Instant;
import java.util.List;

/**
 * What the API returns for leads and messages: personal data decrypted, or null and {@code erased} once the lead's
 * key is shredded (erasure or retention). {@code anonymized} marks an approved erasure; {@code phoneMasked} is what
 * is left to show of the number once contact details were masked ({@code piiMaskedAt}). A lead handed in by a form,
 * CRM or import also has its e-mail, first-touch {@code attribution}, {@code submissions} and its latest
 * {@code verification} (null for a lead never submitted, or until its verification is recorded). A lead merged
 * into another names it in {@code mergedInto}; its messages show in that lead's conversation. {@code score} and
 * {@code band} are the AI's latest (null before it scored the lead), {@code language} the one it detected;
 * {@code assignedTo} the SDR working it. {@code slaDueAt} is when the first response is due (the open assignment's
 * SLA, or the queue's while nobody could take the lead: then {@code queuedAt} is set), {@code slaRespondedAt} when
 * the assigned SDR first answered and {@code slaBreachedAt} when the desk recorded a breach. {@code handledBy} is
 * "ai", or "human" while {@code takenOverBy} holds the conversation (since {@code takenOverAt}).
 */
public final class LeadViews {
  private LeadViews() {}

  public record LeadView(
      String id, String channel, String name, String phone, Boolean phoneValid, String waId, String bsuid,
      Instant firstInboundAt, Instant lastInboundAt, int inboundCount, int outboundCount, String lastStatus,
      Instant lastStatusAt, Instant createdAt, Instant updatedAt, boolean erased, String assignedTo, String phoneMasked,
      boolean anonymized, Instant anonymizedAt, Instant piiMaskedAt, Instant conversationExpiredAt, String email,
      Attribution attribution, int submissions, Instant lastSubmittedAt, VerificationView verification,
      String igsid, String psid, String mergedInto, Instant mergedAt, Integer score, String band, String language,
      Instant slaDueAt, Instant slaRespondedAt, Instant slaBreachedAt, Instant queuedAt, String handledBy,
      String takenOverBy, Instant takenOverAt) {}

  /** Source and UTM fields of the first submission that had any; null when none had. */
  public record Attribution(
      String source, String utmSource, String utmMedium, String utmCampaign, String utmTerm, String utmContent) {}

  /** {@code status} verified or skipped (then {@code skippedReason}); {@code fraudScore} 0–1 with its signals. */
  public record VerificationView(
      String status, String skippedReason, Boolean phoneValid, Boolean mobileCapable, String duplicateOf,
      Boolean previouslyErased, java.math.BigDecimal fraudScore, List<String> signals, Instant verifiedAt) {}

  public record MessageView(
      String platformMessageId, String direction, String channel, String channelAccount, String type, String status,
      String text, Instant sentAt, Instant receivedAt, Instant statusAt, String aiScreen, Instant deletedAt,
      OutboundView outbound) {}

  /**
   * Our own outbound message: its id (the one the send API answered with), who wrote it, the compliance gate's
   * decision and rule, when a deferred message goes again, and why sending stopped if it did.
   */
  public record OutboundView(
      String messageId, String author, String decision, String rule, Instant notBefore, String outcome) {}

  public record Page<T>(List<T> items, long total) {}
}
