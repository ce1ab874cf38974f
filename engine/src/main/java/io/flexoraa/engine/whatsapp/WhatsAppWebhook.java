package io.flexoraa.engine.whatsapp;

import java.time.Instant;
import java.util.List;

/**
 * A WhatsApp Cloud API webhook POST (object {@code whatsapp_business_account}) taken apart into what the engine
 * routes: message changes per phone-number id, account-level changes per business account, and whatever could
 * not be understood (kept verbatim, never dropped).
 */
public record WhatsAppWebhook(
    List<MessagesChange> messageChanges, List<AccountChange> accountChanges, List<UnparsedChange> unparsed) {

  public WhatsAppWebhook {
    messageChanges = List.copyOf(messageChanges);
    accountChanges = List.copyOf(accountChanges);
    unparsed = List.copyOf(unparsed);
  }

  /** One {@code entry[].changes[]} element with field {@code messages} and a {@code metadata.phone_number_id}. */
  public record MessagesChange(
      String businessAccountId,
      String phoneNumberId,
      String displayPhoneNumber,
      List<InboundMessage> messages,
      List<StatusUpdate> statuses,
      /** {@code value.errors[]} as JSON, or null. */
      String valueErrorsJson) {
    public MessagesChange {
      messages = List.copyOf(messages);
      statuses = List.copyOf(statuses);
    }
  }

  /**
   * One inbound message. The sender is known by phone ({@code fromWaId}), by business-scoped user id
   * ({@code fromUserId}, BSUID) or both; at least one is present.
   */
  public record InboundMessage(
      String platformMessageId,
      /** Meta's type string as sent: text, image, interactive, system, unsupported, some future type... */
      String type,
      Instant sentAt,
      String fromWaId,
      String fromUserId,
      String profileName,
      /** Human-readable content: body, caption, button title, location name, emoji... or null. */
      String text,
      /** {@code context.id}: the message this one replies to, or null. */
      String contextMessageId,
      /** For {@code system} messages of type {@code user_changed_number}: the new wa_id; else null. */
      String changedToWaId,
      /** The whole message object as received, JSON. */
      String rawJson) {}

  /** Delivery status of a message the business sent. */
  public record StatusUpdate(
      String platformMessageId,
      /** sent, delivered, read, played, failed, deleted, or an unknown value kept as is. */
      String status,
      Instant at,
      String recipientWaId,
      String recipientUserId,
      /** {@code errors[]} as JSON, or null. */
      String errorsJson,
      /** {@code pricing} as JSON, or null. */
      String pricingJson,
      String rawJson) {}

  /** A change whose field is not {@code messages} (account_update, templates, quality...), kept for compliance. */
  public record AccountChange(String businessAccountId, String field, String valueJson) {}

  /** Something inside the POST that the parser could not place; kept verbatim with the reason. */
  public record UnparsedChange(String reason, String json) {}
}
