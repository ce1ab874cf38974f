package io.flexoraa.persistence.projection;

import io.flexoraa.engine.ai.agent.LeadAgent;
import io.flexoraa.engine.ai.agent.LeadAgentEntity;
import java.time.Duration;
import javax.sql.DataSource;
import org.apache.pekko.actor.typed.ActorSystem;

/** Runs the lead agent's read-model projection ({@link AgentHandler}), one per agent tag, once in the cluster. */
public final class AgentProjections {
  public static final String NAME = "lead-agent";

  private AgentProjections() {}

  public static void init(
      ActorSystem<?> system, DataSource dataSource, int tagSlices, int groupSize, Duration groupWithin) {
    TaggedProjections.<LeadAgent.Event>init(system, NAME, LeadAgentEntity.allTags(tagSlices), dataSource, groupSize,
        groupWithin, AgentHandler::new);
  }
}
