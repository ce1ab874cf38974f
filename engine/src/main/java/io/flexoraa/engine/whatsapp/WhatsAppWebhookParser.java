package io.flexoraa.engine.whatsapp;

import static io.flexoraa.engine.whatsapp.WhatsAppFields.epochSeconds;
import static io.flexoraa.engine.whatsapp.WhatsAppFields.isAllDigits;
import static io.flexoraa.engine.whatsapp.WhatsAppFields.objects;
import static io.flexoraa.engine.whatsapp.WhatsAppFields.text;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flexoraa.engine.whatsapp.WhatsAppWebhook.AccountChange;
import io.flexoraa.engine.whatsapp.WhatsAppWebhook.InboundMessage;
import io.flexoraa.engine.whatsapp.WhatsAppWebhook.MessagesChange;
import io.flexoraa.engine.whatsapp.WhatsAppWebhook.StatusUpdate;
import io.flexoraa.engine.whatsapp.WhatsAppWebhook.UnparsedChange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Takes apart a WhatsApp Cloud API webhook POST whose signature the caller has already checked.
 *
 * <p>Meta retries a POST that is not acknowledged, so a parser that throws would turn one odd payload into an
 * endless retry loop. Hence nothing here throws on JSON input: every message, status and non-message change ends
 * up in exactly one of the three lists of {@link WhatsAppWebhook}, and what cannot be understood is kept verbatim
 * in {@code unparsed} with the reason, for an operator to look at.
 */
public final class WhatsAppWebhookParser {

  static final String BUSINESS_ACCOUNT_OBJECT = "whatsapp_business_account";
  static final String MESSAGES_FIELD = "messages";

  /** Keys of a {@code messages} change value that the parser consumes; others are reported, not dropped. */
  private static final Set<String> MESSAGES_VALUE_KEYS =
      Set.of("messaging_product", "metadata", "contacts", "messages", "statuses", "errors");

  /**
   * Fields a WhatsApp Business Account subscription delivers. Only consulted when a body lacks {@code object}: then
   * an unknown field is more likely another product's change (Instagram comments, Page feed) than a new WhatsApp
   * one, so it is not claimed as an account change.
   */
  private static final Set<String> KNOWN_FIELDS = Set.of(
      "messages", "account_alerts", "account_review_update", "account_update", "automatic_events",
      "business_capability_update", "calls", "flows", "history", "message_echoes",
      "message_template_components_update", "message_template_quality_update", "message_template_status_update",
      "partner_solutions", "payment_configuration_update", "phone_number_name_update", "phone_number_quality_update",
      "security", "smb_app_state_sync", "smb_message_echoes", "template_category_update", "tracking_events",
      "user_preferences");

  private final ObjectMapper mapper;

  public WhatsAppWebhookParser(ObjectMapper mapper) {
    this.mapper = Objects.requireNonNull(mapper, "mapper");
  }

  public WhatsAppWebhook parse(JsonNode root, Instant receivedAt) {
    Objects.requireNonNull(receivedAt, "receivedAt");
    try {
      Parse parse = new Parse(receivedAt);
      parse.root(root);
      return parse.result();
    } catch (RuntimeException unexpected) {
      // Last resort for a shape nobody foresaw: keep the whole POST rather than fail the webhook. Partial results
      // are discarded so that no item is reported twice.
      return new WhatsAppWebhook(
          List.of(), List.of(), List.of(new UnparsedChange("parser failure: " + unexpected, json(root))));
    }
  }

  private String json(JsonNode node) {
    if (node == null) {
      return "null";
    }
    try {
      return mapper.writeValueAsString(node);
    } catch (JsonProcessingException | RuntimeException notSerialisable) {
      // A mapper configured to fail on something in the tree must not cost us the payload.
      return node.toString();
    }
  }

  private String jsonOrNull(JsonNode node) {
    return node == null || node.isNull() || node.isMissingNode() ? null : json(node);
  }

  /** The state of one call to {@link #parse}; the parser itself stays stateless and shareable. */
  private final class Parse {
    private final Instant receivedAt;
    private boolean objectMissing;
    private final List<MessagesChange> messageChanges = new ArrayList<>();
    private final List<AccountChange> accountChanges = new ArrayList<>();
    private final List<UnparsedChange> unparsed = new ArrayList<>();

    Parse(Instant receivedAt) {
      this.receivedAt = receivedAt;
    }

    WhatsAppWebhook result() {
      return new WhatsAppWebhook(messageChanges, accountChanges, unparsed);
    }

    void unparsed(String reason, JsonNode node) {
      unparsed.add(new UnparsedChange(reason, json(node)));
    }

    void root(JsonNode root) {
      if (root == null || !root.isObject()) {
        unparsed("body is not a JSON object", root);
        return;
      }
      JsonNode object = root.get("object");
      if (object != null && object.isNull()) {
        object = null;
      }
      if (object != null && !BUSINESS_ACCOUNT_OBJECT.equals(object.textValue())) {
        unparsed("object is not " + BUSINESS_ACCOUNT_OBJECT + ": " + object, root);
        return;
      }
      JsonNode entries = root.get("entry");
      if (entries == null || !entries.isArray()) {
        unparsed("body has no entry array", root);
        return;
      }
      // Meta's own documentation prints some account_update examples without "object"; accept those, but do not
      // claim a Messenger or Instagram body that merely lacks it.
      objectMissing = object == null;
      if (objectMissing && !anyEntryHasChanges(entries)) {
        unparsed("object is missing and no entry carries changes", root);
        return;
      }
      for (JsonNode entry : entries) {
        entry(entry);
      }
      if (messageChanges.isEmpty() && accountChanges.isEmpty() && unparsed.isEmpty()) {
        unparsed("body carries no changes", root);
      }
    }

    private boolean anyEntryHasChanges(JsonNode entries) {
      for (JsonNode entry : entries) {
        if (entry.path("changes").isArray()) {
          return true;
        }
      }
      return false;
    }

    private void entry(JsonNode entry) {
      if (!entry.isObject()) {
        unparsed("entry is not an object", entry);
        return;
      }
      String businessAccountId = text(entry, "id");
      JsonNode changes = entry.get("changes");
      if (changes == null || changes.isNull()) {
        unparsed("entry without changes" + where(businessAccountId, null), entry);
        return;
      }
      if (!changes.isArray()) {
        unparsed("entry changes is not an array" + where(businessAccountId, null), entry);
        return;
      }
      for (JsonNode change : changes) {
        change(businessAccountId, change);
      }
    }

    private void change(String businessAccountId, JsonNode change) {
      if (!change.isObject()) {
        unparsed("change is not an object" + where(businessAccountId, null), change);
        return;
      }
      String field = WhatsAppFields.string(change, "field");
      JsonNode value = change.get("value");
      if (field == null) {
        unparsed("change without field" + where(businessAccountId, null), change);
      } else if (value == null || value.isNull()) {
        unparsed("change without value" + where(businessAccountId, null), change);
      } else if (objectMissing && !KNOWN_FIELDS.contains(field)) {
        unparsed("object is missing and " + field + " is not a WhatsApp field" + where(businessAccountId, null),
            change);
      } else if (MESSAGES_FIELD.equals(field)) {
        messagesChange(businessAccountId, change, value);
      } else {
        // Every other field is account-level (templates, quality, bans, coexistence sync...): kept whole, because
        // compliance needs the exact text Meta sent and new fields keep appearing.
        accountChanges.add(new AccountChange(businessAccountId, field, json(value)));
      }
    }

    private void messagesChange(String businessAccountId, JsonNode change, JsonNode value) {
      JsonNode metadata = value.path("metadata");
      String phoneNumberId = text(metadata, "phone_number_id");
      if (phoneNumberId == null) {
        // Without the phone number id there is no channel to route to.
        unparsed("messages change without metadata.phone_number_id" + where(businessAccountId, null), change);
        return;
      }
      String where = where(businessAccountId, phoneNumberId);
      List<JsonNode> contacts = arrayItems(value, "contacts", where);

      List<InboundMessage> messages = new ArrayList<>();
      for (JsonNode message : arrayItems(value, "messages", where)) {
        InboundMessage parsed = message(message, contacts, where);
        if (parsed != null) {
          messages.add(parsed);
        }
      }
      List<StatusUpdate> statuses = new ArrayList<>();
      for (JsonNode status : arrayItems(value, "statuses", where)) {
        StatusUpdate parsed = status(status, where);
        if (parsed != null) {
          statuses.add(parsed);
        }
      }
      reportUnknownKeys(value, where);
      messageChanges.add(new MessagesChange(
          businessAccountId,
          phoneNumberId,
          text(metadata, "display_phone_number"),
          messages,
          statuses,
          jsonOrNull(value.get("errors"))));
    }

    /** Elements of {@code value[key]}; a non-array or a non-object element is reported instead of skipped. */
    private List<JsonNode> arrayItems(JsonNode value, String key, String where) {
      JsonNode array = value.get(key);
      if (array == null || array.isNull()) {
        return List.of();
      }
      if (!array.isArray()) {
        unparsed("value." + key + " is not an array" + where, array);
        return List.of();
      }
      for (JsonNode element : array) {
        if (!element.isObject()) {
          unparsed("value." + key + " element is not an object" + where, element);
        }
      }
      return objects(array);
    }

    private void reportUnknownKeys(JsonNode value, String where) {
      ObjectNode unknown = mapper.createObjectNode();
      value.properties().forEach(property -> {
        if (!MESSAGES_VALUE_KEYS.contains(property.getKey())) {
          unknown.set(property.getKey(), property.getValue());
        }
      });
      if (!unknown.isEmpty()) {
        Set<String> names = new TreeSet<>();
        unknown.fieldNames().forEachRemaining(names::add);
        unparsed("messages change carries unrecognised keys " + names + where, unknown);
      }
    }

    private InboundMessage message(JsonNode message, List<JsonNode> contacts, String where) {
      String id = text(message, "id");
      if (id == null) {
        unparsed("message without id" + where, message);
        return null;
      }
      String from = text(message, "from");
      String waId = null;
      String userId = text(message, "from_user_id");
      if (isAllDigits(from)) {
        waId = from;
      } else if (from != null && userId == null) {
        // Business-scoped user ids ("US.1234") sometimes arrive in "from"; a phone number is digits only.
        userId = from;
      }
      JsonNode contact = matchingContact(contacts, from, userId);
      if (userId == null) {
        userId = text(contact, "user_id");
      }
      if (waId == null && userId == null) {
        unparsed("message without sender" + where, message);
        return null;
      }
      String type = text(message, "type");
      if (type == null) {
        type = "unknown";
      }
      return new InboundMessage(
          id,
          type,
          epochSeconds(message.get("timestamp"), receivedAt),
          waId,
          userId,
          contact == null ? null : text(contact.path("profile"), "name"),
          WhatsAppFields.contentText(message, type),
          text(message.path("context"), "id"),
          WhatsAppFields.changedToWaId(message, type),
          json(message));
    }

    /**
     * The {@code contacts[]} element describing the sender: matched on wa_id or user id, else the only contact if
     * it does not contradict the message. A contradicting lone contact is ignored, because adopting its user id
     * would tie two different people to one lead in the identity index.
     */
    private JsonNode matchingContact(List<JsonNode> contacts, String from, String userId) {
      for (JsonNode contact : contacts) {
        String contactWaId = text(contact, "wa_id");
        String contactUserId = text(contact, "user_id");
        if ((from != null && from.equals(contactWaId)) || (userId != null && userId.equals(contactUserId))) {
          return contact;
        }
      }
      if (contacts.size() != 1) {
        return null;
      }
      JsonNode only = contacts.get(0);
      String contactWaId = text(only, "wa_id");
      String contactUserId = text(only, "user_id");
      boolean fromAgrees = contactWaId == null || from == null || contactWaId.equals(from);
      boolean userIdAgrees = contactUserId == null || userId == null || contactUserId.equals(userId);
      return fromAgrees && userIdAgrees ? only : null;
    }

    private StatusUpdate status(JsonNode status, String where) {
      String id = text(status, "id");
      if (id == null) {
        unparsed("status without id" + where, status);
        return null;
      }
      String statusValue = text(status, "status");
      if (statusValue == null) {
        unparsed("status without status value" + where, status);
        return null;
      }
      // In a group the recipient id names the group; the person whose receipt this is is the participant.
      boolean group = "group".equals(text(status, "recipient_type"));
      String recipient = text(status, group ? "recipient_participant_id" : "recipient_id");
      String recipientUserId = text(status, group ? "recipient_participant_user_id" : "recipient_user_id");
      String recipientWaId = null;
      if (isAllDigits(recipient)) {
        recipientWaId = recipient;
      } else if (recipient != null && recipientUserId == null) {
        recipientUserId = recipient;
      }
      return new StatusUpdate(
          id,
          statusValue,
          epochSeconds(status.get("timestamp"), receivedAt),
          recipientWaId,
          recipientUserId,
          jsonOrNull(status.get("errors")),
          jsonOrNull(status.get("pricing")),
          json(status));
    }

    private String where(String businessAccountId, String phoneNumberId) {
      StringBuilder where = new StringBuilder(" (business account ")
          .append(businessAccountId == null ? "unknown" : businessAccountId);
      if (phoneNumberId != null) {
        where.append(", phone number id ").append(phoneNumberId);
      }
      return where.append(')').toString();
    }
  }
}
