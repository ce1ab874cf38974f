package io.flexoraa.engine.recovery;

import io.flexoraa.engine.ai.AiProfile;
import io.flexoraa.engine.ai.AiProfiles;
import io.flexoraa.engine.ai.agent.LeadAgent;
import io.flexoraa.engine.ai.agent.LeadAgentEntity;
import io.flexoraa.engine.lead.LeadModel;
import io.flexoraa.engine.outbound.OutboundService;
import io.flexoraa.engine.ports.LeadRouter;
import io.flexoraa.engine.tenant.TokenBudget;
import io.flexoraa.engine.tenant.Tokens;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * The slow steps of a recovery, off the entity's thread: the debit, the lead's language (from its agent), the
 * tenant's profile, the wording and the hand-over to the outbound flow (the compliance gate decides; outside the
 * customer-service window it sends the approved template of the configured purpose, or blocks).
 */
public final class RecoveryWork {
  /** The {@code cold-recovery} rate-card operation (2.5 tokens). */
  public static final String OPERATION = "cold-recovery";

  /** What the outbound flow did with a step's message. */
  public record Sent(String messageId, String language, String decision, String rule, String template, String outcome)
      implements io.flexoraa.engine.CborSerializable {}

  private final ClusterSharding sharding;
  private final TokenBudget tokens;
  private final AiProfiles profiles;
  private final RecoveryWording wording;
  private final OutboundService outbound;
  private final LeadRouter router;
  private final RecoverySettings settings;

  public RecoveryWork(ActorSystem<?> system, TokenBudget tokens, AiProfiles profiles, RecoveryWording wording,
      OutboundService outbound, LeadRouter router, RecoverySettings settings) {
    this.sharding = ClusterSharding.get(system);
    this.tokens = tokens;
    this.profiles = profiles;
    this.wording = wording;
    this.outbound = outbound;
    this.router = router;
    this.settings = settings;
  }

  /** {@code debited}, or the refusal ({@code insufficient-balance}, {@code ai-paused}...). */
  CompletionStage<String> charge(String tenantId, String leadId, String reference) {
    return tokens.debit(tenantId, OPERATION, leadId, reference).thenApply(outcome ->
        outcome instanceof Tokens.Refused refused
            ? refused.reason().name().toLowerCase(Locale.ROOT).replace('_', '-') : "debited");
  }

  /** Writes the step's message in the lead's language and hands it to the outbound flow (idempotent on its id). */
  CompletionStage<Sent> send(RecoveryState state, int step) {
    String messageId = state.messageId(step);
    String name = state.steps().get(step).name();
    CompletionStage<LeadAgent.AgentView> agent = sharding
        .entityRefFor(LeadAgentEntity.TYPE_KEY, LeadAgentEntity.entityId(state.tenantId(), state.leadId()))
        .ask(LeadAgent.GetAgent::new, settings.askTimeout());
    return agent.thenCombine(profiles.get(state.tenantId()), (view, profile) ->
            wording.compose(name, view.language(), view.hinglish(), profile.orElse(AiProfile.empty())))
        .thenCompose(text -> outbound.send(new OutboundService.Request(state.tenantId(), state.leadId(), messageId,
                null, LeadModel.AUTHOR_AI, null, text.text(), null, null, List.of(), null, null, settings.purpose()))
            .thenApply(result -> new Sent(messageId, text.language(), result.decision(), result.rule(),
                result.templateName(), result.outcome())));
  }

  CompletionStage<Optional<String>> assignee(String tenantId, String leadId) {
    return router.assignee(tenantId, leadId);
  }

  CompletionStage<Void> routeToJuniors(String tenantId, String leadId) {
    return router.routeToJuniors(tenantId, leadId, "cold-recovery-lapsed");
  }
}
