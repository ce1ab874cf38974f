package io.flexoraa.http;

import io.flexoraa.engine.ports.LeadRouter;
import io.flexoraa.engine.recovery.ColdRecovery;
import io.flexoraa.engine.recovery.ColdRecoveryEntity;
import io.flexoraa.engine.recovery.RecoverySettings;
import io.flexoraa.engine.recovery.RecoveryWording;
import io.flexoraa.engine.recovery.RecoveryWork;
import io.flexoraa.persistence.projection.RecoveryProjections;
import io.flexoraa.persistence.readmodel.RecoveryQueries;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cold recovery (issue 7 part 6; docs/decisions/0031-cold-recovery.md), wired in one place: the sharded recovery
 * entities, the feeds that hand them the agents' scores and the leads' messages, their read model, the per-node
 * keeper that wakes sequences whose deadline is due after a restart or a rebalance, and the API.
 */
final class ColdRecoveryComponents {
  private static final Logger log = LoggerFactory.getLogger(ColdRecoveryComponents.class);

  private final SalesComponents.Deps deps;
  private final RecoverySettings settings;
  private final RecoveryQueries queries;
  private final AtomicBoolean keeping = new AtomicBoolean();

  private ColdRecoveryComponents(SalesComponents.Deps deps, RecoverySettings settings, RecoveryQueries queries) {
    this.deps = deps;
    this.settings = settings;
    this.queries = queries;
  }

  static ColdRecoveryComponents start(SalesComponents.Deps deps, LeadRouter router) {
    RecoverySettings settings = RecoverySettings.fromConfig(deps.config());
    ActorSystem<?> system = deps.system();
    RecoveryWording wording = new RecoveryWording(
        settings.steps().stream().map(RecoverySettings.StepPlan::name).toList());
    RecoveryWork work = new RecoveryWork(system, deps.tokens(),
        deps.aiProfiles(), wording,
        deps.outbound(), router, settings);
    ColdRecoveryEntity.init(system, work, settings, deps.metrics(), deps.clock());
    ClusterSharding sharding = ClusterSharding.get(system);
    RecoveryProjections.init(system, deps.projections(), settings.tagSlices(),
        deps.config().getInt("flexoraa.ai.agent.tag-slices"), deps.config().getInt("flexoraa.lead.tag-slices"),
        deps.config().getInt("flexoraa.projection.group-size"),
        deps.config().getDuration("flexoraa.projection.group-within"),
        signal -> sharding.entityRefFor(ColdRecoveryEntity.TYPE_KEY,
                ColdRecoveryEntity.entityId(signal.tenantId(), signal.leadId()))
            .ask(replyTo -> new ColdRecovery.Observe(signal, replyTo), settings.askTimeout()));
    return new ColdRecoveryComponents(deps, settings, new RecoveryQueries(deps.tenantJdbc(), deps.jdbc()));
  }

  List<Map<Endpoint, ApiRouter.Handler>> handlers() {
    return List.of(new ColdRecoveryRoutes(queries, deps.leads(), deps.clock()).handlers());
  }

  /** The keeper: every keeper-interval, wakes the sequences whose deadline is due or near (an indexed range query). */
  void startBackground() {
    ClusterSharding sharding = ClusterSharding.get(deps.system());
    deps.system().scheduler().scheduleWithFixedDelay(settings.keeperInterval(), settings.keeperInterval(), () -> {
      if (!keeping.compareAndSet(false, true)) return;
      queries.dueBy(deps.clock().instant().plus(settings.keeperLookahead()), settings.keeperBatch())
          .whenComplete((due, failure) -> {
            keeping.set(false);
            if (failure != null) {
              log.warn("Could not read the cold recovery deadlines: {}", failure.toString());
              return;
            }
            for (String entityId : due) {
              sharding.entityRefFor(ColdRecoveryEntity.TYPE_KEY, entityId).tell(new ColdRecovery.Wake());
            }
          });
    }, deps.system().executionContext());
  }
}
