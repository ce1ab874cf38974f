package io.flexoraa.engine.ports;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Sends one outbound message through Meta's Graph API. The message id is ours and is the idempotency key: the same
 * id is never sent twice, and a repeated call answers with the first result.
 */
public interface MetaSender {
  CompletionStage<SendResult> send(OutboundSend send);

  /**
   * One message for one recipient. {@code recipientId} is the plain platform id (wa_id, IGSID or PSID): the sender is
   * the only place it is needed in clear. {@code commentId} makes an Instagram send a private reply to that comment.
   * {@code messagingType} ({@code RESPONSE}, {@code UPDATE}, {@code MESSAGE_TAG}) and {@code tag} (e.g.
   * {@code HUMAN_AGENT}) apply to Instagram and Messenger only.
   */
  record OutboundSend(
      String tenantId, String channel, String accountExternalId, String messageId, String recipientId,
      String commentId, Content content, String messagingType, String tag) {}

  /** What is sent. */
  sealed interface Content {
    record Text(String body) implements Content {}

    record Template(String name, String language, List<String> bodyParameters) implements Content {
      public Template {
        bodyParameters = bodyParameters == null ? List.of() : List.copyOf(bodyParameters);
      }
    }

    /** {@code kind}: image, video, audio or document. */
    record Media(String kind, String link, String caption) implements Content {}

    /** A WhatsApp interactive object (buttons, list) as JSON. */
    record Interactive(String json) implements Content {}
  }

  record SendResult(Outcome outcome, String platformMessageId, Integer errorCode, String errorDetail, int attempts) {
    public boolean sent() {
      return outcome == Outcome.SENT;
    }
  }

  /** How a send ended; every Meta error the engine acts on has its own outcome. */
  enum Outcome {
    SENT,
    /** 131047: the customer-service window is closed; a template must go instead. */
    WINDOW_CLOSED,
    /** 131049: Meta held back a marketing message to this user; back off the user for 24 h. */
    USER_BACKOFF,
    /** 131056: too many messages to this user from this number; wait. */
    PAIR_RATE,
    /** 131026: the recipient cannot receive the message. */
    UNDELIVERABLE,
    /** 190 and other authorization errors: the account's token must be renewed; alert the tenant. */
    TOKEN_INVALID,
    /** Retries exhausted on 429, 130429, 80007, 4 or 613. */
    RATE_LIMITED,
    /** Retries exhausted on 5xx, or an answer that never came (the message may or may not have been accepted). */
    SERVER_ERROR,
    /** Any other error. */
    REJECTED,
    /** No access token is stored for the account. */
    NO_CREDENTIALS
  }
}
