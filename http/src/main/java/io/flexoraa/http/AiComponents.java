package io.flexoraa.http;

import com.typesafe.config.Config;
import io.flexoraa.engine.ai.AiProfileRules;
import io.flexoraa.engine.ai.BuiltInProvider;
import io.flexoraa.engine.ai.FactGuard;
import io.flexoraa.engine.ai.MemoryRecall;
import io.flexoraa.engine.ai.ReplyEngine;
import io.flexoraa.engine.ai.SemanticCache;
import io.flexoraa.engine.ai.agent.AgentSettings;
import io.flexoraa.engine.ai.agent.AgentWork;
import io.flexoraa.engine.ai.agent.AiStage;
import io.flexoraa.engine.ai.agent.LeadAgentEntity;
import io.flexoraa.engine.ai.builtin.BuiltInAnalyzer;
import io.flexoraa.engine.ai.builtin.BuiltInReplies;
import io.flexoraa.engine.ai.builtin.HashingEmbedder;
import io.flexoraa.engine.limits.BackpressureSignal;
import io.flexoraa.engine.outbound.OutboundService;
import io.flexoraa.engine.ports.CostLog;
import io.flexoraa.engine.ports.PiiCipher;
import io.flexoraa.engine.tenant.TokenBudget;
import io.flexoraa.http.ai.AiProviders;
import io.flexoraa.persistence.Jdbc;
import io.flexoraa.persistence.TenantJdbc;
import io.flexoraa.persistence.ai.JdbcAiProfiles;
import io.flexoraa.persistence.audit.AuditTrail;
import io.flexoraa.persistence.readmodel.LeadQueries;
import io.flexoraa.persistence.projection.AgentProjections;
import io.flexoraa.persistence.projection.AgentResumption;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's AI (decisions 24, 27, 28), wired in one place: the AI stage the work queue hands messages to, the
 * providers (OpenAI falling back to the built-in engine, or the built-in engine alone), the tenants' AI profiles,
 * the reply stage, and — once the outbound flow exists — the lead agents, their projection and their resumption.
 */
record AiComponents(
    AgentSettings agentSettings, AiStage stage, AiProviders providers, JdbcAiProfiles profiles, ReplyEngine replies,
    MemoryRecall memoryRecall) {
  private static final Logger log = LoggerFactory.getLogger(AiComponents.class);

  /**
   * Everything the lead agents need except the outbound flow. The reply stage's cache and memory recall use the
   * built-in embedder, whose 0.92 threshold was measured (decision 28), and which costs no call.
   */
  static AiComponents build(Config config, ActorSystem<?> system, Jdbc jdbc, TenantJdbc tenantJdbc, CostLog costLog,
      BackpressureSignal backpressure, EdgeMetrics metrics, Clock clock) {
    AgentSettings agentSettings = AgentSettings.fromConfig(config);
    BuiltInReplies wording = new BuiltInReplies();
    BuiltInProvider builtIn = new BuiltInProvider(BuiltInAnalyzer.fromConfig(config), wording);
    AiProviders providers = AiProviders.fromConfig(config, system, builtIn, costLog, backpressure, metrics, clock);
    HashingEmbedder embedder = HashingEmbedder.fromConfig(config);
    ReplyEngine replies = new ReplyEngine(providers.provider(), wording, embedder,
        new SemanticCache(SemanticCache.Settings.fromConfig(config), clock),
        new FactGuard(FactGuard.Settings.fromConfig(config)), ReplyEngine.Settings.fromConfig(config), metrics);
    return new AiComponents(agentSettings, new AiStage(system, agentSettings.enabled()), providers,
        JdbcAiProfiles.fromConfig(jdbc, tenantJdbc, config, clock), replies, MemoryRecall.fromConfig(embedder, config));
  }

  /** Starts the lead agents (sharded) and their read-model projection. */
  void startAgents(ActorSystem<?> system, TokenBudget tokens, PiiCipher cipher, OutboundService outbound,
      DataSource projections, Config config, EdgeMetrics metrics, Clock clock) {
    LeadAgentEntity.init(system, new AgentWork(system, tokens, cipher, profiles, providers.provider(), replies,
        memoryRecall::recall, outbound, agentSettings, clock), agentSettings, metrics, clock);
    AgentProjections.init(system, projections, agentSettings.tagSlices(),
        config.getInt("flexoraa.projection.group-size"), config.getDuration("flexoraa.projection.group-within"));
  }

  /** Sharded agents start when a message reaches them: wakes those a stop may have interrupted (decision 24). */
  void resumeUnfinished(Jdbc jdbc, Config config, Clock clock) {
    new AgentResumption(jdbc).unfinishedSince(clock.instant().minus(
            config.getDuration("flexoraa.ai.agent.resume-window")))
        .thenAccept(stage::wake)
        .exceptionally(failure -> {
          log.warn("Could not look for unfinished AI work: {}", failure.toString());
          return null;
        });
  }

  /** The analysis API, the AI profile endpoints and human takeover. */
  List<Map<Endpoint, ApiRouter.Handler>> handlers(
      ActorSystem<?> system, TokenBudget tokens, LeadQueries leads, AuditTrail audit, Config config, Clock clock) {
    return List.of(
        new TakeoverRoutes(system, leads, audit, config.getDuration("flexoraa.http.ask-timeout")).handlers(),
        new AiRoutes(providers.provider(), profiles, tokens, ZoneId.of(config.getString("flexoraa.ai.zone")), clock)
            .handlers(),
        new AiProfileRoutes(profiles, new AiProfileRules(AiProfileRules.Limits.fromConfig(config))).handlers());
  }
}
