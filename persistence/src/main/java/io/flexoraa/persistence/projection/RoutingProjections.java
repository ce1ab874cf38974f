package io.flexoraa.persistence.projection;

import io.flexoraa.engine.ai.agent.LeadAgent;
import io.flexoraa.engine.ai.agent.LeadAgentEntity;
import io.flexoraa.engine.lead.LeadEntity;
import io.flexoraa.engine.lead.LeadModel;
import io.flexoraa.engine.routing.RoutingDesk;
import io.flexoraa.engine.routing.RoutingDeskEntity;
import java.time.Duration;
import javax.sql.DataSource;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Routing's projections: the desks' read side ({@link RoutingReadModelHandler}) and the two feeds into the desks
 * ({@link RoutingFeedHandler}) over the agent tags and the lead tags, each once in the cluster per tag.
 */
public final class RoutingProjections {
  public static final String READ_MODEL = "routing-read-model";
  public static final String AGENT_FEED = "routing-feed-agent";
  public static final String LEAD_FEED = "routing-feed-lead";

  private RoutingProjections() {}

  public static void init(ActorSystem<?> system, DataSource dataSource, int routingSlices, int agentSlices,
      int leadSlices, int groupSize, Duration groupWithin, Duration askTimeout) {
    TaggedProjections.<RoutingDesk.Event>init(system, READ_MODEL, RoutingDeskEntity.allTags(routingSlices),
        dataSource, groupSize, groupWithin, tag -> new RoutingReadModelHandler());
    TaggedProjections.<LeadAgent.Event>init(system, AGENT_FEED, LeadAgentEntity.allTags(agentSlices), dataSource,
        groupSize, groupWithin, tag -> new RoutingFeedHandler<>(system, askTimeout));
    TaggedProjections.<LeadModel.Event>init(system, LEAD_FEED, LeadEntity.allTags(leadSlices), dataSource,
        groupSize, groupWithin, tag -> new RoutingFeedHandler<>(system, askTimeout));
  }
}
