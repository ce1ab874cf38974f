package io.flexoraa.http.meta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flexoraa.engine.ports.MetaSender.Content;
import io.flexoraa.engine.ports.MetaSender.OutboundSend;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The request bodies of Meta's send endpoints, exactly as Meta documents them, and the message id in their answers.
 * WhatsApp Cloud API: {@code POST /{phone-number-id}/messages} with {@code messaging_product: whatsapp}; Instagram:
 * {@code POST /{ig-account-id}/messages} with {@code recipient.id}, or {@code recipient.comment_id} for a private
 * reply to a comment; Messenger: {@code POST /{page-id}/messages} with {@code recipient.id}, {@code messaging_type}
 * and, for {@code MESSAGE_TAG}, {@code tag}. Instagram and Messenger carry text and media attachments; templates and
 * interactive objects are WhatsApp's alone.
 */
final class GraphMessages {
  static final String WHATSAPP = "whatsapp";
  static final String INSTAGRAM = "instagram";
  static final String MESSENGER = "messenger";

  private static final ObjectMapper MAPPER = new ObjectMapper();
  /** The ids that go into a path: Meta's are digits; ours are validated at registration ([A-Za-z0-9_.-]). */
  private static final Pattern PATH_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  private static final Set<String> MEDIA_KINDS = Set.of("image", "video", "audio", "document");
  private static final Set<String> MESSAGING_TYPES = Set.of("RESPONSE", "UPDATE", "MESSAGE_TAG");

  private GraphMessages() {}

  /** One request: the path below the version and its JSON body. */
  record Request(String path, ObjectNode body) {}

  /** The message cannot be sent as given (an unknown channel, a template on Messenger...): no request is made. */
  static final class InvalidSend extends RuntimeException {
    InvalidSend(String message) {
      super(message, null, false, false);
    }
  }

  static Request of(OutboundSend send) {
    if (send.messageId() == null || send.messageId().isBlank()) throw new InvalidSend("a message id is required");
    if (send.content() == null) throw new InvalidSend("no content");
    String account = pathId(send.accountExternalId());
    if (WHATSAPP.equals(send.channel())) return new Request(account + "/messages", whatsApp(send));
    if (INSTAGRAM.equals(send.channel()) || MESSENGER.equals(send.channel())) {
      return new Request(account + "/messages", pageScoped(send));
    }
    throw new InvalidSend("unknown channel " + send.channel());
  }

  static String pathId(String id) {
    if (id == null || !PATH_ID.matcher(id).matches()) throw new InvalidSend("not a platform id: " + id);
    return id;
  }

  private static ObjectNode whatsApp(OutboundSend send) {
    if (send.recipientId() == null || send.recipientId().isBlank()) throw new InvalidSend("a recipient is required");
    ObjectNode body = MAPPER.createObjectNode()
        .put("messaging_product", "whatsapp")
        .put("recipient_type", "individual")
        .put("to", send.recipientId());
    Content content = send.content();
    if (content instanceof Content.Text text) {
      body.put("type", "text");
      // Meta renders a preview of the first URL only when asked to
      body.putObject("text").put("preview_url", hasLink(text.body())).put("body", required(text.body(), "text"));
    } else if (content instanceof Content.Template template) {
      body.put("type", "template");
      ObjectNode named = body.putObject("template").put("name", required(template.name(), "template name"));
      named.putObject("language").put("code", required(template.language(), "template language"));
      if (!template.bodyParameters().isEmpty()) {
        ArrayNode parameters = named.putArray("components").addObject().put("type", "body").putArray("parameters");
        template.bodyParameters().forEach(value -> parameters.addObject().put("type", "text").put("text", value));
      }
    } else if (content instanceof Content.Media media) {
      String kind = mediaKind(media);
      body.put("type", kind);
      ObjectNode object = body.putObject(kind).put("link", required(media.link(), "media link"));
      // WhatsApp refuses a caption on audio
      if (media.caption() != null && !media.caption().isBlank() && !"audio".equals(kind)) {
        object.put("caption", media.caption());
      }
    } else if (content instanceof Content.Interactive interactive) {
      body.put("type", "interactive");
      body.set("interactive", interactiveObject(interactive.json()));
    }
    return body;
  }

  private static ObjectNode pageScoped(OutboundSend send) {
    ObjectNode body = MAPPER.createObjectNode();
    ObjectNode recipient = body.putObject("recipient");
    if (send.commentId() != null) {
      if (!INSTAGRAM.equals(send.channel())) throw new InvalidSend("private replies to comments are Instagram's");
      recipient.put("comment_id", pathId(send.commentId()));
    } else {
      if (send.recipientId() == null || send.recipientId().isBlank()) throw new InvalidSend("a recipient is required");
      recipient.put("id", send.recipientId());
    }
    // Messenger requires a messaging type; on Instagram it only matters with a tag
    String messagingType = send.messagingType() != null ? send.messagingType()
        : send.tag() != null ? "MESSAGE_TAG" : MESSENGER.equals(send.channel()) ? "RESPONSE" : null;
    if (messagingType != null) {
      if (!MESSAGING_TYPES.contains(messagingType)) throw new InvalidSend("unknown messaging type " + messagingType);
      body.put("messaging_type", messagingType);
    }
    if (send.tag() != null) {
      if (!"MESSAGE_TAG".equals(messagingType)) throw new InvalidSend("a tag needs messaging type MESSAGE_TAG");
      body.put("tag", send.tag());
    } else if ("MESSAGE_TAG".equals(messagingType)) {
      throw new InvalidSend("messaging type MESSAGE_TAG needs a tag");
    }
    ObjectNode message = body.putObject("message");
    Content content = send.content();
    if (content instanceof Content.Text text) {
      message.put("text", required(text.body(), "text"));
    } else if (content instanceof Content.Media media) {
      message.putObject("attachment")
          .put("type", "document".equals(mediaKind(media)) ? "file" : media.kind())
          .putObject("payload").put("url", required(media.link(), "media link"));
    } else {
      throw new InvalidSend("templates and interactive objects are WhatsApp's; " + send.channel() + " has none");
    }
    return body;
  }

  /** WhatsApp answers {@code messages[0].id} (a wamid); Instagram and Messenger {@code message_id}. */
  static String messageId(String channel, JsonNode answer) {
    JsonNode id = WHATSAPP.equals(channel) ? answer.path("messages").path(0).path("id") : answer.path("message_id");
    return id.isTextual() && !id.asText().isBlank() ? id.asText() : null;
  }

  private static String mediaKind(Content.Media media) {
    if (media.kind() == null || !MEDIA_KINDS.contains(media.kind())) {
      throw new InvalidSend("media kind must be one of " + MEDIA_KINDS + ", was " + media.kind());
    }
    return media.kind();
  }

  private static JsonNode interactiveObject(String json) {
    try {
      JsonNode node = json == null ? null : MAPPER.readTree(json);
      if (node == null || !node.isObject()) throw new InvalidSend("the interactive object must be a JSON object");
      return node;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new InvalidSend("the interactive object is not valid JSON");
    }
  }

  private static String required(String value, String what) {
    if (value == null || value.isBlank()) throw new InvalidSend(what + " is required");
    return value;
  }

  private static boolean hasLink(String text) {
    return text != null && (text.contains("https://") || text.contains("http://"));
  }
}
