package io.flexoraa.persistence.projection;

import io.flexoraa.engine.ai.agent.LeadAgent;
import io.flexoraa.engine.lead.LeadModel;
import io.flexoraa.engine.routing.RoutingDesk;
import io.flexoraa.engine.routing.RoutingDeskEntity;
import io.flexoraa.engine.routing.RoutingSettings.Bands;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;

/**
 * Feeds the tenants' routing desks (docs/decisions/0030-routing-desk.md) from the AI's and the leads' events: a new
 * score routes the lead by band, an escalation routes it as HOT, a lead message starts its SDR's leakage clock, a
 * person's message answers it, a merge releases the lead. Each command is acknowledged by the desk before the
 * group's offset commits; a replay after a crash re-sends commands the desk already applied, which it ignores.
 */
final class RoutingFeedHandler<E> extends JdbcHandler<List<EventEnvelope<E>>, PooledJdbcSession> {
  private final ClusterSharding sharding;
  private final Duration timeout;

  RoutingFeedHandler(ActorSystem<?> system, Duration timeout) {
    this.sharding = ClusterSharding.get(system);
    this.timeout = timeout;
  }

  /**
   * The group's commands go out per tenant in order (one desk, one chain), the tenants' chains side by side: at 200
   * messages/s over 60 tenants, one ask at a time would leave the feed seconds behind the events (the routing
   * benchmark, docs/benchmarks/routing-notifications.md).
   */
  @Override
  public void process(PooledJdbcSession session, List<EventEnvelope<E>> envelopes) throws Exception {
    Map<String, CompletableFuture<Done>> chains = new LinkedHashMap<>();
    session.withConnection(connection -> {
      for (EventEnvelope<E> envelope : envelopes) {
        Desk command = command(connection, envelope.event());
        if (command == null) continue;
        chains.compute(command.tenantId(), (tenant, before) -> (before == null
            ? CompletableFuture.completedFuture(Done.getInstance()) : before)
            .thenCompose(ignored -> sharding.entityRefFor(RoutingDeskEntity.TYPE_KEY, tenant)
                .ask(command.command()::apply, timeout).toCompletableFuture()));
      }
      return null;
    });
    CompletableFuture.allOf(chains.values().toArray(CompletableFuture[]::new)).get();
  }

  /** A command for one tenant's desk, made once the ask gives its reply address. */
  private record Desk(String tenantId, Function<ActorRef<Done>, RoutingDesk.Command> command) {}

  private Desk command(Connection connection, Object event) throws Exception {
    if (event instanceof LeadAgent.LeadScored scored) {
      String band = scored.score().band();
      if (band.equals(scored.previousBand())) return null;
      String language = language(connection, scored.tenantId(), scored.leadId());
      return new Desk(scored.tenantId(),
          replyTo -> new RoutingDesk.Route(scored.leadId(), band, language, "score", replyTo));
    } else if (event instanceof LeadAgent.LeadEscalated escalated) {
      String language = language(connection, escalated.tenantId(), escalated.leadId());
      return new Desk(escalated.tenantId(), replyTo ->
          new RoutingDesk.Route(escalated.leadId(), Bands.HOT, language, "escalated", replyTo));
    } else if (event instanceof LeadModel.MessageReceived received) {
      return new Desk(received.tenantId(), replyTo -> new RoutingDesk.LeadMessage(received.leadId(),
          received.message().platformMessageId(), received.receivedAt(), replyTo));
    } else if (event instanceof LeadModel.OutboundRequested requested
        && LeadModel.AUTHOR_HUMAN.equals(requested.outbound().author()) && requested.outbound().actor() != null) {
      // the API records a person as "user:<id>" (Principal.actor); the roster knows the user id
      String actor = requested.outbound().actor();
      String userId = actor.startsWith("user:") ? actor.substring("user:".length()) : actor;
      return new Desk(requested.tenantId(), replyTo -> new RoutingDesk.Responded(requested.leadId(), userId,
          requested.at(), replyTo));
    } else if (event instanceof LeadModel.LeadMergedInto merged) {
      return new Desk(merged.tenantId(), replyTo -> new RoutingDesk.Release(merged.leadId(), "merged", replyTo));
    }
    return null;
  }

  /** The lead's language as the agent projection has it (a moment behind is fine: it only breaks ties). */
  private static String language(Connection connection, String tenantId, String leadId) throws Exception {
    try (PreparedStatement statement = connection.prepareStatement(
        "SELECT language FROM lead_ai WHERE tenant_id = ? AND lead_id = ?")) {
      statement.setString(1, tenantId);
      statement.setString(2, leadId);
      try (ResultSet result = statement.executeQuery()) {
        return result.next() ? result.getString(1) : null;
      }
    }
  }
}
