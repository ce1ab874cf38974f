package io.flexoraa.engine.compliance;

import com.typesafe.config.Config;
import io.flexoraa.engine.channel.ChannelAccount;
import io.flexoraa.engine.channel.ChannelAccountEntity;
import io.flexoraa.engine.ports.EngineMetrics;
import io.flexoraa.engine.ports.MetaSender;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * The one decision every outbound message gets; facade over the sharded entities (cluster-safe, exact counters).
 * The channel account decides first (all its rules, and it reserves its counters); a business-initiated WhatsApp
 * send then asks the portfolio's tier, and when the tier is full the account turns its admission into a DEFER and
 * gives the reservation back. Both entities are idempotent, so retrying a decision after a failure is safe.
 */
public final class ComplianceGate {
  private final ClusterSharding sharding;
  private final Duration askTimeout;
  private final EngineMetrics metrics;

  public ComplianceGate(ActorSystem<?> system, Config config, Duration askTimeout) {
    this(system, config, askTimeout, EngineMetrics.NONE);
  }

  /** {@code metrics}: every new decision is counted ({@code flexoraa_compliance_decisions_total}). */
  public ComplianceGate(ActorSystem<?> system, Config config, Duration askTimeout, EngineMetrics metrics) {
    this.sharding = ClusterSharding.get(system);
    this.askTimeout = askTimeout;
    this.metrics = metrics;
  }

  /**
   * Idempotent on request.messageId(): deciding the same message again answers the recorded decision, except a
   * DEFER whose notBefore has come, which is decided afresh. SEND and TEMPLATE reserve the counters.
   */
  public CompletionStage<GateDecision> decide(GateRequest request) {
    String missing = missing(request);
    if (missing != null) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("a gate request needs " + missing));
    }
    EntityRef<ChannelAccount.Command> account = account(request.tenantId(), request.channel(), request.accountExternalId());
    return account
        .<ChannelAccount.AccountDecision>askWithStatus(replyTo -> new ChannelAccount.Decide(request, replyTo), askTimeout)
        .thenCompose(answer -> {
          if (!answer.needsTier() || !answer.decision().verdict().admits()) {
            return CompletableFuture.completedFuture(answer.decision());
          }
          String portfolio = request.businessAccountId() == null || request.businessAccountId().isBlank()
              ? request.accountExternalId() : request.businessAccountId();
          return sharding.entityRefFor(PortfolioTierEntity.TYPE_KEY, PortfolioTierEntity.entityId(request.tenantId(), portfolio))
              .<PortfolioTier.TierAnswer>askWithStatus(replyTo -> new PortfolioTier.Reserve(request.tenantId(),
                  request.recipientKey(), request.messageId(), answer.tierLimit(), replyTo), askTimeout)
              .thenCompose(tier -> tier.admitted()
                  ? CompletableFuture.completedFuture(answer.decision())
                  : account.<GateDecision>askWithStatus(replyTo ->
                      new ChannelAccount.DeferForTier(request.messageId(), tier.notBefore(), replyTo), askTimeout));
        })
        .thenApply(decision -> {
          if (!decision.repeated()) metrics.complianceDecision(request.channel(), decision.verdict().wireName(), decision.rule());
          return decision;
        });
  }

  /** The first required field the request lacks, or null. */
  private static String missing(GateRequest request) {
    if (request == null) return "a request";
    if (request.messageId() == null) return "messageId";
    if (request.tenantId() == null) return "tenantId";
    if (request.channel() == null) return "channel";
    if (request.accountExternalId() == null) return "accountExternalId";
    if (request.recipientKey() == null) return "recipientKey";
    if (request.author() == null) return "author";
    if (request.form() == null) return "form";
    return null;
  }

  /**
   * What Meta answered for a sent message: USER_BACKOFF (131049) backs the user off marketing for 24 h,
   * PAIR_RATE (131056) makes the pair wait, TOKEN_INVALID alerts; others are recorded.
   */
  public CompletionStage<Done> recordOutcome(String tenantId, String channel, String accountExternalId,
      String messageId, String recipientKey, MetaSender.Outcome outcome) {
    return account(tenantId, channel, accountExternalId).askWithStatus(replyTo ->
        new ChannelAccount.RecordOutcome(tenantId, messageId, recipientKey, outcome, replyTo), askTimeout);
  }

  /** The portfolio's tier use now: {@code used} unique recipients of {@code limit}. */
  public CompletionStage<PortfolioTier.TierAnswer> tierUse(String tenantId, String businessAccountId, int limit) {
    return sharding.entityRefFor(PortfolioTierEntity.TYPE_KEY, PortfolioTierEntity.entityId(tenantId, businessAccountId))
        .ask(replyTo -> new PortfolioTier.GetUsage(limit, replyTo), askTimeout);
  }

  /** What the gate knows of one account (templates, quality, suspension). */
  public CompletionStage<ChannelAccount.ComplianceView> accountView(String tenantId, String channel, String externalId) {
    return account(tenantId, channel, externalId).ask(ChannelAccount.GetCompliance::new, askTimeout);
  }

  /**
   * Registers (or re-registers) a template for an account; {@code status} null keeps Meta's last status (PENDING for
   * a new one) until Meta's status webhook says otherwise.
   */
  public CompletionStage<io.flexoraa.engine.compliance.AccountCompliance.Template> registerTemplate(String tenantId,
      String channel, String externalId, String name, String language, String category, String purpose, String status,
      String actor) {
    return account(tenantId, channel, externalId).askWithStatus(replyTo -> new ChannelAccount.RegisterTemplate(
        tenantId, name, language, category, purpose, status, actor, replyTo), askTimeout);
  }

  private EntityRef<ChannelAccount.Command> account(String tenantId, String channel, String externalId) {
    return sharding.entityRefFor(ChannelAccountEntity.TYPE_KEY, ChannelAccountEntity.entityId(tenantId, channel, externalId));
  }
}
