package io.flexoraa.engine.meta;

import com.fasterxml.jackson.databind.JsonNode;
import io.flexoraa.engine.Digests;
import io.flexoraa.engine.meta.MessagingWebhook.AccountEvent;
import io.flexoraa.engine.meta.MessagingWebhook.Deleted;
import io.flexoraa.engine.meta.MessagingWebhook.Delivery;
import io.flexoraa.engine.meta.MessagingWebhook.Echo;
import io.flexoraa.engine.meta.MessagingWebhook.Inbound;
import io.flexoraa.engine.meta.MessagingWebhook.Item;
import io.flexoraa.engine.meta.MessagingWebhook.NotificationOptIn;
import io.flexoraa.engine.meta.MessagingWebhook.Read;
import io.flexoraa.engine.meta.MessagingWebhook.Unparsed;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Takes apart an Instagram or Messenger webhook POST whose signature the caller has already checked. Like the
 * WhatsApp parser it never throws on JSON input: Meta retries what is not acknowledged, so an odd payload must end
 * up somewhere — an {@link Item} or an {@link Unparsed} with the reason — rather than fail the POST forever.
 *
 * <p>Timestamps come as epoch milliseconds, sometimes epoch seconds (Instagram change entries, some referrals), as
 * numeric strings, or as ISO-8601 strings in test tools; all are read, and an unusable one leaves the time unknown.
 */
public final class MessagingWebhookParser {
  public static final String INSTAGRAM_OBJECT = "instagram";
  public static final String PAGE_OBJECT = "page";

  /** The keys of a messaging item that frame the event rather than being it. */
  private static final Set<String> FRAME = Set.of("sender", "recipient", "timestamp");
  /** Epoch values below this are seconds, above it milliseconds (10^11 ms is 1973, 10^11 s is year 5138). */
  private static final long MILLIS_FROM = 100_000_000_000L;
  /** The id Messenger gives its thumbs-up "like" sticker. */
  private static final String THUMBS_UP_STICKER = "369239263222822";
  private static final DateTimeFormatter COMPACT_OFFSET = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssZ");

  /** Which channel a body is for: {@code instagram}, {@code messenger}, or null when it has no object. */
  public static String channelOf(String object) {
    if (INSTAGRAM_OBJECT.equals(object)) return "instagram";
    if (PAGE_OBJECT.equals(object)) return "messenger";
    return null;
  }

  /** Whether a body without {@code object} looks like a messaging webhook (entries with messaging or standby). */
  public static boolean looksLikeMessaging(JsonNode root) {
    for (JsonNode entry : objects(root.path("entry"))) {
      if (entry.path("messaging").isArray() || entry.path("standby").isArray()) return true;
    }
    return false;
  }

  public MessagingWebhook parse(JsonNode root) {
    String channel = channelOf(root.path("object").asText(null));
    Parse parse = new Parse();
    try {
      parse.root(root);
    } catch (RuntimeException unexpected) {
      // a shape nobody foresaw: keep the whole POST, and nothing of it twice
      return new MessagingWebhook(channel, List.of(),
          List.of(new Unparsed("parser failure: " + unexpected, null, String.valueOf(root))));
    }
    return new MessagingWebhook(channel, parse.items, parse.unparsed);
  }

  /** The state of one call to {@link #parse}. */
  private static final class Parse {
    final List<Item> items = new ArrayList<>();
    final List<Unparsed> unparsed = new ArrayList<>();

    void root(JsonNode root) {
      JsonNode entries = root.get("entry");
      if (entries == null || !entries.isArray()) {
        unparsed.add(new Unparsed("body has no entry array", null, root.toString()));
        return;
      }
      if (entries.isEmpty()) {
        unparsed.add(new Unparsed("body carries no entries", null, root.toString()));
        return;
      }
      for (JsonNode entry : entries) entry(entry);
    }

    void entry(JsonNode entry) {
      String accountId = text(entry, "id");
      if (!entry.isObject() || accountId == null) {
        unparsed.add(new Unparsed("entry without id", null, entry.toString()));
        return;
      }
      Instant entryTime = instant(entry.get("time"));
      boolean any = false;
      for (String list : List.of("messaging", "standby")) {
        JsonNode items = entry.get(list);
        if (items == null || items.isNull()) continue;
        any = true;
        if (!items.isArray()) {
          unparsed.add(new Unparsed("entry " + list + " is not an array", accountId, entry.toString()));
          continue;
        }
        for (JsonNode item : items) messaging(accountId, item, entryTime, list.equals("standby"));
      }
      JsonNode changes = entry.get("changes");
      if (changes != null && !changes.isNull()) {
        any = true;
        if (!changes.isArray()) {
          unparsed.add(new Unparsed("entry changes is not an array", accountId, entry.toString()));
        } else {
          for (JsonNode change : changes) change(accountId, change, entryTime);
        }
      }
      if (!any) unparsed.add(new Unparsed("entry carries neither messaging nor changes", accountId, entry.toString()));
    }

    // ---- entry.changes[] (Instagram comments and mentions, and whatever else the account subscribed to) ----

    void change(String accountId, JsonNode change, Instant entryTime) {
      String field = text(change, "field");
      JsonNode value = change.get("value");
      if (field == null || value == null || value.isNull()) {
        unparsed.add(new Unparsed("change without field or value", accountId, change.toString()));
        return;
      }
      if (!"comments".equals(field)) {
        // mentions have no sender (only media and comment ids): the account's matter, as are insights and the rest
        items.add(new AccountEvent(accountId, field, value.toString()));
        return;
      }
      String commentId = text(value, "id");
      String fromId = text(value.path("from"), "id");
      if (commentId == null || fromId == null) {
        unparsed.add(new Unparsed("comment without id or author", accountId, change.toString()));
      } else if (fromId.equals(accountId)) {
        // the business answering under its own post: not a lead's message
        items.add(new AccountEvent(accountId, field, value.toString()));
      } else {
        Instant at = instant(value.get("timestamp"));
        items.add(new Inbound(accountId, fromId, commentId, "comment", at != null ? at : entryTime,
            text(value, "text"), text(value, "parent_id"), text(value.path("from"), "username"), false,
            value.toString()));
      }
    }

    // ---- entry.messaging[] and entry.standby[] ----

    void messaging(String accountId, JsonNode item, Instant entryTime, boolean standby) {
      if (!item.isObject() || item.isEmpty()) {
        unparsed.add(new Unparsed("empty messaging item", accountId, item.toString()));
        return;
      }
      String event = eventKey(item);
      if (event == null) {
        unparsed.add(new Unparsed("messaging item carries no event", accountId, item.toString()));
        return;
      }
      Instant stamped = instant(item.get("timestamp"));
      Instant at = stamped != null ? stamped : entryTime;
      String senderId = text(item.path("sender"), "id");
      JsonNode body = item.get(event);
      switch (event) {
        case "message" -> message(accountId, item, body, senderId, at, standby);
        case "message_edit" -> needsSender(accountId, item, senderId, () -> new Inbound(accountId, senderId,
            "edit:" + text(body, "mid") + ":" + text(body, "num_edit"), "edit", at, text(body, "text"),
            text(body, "mid"), null, standby, item.toString()));
        case "reaction" -> needsSender(accountId, item, senderId, () -> {
          boolean removed = "unreact".equals(text(body, "action"));
          String emoji = text(body, "emoji") != null ? text(body, "emoji") : text(body, "reaction");
          return new Inbound(accountId, senderId, derivedId("reaction", accountId, item), removed ? "unreaction" : "reaction",
              at, removed ? null : emoji, text(body, "mid"), null, standby, item.toString());
        });
        case "postback" -> needsSender(accountId, item, senderId, () -> new Inbound(accountId, senderId,
            text(body, "mid") != null ? text(body, "mid") : derivedId("postback", accountId, item), "postback", at,
            text(body, "title") != null ? text(body, "title") : text(body, "payload"), null, null, standby,
            item.toString()));
        case "optin" -> optin(accountId, item, body, senderId, at, standby);
        case "referral" -> {
          if (senderId == null) {
            items.add(new AccountEvent(accountId, "messaging.referral", item.toString()));
          } else {
            items.add(new Inbound(accountId, senderId, derivedId("referral", accountId, item), "referral", at,
                referralText(body), null, null, standby, item.toString()));
          }
        }
        case "read" -> needsSender(accountId, item, senderId, () -> new Read(accountId, senderId,
            instant(body.get("watermark")), text(body, "mid"), at));
        case "delivery" -> needsSender(accountId, item, senderId, () -> {
          List<String> mids = new ArrayList<>();
          for (JsonNode mid : body.path("mids")) if (mid.isTextual()) mids.add(mid.textValue());
          return new Delivery(accountId, senderId, mids, instant(body.get("watermark")), at);
        });
        // handover, policy enforcement, account linking, checkout, payments, and events Meta adds later
        default -> items.add(new AccountEvent(accountId, "messaging." + event, item.toString()));
      }
    }

    void message(String accountId, JsonNode item, JsonNode message, String senderId, Instant at, boolean standby) {
      String mid = text(message, "mid");
      if (!message.isObject() || mid == null) {
        unparsed.add(new Unparsed("message without mid", accountId, item.toString()));
        return;
      }
      if (message.path("is_echo").asBoolean(false)) {
        // Meta sends echoes from the account to the person; some tools send them the other way round
        String recipientId = text(item.path("recipient"), "id");
        if (accountId.equals(recipientId)) recipientId = senderId;
        if (recipientId == null) {
          unparsed.add(new Unparsed("echo without recipient", accountId, item.toString()));
          return;
        }
        items.add(new Echo(accountId, recipientId, mid, typeOf(message), at, textOf(message), text(message, "app_id"),
            item.toString()));
        return;
      }
      if (senderId == null) {
        unparsed.add(new Unparsed("message without sender", accountId, item.toString()));
        return;
      }
      if (message.path("is_deleted").asBoolean(false)) {
        items.add(new Deleted(accountId, senderId, mid, at));
        return;
      }
      JsonNode replyTo = message.path("reply_to");
      String context = text(replyTo, "mid") != null ? text(replyTo, "mid") : text(replyTo.path("story"), "id");
      items.add(new Inbound(accountId, senderId, mid, typeOf(message), at, textOf(message), context, null, standby,
          item.toString()));
    }

    void optin(String accountId, JsonNode item, JsonNode optin, String senderId, Instant at, boolean standby) {
      if (senderId == null) {
        // a checkbox-plugin opt-in names the person by user_ref only: no lead to put it on yet
        items.add(new AccountEvent(accountId, "messaging.optin", item.toString()));
      } else if ("notification_messages".equals(text(optin, "type"))) {
        items.add(new NotificationOptIn(accountId, senderId, text(optin, "notification_messages_token"),
            text(optin, "notification_messages_frequency"), instant(optin.get("token_expiry_timestamp")),
            text(optin, "notification_messages_status"), text(optin, "title"), at, item.toString()));
      } else {
        items.add(new Inbound(accountId, senderId, derivedId("optin", accountId, item), "optin", at,
            text(optin, "ref"), null, null, standby, item.toString()));
      }
    }

    void needsSender(String accountId, JsonNode item, String senderId, java.util.function.Supplier<Item> build) {
      if (senderId == null) {
        unparsed.add(new Unparsed("messaging event without sender", accountId, item.toString()));
      } else {
        items.add(build.get());
      }
    }
  }

  // ---- reading a message ----

  /** The first key of a messaging item that is an event, in Meta's order of importance, or null. */
  static String eventKey(JsonNode item) {
    for (String known : List.of("message", "message_edit", "reaction", "postback", "optin", "referral", "read",
        "delivery")) {
      if (item.hasNonNull(known)) return known;
    }
    for (Iterator<String> names = item.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FRAME.contains(name)) return name;
    }
    return null;
  }

  static String typeOf(JsonNode message) {
    JsonNode attachment = firstObject(message.path("attachments"));
    if (message.path("reply_to").has("story")) return "story_reply";
    if (message.hasNonNull("quick_reply")) return "quick_reply";
    if (message.path("is_unsupported").asBoolean(false)) return "unsupported";
    if (attachment != null) {
      String type = text(attachment, "type");
      if ("image".equals(type) && text(attachment.path("payload"), "sticker_id") != null) return "sticker";
      return type == null ? "attachment" : type;
    }
    return "text";
  }

  /** What a person would read: the text, else what the attachment amounts to (a like, a title, a place). */
  static String textOf(JsonNode message) {
    String text = text(message, "text");
    if (text != null) return text;
    JsonNode attachment = firstObject(message.path("attachments"));
    if (attachment == null) return null;
    JsonNode payload = attachment.path("payload");
    String type = String.valueOf(text(attachment, "type"));
    return switch (type) {
      case "like_heart" -> "\u2764\ufe0f";
      case "fallback" -> text(payload, "title");
      case "location" -> {
        JsonNode coordinates = payload.path("coordinates");
        String lat = text(coordinates, "lat");
        String lon = text(coordinates, "long");
        yield lat == null || lon == null ? null : lat + "," + lon;
      }
      case "image" -> THUMBS_UP_STICKER.equals(text(payload, "sticker_id")) ? "\ud83d\udc4d" : null;
      default -> text(payload, "title");
    };
  }

  static String referralText(JsonNode referral) {
    if (text(referral, "ref") != null) return text(referral, "ref");
    return text(referral, "ad_id") == null ? null : "ad " + text(referral, "ad_id");
  }

  /** For events Meta gives no id: derived from the item, so a retried POST derives the same one. */
  static String derivedId(String kind, String accountId, JsonNode item) {
    return kind + ":" + Digests.sha256Hex(accountId, item.toString()).substring(0, 32);
  }

  private static JsonNode firstObject(JsonNode array) {
    List<JsonNode> objects = objects(array);
    return objects.isEmpty() ? null : objects.get(0);
  }

  private static List<JsonNode> objects(JsonNode array) {
    List<JsonNode> result = new ArrayList<>();
    if (array != null && array.isArray()) {
      for (JsonNode element : array) if (element.isObject()) result.add(element);
    }
    return result;
  }

  /** A string or number field as text (ids come as both); absent, empty or structured is null. */
  static String text(JsonNode parent, String field) {
    if (parent == null || !parent.isObject()) return null;
    JsonNode node = parent.get(field);
    if (node == null) return null;
    String value;
    if (node.isTextual()) {
      value = node.textValue();
    } else if (node.isIntegralNumber()) {
      value = node.bigIntegerValue().toString();
    } else if (node.isNumber()) {
      value = node.decimalValue().toPlainString();
    } else {
      return null;
    }
    return value.isEmpty() ? null : value;
  }

  /** Epoch milliseconds or seconds, as a number or a numeric string, or an ISO-8601 string; else null. */
  static Instant instant(JsonNode node) {
    if (node == null || node.isNull()) return null;
    try {
      long value;
      if (node.isIntegralNumber() && node.canConvertToLong()) {
        value = node.longValue();
      } else if (node.isTextual() && node.textValue().trim().matches("\\d{1,18}")) {
        value = Long.parseLong(node.textValue().trim());
      } else if (node.isTextual()) {
        return iso(node.textValue().trim());
      } else {
        return null;
      }
      if (value <= 0) return null;
      return value >= MILLIS_FROM ? Instant.ofEpochMilli(value) : Instant.ofEpochSecond(value);
    } catch (DateTimeException | NumberFormatException unusable) {
      return null;
    }
  }

  private static Instant iso(String value) {
    for (DateTimeFormatter format : List.of(DateTimeFormatter.ISO_OFFSET_DATE_TIME, COMPACT_OFFSET)) {
      try {
        return OffsetDateTime.parse(value, format).toInstant();
      } catch (DateTimeException notThisOne) {
        // try the next
      }
    }
    return null;
  }
}
