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

  /** Consent signals an inbound message can carry (see {@link InboundMessage#consentSignal()}). */
  public static final String OPT_OUT = "opt-out";
  public static final String OPT_IN = "opt-in";

  /** The purpose a keyword such as STOP or START speaks to: being sent messages at all on that channel. */
  public static final String MESSAGING = "messaging";

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
      List<Identifier> changedTo,
      /**
       * {@link #OPT_OUT} or {@link #OPT_IN} when the text was exactly an opt-out or opt-in keyword, else null. Decided
       * at intake, the only place that sees the plain text; null in events recorded before consent existed.
       */
      String consentSignal)
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

  /**
   * Record the lead's consent (or its withdrawal) for one purpose on one channel, as evidence for audits. Idempotent
   * on {@code recordId}. {@code ipEnc} and {@code userAgentEnc} are ciphertext under the lead's key, or null;
   * {@code at} is when the lead gave it, null meaning now.
   */
  public record RecordConsent(
      String tenantId,
      String leadId,
      String recordId,
      String channel,
      String purpose,
      boolean granted,
      String source,
      String ipEnc,
      String userAgentEnc,
      String actor,
      Instant at,
      ActorRef<StatusReply<ConsentView>> replyTo)
      implements Command {}

  /**
   * Anonymize the lead (GDPR / DPDP erasure): its identifiers are forgotten, its history and consent evidence kept.
   * Idempotent: a repeat succeeds with the first anonymization and persists nothing.
   */
  public record Anonymize(String requestId, String actor, ActorRef<StatusReply<Anonymized>> replyTo)
      implements Command {}

  public record GetLead(ActorRef<LeadSnapshot> replyTo) implements Command {}

  // ---- replies ----

  /**
   * What a command changed: events persisted, how many items were already known (duplicates), and the platform ids
   * of the messages stored for the first time, in the order they were stored (their AI work is still to do).
   */
  public record Accepted(String leadId, int persistedEvents, int duplicates, List<String> newMessageIds)
      implements CborSerializable {
    public Accepted {
      newMessageIds = newMessageIds == null ? List.of() : List.copyOf(newMessageIds);
    }

    public Accepted(String leadId, int persistedEvents, int duplicates) {
      this(leadId, persistedEvents, duplicates, List.of());
    }
  }

  public record LeadSnapshot(
      boolean exists,
      String tenantId,
      String leadId,
      List<Identifier> identifiers,
      int inboundCount,
      List<String> recentMessageIds,
      boolean anonymized,
      /** The consent in force per (channel, purpose). */
      List<ConsentView> consents)
      implements CborSerializable {}

  /** One consent record as the lead holds it; {@code ipEnc} and {@code userAgentEnc} are ciphertext or null. */
  public record ConsentView(
      String recordId,
      String channel,
      String purpose,
      boolean granted,
      String source,
      String ipEnc,
      String userAgentEnc,
      String actor,
      Instant givenAt,
      Instant recordedAt)
      implements CborSerializable {}

  /** The lead's anonymization: which request did it, who, and when. */
  public record Anonymized(String tenantId, String leadId, String requestId, String actor, Instant at)
      implements CborSerializable {}

  /** Why the lead refused a command; a refused command persists nothing. */
  public sealed interface Rejection {
    String message();

    record UnknownLead() implements Rejection {
      @Override
      public String message() {
        return "the lead does not exist";
      }
    }

    record MissingField(String field) implements Rejection {
      @Override
      public String message() {
        return field + " is required";
      }
    }
  }

  // ---- events ----

  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
  @JsonSubTypes({
    @JsonSubTypes.Type(value = LeadCreated.class, name = "lead-created.v1"),
    @JsonSubTypes.Type(value = IdentifierAttached.class, name = "identifier-attached.v1"),
    @JsonSubTypes.Type(value = MessageReceived.class, name = "message-received.v1"),
    @JsonSubTypes.Type(value = MessageStatusChanged.class, name = "message-status-changed.v1"),
    @JsonSubTypes.Type(value = PhoneNumberChanged.class, name = "phone-number-changed.v1"),
    @JsonSubTypes.Type(value = ConsentRecorded.class, name = "consent-recorded.v1"),
    @JsonSubTypes.Type(value = LeadAnonymized.class, name = "lead-anonymized.v1")
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

  /**
   * The lead gave or withdrew consent for {@code purpose} on {@code channel}. Every explicit signal is recorded, also
   * one that changes nothing, because it is evidence. {@code at} is when the lead gave it.
   */
  public record ConsentRecorded(
      String tenantId,
      String leadId,
      String recordId,
      String channel,
      String purpose,
      boolean granted,
      String source,
      String ipEnc,
      String userAgentEnc,
      String actor,
      Instant at,
      Instant recordedAt)
      implements Event {}

  /** The lead was anonymized on request {@code requestId}; from here on it holds no identifiers. */
  public record LeadAnonymized(String tenantId, String leadId, String requestId, String actor, Instant at)
      implements Event {}
}
