package io.flexoraa.engine.ai.agent;

import io.flexoraa.engine.ai.Analysis;
import io.flexoraa.engine.ai.ReplyRequest.Kind;
import io.flexoraa.engine.ai.ReplyRequest.Slot;
import io.flexoraa.engine.ai.agent.LeadAgent.AgentView;
import io.flexoraa.engine.ai.agent.LeadAgent.AiSkipped;
import io.flexoraa.engine.ai.agent.LeadAgent.Event;
import io.flexoraa.engine.ai.agent.LeadAgent.HandedBackToAi;
import io.flexoraa.engine.ai.agent.LeadAgent.HumanTookOver;
import io.flexoraa.engine.ai.agent.LeadAgent.InboundNoted;
import io.flexoraa.engine.ai.agent.LeadAgent.LeadEscalated;
import io.flexoraa.engine.ai.agent.LeadAgent.LeadScored;
import io.flexoraa.engine.ai.agent.LeadAgent.MessageAnalyzed;
import io.flexoraa.engine.ai.agent.LeadAgent.ReplyComposed;
import io.flexoraa.engine.ai.agent.LeadAgent.ReplyFailed;
import io.flexoraa.engine.ai.agent.LeadAgent.ReplyHanded;
import io.flexoraa.engine.ai.agent.LeadAgent.ReviewTaskOpened;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The lead agent's state and rules, free of actors and I/O (the entity persists what these decide): which messages
 * wait for analysis, what the lead told us so far, the interview, the score, escalations and the current burst —
 * the analysed messages no reply has answered yet. Mutated only by {@link #apply}, on the entity's thread.
 */
public final class AgentState {
  /** How many handled message ids are remembered, so a repeated hand-over of the same message does nothing. */
  static final int HANDLED_WINDOW = 200;
  /** How many of the lead's reply delays the latency factor looks at. */
  static final int DELAYS_KEPT = 10;

  private String tenantId;
  private String leadId;
  private Instant firstSeenAt;
  private final LinkedHashMap<String, InboundNoted> pending = new LinkedHashMap<>();
  private final LinkedHashSet<String> handled = new LinkedHashSet<>();
  private int analyzed;
  private int skipped;
  private long words;
  private Qualification qualification = Qualification.start();
  private final List<String> recentIntents = new ArrayList<>();
  private String language;
  private boolean hinglish;
  private String budgetBucket;
  private Long budgetUsd;
  private String timeline;
  private String authority;
  private final LinkedHashSet<String> objections = new LinkedHashSet<>();
  private final LinkedHashSet<String> signals = new LinkedHashSet<>();
  private final LinkedHashSet<String> escalateReasons = new LinkedHashSet<>();
  private LeadScoring.Score score;
  private int scores;
  private final List<Long> replyDelays = new ArrayList<>();
  private Instant lastReplyAt;
  private int replies;
  private String lastReplyId;
  private ReplyComposed pendingReply;
  private final LinkedHashMap<String, ReviewTaskOpened> openReviewTasks = new LinkedHashMap<>();
  /** The analysed messages no reply has answered yet, and what they asked for. */
  private final List<MessageAnalyzed> burst = new ArrayList<>();
  private boolean burstEscalated;
  private long burstSeq;
  /** The person who took the conversation over, while they hold it (null: the AI answers). */
  private String takenOverBy;
  private Instant takenOverAt;

  /** What the rules need besides the analysis. */
  public record Rules(LeadScoring scoring, double confidenceFloor) {}

  /** A reply to write for the current burst. */
  public record ReplyPlan(
      String replyId, Kind kind, Slot slot, String band, String channel, List<String> burst,
      Instant burstLastReceivedAt, MessageAnalyzed latest) {}

  public static AgentState empty() {
    return new AgentState();
  }

  // ---- decisions ----

  /** Whether this message's AI work is already taken on or done. */
  public boolean knows(String messageId) {
    return pending.containsKey(messageId) || handled.contains(messageId);
  }

  public InboundNoted noteInbound(LeadAgent.Inbound inbound, Instant now) {
    return new InboundNoted(inbound.tenantId(), inbound.leadId(), inbound.messageId(), inbound.receivedAt(),
        inbound.opensLead(), now);
  }

  /** The next message waiting for analysis, oldest first. */
  public Optional<InboundNoted> nextPending() {
    return pending.values().stream().findFirst();
  }

  /**
   * The events of one analysed message: the analysis, a new score when it changed, an escalation when a rule adds
   * a reason (every trigger is evaluated on every message), a review task for high-risk content.
   */
  public List<Event> decideAnalysis(String messageId, AgentWork.AnalysisResult result, Rules rules, Instant now) {
    Analysis analysis = result.analysis();
    Qualification nextQualification = qualification.after(analysis, result.words());
    Long delay = lastReplyAt != null && result.sentAt() != null && result.sentAt().isAfter(lastReplyAt)
        ? Duration.between(lastReplyAt, result.sentAt()).toMillis() : null;
    List<Event> events = new ArrayList<>();
    List<String> reasons = escalationReasons(analysis, rules);
    List<String> added = reasons.stream().filter(reason -> !escalateReasons.contains(reason)).toList();
    if (!added.isEmpty()) nextQualification = nextQualification.escalated();
    MessageAnalyzed analyzedEvent = new MessageAnalyzed(tenantId, leadId, messageId, result.channel(), analysis,
        result.budgetTextEnc(), result.words(), result.question(), nextQualification, delay, result.latencyMillis(),
        result.receivedAt(), now);
    events.add(analyzedEvent);

    // the score from the state as it will be after this message
    List<String> intents = new ArrayList<>(recentIntents);
    intents.add(analysis.intent());
    while (intents.size() > 3) intents.remove(0);
    List<Long> delays = new ArrayList<>(replyDelays);
    if (delay != null) delays.add(delay);
    String bucket = analysis.budget() != null ? analysis.budget().bucket() : budgetBucket;
    int count = analyzed + 1;
    LeadScoring.Score next = rules.scoring().score(new LeadScoring.Inputs(
        bucket, strongest(intents), (double) (words + result.words()) / count, nextQualification.answered(),
        median(delays), firstSeenAt == null ? Duration.ZERO : Duration.between(firstSeenAt, now), count));
    if (score == null || score.value() != next.value() || !score.band().equals(next.band())) {
      events.add(new LeadScored(tenantId, leadId, messageId, next, score == null ? null : score.band(), now));
    }
    if (!added.isEmpty()) {
      List<String> all = new ArrayList<>(escalateReasons);
      all.addAll(added);
      events.add(new LeadEscalated(tenantId, leadId, messageId, added, all, now));
    }
    if (analysis.highRisk()) {
      events.add(new ReviewTaskOpened(tenantId, leadId, UUID.randomUUID().toString(), messageId,
          analysis.highRiskTypes().isEmpty() ? List.of("unclear") : analysis.highRiskTypes(), now));
    }
    return events;
  }

  /** Every escalation trigger of PRODUCT §4.5 for this message, including those across the conversation. */
  List<String> escalationReasons(Analysis analysis, Rules rules) {
    LinkedHashSet<String> reasons = new LinkedHashSet<>(analysis.escalateReasons());
    if (analysis.confidence() < rules.confidenceFloor()) reasons.add("low_confidence");
    LinkedHashSet<String> allObjections = new LinkedHashSet<>(objections);
    allObjections.addAll(analysis.objections());
    if (allObjections.size() >= 3) reasons.add("3plus_objections");
    return List.copyOf(reasons);
  }

  public AiSkipped skip(String messageId, String reason, Instant now) {
    return new AiSkipped(tenantId, leadId, messageId, reason, now);
  }

  /**
   * The reply for the current burst, if one is due: a holding reply for high-risk content (never an AI answer), a
   * hand-over note when this burst escalated the lead, nothing while a person owns an escalated lead or has taken
   * the conversation over (not even a holding reply: that person answers), an answer
   * when the lead asked something or the interview is done, else the interview's next question.
   */
  public Optional<ReplyPlan> decideReply() {
    if (burst.isEmpty() || pendingReply != null || !pending.isEmpty() || takenOverBy != null) return Optional.empty();
    MessageAnalyzed latest = burst.get(burst.size() - 1);
    List<String> ids = burst.stream().map(MessageAnalyzed::messageId).toList();
    String band = score == null ? LeadScoring.COLD : score.band();
    String replyId = "ai-" + UUID.randomUUID();
    String channel = latest.channel();
    Instant last = burst.stream().map(MessageAnalyzed::receivedAt).filter(at -> at != null)
        .max(Instant::compareTo).orElse(latest.at());
    boolean highRisk = burst.stream().anyMatch(message -> message.analysis().highRisk());
    if (highRisk) return Optional.of(new ReplyPlan(replyId, Kind.HOLDING, null, band, channel, ids, last, latest));
    if (burstEscalated) return Optional.of(new ReplyPlan(replyId, Kind.HANDOFF, null, band, channel, ids, last, latest));
    if (Qualification.ESCALATED.equals(qualification.status())) return Optional.empty();
    boolean asked = burst.stream().anyMatch(MessageAnalyzed::question);
    Optional<Slot> slot = qualification.nextQuestion();
    if (asked || slot.isEmpty()) {
      return Optional.of(new ReplyPlan(replyId, Kind.PERSUASION, null, band, channel, ids, last, latest));
    }
    return Optional.of(new ReplyPlan(replyId, Kind.QUESTION, slot.get(), band, channel, ids, last, latest));
  }

  /**
   * A person takes the conversation: nothing when that person already holds it (a repeat is harmless), else the
   * takeover — also from another person, who then holds it.
   */
  public Optional<HumanTookOver> decideTakeover(String tenantId, String leadId, String userId, Instant now) {
    if (userId.equals(takenOverBy)) return Optional.empty();
    return Optional.of(new HumanTookOver(tenantId, leadId, userId, now));
  }

  /**
   * Back to the AI: from a person holding the conversation, or from an escalation (a person owned the lead without
   * taking it over); nothing when the AI already answers it.
   */
  public Optional<HandedBackToAi> decideHandBack(String tenantId, String leadId, String userId, Instant now) {
    if (takenOverBy == null && !Qualification.ESCALATED.equals(qualification.status())) return Optional.empty();
    return Optional.of(new HandedBackToAi(tenantId, leadId, userId, qualification.resumed(), now));
  }

  /** The burst a plan answers is over: nothing is sent for it (a refused debit, no channel...). */
  public ReplyFailed failReply(String replyId, String reason, Instant now) {
    return new ReplyFailed(tenantId, leadId, replyId, reason, now);
  }

  // ---- evolution ----

  public AgentState apply(Event event) {
    if (tenantId == null) {
      tenantId = event.tenantId();
      leadId = event.leadId();
    }
    if (event instanceof InboundNoted noted) {
      if (firstSeenAt == null) firstSeenAt = noted.receivedAt() != null ? noted.receivedAt() : noted.at();
      pending.put(noted.messageId(), noted);
    } else if (event instanceof AiSkipped skippedEvent) {
      pending.remove(skippedEvent.messageId());
      handle(skippedEvent.messageId());
      skipped++;
    } else if (event instanceof MessageAnalyzed message) {
      pending.remove(message.messageId());
      handle(message.messageId());
      analyzed++;
      words += message.words();
      Analysis analysis = message.analysis();
      qualification = message.qualification();
      recentIntents.add(analysis.intent());
      while (recentIntents.size() > 3) recentIntents.remove(0);
      if (analysis.language() != null) {
        language = analysis.language();
        hinglish = analysis.hinglish();
      }
      if (analysis.budget() != null) {
        budgetBucket = analysis.budget().bucket();
        budgetUsd = analysis.budget().usd();
      }
      if (analysis.timeline() != null) timeline = analysis.timeline();
      if (analysis.authority() != null) authority = analysis.authority();
      objections.addAll(analysis.objections());
      signals.addAll(analysis.buyingSignals());
      if (message.replyDelayMillis() != null) {
        replyDelays.add(message.replyDelayMillis());
        while (replyDelays.size() > DELAYS_KEPT) replyDelays.remove(0);
      }
      // while a person holds the conversation no reply is due: their messages start no burst
      if (takenOverBy == null) burst.add(message);
      // a burst no reply is due for (a person owns the lead) is not kept growing
      while (burst.size() > HANDLED_WINDOW / 10) burst.remove(0);
      burstSeq++;
    } else if (event instanceof LeadScored scored) {
      score = scored.score();
      scores++;
    } else if (event instanceof LeadEscalated escalated) {
      escalateReasons.addAll(escalated.reasons());
      qualification = qualification.escalated();
      burstEscalated = takenOverBy == null;
    } else if (event instanceof HumanTookOver took) {
      takenOverBy = took.userId();
      takenOverAt = took.at();
      burst.clear();
      burstEscalated = false;
    } else if (event instanceof HandedBackToAi back) {
      takenOverBy = null;
      takenOverAt = null;
      qualification = back.qualification();
      // what was written while a person held the lead is theirs: the AI starts on the next message
      burst.clear();
      burstEscalated = false;
    } else if (event instanceof ReviewTaskOpened task) {
      openReviewTasks.put(task.taskId(), task);
    } else if (event instanceof ReplyComposed composed) {
      pendingReply = composed;
      if (composed.kind() == Kind.QUESTION && composed.slot() != null) qualification = qualification.asked(composed.slot());
      lastReplyId = composed.replyId();
      burst.removeIf(message -> composed.burst().contains(message.messageId()));
      burstEscalated = false;
    } else if (event instanceof ReplyHanded handedEvent) {
      if (pendingReply != null && pendingReply.replyId().equals(handedEvent.replyId())) pendingReply = null;
      replies++;
      lastReplyAt = handedEvent.at();
    } else if (event instanceof ReplyFailed failed) {
      if (pendingReply != null && pendingReply.replyId().equals(failed.replyId())) {
        pendingReply = null;
      } else {
        // failed before it was written: the burst it was for is given up
        burst.clear();
        burstEscalated = false;
      }
    }
    return this;
  }

  private void handle(String messageId) {
    handled.add(messageId);
    while (handled.size() > HANDLED_WINDOW) handled.remove(handled.iterator().next());
  }

  // ---- reading ----

  public boolean exists() {
    return tenantId != null;
  }

  public String tenantId() {
    return tenantId;
  }

  public String leadId() {
    return leadId;
  }

  public ReplyComposed pendingReply() {
    return pendingReply;
  }

  public boolean hasPending() {
    return !pending.isEmpty();
  }

  public boolean burstOpen() {
    return !burst.isEmpty();
  }

  public long burstSeq() {
    return burstSeq;
  }

  /** When the burst's first message was stored: a burst is answered at the latest this long after it began. */
  public Optional<Instant> burstStartedAt() {
    return burst.stream().map(MessageAnalyzed::receivedAt).filter(at -> at != null).min(Instant::compareTo);
  }

  public Qualification qualification() {
    return qualification;
  }

  public String takenOverBy() {
    return takenOverBy;
  }

  public LeadScoring.Score score() {
    return score;
  }

  public String language() {
    return language;
  }

  public boolean hinglish() {
    return hinglish;
  }

  public AgentView view() {
    return new AgentView(exists(), tenantId, leadId, qualification, score, scores,
        !escalateReasons.isEmpty(), List.copyOf(escalateReasons), language, hinglish,
        recentIntents.isEmpty() ? null : recentIntents.get(recentIntents.size() - 1), budgetBucket, budgetUsd,
        timeline, authority, List.copyOf(objections), List.copyOf(signals), analyzed, skipped, replies,
        List.copyOf(pending.keySet()), List.copyOf(openReviewTasks.keySet()), lastReplyId,
        takenOverBy == null ? AgentView.AI : AgentView.HUMAN, takenOverBy, takenOverAt);
  }

  private static String strongest(List<String> intents) {
    if (intents.contains("HIGH")) return "HIGH";
    if (intents.contains("MEDIUM")) return "MEDIUM";
    return intents.isEmpty() ? null : "LOW";
  }

  private static Duration median(List<Long> delays) {
    if (delays.isEmpty()) return null;
    List<Long> sorted = delays.stream().sorted().toList();
    return Duration.ofMillis(sorted.get(sorted.size() / 2));
  }
}
