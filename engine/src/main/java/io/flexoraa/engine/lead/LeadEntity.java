package io.flexoraa.engine.lead;

import com.typesafe.config.Config;
import io.flexoraa.engine.abuse.CustomerScreen;
import io.flexoraa.engine.lead.Lead.Decision;
import io.flexoraa.engine.lead.LeadModel.Accepted;
import io.flexoraa.engine.lead.LeadModel.Anonymize;
import io.flexoraa.engine.lead.LeadModel.Command;
import io.flexoraa.engine.lead.LeadModel.Event;
import io.flexoraa.engine.lead.LeadModel.GetLead;
import io.flexoraa.engine.lead.LeadModel.ReceiveMessages;
import io.flexoraa.engine.lead.LeadModel.RecordConsent;
import io.flexoraa.engine.lead.LeadModel.RecordStatuses;
import io.flexoraa.engine.lead.LeadModel.RecordVerification;
import io.flexoraa.engine.lead.LeadModel.SubmissionAccepted;
import io.flexoraa.engine.lead.LeadModel.SubmitLead;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.SnapshotAdapter;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * One lead of one tenant, sharded by {@code tenantId:leadId}. It receives the messages routed to it (idempotent on
 * the platform message id), records delivery statuses (never backwards), re-keys itself when WhatsApp reports
 * a new number, records consent evidence, takes in submissions from forms, CRMs and imports (idempotent on the
 * submission id) with their verification, and anonymizes itself on an approved erasure request. The rules live in
 * {@link Lead}; this class only persists what they decide and replies once the events are durable, which is what
 * lets the webhook acknowledge Meta. A refused command persists nothing and is answered with an error.
 */
public final class LeadEntity extends EventSourcedBehaviorWithEnforcedReplies<Command, Event, Lead> {

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "Lead");

  /** Settings from {@code flexoraa.lead}. */
  public record Settings(int dedupWindow, int snapshotEvery, int tagSlices, CustomerScreen.Settings screen) {
    public Settings(int dedupWindow, int snapshotEvery, int tagSlices) {
      this(dedupWindow, snapshotEvery, tagSlices, CustomerScreen.Settings.DEFAULTS);
    }

    public static Settings fromConfig(Config config) {
      Config lead = config.getConfig("flexoraa.lead");
      return new Settings(lead.getInt("dedup-window"), lead.getInt("snapshot-every"), lead.getInt("tag-slices"),
          CustomerScreen.Settings.fromConfig(config));
    }
  }

  private final String entityId;
  private final Settings settings;
  private final Clock clock;

  private LeadEntity(String entityId, Settings settings, Clock clock) {
    super(
        PersistenceId.of(TYPE_KEY.name(), entityId),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.1));
    this.entityId = entityId;
    this.settings = settings;
    this.clock = clock;
  }

  public static Behavior<Command> create(String entityId, Settings settings, Clock clock) {
    return new LeadEntity(entityId, settings, clock);
  }

  public static void init(ActorSystem<?> system, Settings settings, Clock clock) {
    ClusterSharding.get(system)
        .init(Entity.of(TYPE_KEY, context -> create(context.getEntityId(), settings, clock)));
  }

  public static String entityId(String tenantId, String leadId) {
    return tenantId + ":" + leadId;
  }

  /** The projection tag of a lead: events are spread over a fixed number of slices, one projection each. */
  public static String tagFor(String entityId, int tagSlices) {
    return io.flexoraa.engine.TagSlices.tagFor("lead", entityId, tagSlices);
  }

  public static List<String> allTags(int tagSlices) {
    return io.flexoraa.engine.TagSlices.all("lead", tagSlices);
  }

  @Override
  public Lead emptyState() {
    return Lead.empty();
  }

  @Override
  public CommandHandlerWithReply<Command, Event, Lead> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(ReceiveMessages.class, this::onReceive)
        .onCommand(RecordStatuses.class, this::onStatuses)
        .onCommand(RecordConsent.class, (state, command) -> reply(
            state.decideConsent(command, clock), command.replyTo(),
            updated -> updated.consentRecord(command.recordId()), state))
        .onCommand(Anonymize.class, (state, command) -> reply(
            state.decideAnonymize(command.requestId(), command.actor(), clock), command.replyTo(),
            Lead::getAnonymization, state))
        .onCommand(SubmitLead.class, this::onSubmit)
        .onCommand(RecordVerification.class, (state, command) -> submissionReply(
            state.decideVerification(command, clock), command.submissionId(), command.replyTo(), state))
        .onCommand(GetLead.class, (state, command) -> Effect().reply(command.replyTo(), state.snapshot()))
        .onCommand(LeadModel.GetConversation.class,
            (state, command) -> Effect().reply(command.replyTo(), state.conversation()))
        .onCommand(LeadModel.RequestOutbound.class, (state, command) -> reply(
            state.decideOutbound(command.outbound(), clock), command.replyTo(),
            updated -> updated.outboundContext(command.outbound().messageId()), state))
        .onCommand(LeadModel.GetOutbound.class, (state, command) -> Effect().reply(
            command.replyTo(), StatusReply.success(state.outboundContext(command.messageId()))))
        .onCommand(LeadModel.RecordOutboundDecision.class, (state, command) -> reply(
            state.decideOutboundDecision(command, clock), command.replyTo(),
            updated -> updated.outboundContext(command.messageId()), state))
        .onCommand(LeadModel.RecordOutboundResult.class, (state, command) -> reply(
            state.decideOutboundResult(command, clock), command.replyTo(),
            updated -> updated.outboundContext(command.messageId()), state))
        // Instagram and Messenger; merging
        .onCommand(LeadModel.RecordEcho.class, (state, command) -> accept(
            state.decideEcho(command.echo(), clock), 1, command.leadId(), command.replyTo()))
        .onCommand(LeadModel.MarkRead.class, (state, command) -> accept(
            state.decideRead(command.channel(), command.watermark(), command.mid(), command.at(), clock), 1,
            command.leadId(), command.replyTo()))
        .onCommand(LeadModel.RecordDeletion.class, (state, command) -> accept(
            state.decideDeletion(command.channel(), command.platformMessageId(), command.at(), clock), 1,
            command.leadId(), command.replyTo()))
        .onCommand(LeadModel.RecordNotificationOptIn.class, (state, command) -> accept(
            state.decideNotificationOptIn(command.consentRecordId(), command.token(), clock), 1, command.leadId(),
            command.replyTo()))
        .onCommand(LeadModel.DescribeForMerge.class,
            (state, command) -> Effect().reply(command.replyTo(), state.mergeCandidate()))
        .onCommand(LeadModel.MergeInto.class, (state, command) -> reply(
            state.decideMergeInto(command.survivorLeadId(), command.actor(), clock), command.replyTo(),
            Lead::handoff, state))
        .onCommand(LeadModel.AbsorbLead.class, this::onAbsorb)
        .build();
  }

  private ReplyEffect<Event, Lead> onReceive(Lead state, ReceiveMessages command) {
    List<Event> events =
        state.decideReceive(
            command.tenantId(), command.leadId(), command.identifiers(), command.profileNameEnc(),
            command.messages(), settings.screen(), clock);
    List<String> newMessageIds = new java.util.ArrayList<>();
    Map<String, String> screened = new java.util.HashMap<>();
    for (Event event : events) {
      if (event instanceof LeadModel.MessageReceived received) {
        newMessageIds.add(received.message().platformMessageId());
        if (received.aiScreen() != null) screened.put(received.message().platformMessageId(), received.aiScreen());
      }
    }
    boolean createdLead = events.stream().anyMatch(event -> event instanceof LeadModel.LeadCreated);
    Accepted accepted = new Accepted(command.leadId(), events.size(),
        command.messages().size() - newMessageIds.size(), newMessageIds, screened, createdLead);
    if (events.isEmpty()) return Effect().reply(command.replyTo(), StatusReply.success(accepted));
    return Effect().persist(events).thenReply(command.replyTo(), updated -> StatusReply.success(accepted));
  }

  private ReplyEffect<Event, Lead> onStatuses(Lead state, RecordStatuses command) {
    List<Event> events = state.decideStatuses(command.tenantId(), command.leadId(), command.statuses(), clock);
    Accepted accepted =
        new Accepted(command.leadId(), events.size(), command.statuses().size() - events.size());
    if (events.isEmpty()) return Effect().reply(command.replyTo(), StatusReply.success(accepted));
    return Effect().persist(events).thenReply(command.replyTo(), updated -> StatusReply.success(accepted));
  }

  /** Persists the events of an idempotent command about {@code items} items; none persisted means a repeat. */
  private ReplyEffect<Event, Lead> accept(
      List<Event> events, int items, String leadId, ActorRef<StatusReply<Accepted>> replyTo) {
    Accepted accepted = new Accepted(leadId, events.size(), events.isEmpty() ? items : 0);
    if (events.isEmpty()) return Effect().reply(replyTo, StatusReply.success(accepted));
    return Effect().persist(events).thenReply(replyTo, updated -> StatusReply.success(accepted));
  }

  private ReplyEffect<Event, Lead> onAbsorb(Lead state, LeadModel.AbsorbLead command) {
    Decision decision = state.decideAbsorb(command.handoff(), command.actor(), clock);
    if (decision instanceof Decision.Refuse refuse) {
      return Effect().reply(command.replyTo(), StatusReply.error(refuse.rejection().message()));
    }
    List<Event> events = ((Decision.Persist) decision).events();
    if (events.isEmpty()) {
      return Effect().reply(command.replyTo(), StatusReply.success(state.mergeOutcome(command.handoff(), true)));
    }
    return Effect().persist(events).thenReply(command.replyTo(),
        updated -> StatusReply.success(updated.mergeOutcome(command.handoff(), false)));
  }

  private ReplyEffect<Event, Lead> onSubmit(Lead state, SubmitLead command) {
    return submissionReply(
        state.decideSubmit(command, clock), command.submission().submissionId(), command.replyTo(), state);
  }

  /** Answers with the submission's outcome; one that persisted nothing is answered from the state, as a repeat. */
  private ReplyEffect<Event, Lead> submissionReply(
      Decision decision, String submissionId, ActorRef<StatusReply<SubmissionAccepted>> replyTo, Lead state) {
    if (decision instanceof Decision.Refuse refuse) {
      return Effect().reply(replyTo, StatusReply.error(refuse.rejection().message()));
    }
    List<Event> events = ((Decision.Persist) decision).events();
    if (events.isEmpty()) return Effect().reply(replyTo, StatusReply.success(state.submissionOutcome(submissionId, true)));
    return Effect().persist(events).thenReply(replyTo, updated -> StatusReply.<SubmissionAccepted>success(
        updated.submissionOutcome(submissionId, false).withPersistedEvents(events.size())));
  }

  /** Persists what was decided and answers from the state after it; a repeat is answered from the state as it is. */
  private <R> ReplyEffect<Event, Lead> reply(
      Decision decision, ActorRef<StatusReply<R>> replyTo, Function<Lead, R> answer, Lead state) {
    if (decision instanceof Decision.Refuse refuse) {
      return Effect().reply(replyTo, StatusReply.error(refuse.rejection().message()));
    }
    List<Event> events = ((Decision.Persist) decision).events();
    if (events.isEmpty()) return Effect().reply(replyTo, StatusReply.success(answer.apply(state)));
    return Effect().persist(events).thenReply(replyTo, updated -> StatusReply.success(answer.apply(updated)));
  }

  @Override
  public EventHandler<Lead, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onAnyEvent((state, event) -> state.apply(event, settings.dedupWindow()));
  }

  @Override
  public Set<String> tagsFor(Event event) {
    return Set.of(tagFor(entityId, settings.tagSlices()));
  }

  /** The state is mutated in place by {@link Lead#apply}; snapshots get a copy taken on the entity's thread. */
  @Override
  public SnapshotAdapter<Lead> snapshotAdapter() {
    return new SnapshotAdapter<>() {
      @Override
      public Object toJournal(Lead state) {
        return state.copy();
      }

      @Override
      public Lead fromJournal(Object from) {
        return (Lead) from;
      }
    };
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(settings.snapshotEvery(), 2);
  }
}
