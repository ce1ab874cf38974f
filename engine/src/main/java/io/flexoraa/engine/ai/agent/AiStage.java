package io.flexoraa.engine.ai.agent;

import io.flexoraa.engine.ports.AiWork;
import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * The AI stage as the AI work queue sees it: each admitted message is handed to its lead's agent (a tell, so the
 * queue never waits). Disabled ({@code flexoraa.ai.agent.enabled = false}) it only counts, and the messages stay
 * stored and routed to people with no AI work.
 */
public final class AiStage implements AiWork {
  private final LongAdder started = new LongAdder();
  private final ActorSystem<?> system;
  private final boolean enabled;

  public AiStage(ActorSystem<?> system, boolean enabled) {
    this.system = system;
    this.enabled = enabled;
  }

  @Override
  public void start(Item item) {
    started.increment();
    if (!enabled) return;
    ClusterSharding.get(system)
        .entityRefFor(LeadAgentEntity.TYPE_KEY, LeadAgentEntity.entityId(item.tenantId(), item.leadId()))
        .tell(new LeadAgent.Inbound(item.tenantId(), item.leadId(), item.platformMessageId(), item.receivedAt(),
            item.opensLead()));
  }

  /** Wakes agents that may have work left after a restart ({@code tenantId:leadId}); they resume it themselves. */
  public void wake(java.util.List<String> entityIds) {
    if (!enabled) return;
    ClusterSharding sharding = ClusterSharding.get(system);
    for (String entityId : entityIds) {
      sharding.entityRefFor(LeadAgentEntity.TYPE_KEY, entityId).tell(new LeadAgent.Wake());
    }
  }

  /** Messages whose AI work was started on this node. */
  public long started() {
    return started.sum();
  }

  public boolean enabled() {
    return enabled;
  }
}
