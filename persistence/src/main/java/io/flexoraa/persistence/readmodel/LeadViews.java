package io.flexoraa.persistence.readmodel;

import java.time.Instant;
import java.util.List;

/**
 * What the API returns for leads and messages: personal data decrypted, or null and {@code erased} once the lead's
 * key is shredded (erasure or retention). {@code anonymized} marks an approved erasure; {@code phoneMasked} is what
 * is left to show of the number once contact details were masked ({@code piiMaskedAt}).
 */
public final class LeadViews {
  private LeadViews() {}

  public record LeadView(
      String id, String channel, String name, String phone, Boolean phoneValid, String waId, String bsuid,
      Instant firstInboundAt, Instant lastInboundAt, int inboundCount, int outboundCount, String lastStatus,
      Instant lastStatusAt, Instant createdAt, Instant updatedAt, boolean erased, String assignedTo, String phoneMasked,
      boolean anonymized, Instant anonymizedAt, Instant piiMaskedAt, Instant conversationExpiredAt) {}

  public record MessageView(
      String platformMessageId, String direction, String channel, String channelAccount, String type, String status,
      String text, Instant sentAt, Instant receivedAt, Instant statusAt) {}

  public record Page<T>(List<T> items, long total) {}
}
