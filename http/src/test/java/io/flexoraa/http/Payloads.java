package io.flexoraa.http;

import java.util.List;
import java.util.stream.Collectors;

/** WhatsApp Cloud API webhook bodies in Meta's shape, built for the tests' own ids and numbers. */
final class Payloads {
  private Payloads() {}

  record Text(String id, String from, String name, String body, long timestamp) {}

  static String texts(String businessAccountId, String phoneNumberId, List<Text> messages) {
    String contacts = messages.stream().map(Text::from).distinct()
        .map(from -> "{\"profile\":{\"name\":\"" + nameOf(messages, from) + "\"},\"wa_id\":\"" + from + "\"}")
        .collect(Collectors.joining(","));
    String body = messages.stream()
        .map(message -> "{\"from\":\"" + message.from() + "\",\"id\":\"" + message.id() + "\",\"timestamp\":\""
            + message.timestamp() + "\",\"type\":\"text\",\"text\":{\"body\":\"" + message.body() + "\"}}")
        .collect(Collectors.joining(","));
    return change(businessAccountId, phoneNumberId, "\"contacts\":[" + contacts + "],\"messages\":[" + body + "]");
  }

  static String text(String businessAccountId, String phoneNumberId, String id, String from, String body) {
    return texts(businessAccountId, phoneNumberId, List.of(new Text(id, from, "Asha Rao", body, 1_760_000_000L)));
  }

  static String status(String businessAccountId, String phoneNumberId, String messageId, String recipient,
      String status, long timestamp) {
    return change(businessAccountId, phoneNumberId, "\"statuses\":[{\"id\":\"" + messageId + "\",\"status\":\"" + status
        + "\",\"timestamp\":\"" + timestamp + "\",\"recipient_id\":\"" + recipient + "\","
        + "\"pricing\":{\"billable\":true,\"pricing_model\":\"PMP\",\"category\":\"utility\"}}]");
  }

  static String numberChange(String businessAccountId, String phoneNumberId, String id, String from, String to) {
    return change(businessAccountId, phoneNumberId, "\"messages\":[{\"from\":\"" + from + "\",\"id\":\"" + id
        + "\",\"timestamp\":\"1760000100\",\"type\":\"system\",\"system\":{\"body\":\"User changed from " + from
        + " to " + to + "\",\"wa_id\":\"" + to + "\",\"type\":\"user_changed_number\"}}]");
  }

  static String change(String businessAccountId, String phoneNumberId, String valueFields) {
    return "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"" + businessAccountId + "\",\"changes\":[{"
        + "\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":\"15550001111\","
        + "\"phone_number_id\":\"" + phoneNumberId + "\"}," + valueFields + "},\"field\":\"messages\"}]}]}";
  }

  private static String nameOf(List<Text> messages, String from) {
    return messages.stream().filter(message -> message.from().equals(from)).findFirst().map(Text::name).orElse("");
  }

  /** A WhatsApp payload fixture from the test resources ({@code /whatsapp/<name>}), as text. */
  static String whatsAppFixture(String name) {
    try (java.io.InputStream in = Payloads.class.getResourceAsStream("/whatsapp/" + name)) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
