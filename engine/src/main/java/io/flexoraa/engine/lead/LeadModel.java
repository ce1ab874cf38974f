package io.flexoraa.engine.lead;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.flexoraa.engine.CborSerializable;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
  /** An e-mail address, lower-cased, as a web form or CRM gives it. */
  public static final String EMAIL = "email";
  /** An Instagram-scoped user id (IGSID): how Instagram names the person who wrote to the tenant's account. */
  public static final String IGSID = "igsid";
  /** A page-scoped user id (PSID): how Messenger names the person who wrote to the tenant's page. */
  public static final String PSID = "psid";

  /** Channels a lead writes in on. */
  public static final String WHATSAPP = "whatsapp";
  public static final String INSTAGRAM = "instagram";
  public static final String MESSENGER = "messenger";

  /** The channel of a lead first known through a form, a CRM or an import rather than a messaging platform. */
  public static final String API_CHANNEL = "api";

  /** Consent signals an inbound message can carry (see {@link InboundMessage#consentSignal()}). */
  public static final String OPT_OUT = "opt-out";
  public static final String OPT_IN = "opt-in";

  /** The purpose a keyword such as STOP or START speaks to: being sent messages at all on that channel. */
  public static final String MESSAGING = "messaging";
  /** The purpose of marketing messages (Messenger sends them only to those who opted in). */
  public static final String MARKETING = "marketing";

  /** {@link InboundMessage#intakeScreen()}: the message reached us older than {@code flexoraa.ingest.stale-after}. */
  public static final String STALE_REPLAY = "stale-replay";
  /** {@link InboundMessage#intakeScreen()}: delivered in standby, while another app owns the conversation. */
  public static final String STANDBY = "standby";

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
      String consentSignal,
      /**
       * The keyed digest of the normalized text ({@link io.flexoraa.engine.abuse.TextFingerprint}), null without
       * text and in events recorded before the customer screen existed.
       */
      String textDigest,
      /** Whether intake judged the text keyboard-mashed; null (not judged) in older events. */
      Boolean gibberish,
      /**
       * Why intake already keeps this message from AI work, or null: {@link #STALE_REPLAY} (it reached us long after
       * it was sent), {@link #STANDBY} (another app owns the conversation). Null in older events.
       */
      String intakeScreen)
      implements CborSerializable {
    public InboundMessage {
      changedTo = changedTo == null ? List.of() : List.copyOf(changedTo);
    }

    /** A message intake has no reason to keep from AI work. */
    public InboundMessage(
        String platformMessageId, String channel, String channelAccount, String type, Instant sentAt, String textEnc,
        String contentEnc, String contextMessageId, List<Identifier> changedTo, String consentSignal,
        String textDigest, Boolean gibberish) {
      this(platformMessageId, channel, channelAccount, type, sentAt, textEnc, contentEnc, contextMessageId, changedTo,
          consentSignal, textDigest, gibberish, null);
    }

    /** A message the customer screen knows nothing about (no digest, not judged). */
    public InboundMessage(
        String platformMessageId, String channel, String channelAccount, String type, Instant sentAt, String textEnc,
        String contentEnc, String contextMessageId, List<Identifier> changedTo, String consentSignal) {
      this(platformMessageId, channel, channelAccount, type, sentAt, textEnc, contentEnc, contextMessageId, changedTo,
          consentSignal, null, null, null);
    }

    /** When the customer sent it as far as the screen is concerned: the platform's time, else when it was stored. */
    public Instant screenedAt(Instant storedAt) {
      return sentAt != null ? sentAt : storedAt;
    }
  }

  /** Campaign attribution of a submission, as the form or CRM gave it (not personal data); any part may be null. */
  public record Utm(String source, String medium, String campaign, String term, String content)
      implements CborSerializable {
    public static final Utm NONE = new Utm(null, null, null, null, null);
  }

  /**
   * A lead handed in by a web form, a CRM or a CSV import. {@code submissionId} is the client's idempotency key (or
   * one derived from the CSV row); {@code via} says which door it came through ({@code api}, {@code csv-import});
   * {@code source} is the caller's own label (the form, the campaign site). The {@code Enc} fields are ciphertext
   * under the lead's key, or null.
   */
  public record Submission(
      String submissionId, String via, String source, Utm utm, String nameEnc, String emailEnc, String messageEnc,
      String actor, Instant submittedAt) implements CborSerializable {
    public Submission {
      utm = utm == null ? Utm.NONE : utm;
    }
  }

  /** What verification found, or why it was skipped: a {@link Verification#VERIFIED} or {@link Verification#SKIPPED}. */
  public record Verification(
      String status,
      /** Why verification was skipped (the token budget's refusal, e.g. {@code ai-paused}), else null. */
      String skippedReason,
      Boolean phoneValid,
      Boolean phoneMobileCapable,
      /** The lead that already held one of the submitted identifiers, when there is one. */
      String duplicateOf,
      /** One of the identifiers belonged to a lead that was erased. */
      boolean previouslyErased,
      /** 0–1, two decimals; null when skipped. */
      BigDecimal fraudScore,
      List<String> signals,
      BigDecimal tokensDebited) implements CborSerializable {
    public static final String VERIFIED = "verified";
    public static final String SKIPPED = "skipped";

    public Verification {
      signals = signals == null ? List.of() : List.copyOf(signals);
    }

    public static Verification skipped(String reason) {
      return new Verification(SKIPPED, reason, null, null, null, false, null, List.of(), BigDecimal.ZERO);
    }
  }

  /** A submission as the lead remembers it: whether it created the lead, and its verification once recorded. */
  public record SubmissionView(String submissionId, boolean createdLead, Verification verification)
      implements CborSerializable {}

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

  /**
   * Take in a lead submitted by a form, a CRM or an import: creates the lead when it is new, else attaches the
   * identifiers it did not have. Idempotent on {@code submission.submissionId()}: a repeat persists nothing and is
   * answered with the first outcome.
   */
  public record SubmitLead(
      String tenantId,
      String leadId,
      List<Identifier> identifiers,
      Submission submission,
      ActorRef<StatusReply<SubmissionAccepted>> replyTo)
      implements Command {
    public SubmitLead {
      identifiers = List.copyOf(identifiers);
    }
  }

  /** Record the verification of a submission; the first one recorded stands, a repeat persists nothing. */
  public record RecordVerification(
      String submissionId, Verification verification, ActorRef<StatusReply<SubmissionAccepted>> replyTo)
      implements Command {}

  public record GetLead(ActorRef<LeadSnapshot> replyTo) implements Command {}

  /** The lead's recent conversation as the AI stage reads it ({@link Lead#conversation()}). */
  public record GetConversation(ActorRef<Conversation> replyTo) implements Command {}

  /**
   * A recent inbound message with its encrypted text; {@code at} is when the customer sent it (the platform's time,
   * else when it was stored).
   */
  public record RecentInbound(
      String platformMessageId, String channel, String channelAccount, String type, String textEnc, Instant at,
      Instant receivedAt)
      implements CborSerializable {}

  /** Recent inbound and outbound messages, oldest first, encrypted under the lead's key; empty once anonymized. */
  public record Conversation(
      boolean exists, boolean anonymized, String mergedInto, List<RecentInbound> inbound,
      List<OutboundState> outbound)
      implements CborSerializable {
    public Conversation {
      inbound = inbound == null ? List.of() : List.copyOf(inbound);
      outbound = outbound == null ? List.of() : List.copyOf(outbound);
    }
  }

  // ---- replies ----

  /**
   * What a command changed: events persisted, how many items were already known (duplicates), and the platform ids
   * of the messages stored for the first time, in the order they were stored (their AI work is still to do).
   */
  public record Accepted(
      String leadId, int persistedEvents, int duplicates, List<String> newMessageIds, Map<String, String> screened,
      boolean createdLead)
      implements CborSerializable {
    public Accepted {
      newMessageIds = newMessageIds == null ? List.of() : List.copyOf(newMessageIds);
      screened = screened == null ? Map.of() : Map.copyOf(screened);
    }

    public Accepted(String leadId, int persistedEvents, int duplicates, List<String> newMessageIds) {
      this(leadId, persistedEvents, duplicates, newMessageIds, Map.of(), false);
    }

    public Accepted(String leadId, int persistedEvents, int duplicates) {
      this(leadId, persistedEvents, duplicates, List.of());
    }

    /** The new messages whose AI work may start: those the customer screen let through, in stored order. */
    public List<String> aiWorkMessageIds() {
      return newMessageIds.stream().filter(id -> !screened.containsKey(id)).toList();
    }
  }

  /**
   * The outcome of a submission: the lead it landed on, whether it created that lead, whether this was a repeat of
   * a submission already taken in, its verification (null until recorded), and how many events the command persisted.
   */
  public record SubmissionAccepted(
      String leadId, String submissionId, boolean createdLead, boolean repeated, Verification verification,
      int persistedEvents)
      implements CborSerializable {
    public SubmissionAccepted withPersistedEvents(int events) {
      return new SubmissionAccepted(leadId, submissionId, createdLead, repeated, verification, events);
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

    record UnknownSubmission(String submissionId) implements Rejection {
      @Override
      public String message() {
        return "the lead has no submission " + submissionId;
      }
    }

    record MissingField(String field) implements Rejection {
      @Override
      public String message() {
        return field + " is required";
      }
    }

    /** A merge with a lead that was already merged into another one. */
    record AlreadyMerged(String leadId, String survivorLeadId) implements Rejection {
      @Override
      public String message() {
        return "lead " + leadId + " was already merged into " + survivorLeadId;
      }
    }

    /** A merge with an anonymized lead: its identifiers are gone and must not come back through a merge. */
    record AnonymizedLead(String leadId) implements Rejection {
      @Override
      public String message() {
        return "lead " + leadId + " is anonymized";
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
    @JsonSubTypes.Type(value = LeadAnonymized.class, name = "lead-anonymized.v1"),
    @JsonSubTypes.Type(value = LeadSubmitted.class, name = "lead-submitted.v1"),
    @JsonSubTypes.Type(value = LeadVerified.class, name = "lead-verified.v1"),
    @JsonSubTypes.Type(value = OutboundRequested.class, name = "outbound-requested.v1"),
    @JsonSubTypes.Type(value = OutboundDecided.class, name = "outbound-decided.v1"),
    @JsonSubTypes.Type(value = OutboundSent.class, name = "outbound-sent.v1"),
    @JsonSubTypes.Type(value = OutboundFailed.class, name = "outbound-failed.v1"),
    // Instagram and Messenger, merge (docs/decisions/0020-instagram-messenger-ingest-and-merge.md)
    @JsonSubTypes.Type(value = EchoRecorded.class, name = "echo-recorded.v1"),
    @JsonSubTypes.Type(value = ChannelRead.class, name = "channel-read.v1"),
    @JsonSubTypes.Type(value = MessageDeleted.class, name = "message-deleted.v1"),
    @JsonSubTypes.Type(value = NotificationTokenRecorded.class, name = "notification-token-recorded.v1"),
    @JsonSubTypes.Type(value = LeadAbsorbed.class, name = "lead-absorbed.v1"),
    @JsonSubTypes.Type(value = LeadMergedInto.class, name = "lead-merged-into.v1")
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

  /**
   * {@code aiScreen}: why the customer screen keeps this message from AI work ({@code rapid-fire}, {@code daily-cap},
   * {@code repetition}, {@code gibberish}; {@link io.flexoraa.engine.abuse.CustomerScreen}), or null when it may
   * start — and in events recorded before the screen existed.
   */
  public record MessageReceived(
      String tenantId, String leadId, InboundMessage message, Instant receivedAt, String aiScreen)
      implements Event {
    public MessageReceived(String tenantId, String leadId, InboundMessage message, Instant receivedAt) {
      this(tenantId, leadId, message, receivedAt, null);
    }
  }

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

  /**
   * A form, CRM or import handed this lead in. {@code identifiers} are those the submission carried (also the ones
   * the lead already had); {@code createdLead} says whether it created the lead (then a {@link LeadCreated} precedes
   * it in the same write).
   */
  public record LeadSubmitted(
      String tenantId, String leadId, Submission submission, List<Identifier> identifiers, boolean createdLead,
      Instant at)
      implements Event {
    public LeadSubmitted {
      identifiers = identifiers == null ? List.of() : List.copyOf(identifiers);
    }
  }

  /** The verification of submission {@code submissionId} (PRODUCT §4.1), or why it was skipped. */
  public record LeadVerified(
      String tenantId, String leadId, String submissionId, Verification verification, Instant at)
      implements Event {}

  // ---- outbound messages (replies by people, the AI and campaigns) ----

  /** Who wrote an outbound message. */
  public static final String AUTHOR_HUMAN = "human";
  public static final String AUTHOR_AI = "ai";
  public static final String AUTHOR_CAMPAIGN = "campaign";

  /** What an outbound message is: free text, or a named template with parameters. */
  public static final String FORM_FREE = "free-form";
  public static final String FORM_TEMPLATE = "template";

  /**
   * An outbound message as the lead keeps it. {@code messageId} is ours (the idempotency key through the gate, the
   * sender and the lead); {@code channel} and {@code channelAccount} say where it leaves; the content is ciphertext
   * under the lead's key ({@code textEnc}, {@code parametersEnc}: a JSON array of the template's body parameters).
   * {@code commentId} makes it an Instagram private reply; {@code purpose} picks the template that stands in for free
   * text outside the customer-service window.
   */
  public record Outbound(
      String messageId, String channel, String channelAccount, String author, String actor, String form,
      String textEnc, String templateName, String templateLanguage, String parametersEnc, String commentId,
      String purpose, int textBytes, Instant requestedAt)
      implements CborSerializable {}

  /** Where an outbound message stands: requested, then decided (send, template, defer, block), then sent or failed. */
  public record OutboundState(
      Outbound outbound, String verdict, String rule, String templateName, String templateLanguage,
      Instant notBefore, String platformMessageId, String outcome, Instant updatedAt)
      implements CborSerializable {
    public static final String REQUESTED = "requested";
    public static final String SENT = "sent";
    public static final String FAILED = "failed";

    /** Whether nothing more will happen to it: sent, failed or blocked. */
    public boolean settled() {
      return platformMessageId != null || outcome != null || "block".equals(verdict);
    }
  }

  /**
   * Record an outbound message before anything is decided or sent, so that nothing is lost; idempotent on the
   * message id (a repeat is answered with the message as it stands). The answer also carries what the outbound flow
   * needs to decide: the lead's identifiers, its presence per channel and the consent in force.
   */
  public record RequestOutbound(Outbound outbound, ActorRef<StatusReply<OutboundContext>> replyTo) implements Command {}

  /** The outbound message {@code messageId} as it stands, with the same context as {@link RequestOutbound}. */
  public record GetOutbound(String messageId, ActorRef<StatusReply<OutboundContext>> replyTo) implements Command {}

  /** Record the compliance gate's decision; the same decision again persists nothing. */
  public record RecordOutboundDecision(
      String messageId, String verdict, String rule, String templateName, String templateLanguage, Instant notBefore,
      ActorRef<StatusReply<OutboundContext>> replyTo)
      implements Command {}

  /** Record how sending ended: a platform message id when Meta accepted it, else the outcome that stopped it. */
  public record RecordOutboundResult(
      String messageId, String platformMessageId, String outcome, Integer errorCode,
      ActorRef<StatusReply<OutboundContext>> replyTo)
      implements Command {}

  /** What the outbound flow knows of a lead and of one of its outbound messages (null when unknown). */
  public record OutboundContext(
      boolean exists, boolean anonymized, String tenantId, String leadId, List<Identifier> identifiers,
      Map<String, Lead.ChannelPresence> channels, List<ConsentView> consents, OutboundState message)
      implements CborSerializable {
    public OutboundContext {
      identifiers = identifiers == null ? List.of() : List.copyOf(identifiers);
      channels = channels == null ? Map.of() : Map.copyOf(channels);
      consents = consents == null ? List.of() : List.copyOf(consents);
    }
  }

  public record OutboundRequested(String tenantId, String leadId, Outbound outbound, Instant at) implements Event {}

  public record OutboundDecided(
      String tenantId, String leadId, String messageId, String verdict, String rule, String templateName,
      String templateLanguage, Instant notBefore, Instant at)
      implements Event {}

  /**
   * Meta accepted the message as {@code platformMessageId}. {@code statusSoFar} is a delivery status that reached
   * the lead before this event did (Meta's status webhook can outrun the send's own answer), else null.
   */
  public record OutboundSent(
      String tenantId, String leadId, String messageId, String channel, String platformMessageId, String statusSoFar,
      Instant at)
      implements Event {}

  /** Sending stopped for good: {@code outcome} names why (undeliverable, token-invalid, unconfirmed...). */
  public record OutboundFailed(
      String tenantId, String leadId, String messageId, String outcome, Integer errorCode, Instant at)
      implements Event {}

  // ---- Instagram and Messenger: echoes, reads, deletions, marketing opt-ins; merging two leads ----
  // (docs/decisions/0020-instagram-messenger-ingest-and-merge.md)

  /** A message the tenant's account sent to the lead, as Meta echoed it back (already encrypted). */
  public record OutboundEcho(
      String platformMessageId, String channel, String channelAccount, String type, Instant sentAt, String textEnc,
      String contentEnc, String appId)
      implements CborSerializable {}

  /**
   * A Messenger marketing-messages token of one of the tenant's pages: {@code tokenEnc} is ciphertext under the
   * lead's key, {@code tokenDigest} its blind index (to tell a repeat from a new token); {@code status} is Meta's
   * {@code notification_messages_status} (null when given, {@code STOP_NOTIFICATIONS}, {@code RESUME_NOTIFICATIONS}).
   */
  public record NotificationToken(
      String channel, String channelAccount, String tokenEnc, String tokenDigest, String frequency, Instant expiresAt,
      String status, String topic, Instant at)
      implements CborSerializable {
    public boolean active() {
      return !"STOP_NOTIFICATIONS".equals(status);
    }
  }

  /** Store an echo on the lead it was sent to; idempotent on the message id. */
  public record RecordEcho(String tenantId, String leadId, OutboundEcho echo, ActorRef<StatusReply<Accepted>> replyTo)
      implements Command {}

  /** The lead read the conversation on {@code channel} up to {@code watermark} (Messenger) or message {@code mid}. */
  public record MarkRead(
      String tenantId, String leadId, String channel, Instant watermark, String mid, Instant at,
      ActorRef<StatusReply<Accepted>> replyTo)
      implements Command {}

  /** The lead unsent one of its messages. */
  public record RecordDeletion(
      String tenantId, String leadId, String channel, String platformMessageId, Instant at,
      ActorRef<StatusReply<Accepted>> replyTo)
      implements Command {}

  /**
   * A marketing opt-in (or its withdrawal) with its token: records {@link #MARKETING} consent under
   * {@code consentRecordId} and keeps the token. Idempotent on both.
   */
  public record RecordNotificationOptIn(
      String tenantId, String leadId, String consentRecordId, NotificationToken token,
      ActorRef<StatusReply<Accepted>> replyTo)
      implements Command {}

  /** What a merge needs to know of a lead before it starts. */
  public record DescribeForMerge(ActorRef<MergeCandidate> replyTo) implements Command {}

  /**
   * The absorbing step of a merge, sent to the lead that disappears: it records that it was merged into
   * {@code survivorLeadId} and hands over what the survivor takes. Repeating it is answered the same.
   */
  public record MergeInto(String survivorLeadId, String actor, ActorRef<StatusReply<MergeHandoff>> replyTo)
      implements Command {}

  /**
   * The surviving step of a merge: take the absorbed lead's identifiers (re-encrypted under this lead's key),
   * counts, channel presence, consent and message ids. Idempotent on the absorbed lead's id.
   */
  public record AbsorbLead(
      String absorbedLeadId, MergeHandoff handoff, String actor, ActorRef<StatusReply<MergeOutcome>> replyTo)
      implements Command {}

  /** A lead as a merge sees it: whether it can take part, and on which channels it is known. */
  public record MergeCandidate(
      boolean exists, boolean anonymized, String mergedInto, List<String> channels, List<String> absorbedLeads)
      implements CborSerializable {}

  /** What an absorbed lead hands to its survivor. */
  public record MergeHandoff(
      String leadId, List<Identifier> identifiers, int inboundCount, List<Lead.ChannelPresence> channels,
      List<ConsentView> consents, List<String> messageIds)
      implements CborSerializable {
    public MergeHandoff {
      identifiers = List.copyOf(identifiers);
      channels = List.copyOf(channels);
      consents = List.copyOf(consents);
      messageIds = List.copyOf(messageIds);
    }
  }

  /** A merge as it stands: {@code repeated} when it had already happened and this call changed nothing. */
  public record MergeOutcome(
      String survivorLeadId, String absorbedLeadId, List<String> identifierKinds, List<String> channels,
      boolean repeated)
      implements CborSerializable {}

  /** Meta echoed back a message the tenant's account sent to this lead. */
  public record EchoRecorded(String tenantId, String leadId, OutboundEcho echo, Instant recordedAt) implements Event {}

  /** The lead read everything on {@code channel} sent up to {@code watermark}, or up to and including {@code mid}. */
  public record ChannelRead(
      String tenantId, String leadId, String channel, Instant watermark, String mid, Instant at, Instant recordedAt)
      implements Event {}

  /** The lead unsent message {@code platformMessageId}. */
  public record MessageDeleted(
      String tenantId, String leadId, String channel, String platformMessageId, Instant at, Instant recordedAt)
      implements Event {}

  /** The lead's marketing-messages token for one page, as last reported (given, refreshed or stopped). */
  public record NotificationTokenRecorded(String tenantId, String leadId, NotificationToken token, Instant recordedAt)
      implements Event {}

  /**
   * This lead absorbed {@code absorbedLeadId} (PRODUCT §3): its identifiers (under this lead's key), inbound count,
   * channel presence, consent in force and recent message ids are now this lead's. {@code actor} merged them.
   */
  public record LeadAbsorbed(
      String tenantId, String leadId, String absorbedLeadId, List<Identifier> identifiers, int inboundCount,
      List<Lead.ChannelPresence> channels, List<ConsentView> consents, List<String> messageIds, String actor,
      Instant at)
      implements Event {
    public LeadAbsorbed {
      identifiers = identifiers == null ? List.of() : List.copyOf(identifiers);
      channels = channels == null ? List.of() : List.copyOf(channels);
      consents = consents == null ? List.of() : List.copyOf(consents);
      messageIds = messageIds == null ? List.of() : List.copyOf(messageIds);
    }
  }

  /** This lead was merged into {@code survivorLeadId}; what still reaches it belongs to the survivor's history. */
  public record LeadMergedInto(String tenantId, String leadId, String survivorLeadId, String actor, Instant at)
      implements Event {}
}
