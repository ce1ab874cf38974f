package io.flexoraa.http;

import io.flexoraa.engine.lead.LeadModel;
import io.flexoraa.engine.outbound.OutboundService;
import io.flexoraa.engine.ports.LeadRouter;
import io.flexoraa.engine.ports.Notifier;
import io.flexoraa.engine.ports.Roster;
import io.flexoraa.engine.routing.DeskEffects;
import io.flexoraa.engine.routing.Reengagement;
import io.flexoraa.engine.routing.RoutingDesk;
import io.flexoraa.engine.routing.RoutingDeskEntity;
import io.flexoraa.engine.routing.RoutingSettings;
import io.flexoraa.engine.routing.RoutingSettings.Bands;
import io.flexoraa.engine.routing.Sdr;
import io.flexoraa.persistence.audit.AuditLog;
import io.flexoraa.persistence.projection.RoutingProjections;
import io.flexoraa.persistence.readmodel.RoutingQueries;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Roster, routing, SLAs and leakage prevention (issue 7 parts 1, 2, 4, 5; docs/decisions/0030-routing-desk.md):
 * the tenants' routing desks (sharded), their projections (read side and feeds), the keeper that wakes desks whose
 * deadlines fall due after a restart, the API, and the {@link Roster} and {@link LeadRouter} the other parts use.
 */
final class RoutingComponents {
  private static final Logger log = LoggerFactory.getLogger(RoutingComponents.class);

  /** Asks a tenant's desk. */
  record Desks(ClusterSharding sharding, java.time.Duration timeout) {
    <R> CompletionStage<R> ask(String tenantId, Function<ActorRef<R>, RoutingDesk.Command> command) {
      return sharding.entityRefFor(RoutingDeskEntity.TYPE_KEY, tenantId).ask(command::apply, timeout);
    }

    CompletionStage<RoutingDesk.DeskView> view(String tenantId) {
      return ask(tenantId, RoutingDesk.GetDesk::new);
    }
  }

  private final SalesComponents.Deps deps;
  private final RoutingSettings settings;
  private final Desks desks;
  private final RoutingQueries queries;

  private RoutingComponents(SalesComponents.Deps deps, RoutingSettings settings, Desks desks, RoutingQueries queries) {
    this.deps = deps;
    this.settings = settings;
    this.desks = desks;
    this.queries = queries;
  }

  static RoutingComponents start(SalesComponents.Deps deps, Notifier notifier) {
    RoutingSettings settings = RoutingSettings.fromConfig(deps.config());
    OutboundService outbound = deps.outbound();
    DeskEffects.Reengager reengager = (tenantId, leadId, messageId, language) -> {
      String text = Reengagement.wording(language).or(() -> Reengagement.wording(settings.reengageLanguage()))
          .orElseThrow(() -> new IllegalStateException("no re-engagement wording"));
      // purpose null: the fallback purpose's template stands in outside the 24 h window
      return outbound.send(new OutboundService.Request(tenantId, leadId, messageId, null, LeadModel.AUTHOR_AI, "ai",
          text, null, null, null, null, null, null)).thenApply(OutboundService.Result::decision);
    };
    DeskEffects.Auditor auditor = (tenantId, actor, action, subject, details) ->
        deps.audit().record(new AuditLog.NewEntry(tenantId, actor, action, subject, details));
    RoutingDeskEntity.init(deps.system(), settings,
        new DeskEffects(notifier, deps.tokens(), reengager, auditor, deps.metrics()), deps.clock());
    if (settings.enabled()) {
      RoutingProjections.init(deps.system(), deps.projections(), settings.tagSlices(),
          deps.config().getInt("flexoraa.ai.agent.tag-slices"), deps.config().getInt("flexoraa.lead.tag-slices"),
          deps.config().getInt("flexoraa.projection.group-size"),
          deps.config().getDuration("flexoraa.projection.group-within"), settings.askTimeout());
    }
    return new RoutingComponents(deps, settings, new Desks(ClusterSharding.get(deps.system()), settings.askTimeout()),
        new RoutingQueries(deps.tenantJdbc(), deps.jdbc()));
  }

  Roster roster() {
    return new Roster() {
      @Override
      public CompletionStage<Optional<Sdr>> sdr(String tenantId, String userId) {
        return desks.view(tenantId).thenApply(view ->
            view.sdrs().stream().filter(sdr -> sdr.userId().equals(userId)).findFirst());
      }

      @Override
      public CompletionStage<List<Sdr>> sdrs(String tenantId) {
        return desks.view(tenantId).thenApply(RoutingDesk.DeskView::sdrs);
      }
    };
  }

  LeadRouter router() {
    return new LeadRouter() {
      @Override
      public CompletionStage<Optional<String>> assignee(String tenantId, String leadId) {
        return desks.view(tenantId).thenApply(view -> view.assignments().stream()
            .filter(assignment -> assignment.leadId().equals(leadId)).map(RoutingDesk.AssignmentView::userId)
            .findFirst());
      }

      @Override
      public CompletionStage<Void> routeToJuniors(String tenantId, String leadId, String reason) {
        return desks.<org.apache.pekko.Done>ask(tenantId, replyTo ->
            new RoutingDesk.Route(leadId, Bands.COLD, null, "juniors", replyTo)).thenApply(done -> null);
      }
    };
  }

  List<Map<Endpoint, ApiRouter.Handler>> handlers() {
    return List.of(new RoutingRoutes(desks, deps.users(), deps.leads(), queries, deps.audit(), deps.clock())
        .handlers());
  }

  /**
   * The keeper: every {@code keeper-interval}, wakes the desks with a deadline due within {@code keeper-lookahead}
   * or leads waiting. A desk that is already running ignores the wake-up; one that is not starts, re-arms its
   * timers from its events and runs what is due.
   */
  void startBackground() {
    if (!settings.enabled()) return;
    var system = deps.system();
    system.scheduler().scheduleWithFixedDelay(settings.keeperInterval(), settings.keeperInterval(), () ->
        queries.desksToWake(deps.clock().instant().plus(settings.keeperLookahead()))
            .thenAccept(tenants -> tenants.forEach(tenantId -> desks.sharding()
                .entityRefFor(RoutingDeskEntity.TYPE_KEY, tenantId).tell(new RoutingDesk.Wake())))
            .exceptionally(failure -> {
              log.warn("Routing keeper could not read deadlines: {}", failure.toString());
              return null;
            }), system.executionContext());
  }
}
