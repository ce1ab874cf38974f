package io.flexoraa.engine.lead;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.flexoraa.engine.CborSerializable;
import io.flexoraa.engine.abuse.CustomerScreen;
import io.flexoraa.engine.lead.LeadModel.Anonymized;
import io.flexoraa.engine.lead.LeadModel.ConsentRecorded;
import io.flexoraa.engine.lead.LeadModel.ConsentView;
import io.flexoraa.engine.lead.LeadModel.Event;
import io.flexoraa.engine.lead.LeadModel.Identifier;
import io.flexoraa.engine.lead.LeadModel.IdentifierAttached;
import io.flexoraa.engine.lead.LeadModel.InboundMessage;
import io.flexoraa.engine.lead.LeadModel.LeadAnonymized;
import io.flexoraa.engine.lead.LeadModel.LeadCreated;
import io.flexoraa.engine.lead.LeadModel.LeadSnapshot;
import io.flexoraa.engine.lead.LeadModel.LeadSubmitted;
import io.flexoraa.engine.lead.LeadModel.LeadVerified;
import io.flexoraa.engine.lead.LeadModel.MessageReceived;
import io.flexoraa.engine.lead.LeadModel.MessageStatusChanged;
import io.flexoraa.engine.lead.LeadModel.PhoneNumberChanged;
import io.flexoraa.engine.lead.LeadModel.RecordConsent;
import io.flexoraa.engine.lead.LeadModel.RecordVerification;
import io.flexoraa.engine.lead.LeadModel.Rejection;
import io.flexoraa.engine.lead.LeadModel.StatusChange;
import io.flexoraa.engine.lead.LeadModel.Submission;
import io.flexoraa.engine.lead.LeadModel.SubmissionAccepted;
import io.flexoraa.engine.lead.LeadModel.SubmissionView;
import io.flexoraa.engine.lead.LeadModel.SubmitLead;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A lead's state and its rules, free of actors and I/O: {@code decide*} turns a command into events (or none),
 * {@code apply} folds an event into the state.
 *
 * <p>Idempotency: the platform message ids of the last {@code dedupWindow} messages are remembered, so Meta's
 * retries and duplicates persist nothing. Statuses only move forward (sent → delivered → read → played; failed and
 * deleted are final). The state is mutated only by {@link #apply}, which the entity calls for persisted events and
 * on recovery; it is never shared outside the entity.
 *
 * <p>Consent: every explicit signal (a consent command, or an inbound STOP / START keyword) is recorded as evidence,
 * idempotent on its record id; the state keeps the consent in force per (channel, purpose) — the one given last —
 * and the recent records by id. Anonymization forgets the identifiers for good (they are never learnt again) and
 * keeps what is not personal content: counts, dedup ids, statuses and the consent evidence.
 *
 * <p>Submissions (web forms, CRMs, CSV imports): the same lead a WhatsApp message reaches, created by the first
 * submission or attached to by later ones, idempotent on the submission id (the last {@code dedupWindow} are
 * remembered with their outcome and verification, so a retried request is answered as the first one was).
 */
public final class Lead implements CborSerializable {

  private String tenantId;
  private String leadId;
  private String channel;
  private final Map<String, Identifier> identifiers;
  private final LinkedHashSet<String> recentMessageIds;
  private final LinkedHashMap<String, String> statusByMessage;
  private int inboundCount;
  private Instant lastInboundAt;
  /** The consent in force, by {@link #consentKey}. */
  private final LinkedHashMap<String, ConsentView> consents;
  /** The last {@code dedupWindow} consent records by record id, so that a retried command is answered, not repeated. */
  private final LinkedHashMap<String, ConsentView> recentConsentRecords;
  private Anonymized anonymization;
  /** The last {@code dedupWindow} submissions by submission id, with their verification once recorded. */
  private final LinkedHashMap<String, SubmissionView> recentSubmissions;
  /** The customer's recent inbound messages, as the abuse screen remembers them. */
  private CustomerScreen.History screenHistory;
  /**
   * Per channel the lead wrote in on: when it last wrote (its customer-service window runs from there) and on which
   * of the tenant's accounts, so a reply leaves through the account the lead used.
   */
  private final LinkedHashMap<String, ChannelPresence> channels;
  /** The last {@code dedupWindow} outbound messages by our message id, with where each stands. */
  private final LinkedHashMap<String, LeadModel.OutboundState> outbound;
  /** Instagram and Messenger: how far the lead has read each channel. */
  private final LinkedHashMap<String, ReadMark> readMarks;
  /** Messenger marketing-messages tokens, by page (channel account). */
  private final LinkedHashMap<String, LeadModel.NotificationToken> notificationTokens;
  /** The lead this one was merged into, or null. */
  private String mergedInto;
  /** The leads this one absorbed, so that a repeated merge is recognised. */
  private final LinkedHashSet<String> absorbedLeads;
  /**
   * The last {@link #RECENT_INBOUND} inbound messages with their (encrypted) text, by platform id: what the AI
   * stage reads a message from and builds its context of (docs/decisions/0024-the-lead-agent.md).
   */
  private final LinkedHashMap<String, LeadModel.RecentInbound> recentInbound;

  /** How many inbound messages the lead keeps readable for the AI: its context (10) plus older memories. */
  public static final int RECENT_INBOUND = 30;

  /** How far the lead read a channel: a time (Messenger's watermark) and the last message read (Instagram). */
  public record ReadMark(Instant watermark, String mid) implements CborSerializable {}

  /** The lead's presence on one channel: its last inbound message's time and account. */
  public record ChannelPresence(String channel, String channelAccount, Instant firstInboundAt, Instant lastInboundAt)
      implements CborSerializable {
    /** This presence and the same channel's presence of an absorbed lead, as one. */
    ChannelPresence joined(ChannelPresence other) {
      ChannelPresence joined = other.lastInboundAt == null ? this : after(other.channelAccount, other.lastInboundAt);
      Instant first = other.firstInboundAt != null
          && (joined.firstInboundAt == null || other.firstInboundAt.isBefore(joined.firstInboundAt))
          ? other.firstInboundAt : joined.firstInboundAt;
      return new ChannelPresence(channel, joined.channelAccount, first, joined.lastInboundAt);
    }

    ChannelPresence after(String account, Instant at) {
      if (at == null) return this;
      boolean later = lastInboundAt == null || !at.isBefore(lastInboundAt);
      return new ChannelPresence(channel, later ? account : channelAccount,
          firstInboundAt == null || at.isBefore(firstInboundAt) ? at : firstInboundAt,
          later ? at : lastInboundAt);
    }
  }

  /** What a command amounts to: the events to persist (none for a repeat), or why it is refused. */
  public sealed interface Decision {
    record Persist(List<Event> events) implements Decision {
      public Persist {
        events = List.copyOf(events);
      }
    }

    record Refuse(Rejection rejection) implements Decision {}
  }

  public static Lead empty() {
    return new Lead(null, null, null, new LinkedHashMap<>(), new LinkedHashSet<>(), new LinkedHashMap<>(), 0, null,
        new LinkedHashMap<>(), new LinkedHashMap<>(), null, new LinkedHashMap<>(), CustomerScreen.History.EMPTY,
        new LinkedHashMap<>(), new LinkedHashMap<>(), new LinkedHashMap<>(), new LinkedHashMap<>(), null, new LinkedHashSet<>(),
        new LinkedHashMap<>());
  }

  @JsonCreator
  Lead(
      @JsonProperty("tenantId") String tenantId,
      @JsonProperty("leadId") String leadId,
      @JsonProperty("channel") String channel,
      @JsonProperty("identifiers") Map<String, Identifier> identifiers,
      @JsonProperty("recentMessageIds") LinkedHashSet<String> recentMessageIds,
      @JsonProperty("statusByMessage") LinkedHashMap<String, String> statusByMessage,
      @JsonProperty("inboundCount") int inboundCount,
      @JsonProperty("lastInboundAt") Instant lastInboundAt,
      @JsonProperty("consents") LinkedHashMap<String, ConsentView> consents,
      @JsonProperty("recentConsentRecords") LinkedHashMap<String, ConsentView> recentConsentRecords,
      @JsonProperty("anonymization") Anonymized anonymization,
      @JsonProperty("recentSubmissions") LinkedHashMap<String, SubmissionView> recentSubmissions,
      @JsonProperty("screenHistory") CustomerScreen.History screenHistory,
      @JsonProperty("channels") LinkedHashMap<String, ChannelPresence> channels,
      @JsonProperty("outbound") LinkedHashMap<String, LeadModel.OutboundState> outbound,
      @JsonProperty("readMarks") LinkedHashMap<String, ReadMark> readMarks,
      @JsonProperty("notificationTokens") LinkedHashMap<String, LeadModel.NotificationToken> notificationTokens,
      @JsonProperty("mergedInto") String mergedInto,
      @JsonProperty("absorbedLeads") LinkedHashSet<String> absorbedLeads,
      @JsonProperty("recentInbound") LinkedHashMap<String, LeadModel.RecentInbound> recentInbound) {
    this.tenantId = tenantId;
    this.leadId = leadId;
    this.channel = channel;
    this.identifiers = new LinkedHashMap<>(identifiers == null ? Map.of() : identifiers);
    this.recentMessageIds = recentMessageIds == null ? new LinkedHashSet<>() : recentMessageIds;
    this.statusByMessage = statusByMessage == null ? new LinkedHashMap<>() : statusByMessage;
    this.inboundCount = inboundCount;
    this.lastInboundAt = lastInboundAt;
    // snapshots taken before consent existed have none of these
    this.consents = consents == null ? new LinkedHashMap<>() : consents;
    this.recentConsentRecords = recentConsentRecords == null ? new LinkedHashMap<>() : recentConsentRecords;
    this.anonymization = anonymization;
    // snapshots taken before API intake existed have none
    this.recentSubmissions = recentSubmissions == null ? new LinkedHashMap<>() : recentSubmissions;
    // snapshots taken before the customer screen existed have none: the screen starts afresh
    this.screenHistory = screenHistory == null ? CustomerScreen.History.EMPTY : screenHistory;
    // snapshots taken before channel presence existed: rebuilt from messages that arrive from now on
    this.channels = channels == null ? new LinkedHashMap<>() : channels;
    this.outbound = outbound == null ? new LinkedHashMap<>() : outbound;
    // snapshots taken before Instagram and Messenger ingest existed have none of these
    this.readMarks = readMarks == null ? new LinkedHashMap<>() : readMarks;
    this.notificationTokens = notificationTokens == null ? new LinkedHashMap<>() : notificationTokens;
    this.mergedInto = mergedInto;
    this.absorbedLeads = absorbedLeads == null ? new LinkedHashSet<>() : absorbedLeads;
    // snapshots taken before the AI stage existed: the AI reads messages that arrive from now on
    this.recentInbound = recentInbound == null ? new LinkedHashMap<>() : recentInbound;
  }

  // ---- decisions ----

  /**
   * Events for newly arrived messages; duplicates (known ids, or repeated within the batch) yield nothing. A message
   * carrying an opt-out or opt-in keyword also records consent. An anonymized lead still records messages that reach
   * it (the webhook must be acknowledged) but never learns identifiers again.
   */
  public List<Event> decideReceive(
      String tenantId, String leadId, List<Identifier> senderIdentifiers, String profileNameEnc,
      List<InboundMessage> messages, Clock clock) {
    return decideReceive(
        tenantId, leadId, senderIdentifiers, profileNameEnc, messages, CustomerScreen.Settings.DEFAULTS, clock);
  }

  /**
   * As above, each new message screened in turn ({@link CustomerScreen}): its {@link MessageReceived} says why its
   * AI work must not start, if it must not.
   */
  public List<Event> decideReceive(
      String tenantId, String leadId, List<Identifier> senderIdentifiers, String profileNameEnc,
      List<InboundMessage> messages, CustomerScreen.Settings screen, Clock clock) {
    Instant now = clock.instant();
    List<Event> events = new ArrayList<>();
    Set<String> seenInBatch = new LinkedHashSet<>();
    List<InboundMessage> fresh = new ArrayList<>();
    for (InboundMessage message : messages) {
      if (recentMessageIds.contains(message.platformMessageId()) || !seenInBatch.add(message.platformMessageId())) {
        continue;
      }
      fresh.add(message);
    }
    if (fresh.isEmpty()) return events;
    if (!exists()) {
      events.add(new LeadCreated(tenantId, leadId, fresh.get(0).channel(), senderIdentifiers, profileNameEnc, now));
    } else if (!anonymized()) {
      for (Identifier identifier : senderIdentifiers) {
        if (!identifiers.containsKey(identifier.index())) {
          events.add(new IdentifierAttached(this.tenantId, this.leadId, identifier, now));
        }
      }
    }
    String owningTenant = exists() ? this.tenantId : tenantId;
    String owningLead = exists() ? this.leadId : leadId;
    CustomerScreen.History history = screenHistory;
    for (InboundMessage message : fresh) {
      Instant at = message.screenedAt(now);
      String screened = message.intakeScreen() != null ? message.intakeScreen() : history
          .screen(at, message.textDigest(), Boolean.TRUE.equals(message.gibberish()), screen)
          .map(CustomerScreen.Reason::wireName)
          .orElse(null);
      history = history.record(at, message.textDigest());
      events.add(new MessageReceived(owningTenant, owningLead, message, now, screened));
      if (!message.changedTo().isEmpty() && !anonymized()) {
        events.add(
            new PhoneNumberChanged(owningTenant, owningLead, message.platformMessageId(), message.changedTo(), now));
      }
      ConsentRecorded keyword = keywordConsent(owningTenant, owningLead, message, now);
      if (keyword != null) events.add(keyword);
    }
    return events;
  }

  /** The record id of the consent an inbound keyword gives: derived from the message, so Meta's retries repeat it. */
  private static String keywordRecordId(String platformMessageId) {
    return "inbound:" + platformMessageId;
  }

  private ConsentRecorded keywordConsent(String tenantId, String leadId, InboundMessage message, Instant now) {
    boolean optOut = LeadModel.OPT_OUT.equals(message.consentSignal());
    if (!optOut && !LeadModel.OPT_IN.equals(message.consentSignal())) return null;
    String recordId = keywordRecordId(message.platformMessageId());
    // a message evicted from the dedup window and delivered again must not record its consent twice
    if (recentConsentRecords.containsKey(recordId)) return null;
    return new ConsentRecorded(
        tenantId, leadId, recordId, message.channel(), LeadModel.MESSAGING, !optOut,
        "inbound-keyword:" + message.channel(), null, null, "lead",
        message.sentAt() != null ? message.sentAt() : now, now);
  }

  /** Records consent on an existing lead; a record id already recorded is a repeat and persists nothing. */
  public Decision decideConsent(RecordConsent command, Clock clock) {
    Rejection missing = firstMissing(
        "recordId", command.recordId(), "channel", command.channel(), "purpose", command.purpose(),
        "source", command.source(), "actor", command.actor());
    if (missing != null) return new Decision.Refuse(missing);
    if (!exists()) return new Decision.Refuse(new Rejection.UnknownLead());
    if (recentConsentRecords.containsKey(command.recordId())) return new Decision.Persist(List.of());
    Instant now = clock.instant();
    return new Decision.Persist(List.of(new ConsentRecorded(
        tenantId, leadId, command.recordId(), command.channel(), command.purpose(), command.granted(),
        command.source(), command.ipEnc(), command.userAgentEnc(), command.actor(),
        command.at() != null ? command.at() : now, now)));
  }

  /** Anonymizes an existing lead; a lead already anonymized persists nothing (the approval flow may retry). */
  public Decision decideAnonymize(String requestId, String actor, Clock clock) {
    Rejection missing = firstMissing("requestId", requestId, "actor", actor);
    if (missing != null) return new Decision.Refuse(missing);
    if (!exists()) return new Decision.Refuse(new Rejection.UnknownLead());
    if (anonymized()) return new Decision.Persist(List.of());
    return new Decision.Persist(List.of(new LeadAnonymized(tenantId, leadId, requestId, actor, clock.instant())));
  }

  /**
   * Takes in a submitted lead: a new lead is created with the submission's identifiers, an existing one learns the
   * identifiers it lacked (an anonymized one learns none, as with messages). A submission id already taken in
   * persists nothing.
   */
  public Decision decideSubmit(SubmitLead command, Clock clock) {
    Submission submission = command.submission();
    if (submission == null) return new Decision.Refuse(new Rejection.MissingField("submission"));
    Rejection missing = firstMissing(
        "tenantId", command.tenantId(), "leadId", command.leadId(), "submissionId", submission.submissionId(),
        "via", submission.via(), "actor", submission.actor());
    if (missing != null) return new Decision.Refuse(missing);
    if (command.identifiers().isEmpty()) return new Decision.Refuse(new Rejection.MissingField("identifiers"));
    if (recentSubmissions.containsKey(submission.submissionId())) return new Decision.Persist(List.of());
    Instant now = clock.instant();
    List<Event> events = new ArrayList<>();
    boolean creates = !exists();
    if (creates) {
      events.add(new LeadCreated(
          command.tenantId(), command.leadId(), LeadModel.API_CHANNEL, command.identifiers(), submission.nameEnc(), now));
    } else if (!anonymized()) {
      for (Identifier identifier : command.identifiers()) {
        if (!identifiers.containsKey(identifier.index())) {
          events.add(new IdentifierAttached(tenantId, leadId, identifier, now));
        }
      }
    }
    events.add(new LeadSubmitted(
        creates ? command.tenantId() : tenantId, creates ? command.leadId() : leadId, submission,
        command.identifiers(), creates, now));
    return new Decision.Persist(events);
  }

  /** Records a submission's verification; the first recorded stands, so a repeat persists nothing. */
  public Decision decideVerification(RecordVerification command, Clock clock) {
    Rejection missing = firstMissing("submissionId", command.submissionId());
    if (missing != null) return new Decision.Refuse(missing);
    if (command.verification() == null) return new Decision.Refuse(new Rejection.MissingField("verification"));
    if (!exists()) return new Decision.Refuse(new Rejection.UnknownLead());
    SubmissionView submission = recentSubmissions.get(command.submissionId());
    if (submission == null) return new Decision.Refuse(new Rejection.UnknownSubmission(command.submissionId()));
    if (submission.verification() != null) return new Decision.Persist(List.of());
    return new Decision.Persist(List.of(
        new LeadVerified(tenantId, leadId, command.submissionId(), command.verification(), clock.instant())));
  }

  /** Pairs of (field name, value); the first blank value is the rejection. */
  private static Rejection firstMissing(String... namesAndValues) {
    for (int i = 0; i < namesAndValues.length; i += 2) {
      String value = namesAndValues[i + 1];
      if (value == null || value.isBlank()) return new Rejection.MissingField(namesAndValues[i]);
    }
    return null;
  }

  /** Events for statuses that move a message forward; stale or repeated statuses yield nothing. */
  public List<Event> decideStatuses(String tenantId, String leadId, List<StatusChange> statuses, Clock clock) {
    Instant now = clock.instant();
    Map<String, String> effective = new LinkedHashMap<>();
    List<Event> events = new ArrayList<>();
    for (StatusChange change : statuses) {
      String current = effective.getOrDefault(change.platformMessageId(), statusByMessage.get(change.platformMessageId()));
      if (StatusOrder.advances(current, change.status())) {
        effective.put(change.platformMessageId(), change.status());
        events.add(new MessageStatusChanged(exists() ? this.tenantId : tenantId, exists() ? this.leadId : leadId, change, now));
      }
    }
    return events;
  }

  // ---- outbound ----

  /**
   * Records an outbound message before it is decided or sent. A known message id persists nothing (the caller's
   * retry); an unknown lead or an anonymized one is refused (nothing may be sent to an erased person).
   */
  public Decision decideOutbound(LeadModel.Outbound message, Clock clock) {
    if (message == null) return new Decision.Refuse(new Rejection.MissingField("outbound"));
    Rejection missing = firstMissing(
        "messageId", message.messageId(), "channel", message.channel(), "author", message.author(),
        "form", message.form());
    if (missing != null) return new Decision.Refuse(missing);
    // a lead merged into another is that other's now: its messages are sent from there
    if (!exists() || anonymized() || mergedInto != null) return new Decision.Refuse(new Rejection.UnknownLead());
    if (outbound.containsKey(message.messageId())) return new Decision.Persist(List.of());
    return new Decision.Persist(List.of(new LeadModel.OutboundRequested(tenantId, leadId, message, clock.instant())));
  }

  /** Records the gate's decision on a requested message; the decision it already has persists nothing. */
  public Decision decideOutboundDecision(LeadModel.RecordOutboundDecision command, Clock clock) {
    LeadModel.OutboundState state = outbound.get(command.messageId());
    if (state == null) return new Decision.Refuse(new Rejection.MissingField("a requested message " + command.messageId()));
    if (java.util.Objects.equals(state.verdict(), command.verdict()) && java.util.Objects.equals(state.rule(), command.rule())
        && java.util.Objects.equals(state.notBefore(), command.notBefore())
        && java.util.Objects.equals(state.templateName(), command.templateName())) {
      return new Decision.Persist(List.of());
    }
    if (state.settled()) return new Decision.Persist(List.of());
    return new Decision.Persist(List.of(new LeadModel.OutboundDecided(
        tenantId, leadId, command.messageId(), command.verdict(), command.rule(), command.templateName(),
        command.templateLanguage(), command.notBefore(), clock.instant())));
  }

  /** Records how sending ended; a message already sent or failed keeps its first ending. */
  public Decision decideOutboundResult(LeadModel.RecordOutboundResult command, Clock clock) {
    LeadModel.OutboundState state = outbound.get(command.messageId());
    if (state == null) return new Decision.Refuse(new Rejection.MissingField("a requested message " + command.messageId()));
    if (state.platformMessageId() != null || state.outcome() != null) return new Decision.Persist(List.of());
    Instant now = clock.instant();
    if (command.platformMessageId() != null) {
      return new Decision.Persist(List.of(new LeadModel.OutboundSent(
          tenantId, leadId, command.messageId(), state.outbound().channel(), command.platformMessageId(),
          statusByMessage.get(command.platformMessageId()), now)));
    }
    if (command.outcome() == null) return new Decision.Refuse(new Rejection.MissingField("outcome"));
    return new Decision.Persist(List.of(new LeadModel.OutboundFailed(
        tenantId, leadId, command.messageId(), command.outcome(), command.errorCode(), now)));
  }

  /** What the outbound flow needs to know about this lead and message {@code messageId} (null: none). */
  public LeadModel.OutboundContext outboundContext(String messageId) {
    return new LeadModel.OutboundContext(
        exists(), anonymized(), tenantId, leadId, List.copyOf(identifiers.values()), new LinkedHashMap<>(channels),
        List.copyOf(consents.values()), messageId == null ? null : outbound.get(messageId));
  }

  // ---- evolution ----

  public Lead apply(Event event, int dedupWindow) {
    if (event instanceof LeadCreated created) {
      tenantId = created.tenantId();
      leadId = created.leadId();
      channel = created.channel();
      created.identifiers().forEach(identifier -> identifiers.put(identifier.index(), identifier));
    } else if (event instanceof IdentifierAttached attached) {
      identifiers.put(attached.identifier().index(), attached.identifier());
    } else if (event instanceof MessageReceived received) {
      remember(received.message().platformMessageId(), dedupWindow);
      inboundCount++;
      Instant sentAt = received.message().sentAt();
      if (lastInboundAt == null || (sentAt != null && sentAt.isAfter(lastInboundAt))) lastInboundAt = sentAt;
      String messageChannel = received.message().channel();
      if (messageChannel != null) {
        Instant at = received.message().screenedAt(received.receivedAt());
        channels.put(messageChannel, channels
            .getOrDefault(messageChannel, new ChannelPresence(messageChannel, null, null, null))
            .after(received.message().channelAccount(), at));
      }
      screenHistory = screenHistory.record(
          received.message().screenedAt(received.receivedAt()), received.message().textDigest());
      LeadModel.InboundMessage message = received.message();
      recentInbound.put(message.platformMessageId(), new LeadModel.RecentInbound(
          message.platformMessageId(), message.channel(), message.channelAccount(), message.type(), message.textEnc(),
          message.screenedAt(received.receivedAt()), received.receivedAt()));
      while (recentInbound.size() > RECENT_INBOUND) recentInbound.remove(recentInbound.keySet().iterator().next());
    } else if (event instanceof MessageStatusChanged changed) {
      statusByMessage.put(changed.status().platformMessageId(), changed.status().status());
      while (statusByMessage.size() > dedupWindow) {
        statusByMessage.remove(statusByMessage.keySet().iterator().next());
      }
    } else if (event instanceof PhoneNumberChanged changed) {
      // the old number stops being the current phone but stays an alias, so late retries still land here
      for (Identifier identifier : changed.newIdentifiers()) identifiers.put(identifier.index(), identifier);
    } else if (event instanceof ConsentRecorded recorded) {
      ConsentView view = new ConsentView(
          recorded.recordId(), recorded.channel(), recorded.purpose(), recorded.granted(), recorded.source(),
          recorded.ipEnc(), recorded.userAgentEnc(), recorded.actor(), recorded.at(), recorded.recordedAt());
      recentConsentRecords.put(view.recordId(), view);
      while (recentConsentRecords.size() > dedupWindow) {
        recentConsentRecords.remove(recentConsentRecords.keySet().iterator().next());
      }
      // evidence arrives out of order (a form filled in yesterday, imported today): the latest given is in force
      String key = consentKey(view.channel(), view.purpose());
      ConsentView current = consents.get(key);
      if (current == null || !view.givenAt().isBefore(current.givenAt())) consents.put(key, view);
    } else if (event instanceof LeadSubmitted submitted) {
      // the identifiers came with the LeadCreated or IdentifierAttached before it; this records the submission
      String id = submitted.submission().submissionId();
      recentSubmissions.put(id, new SubmissionView(id, submitted.createdLead(), null));
      while (recentSubmissions.size() > dedupWindow) {
        recentSubmissions.remove(recentSubmissions.keySet().iterator().next());
      }
    } else if (event instanceof LeadVerified verified) {
      recentSubmissions.computeIfPresent(verified.submissionId(),
          (id, submission) -> new SubmissionView(id, submission.createdLead(), verified.verification()));
    } else if (event instanceof LeadModel.OutboundRequested requested) {
      LeadModel.Outbound message = requested.outbound();
      outbound.put(message.messageId(), new LeadModel.OutboundState(
          message, LeadModel.OutboundState.REQUESTED, null, null, null, null, null, null, requested.at()));
      while (outbound.size() > dedupWindow) outbound.remove(outbound.keySet().iterator().next());
    } else if (event instanceof LeadModel.OutboundDecided decided) {
      outbound.computeIfPresent(decided.messageId(), (id, state) -> new LeadModel.OutboundState(
          state.outbound(), decided.verdict(), decided.rule(), decided.templateName(), decided.templateLanguage(),
          decided.notBefore(), state.platformMessageId(), state.outcome(), decided.at()));
    } else if (event instanceof LeadModel.OutboundSent sent) {
      outbound.computeIfPresent(sent.messageId(), (id, state) -> new LeadModel.OutboundState(
          state.outbound(), state.verdict(), state.rule(), state.templateName(), state.templateLanguage(),
          state.notBefore(), sent.platformMessageId(), LeadModel.OutboundState.SENT, sent.at()));
      // Meta echoes what the page sends (Instagram, Messenger): the echo of our own message is a duplicate
      remember(sent.platformMessageId(), dedupWindow);
    } else if (event instanceof LeadModel.OutboundFailed failed) {
      outbound.computeIfPresent(failed.messageId(), (id, state) -> new LeadModel.OutboundState(
          state.outbound(), state.verdict(), state.rule(), state.templateName(), state.templateLanguage(),
          state.notBefore(), null, failed.outcome(), failed.at()));
    } else if (event instanceof LeadModel.EchoRecorded
        || event instanceof LeadModel.ChannelRead
        || event instanceof LeadModel.MessageDeleted
        || event instanceof LeadModel.NotificationTokenRecorded
        || event instanceof LeadModel.LeadAbsorbed
        || event instanceof LeadModel.LeadMergedInto) {
      applyMessaging(event, dedupWindow);
    } else if (event instanceof LeadAnonymized anonymized) {
      identifiers.clear();
      recentInbound.clear();
      anonymization = new Anonymized(
          anonymized.tenantId(), anonymized.leadId(), anonymized.requestId(), anonymized.actor(), anonymized.at());
    }
    return this;
  }

  private static String consentKey(String channel, String purpose) {
    return channel + "/" + purpose;
  }

  private void remember(String platformMessageId, int dedupWindow) {
    recentMessageIds.add(platformMessageId);
    while (recentMessageIds.size() > dedupWindow) {
      recentMessageIds.remove(recentMessageIds.iterator().next());
    }
  }

  /**
   * An independent copy, for the snapshot store: it serializes on its own thread while the entity keeps applying
   * events, so it must never see the live object.
   */
  public Lead copy() {
    return new Lead(tenantId, leadId, channel, new LinkedHashMap<>(identifiers), new LinkedHashSet<>(recentMessageIds),
        new LinkedHashMap<>(statusByMessage), inboundCount, lastInboundAt, new LinkedHashMap<>(consents),
        new LinkedHashMap<>(recentConsentRecords), anonymization, new LinkedHashMap<>(recentSubmissions),
        screenHistory, new LinkedHashMap<>(channels), new LinkedHashMap<>(outbound), new LinkedHashMap<>(readMarks),
        new LinkedHashMap<>(notificationTokens), mergedInto, new LinkedHashSet<>(absorbedLeads),
        new LinkedHashMap<>(recentInbound));
  }

  /** What the AI stage reads: the recent inbound messages and outbound messages, oldest first (still encrypted). */
  public LeadModel.Conversation conversation() {
    List<LeadModel.OutboundState> sent = new ArrayList<>(outbound.values());
    if (sent.size() > RECENT_INBOUND) sent = sent.subList(sent.size() - RECENT_INBOUND, sent.size());
    return new LeadModel.Conversation(exists(), anonymized(), mergedInto,
        anonymized() ? List.of() : List.copyOf(recentInbound.values()), anonymized() ? List.of() : sent);
  }

  // ---- Instagram and Messenger; merging (docs/decisions/0020-instagram-messenger-ingest-and-merge.md) ----

  /** An echo of a message sent to this lead; one the lead already knows (by id) yields nothing. */
  public List<Event> decideEcho(LeadModel.OutboundEcho echo, Clock clock) {
    if (!exists() || recentMessageIds.contains(echo.platformMessageId())) return List.of();
    return List.of(new LeadModel.EchoRecorded(tenantId, leadId, echo, clock.instant()));
  }

  /** A read receipt that moves the channel's read mark forward; an older or repeated one yields nothing. */
  public List<Event> decideRead(String channel, Instant watermark, String mid, Instant at, Clock clock) {
    if (!exists() || (watermark == null && mid == null)) return List.of();
    ReadMark current = readMarks.get(channel);
    if (current != null) {
      if (watermark != null && current.watermark() != null && !watermark.isAfter(current.watermark())) return List.of();
      if (watermark == null && mid.equals(current.mid())) return List.of();
    }
    return List.of(new LeadModel.ChannelRead(tenantId, leadId, channel, watermark, mid, at, clock.instant()));
  }

  /** The lead unsent a message; a repeat yields nothing. */
  public List<Event> decideDeletion(String channel, String platformMessageId, Instant at, Clock clock) {
    if (!exists() || DELETED.equals(statusByMessage.get(platformMessageId))) return List.of();
    return List.of(new LeadModel.MessageDeleted(tenantId, leadId, channel, platformMessageId, at, clock.instant()));
  }

  /**
   * A marketing opt-in or its withdrawal: the consent (evidence, once per record id) and the token when it differs
   * from the one the lead holds for that page.
   */
  public List<Event> decideNotificationOptIn(String consentRecordId, LeadModel.NotificationToken token, Clock clock) {
    if (!exists()) return List.of();
    Instant now = clock.instant();
    List<Event> events = new ArrayList<>();
    if (!recentConsentRecords.containsKey(consentRecordId)) {
      events.add(new ConsentRecorded(tenantId, leadId, consentRecordId, token.channel(), LeadModel.MARKETING,
          token.active(), "messenger-optin:notification_messages", null, null, "lead",
          token.at() != null ? token.at() : now, now));
    }
    LeadModel.NotificationToken held = notificationTokens.get(token.channelAccount());
    boolean same = held != null && Objects.equals(held.tokenDigest(), token.tokenDigest())
        && Objects.equals(held.status(), token.status()) && Objects.equals(held.expiresAt(), token.expiresAt());
    // Meta retries and reorders: a report no later than the one held (a retried opt-in after its STOP) changes nothing
    boolean older = held != null && held.at() != null && token.at() != null && !token.at().isAfter(held.at());
    if (!same && !older) events.add(new LeadModel.NotificationTokenRecorded(tenantId, leadId, token, now));
    return events;
  }

  /** What a merge needs to know of this lead. */
  public LeadModel.MergeCandidate mergeCandidate() {
    List<String> known = new ArrayList<>(channels.keySet());
    if (channel != null && !known.contains(channel)) known.add(0, channel);
    return new LeadModel.MergeCandidate(exists(), anonymized(), mergedInto, known, List.copyOf(absorbedLeads));
  }

  /** This lead disappears into {@code survivorLeadId}; the same merge again persists nothing, another is refused. */
  public Decision decideMergeInto(String survivorLeadId, String actor, Clock clock) {
    Rejection missing = firstMissing("survivorLeadId", survivorLeadId, "actor", actor);
    if (missing != null) return new Decision.Refuse(missing);
    if (!exists()) return new Decision.Refuse(new Rejection.UnknownLead());
    if (anonymized()) return new Decision.Refuse(new Rejection.AnonymizedLead(leadId));
    if (mergedInto != null) {
      return mergedInto.equals(survivorLeadId)
          ? new Decision.Persist(List.of())
          : new Decision.Refuse(new Rejection.AlreadyMerged(leadId, mergedInto));
    }
    return new Decision.Persist(
        List.of(new LeadModel.LeadMergedInto(tenantId, leadId, survivorLeadId, actor, clock.instant())));
  }

  /** What this lead hands over to its survivor. */
  public LeadModel.MergeHandoff handoff() {
    return new LeadModel.MergeHandoff(leadId, List.copyOf(identifiers.values()), inboundCount,
        List.copyOf(channels.values()), List.copyOf(consents.values()), List.copyOf(recentMessageIds));
  }

  /** This lead absorbs another; absorbing the same lead again persists nothing. */
  public Decision decideAbsorb(LeadModel.MergeHandoff handoff, String actor, Clock clock) {
    if (handoff == null) return new Decision.Refuse(new Rejection.MissingField("handoff"));
    Rejection missing = firstMissing("absorbedLeadId", handoff.leadId(), "actor", actor);
    if (missing != null) return new Decision.Refuse(missing);
    if (!exists()) return new Decision.Refuse(new Rejection.UnknownLead());
    if (anonymized()) return new Decision.Refuse(new Rejection.AnonymizedLead(leadId));
    if (mergedInto != null) return new Decision.Refuse(new Rejection.AlreadyMerged(leadId, mergedInto));
    if (absorbedLeads.contains(handoff.leadId())) return new Decision.Persist(List.of());
    return new Decision.Persist(List.of(new LeadModel.LeadAbsorbed(tenantId, leadId, handoff.leadId(),
        handoff.identifiers(), handoff.inboundCount(), handoff.channels(), handoff.consents(), handoff.messageIds(),
        actor, clock.instant())));
  }

  /** How the merge with the lead of {@code handoff} stands once this lead absorbed it. */
  public LeadModel.MergeOutcome mergeOutcome(LeadModel.MergeHandoff handoff, boolean repeated) {
    return new LeadModel.MergeOutcome(leadId, handoff.leadId(),
        handoff.identifiers().stream().map(Identifier::kind).distinct().toList(),
        handoff.channels().stream().map(ChannelPresence::channel).toList(), repeated);
  }

  private void applyMessaging(Event event, int dedupWindow) {
    if (event instanceof LeadModel.EchoRecorded echo) {
      remember(echo.echo().platformMessageId(), dedupWindow);
    } else if (event instanceof LeadModel.ChannelRead read) {
      ReadMark current = readMarks.get(read.channel());
      Instant watermark = current == null || current.watermark() == null
          || (read.watermark() != null && read.watermark().isAfter(current.watermark()))
          ? read.watermark() : current.watermark();
      String mid = read.mid() != null ? read.mid() : current == null ? null : current.mid();
      readMarks.put(read.channel(), new ReadMark(watermark, mid));
    } else if (event instanceof LeadModel.MessageDeleted deleted) {
      statusByMessage.put(deleted.platformMessageId(), DELETED);
      while (statusByMessage.size() > dedupWindow) {
        statusByMessage.remove(statusByMessage.keySet().iterator().next());
      }
    } else if (event instanceof LeadModel.NotificationTokenRecorded recorded) {
      notificationTokens.put(recorded.token().channelAccount(), recorded.token());
    } else if (event instanceof LeadModel.LeadAbsorbed absorbed) {
      absorbedLeads.add(absorbed.absorbedLeadId());
      absorbed.identifiers().forEach(identifier -> identifiers.putIfAbsent(identifier.index(), identifier));
      inboundCount += absorbed.inboundCount();
      for (ChannelPresence presence : absorbed.channels()) {
        ChannelPresence own = channels.get(presence.channel());
        channels.put(presence.channel(), own == null ? presence : own.joined(presence));
        Instant last = presence.lastInboundAt();
        if (last != null && (lastInboundAt == null || last.isAfter(lastInboundAt))) lastInboundAt = last;
      }
      for (ConsentView consent : absorbed.consents()) {
        String key = consentKey(consent.channel(), consent.purpose());
        ConsentView current = consents.get(key);
        if (current == null || consent.givenAt().isAfter(current.givenAt())) consents.put(key, consent);
      }
      absorbed.messageIds().forEach(id -> remember(id, dedupWindow));
    } else if (event instanceof LeadModel.LeadMergedInto merged) {
      mergedInto = merged.survivorLeadId();
    }
  }

  /** The status a message unsent by the lead keeps for good. */
  private static final String DELETED = "deleted";

  /** How far the lead read {@code channel}, or null. */
  public ReadMark readMarkOn(String channel) {
    return readMarks.get(channel);
  }

  /** The lead's marketing-messages token for a page ({@code messenger:<page id>}), or null. */
  public LeadModel.NotificationToken notificationTokenFor(String channelAccount) {
    return notificationTokens.get(channelAccount);
  }

  public LinkedHashMap<String, ReadMark> getReadMarks() { return new LinkedHashMap<>(readMarks); }
  public LinkedHashMap<String, LeadModel.NotificationToken> getNotificationTokens() { return new LinkedHashMap<>(notificationTokens); }
  public String getMergedInto() { return mergedInto; }
  public LinkedHashSet<String> getAbsorbedLeads() { return new LinkedHashSet<>(absorbedLeads); }

  // ---- queries ----

  public boolean exists() {
    return leadId != null;
  }

  public boolean anonymized() {
    return anonymization != null;
  }

  public LeadSnapshot snapshot() {
    return new LeadSnapshot(
        exists(), tenantId, leadId, List.copyOf(identifiers.values()), inboundCount, List.copyOf(recentMessageIds),
        anonymized(), List.copyOf(consents.values()));
  }

  /** A recent consent record by id, or null. */
  public ConsentView consentRecord(String recordId) {
    return recentConsentRecords.get(recordId);
  }

  /** The consent in force for the purpose on the channel, or null when the lead never said. */
  public ConsentView consentFor(String channel, String purpose) {
    return consents.get(consentKey(channel, purpose));
  }

  /** How a remembered submission turned out, or null when the id is unknown (or evicted from the window). */
  public SubmissionAccepted submissionOutcome(String submissionId, boolean repeated) {
    SubmissionView submission = recentSubmissions.get(submissionId);
    if (submission == null) return null;
    return new SubmissionAccepted(
        leadId, submissionId, submission.createdLead(), repeated, submission.verification(), 0);
  }

  public String getTenantId() { return tenantId; }
  public String getLeadId() { return leadId; }
  public String getChannel() { return channel; }
  public Map<String, Identifier> getIdentifiers() { return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(identifiers)); }
  public LinkedHashSet<String> getRecentMessageIds() { return new LinkedHashSet<>(recentMessageIds); }
  public LinkedHashMap<String, String> getStatusByMessage() { return new LinkedHashMap<>(statusByMessage); }
  public int getInboundCount() { return inboundCount; }
  public Instant getLastInboundAt() { return lastInboundAt; }
  public LinkedHashMap<String, ConsentView> getConsents() { return new LinkedHashMap<>(consents); }
  public LinkedHashMap<String, ConsentView> getRecentConsentRecords() { return new LinkedHashMap<>(recentConsentRecords); }
  public Anonymized getAnonymization() { return anonymization; }
  public LinkedHashMap<String, SubmissionView> getRecentSubmissions() { return new LinkedHashMap<>(recentSubmissions); }
  public CustomerScreen.History getScreenHistory() { return screenHistory; }
  public LinkedHashMap<String, ChannelPresence> getChannels() { return new LinkedHashMap<>(channels); }
  public LinkedHashMap<String, LeadModel.OutboundState> getOutbound() { return new LinkedHashMap<>(outbound); }

  /** The lead's presence on {@code channel}, or null when it never wrote there. */
  public ChannelPresence presenceOn(String channel) {
    return channels.get(channel);
  }

  public String statusOf(String platformMessageId) {
    return statusByMessage.get(platformMessageId);
  }
}
