package io.flexoraa.engine.ai.agent;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.flexoraa.engine.CborSerializable;
import io.flexoraa.engine.ai.Analysis;
import io.flexoraa.engine.ai.ReplyRequest.Kind;
import io.flexoraa.engine.ai.ReplyRequest.Slot;
import io.flexoraa.engine.outbound.OutboundService;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The AI agent working one lead (docs/decisions/0024-the-lead-agent.md): its commands and events. The agent is a
 * sharded persistent entity keyed like the lead ({@code tenantId:leadId}); it owns the lead's AI state — the
 * analyses, the qualification interview, the score and its history, escalations, review tasks and the replies —
 * and is driven by the lead's own stored messages handed to it by the AI work queue, never by a projection.
 */
public final class LeadAgent {
  private LeadAgent() {}

  // ---- commands ----

  public sealed interface Command extends CborSerializable {}

  /** A stored inbound message whose AI work may start (from the AI work queue, after admission). */
  public record Inbound(String tenantId, String leadId, String messageId, Instant receivedAt, boolean opensLead)
      implements Command {}

  /** Resume whatever the agent's events say is unfinished (sent at start-up to agents that may have work left). */
  public record Wake() implements Command {}

  /** The agent's state as the API shows it. */
  public record GetAgent(ActorRef<AgentView> replyTo) implements Command {}

  /**
   * A person takes the conversation over (docs/decisions/0035-inbox-and-takeover.md): the AI stops replying to the
   * lead, analysis and scoring go on. Carries the lead's ids because the AI may not have seen the lead yet.
   */
  public record TakeOver(String tenantId, String leadId, String userId, ActorRef<Handling> replyTo)
      implements Command {}

  /** The conversation goes back to the AI: it resumes the interview on the lead's next message. */
  public record HandBack(String tenantId, String leadId, String userId, ActorRef<Handling> replyTo)
      implements Command {}

  /** The analysis of a message finished (or could not be done: {@code skipReason}). Sent by the agent to itself. */
  record Analyzed(String messageId, AgentWork.AnalysisResult result, String skipReason) implements Command {}

  /** The quiet period after a burst of messages ended: time to reply. */
  record BurstQuiet(long burstSeq) implements Command {}

  /** A reply was written (or could not be: {@code failure}). */
  record Composed(String replyId, AgentWork.ComposeResult result, String failure) implements Command {}

  /** The outbound flow took the reply (or refused it: {@code failure}). */
  record Handed(String replyId, OutboundService.Result result, String failure, Instant handedAt) implements Command {}

  /** A debit made after the fact (scoring, escalation decision, review) ended; logged only. */
  record Charged(String operation, String outcome) implements Command {}

  // ---- events ----

  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
  @JsonSubTypes({
      @JsonSubTypes.Type(value = InboundNoted.class, name = "agent-inbound-noted.v1"),
      @JsonSubTypes.Type(value = AiSkipped.class, name = "agent-ai-skipped.v1"),
      @JsonSubTypes.Type(value = MessageAnalyzed.class, name = "agent-message-analyzed.v1"),
      @JsonSubTypes.Type(value = LeadScored.class, name = "agent-lead-scored.v1"),
      @JsonSubTypes.Type(value = LeadEscalated.class, name = "agent-lead-escalated.v1"),
      @JsonSubTypes.Type(value = ReviewTaskOpened.class, name = "agent-review-task-opened.v1"),
      @JsonSubTypes.Type(value = ReplyComposed.class, name = "agent-reply-composed.v1"),
      @JsonSubTypes.Type(value = ReplyHanded.class, name = "agent-reply-handed.v1"),
      @JsonSubTypes.Type(value = ReplyFailed.class, name = "agent-reply-failed.v1"),
      @JsonSubTypes.Type(value = HumanTookOver.class, name = "agent-human-took-over.v1"),
      @JsonSubTypes.Type(value = HandedBackToAi.class, name = "agent-handed-back-to-ai.v1")
  })
  public sealed interface Event extends CborSerializable {
    String tenantId();

    String leadId();

    Instant at();
  }

  /** A message's AI work was taken on: durable, so a restart resumes it. */
  public record InboundNoted(
      String tenantId, String leadId, String messageId, Instant receivedAt, boolean opensLead, Instant at)
      implements Event {}

  /**
   * The message gets no AI work: {@code reason} is the token refusal (insufficient-balance, ai-paused,
   * daily-limit-reached...), {@code unreadable} (no text, or its key was shredded) or {@code anonymized}.
   */
  public record AiSkipped(String tenantId, String leadId, String messageId, String reason, Instant at)
      implements Event {}

  /**
   * What the AI understood of a message. {@code analysis.budget().text()} is never stored in clear: it is in
   * {@code budgetTextEnc} (encrypted under the lead's key), the analysis keeps a null text.
   *
   * @param words the message's length in words (reply depth)
   * @param question whether the lead asked something (a question mark, or a price/availability/payment question)
   * @param qualification the interview after this message
   * @param replyDelayMillis how long after our last reply the lead wrote this, or null
   */
  public record MessageAnalyzed(
      String tenantId, String leadId, String messageId, String channel, Analysis analysis, String budgetTextEnc,
      int words, boolean question, Qualification qualification, Long replyDelayMillis, long latencyMillis,
      Instant receivedAt, Instant at)
      implements Event {}

  /** A new score; {@code messageId} the message that caused it. */
  public record LeadScored(
      String tenantId, String leadId, String messageId, LeadScoring.Score score, String previousBand, Instant at)
      implements Event {}

  /** Rules said a person must take over: {@code reasons} the new ones, {@code allReasons} every one so far. */
  public record LeadEscalated(
      String tenantId, String leadId, String messageId, List<String> reasons, List<String> allReasons, Instant at)
      implements Event {
    public LeadEscalated {
      reasons = List.copyOf(reasons);
      allReasons = List.copyOf(allReasons);
    }
  }

  /** High-risk content: a person must review it; the AI does not answer it. */
  public record ReviewTaskOpened(
      String tenantId, String leadId, String taskId, String messageId, List<String> types, Instant at)
      implements Event {
    public ReviewTaskOpened {
      types = List.copyOf(types);
    }
  }

  /**
   * A reply written for a burst of messages (one reply per burst), its cost already debited ({@code ledgerEntryId},
   * null when the kind costs nothing). {@code textEnc} is encrypted under the lead's key.
   */
  public record ReplyComposed(
      String tenantId, String leadId, String replyId, Kind kind, Slot slot, String band, String channel,
      List<String> burst, Instant burstLastReceivedAt, String textEnc, String language, String source,
      String provider, String model, String strategy, Long ledgerEntryId, Instant at)
      implements Event {
    public ReplyComposed {
      burst = List.copyOf(burst);
    }
  }

  /**
   * The outbound flow took the reply: the compliance gate's decision (send, template, defer, block) and the sender's
   * outcome so far. {@code latencyMillis}: from the burst's last message being stored to the outbound flow's answer
   * (decided by the gate and taken by the sender).
   */
  public record ReplyHanded(
      String tenantId, String leadId, String replyId, String decision, String rule, String platformMessageId,
      String outcome, long latencyMillis, Instant at)
      implements Event {}

  /** No reply went out for the burst: {@code reason} (a token refusal, no-channel, compose-failed, refused...). */
  public record ReplyFailed(String tenantId, String leadId, String replyId, String reason, Instant at)
      implements Event {}

  /** A person ({@code userId}) took the conversation over: no AI reply goes out until it is handed back. */
  public record HumanTookOver(String tenantId, String leadId, String userId, Instant at) implements Event {}

  /**
   * The conversation is the AI's again ({@code userId} handed it back). {@code qualification}: the interview after
   * hand-back — an escalated one resumes, its escalation reasons are kept.
   */
  public record HandedBackToAi(
      String tenantId, String leadId, String userId, Qualification qualification, Instant at) implements Event {}

  // ---- views ----

  /** Who answers the lead after a takeover or hand-back; {@code changed} is false for a repeat. */
  public record Handling(boolean changed, AgentView view) implements CborSerializable {}

  /** The agent's state for the API and tests. */
  public record AgentView(
      boolean exists, String tenantId, String leadId, Qualification qualification, LeadScoring.Score score,
      int scores, boolean escalated, List<String> escalateReasons, String language, boolean hinglish,
      String intent, String budgetBucket, Long budgetUsd, String timeline, String authority,
      List<String> objections, List<String> buyingSignals, int analyzed, int skipped, int replies,
      List<String> pendingMessages, List<String> openReviewTasks, String lastReplyId, String handledBy,
      String takenOverBy, Instant takenOverAt)
      implements CborSerializable {
    public static final String AI = "ai";
    public static final String HUMAN = "human";
  }
}
