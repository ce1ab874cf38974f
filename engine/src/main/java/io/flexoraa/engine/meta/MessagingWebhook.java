package io.flexoraa.engine.meta;

import java.time.Instant;
import java.util.List;

/**
 * An Instagram (object {@code instagram}) or Messenger (object {@code page}) webhook POST taken apart into what the
 * engine routes. Every item names {@code accountId}, the {@code entry.id} it came under: the tenant's Instagram
 * account id or Facebook page id. What could not be understood is kept verbatim in {@code unparsed}, never dropped.
 *
 * <p>{@code channel} is {@code instagram} or {@code messenger}, or null when the body had no {@code object} (some
 * of Meta's test tools and examples omit it): the account id then decides the channel.
 */
public record MessagingWebhook(String channel, List<Item> items, List<Unparsed> unparsed) {

  public MessagingWebhook {
    items = List.copyOf(items);
    unparsed = List.copyOf(unparsed);
  }

  /** One thing the POST reported, under one account. */
  public sealed interface Item {
    String accountId();
  }

  /**
   * Something the person wrote or did in the conversation: a text, an attachment, a story mention or reply, a
   * reaction, a postback, a quick reply, a referral, a plain opt-in, an edit, an Instagram comment. {@code type} is
   * the kind ({@code text}, {@code image}, {@code story_mention}, {@code reaction}, {@code postback}, {@code comment}
   * ...); {@code text} is its human-readable content (the text, the emoji, the button title), or null.
   * {@code platformMessageId} is Meta's {@code mid} or comment id, or an id derived from the item itself for events
   * that have none (a postback without mid, a referral), so that Meta's retries repeat it.
   */
  public record Inbound(
      String accountId,
      String senderId,
      String platformMessageId,
      String type,
      Instant sentAt,
      String text,
      /** The message this one replies to or reacts to (reply_to.mid, reaction.mid, a comment's parent), or null. */
      String contextMessageId,
      /** A name the platform gave (an Instagram comment's username), or null. */
      String profileName,
      /** Delivered in {@code standby[]}: another app owns the conversation, so ours must not answer it. */
      boolean standby,
      String rawJson)
      implements Item {}

  /** A message the account itself sent (from Meta's inbox, another tool, or us), echoed back: outbound. */
  public record Echo(
      String accountId, String recipientId, String platformMessageId, String type, Instant sentAt, String text,
      String appId, String rawJson)
      implements Item {}

  /** The person read the conversation: Messenger up to {@code watermark}, Instagram up to message {@code mid}. */
  public record Read(String accountId, String senderId, Instant watermark, String mid, Instant at) implements Item {}

  /** Messenger delivered these of the account's messages to the person. */
  public record Delivery(String accountId, String senderId, List<String> mids, Instant watermark, Instant at)
      implements Item {
    public Delivery {
      mids = List.copyOf(mids);
    }
  }

  /** The person unsent (deleted) one of their messages. */
  public record Deleted(String accountId, String senderId, String mid, Instant at) implements Item {}

  /**
   * A Messenger marketing-messages opt-in ({@code optin.type = notification_messages}): the token the page sends
   * them with, its frequency and expiry; {@code status} {@code STOP_NOTIFICATIONS} withdraws it,
   * {@code RESUME_NOTIFICATIONS} (or none) gives it.
   */
  public record NotificationOptIn(
      String accountId, String senderId, String token, String frequency, Instant expiresAt, String status,
      String topic, Instant at, String rawJson)
      implements Item {
    public boolean granted() {
      return !"STOP_NOTIFICATIONS".equals(status);
    }
  }

  /**
   * Something about the account rather than a conversation: Instagram mentions, story insights, the account's own
   * comments, policy enforcement, handover of thread control, account linking, checkout updates, events nobody
   * knows yet. Kept verbatim as a platform update of the channel account.
   */
  public record AccountEvent(String accountId, String field, String valueJson) implements Item {}

  /** Something in the POST that could not be placed (no sender, no event, not an object), with the reason. */
  public record Unparsed(String reason, String accountId, String json) {}
}
