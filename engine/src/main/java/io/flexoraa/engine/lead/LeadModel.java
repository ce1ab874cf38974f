package io.flexoraa.engine.lead;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.flexoraa.engine.CborSerializable;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;

/**
 * Commands, events and replies of the Lead entity. Personal data (names, phone numbers, message text) only ever
 * appears here encrypted under the lead's data key: fields ending in {@code Enc} hold ciphertext.
 */
public final class LeadModel {
  private LeadModel() {}

  /** Kinds of identifier a lead can be known by. */
  public static final String PHONE = "phone";
  public static final String WA_ID = "wa_id";
  public static final String BSUID = "bsuid";

  /** An identifier: its blind index (for look-ups) and its encrypted value (for display). */
  public record Identifier(String kind, String index, String valueEnc, boolean valid) implements CborSerializable {}

  /** A message as it arrived, already encrypted. */
  public record InboundMessage(
      String platformMessageId,
      String channel,
      String channelAccount,
      String type,
      Instant sentAt,
      String textEnc,
      String contentEnc,
      String contextMessageId,
      /** Set when this is WhatsApp's "user changed number" system message: the lead's new phone and wa_id. */
      List<Identifier> changedTo)
      implements CborSerializable {
    public InboundMessage {
      changedTo = changedTo == null ? List.of() : List.copyOf(changedTo);
    }
  }

  /** Delivery status of an outbound message. */
  public record StatusChange(
      String platformMessageId, String channel, String status, Instant at, String errorsJson, String pricingJson)
      implements CborSerializable {}

  // ---- commands ----

  public sealed interface Command extends CborSerializable {}

  /** Store these messages (idempotent on platform message id) and learn any new identifiers of the sender. */
  public record ReceiveMessages(
      String tenantId,
      String leadId,
      List<Identifier> identifiers,
      String profileNameEnc,
      List<InboundMessage> messages,
      ActorRef<StatusReply<Accepted>> replyTo)
      implements Command {
    public ReceiveMessages {
      identifiers = List.copyOf(identifiers);
      messages = List.copyOf(messages);
    }
  }

  /** Record delivery statuses; a status never moves backwards. */
  public record RecordStatuses(
      String tenantId, String leadId, List<StatusChange> statuses, ActorRef<StatusReply<Accepted>> replyTo)
      implements Command {
    public RecordStatuses {
      statuses = List.copyOf(statuses);
    }
  }

  public record GetLead(ActorRef<LeadSnapshot> replyTo) implements Command {}

  // ---- replies ----

  /** What a command changed: events persisted, and how many items were already known (duplicates). */
  public record Accepted(String leadId, int persistedEvents, int duplicates) implements CborSerializable {}

  public record LeadSnapshot(
      boolean exists,
      String tenantId,
      String leadId,
      List<Identifier> identifiers,
      int inboundCount,
      List<String> recentMessageIds)
      implements CborSerializable {}

  // ---- events ----

  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
  @JsonSubTypes({
    @JsonSubTypes.Type(value = LeadCreated.class, name = "lead-created.v1"),
    @JsonSubTypes.Type(value = IdentifierAttached.class, name = "identifier-attached.v1"),
    @JsonSubTypes.Type(value = MessageReceived.class, name = "message-received.v1"),
    @JsonSubTypes.Type(value = MessageStatusChanged.class, name = "message-status-changed.v1"),
    @JsonSubTypes.Type(value = PhoneNumberChanged.class, name = "phone-number-changed.v1")
  })
  public sealed interface Event extends CborSerializable {
    String tenantId();

    String leadId();
  }

  public record LeadCreated(
      String tenantId, String leadId, String channel, List<Identifier> identifiers, String nameEnc, Instant at)
      implements Event {}

  public record IdentifierAttached(String tenantId, String leadId, Identifier identifier, Instant at)
      implements Event {}

  public record MessageReceived(String tenantId, String leadId, InboundMessage message, Instant receivedAt)
      implements Event {}

  public record MessageStatusChanged(String tenantId, String leadId, StatusChange status, Instant recordedAt)
      implements Event {}

  /** WhatsApp reported a new number for this person: the lead keeps its history under the new identifiers. */
  public record PhoneNumberChanged(
      String tenantId, String leadId, String platformMessageId, List<Identifier> newIdentifiers, Instant at)
      implements Event {}
}
