package io.flexoraa.engine.ai.agent;

import io.flexoraa.engine.ai.AiOperations;
import io.flexoraa.engine.ai.AiProfile;
import io.flexoraa.engine.ai.AiProfiles;
import io.flexoraa.engine.ai.AiProvider;
import io.flexoraa.engine.ai.Analysis;
import io.flexoraa.engine.ai.AnalysisRequest;
import io.flexoraa.engine.ai.Budget;
import io.flexoraa.engine.ai.ConversationTurn;
import io.flexoraa.engine.ai.Replies;
import io.flexoraa.engine.ai.ReplyDraft;
import io.flexoraa.engine.ai.ReplyRequest;
import io.flexoraa.engine.ai.agent.AgentState.ReplyPlan;
import io.flexoraa.engine.ai.agent.LeadAgent.InboundNoted;
import io.flexoraa.engine.ai.agent.LeadAgent.ReplyComposed;
import io.flexoraa.engine.lead.LeadEntity;
import io.flexoraa.engine.lead.LeadModel;
import io.flexoraa.engine.outbound.OutboundService;
import io.flexoraa.engine.ports.PiiCipher;
import io.flexoraa.engine.ports.PiiCipher.FieldCipher;
import io.flexoraa.engine.tenant.TokenBudget;
import io.flexoraa.engine.tenant.Tokens;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * The lead agent's I/O, off the entity's thread: debiting the rate card, reading and decrypting the lead's
 * messages, calling the AI provider and the reply stage, handing replies to the outbound flow. Each step completes
 * with what the entity needs to decide and persist; none of them changes the agent's state.
 */
public final class AgentWork {

  /** How many recent messages the AI's context holds, and how many older ones it may recall (PRODUCT §5). */
  static final int CONTEXT_MESSAGES = 10;
  static final int MEMORIES = 3;

  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");
  private static final Pattern QUESTION = Pattern.compile("[?？؟]");

  /** A message's analysis as the agent records it: the budget's wording encrypted, never in clear. */
  public record AnalysisResult(
      Analysis analysis, String budgetTextEnc, int words, boolean question, String channel, long latencyMillis,
      Instant receivedAt, Instant sentAt) {}

  /** A written reply: its text encrypted under the lead's key, and the ledger entry that paid for it. */
  public record ComposeResult(ReplyDraft draft, String textEnc, Long ledgerEntryId) {}

  /** Work that cannot be done for this message or burst; {@code reason} is recorded. */
  public static final class Skip extends RuntimeException {
    private final String reason;

    public Skip(String reason) {
      super(reason, null, false, false);
      this.reason = reason;
    }

    public String reason() {
      return reason;
    }
  }

  /**
   * Finds the tenant's memories relevant to a message among older ones (the reply engine's recall); the default
   * keeps the most recent.
   */
  public interface Recall {
    CompletionStage<List<String>> recall(String tenantId, String inbound, List<String> older, int k);

    Recall RECENT = (tenantId, inbound, older, k) ->
        CompletableFuture.completedFuture(older.subList(Math.max(0, older.size() - k), older.size()));
  }

  private final ClusterSharding sharding;
  private final TokenBudget tokens;
  private final PiiCipher cipher;
  private final AiProfiles profiles;
  private final AiProvider provider;
  private final Replies replies;
  private final Recall recall;
  private final OutboundService outbound;
  private final AgentSettings settings;
  private final Clock clock;

  public AgentWork(
      ActorSystem<?> system, TokenBudget tokens, PiiCipher cipher, AiProfiles profiles, AiProvider provider,
      Replies replies, Recall recall, OutboundService outbound, AgentSettings settings, Clock clock) {
    this.sharding = ClusterSharding.get(system);
    this.tokens = tokens;
    this.cipher = cipher;
    this.profiles = profiles;
    this.provider = provider;
    this.replies = replies;
    this.recall = recall;
    this.outbound = outbound;
    this.settings = settings;
    this.clock = clock;
  }

  /** Debits the classification, reads the message and analyses it; fails with {@link Skip} when it must not. */
  public CompletionStage<AnalysisResult> analyze(String tenantId, String leadId, InboundNoted noted) {
    Instant started = clock.instant();
    String reference = "ai:" + leadId + ":" + noted.messageId() + ":classify";
    return debit(tenantId, AiOperations.INTENT_CLASSIFICATION, leadId, reference)
        .thenCompose(entry -> conversation(tenantId, leadId))
        .thenCompose(conversation -> {
          if (conversation.anonymized()) throw new Skip("anonymized");
          LeadModel.RecentInbound message = conversation.inbound().stream()
              .filter(inbound -> inbound.platformMessageId().equals(noted.messageId())).findFirst()
              .orElseThrow(() -> new Skip("unreadable"));
          if (message.textEnc() == null) throw new Skip("no-text");
          return cipher.existingLeadCipher(tenantId, leadId).thenCompose(maybeCipher -> {
            FieldCipher leadCipher = maybeCipher.orElseThrow(() -> new Skip("unreadable"));
            String text = leadCipher.decrypt(message.textEnc());
            return profile(tenantId).thenCompose(profile -> {
              LocalDate today = LocalDate.ofInstant(message.at() != null ? message.at() : clock.instant(),
                  settings.zone());
              AnalysisRequest request =
                  new AnalysisRequest(tenantId, text, message.channel(), profile.competitors(), today);
              return provider.analyze(request, new AiProvider.Call(tenantId, leadId, reference, AiOperations.INTENT_CLASSIFICATION))
                  .thenApply(analysis -> {
                    Budget budget = analysis.budget();
                    String budgetTextEnc = budget == null || budget.text() == null
                        ? null : leadCipher.encrypt(budget.text());
                    Analysis stored = budget == null ? analysis : withBudget(analysis, new Budget(budget.amount(),
                        budget.currency(), budget.period(), budget.usd(), budget.bucket(), null));
                    long latency = Duration.between(started, clock.instant()).toMillis();
                    return new AnalysisResult(stored, budgetTextEnc, words(text), asks(text, analysis),
                        message.channel(), latency, noted.receivedAt(), message.at());
                  });
            });
          });
        });
  }

  /**
   * Debits the reply's cost, builds its context (profile, the last 10 messages across channels, the 3 most
   * relevant older ones) and writes it through the reply stage.
   */
  public CompletionStage<ComposeResult> compose(String tenantId, String leadId, ReplyPlan plan, String language,
      boolean hinglish) {
    // the holding reply is part of the review (5 tokens), the hand-over part of the escalation decision: both are
    // debited when those decisions are made, not again for the message
    String operation = switch (plan.kind()) {
      case QUESTION, PERSUASION -> AiOperations.forReply(plan.kind());
      case HOLDING, HANDOFF -> null;
    };
    CompletionStage<Long> paid = operation == null
        ? CompletableFuture.completedFuture(null)
        : debit(tenantId, operation, leadId, "ai:" + leadId + ":" + plan.replyId());
    return paid.thenCompose(entry -> conversation(tenantId, leadId).thenCompose(conversation ->
        cipher.existingLeadCipher(tenantId, leadId).thenCompose(maybeCipher -> {
          FieldCipher leadCipher = maybeCipher.orElseThrow(() -> new Skip("unreadable"));
          // each message decrypted once: for the context, the older memories and the burst being answered
          Map<String, String> inboundTexts = new LinkedHashMap<>();
          for (LeadModel.RecentInbound message : conversation.inbound()) {
            if (message.textEnc() != null) {
              inboundTexts.put(message.platformMessageId(), leadCipher.decrypt(message.textEnc()));
            }
          }
          List<ConversationTurn> turns = turns(conversation, inboundTexts, leadCipher);
          List<ConversationTurn> context = turns.subList(Math.max(0, turns.size() - CONTEXT_MESSAGES), turns.size());
          List<String> older = turns.subList(0, Math.max(0, turns.size() - CONTEXT_MESSAGES)).stream()
              .filter(turn -> ConversationTurn.LEAD.equals(turn.role())).map(ConversationTurn::text).toList();
          String inbound = String.join("\n", inboundTexts.entrySet().stream()
              .filter(text -> plan.burst().contains(text.getKey())).map(Map.Entry::getValue).toList());
          return profile(tenantId).thenCompose(profile -> recall.recall(tenantId, inbound, older, MEMORIES)
              .thenCompose(memories -> replies.reply(new ReplyRequest(tenantId, leadId, plan.kind(), plan.slot(),
                  plan.band(), language == null ? profile.defaultLanguage() : language, hinglish, inbound,
                  plan.latest().analysis(), context, memories, profile, plan.replyId()))))
              .thenApply(draft -> new ComposeResult(draft, leadCipher.encrypt(draft.text()), entry));
        })));
  }

  /** Hands a written reply to the outbound flow (the compliance gate decides; idempotent on the reply id). */
  public CompletionStage<OutboundService.Result> hand(ReplyComposed composed) {
    return cipher.existingLeadCipher(composed.tenantId(), composed.leadId()).thenCompose(maybeCipher -> {
      FieldCipher leadCipher = maybeCipher.orElseThrow(() -> new Skip("unreadable"));
      String text = leadCipher.decrypt(composed.textEnc());
      return outbound.send(new OutboundService.Request(composed.tenantId(), composed.leadId(), composed.replyId(),
          composed.channel(), LeadModel.AUTHOR_AI, "ai", text, null, null, null, null, null, null));
    });
  }

  /** A debit made as a decision happens (scoring, escalation, review): its outcome name, for logs and metrics. */
  public CompletionStage<String> charge(String tenantId, String leadId, String operation, String reference) {
    return debit(tenantId, operation, leadId, reference)
        .handle((entry, failure) -> failure == null ? "debited"
            : failure instanceof Skip skip ? skip.reason() : "unknown");
  }

  private CompletionStage<Long> debit(String tenantId, String operation, String leadId, String reference) {
    return tokens.debit(tenantId, operation, leadId, reference).thenApply(outcome -> {
      if (outcome instanceof Tokens.Debited debited) return debited.entryId();
      Tokens.Refusal reason = ((Tokens.Refused) outcome).reason();
      throw new Skip(reason.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    });
  }

  private CompletionStage<LeadModel.Conversation> conversation(String tenantId, String leadId) {
    return sharding.entityRefFor(LeadEntity.TYPE_KEY, LeadEntity.entityId(tenantId, leadId))
        .ask(LeadModel.GetConversation::new, settings.askTimeout());
  }

  private CompletionStage<AiProfile> profile(String tenantId) {
    return profiles.get(tenantId).thenApply(profile -> profile.orElse(AiProfile.empty()));
  }

  /** The lead's messages and the replies to it, decrypted, oldest first. */
  private static List<ConversationTurn> turns(
      LeadModel.Conversation conversation, Map<String, String> inboundTexts, FieldCipher leadCipher) {
    List<ConversationTurn> turns = new ArrayList<>();
    for (LeadModel.RecentInbound message : conversation.inbound()) {
      String text = inboundTexts.get(message.platformMessageId());
      if (text == null) continue;
      turns.add(new ConversationTurn(ConversationTurn.LEAD, text, message.channel(), message.at()));
    }
    for (LeadModel.OutboundState sent : conversation.outbound()) {
      var message = sent.outbound();
      if (message.textEnc() == null || "block".equals(sent.verdict())) continue;
      String role = LeadModel.AUTHOR_AI.equals(message.author()) ? ConversationTurn.AI : ConversationTurn.AGENT;
      turns.add(new ConversationTurn(role, leadCipher.decrypt(message.textEnc()), message.channel(),
          message.requestedAt()));
    }
    turns.sort(Comparator.comparing(ConversationTurn::at, Comparator.nullsFirst(Comparator.naturalOrder())));
    return turns;
  }

  static int words(String text) {
    int count = 0;
    var matcher = WORD.matcher(text);
    while (matcher.find()) count++;
    return count;
  }

  /** Whether the lead asked something we should answer rather than ask our next question over. */
  static boolean asks(String text, Analysis analysis) {
    if (QUESTION.matcher(text).find()) return true;
    return analysis.buyingSignals().stream()
        .anyMatch(signal -> signal.equals("asks_price") || signal.equals("asks_availability")
            || signal.equals("asks_payment"));
  }

  private static Analysis withBudget(Analysis analysis, Budget budget) {
    return new Analysis(analysis.language(), analysis.hinglish(), analysis.intent(), analysis.category(),
        analysis.tone(), budget, analysis.timeline(), analysis.authority(), analysis.objections(),
        analysis.buyingSignals(), analysis.competitors(), analysis.highRisk(), analysis.highRiskTypes(),
        analysis.escalate(), analysis.escalateReasons(), analysis.confidence(), analysis.provider(),
        analysis.model());
  }
}
