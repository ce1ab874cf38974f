package io.flexoraa.engine.whatsapp;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Lenient readers for the fields of WhatsApp Cloud API payloads. Every method accepts any node, including null
 * and nodes of the wrong kind, because Meta's shapes drift and the webhook must never fail on them.
 */
final class WhatsAppFields {

  private WhatsAppFields() {}

  /**
   * A scalar field as text, or null. Numbers are accepted because Meta sends some ids and timestamps as numbers in
   * one payload and as strings in another; an empty string counts as absent (a removed reaction, an empty order
   * note).
   */
  static String text(JsonNode parent, String field) {
    if (parent == null || !parent.isObject()) {
      return null;
    }
    return scalar(parent.get(field));
  }

  /** A field that must be a JSON string (names, not values): a number there means the shape is not Meta's. */
  static String string(JsonNode parent, String field) {
    JsonNode node = parent == null ? null : parent.get(field);
    return node != null && node.isTextual() && !node.textValue().isEmpty() ? node.textValue() : null;
  }

  static String scalar(JsonNode node) {
    if (node == null) {
      return null;
    }
    String value;
    if (node.isTextual()) {
      value = node.textValue();
    } else if (node.isNumber()) {
      value = plainNumber(node);
    } else {
      return null;
    }
    return value.isEmpty() ? null : value;
  }

  /** ASCII digits only: {@link Character#isDigit} would let other scripts' digits pass for a phone number. */
  static boolean isAllDigits(String value) {
    if (value == null || value.isEmpty()) {
      return false;
    }
    for (int index = 0; index < value.length(); index++) {
      char character = value.charAt(index);
      if (character < '0' || character > '9') {
        return false;
      }
    }
    return true;
  }

  /**
   * Epoch seconds sent as a string or a number. Anything unusable (missing, "asdf", zero, out of range) yields
   * {@code fallback}: the moment we received the POST is a better guess than dropping the item.
   */
  static Instant epochSeconds(JsonNode node, Instant fallback) {
    if (node == null) {
      return fallback;
    }
    long seconds;
    if (node.isNumber() && node.canConvertToLong()) {
      seconds = node.longValue();
    } else if (node.isTextual() && isAllDigits(node.textValue().trim())) {
      try {
        seconds = Long.parseLong(node.textValue().trim());
      } catch (NumberFormatException tooLong) {
        return fallback;
      }
    } else {
      return fallback;
    }
    if (seconds <= 0) {
      return fallback;
    }
    try {
      return Instant.ofEpochSecond(seconds);
    } catch (DateTimeException outOfRange) {
      return fallback;
    }
  }

  /** The elements of an array node that are objects; anything else in it is not usable as an item. */
  static List<JsonNode> objects(JsonNode array) {
    List<JsonNode> result = new ArrayList<>();
    if (array != null && array.isArray()) {
      for (JsonNode element : array) {
        if (element.isObject()) {
          result.add(element);
        }
      }
    }
    return result;
  }

  /** Human-readable content of a message of the given type, or null when the type carries none. */
  static String contentText(JsonNode message, String type) {
    return switch (type) {
      case "text" -> text(message.path("text"), "body");
      case "image", "video", "audio", "voice", "sticker" -> text(message.path(type), "caption");
      case "document" -> firstPresent(
          text(message.path("document"), "caption"), text(message.path("document"), "filename"));
      case "location" -> location(message.path("location"));
      case "contacts" -> contactNames(message.get("contacts"));
      case "interactive" -> interactive(message.path("interactive"));
      case "button" -> text(message.path("button"), "text");
      case "reaction" -> text(message.path("reaction"), "emoji");
      case "order" -> text(message.path("order"), "text");
      case "system" -> text(message.path("system"), "body");
      case "edit" -> edited(message.path("edit"));
      default -> null;
    };
  }

  /** The new wa_id announced by a number-change system message, or null for any other message. */
  static String changedToWaId(JsonNode message, String type) {
    if (!"system".equals(type)) {
      return null;
    }
    JsonNode system = message.path("system");
    String systemType = text(system, "type");
    // Meta renamed customer_changed_number to user_changed_number; older accounts still receive the old name.
    if (!"user_changed_number".equals(systemType) && !"customer_changed_number".equals(systemType)) {
      return null;
    }
    return firstPresent(text(system, "wa_id"), text(system, "new_wa_id"));
  }

  private static String location(JsonNode location) {
    String name = text(location, "name");
    String address = text(location, "address");
    if (name != null && address != null) {
      // Addresses often begin with the place name already; repeating it reads as a glitch.
      return address.startsWith(name) ? address : name + ", " + address;
    }
    if (name != null || address != null) {
      return firstPresent(name, address);
    }
    String latitude = text(location, "latitude");
    String longitude = text(location, "longitude");
    return latitude == null || longitude == null ? null : latitude + "," + longitude;
  }

  private static String contactNames(JsonNode contacts) {
    List<String> names = new ArrayList<>();
    for (JsonNode contact : objects(contacts)) {
      JsonNode name = contact.path("name");
      String formatted = text(name, "formatted_name");
      if (formatted == null) {
        formatted = joinPresent(" ", text(name, "first_name"), text(name, "last_name"));
      }
      if (formatted != null) {
        names.add(formatted);
      }
    }
    return names.isEmpty() ? null : String.join(", ", names);
  }

  private static String interactive(JsonNode interactive) {
    // Keyed on which reply object is present rather than on interactive.type, which some captures omit.
    if (interactive.has("button_reply")) {
      return text(interactive.get("button_reply"), "title");
    }
    if (interactive.has("list_reply")) {
      JsonNode listReply = interactive.get("list_reply");
      return joinPresent(" — ", text(listReply, "title"), text(listReply, "description"));
    }
    if (interactive.has("nfm_reply")) {
      JsonNode flowReply = interactive.get("nfm_reply");
      return firstPresent(text(flowReply, "body"), text(flowReply, "response_json"));
    }
    return null;
  }

  private static String edited(JsonNode edit) {
    // The edit carries the replacement as a nested message; tolerate it being inlined in the edit object.
    JsonNode replacement = edit.path("message").isObject() ? edit.get("message") : edit;
    if (!replacement.isObject()) {
      return null;
    }
    String type = text(replacement, "type");
    if (type == null || "edit".equals(type)) {
      type = "text";
    }
    return contentText(replacement, type);
  }

  private static String plainNumber(JsonNode number) {
    if (number.isIntegralNumber()) {
      return number.bigIntegerValue().toString();
    }
    try {
      // Plain notation so a coordinate reads "0.00001", not "1.0E-5".
      BigDecimal decimal = number.decimalValue();
      return decimal.stripTrailingZeros().toPlainString();
    } catch (NumberFormatException notFinite) {
      return number.asText();
    }
  }

  private static String firstPresent(String first, String second) {
    return first != null ? first : second;
  }

  private static String joinPresent(String separator, String first, String second) {
    if (first == null || second == null) {
      return firstPresent(first, second);
    }
    return first + separator + second;
  }
}
