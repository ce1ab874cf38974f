package io.flexoraa.engine.limits;

import com.typesafe.config.Config;
import io.flexoraa.engine.ports.AiWork;
import io.flexoraa.engine.ports.EngineMetrics;
import java.time.Clock;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * The limits of PRODUCT §7 on one node: starts the tenant limiters (sharded), the cluster budget (a singleton) and
 * this node's share of it, and offers {@link #admission()} to the REST edge and {@link #aiWorkQueue()} to webhook
 * intake. Call once per node, after joining the cluster.
 */
public final class RateLimits {
  private final LimitSettings settings;
  private final MessageAdmission admission;
  private final AiWorkQueue aiWorkQueue;

  private RateLimits(LimitSettings settings, MessageAdmission admission, AiWorkQueue aiWorkQueue) {
    this.settings = settings;
    this.admission = admission;
    this.aiWorkQueue = aiWorkQueue;
  }

  public static RateLimits start(
      ActorSystem<?> system, Config config, EngineMetrics metrics, AiWork aiWork, Clock clock) {
    LimitSettings settings = LimitSettings.fromConfig(config);
    TenantRateLimiter.init(system, settings, config.getDuration("flexoraa.abuse.tenant.restrictions-refresh"), clock);
    ActorRef<ClusterRateBudget.Command> budget = ClusterRateBudget.init(system, settings, clock);
    ActorRef<GlobalPermits.Command> globalPermits =
        system.systemActorOf(GlobalPermits.create(budget, Cluster.get(system).selfMember().address().toString(),
            settings, clock), "global-permits", Props.empty());
    MessageAdmission admission = new LimiterAdmission(system, globalPermits, settings, metrics);
    AiWorkQueue queue = AiWorkQueue.start(system, admission, aiWork, settings, metrics);
    return new RateLimits(settings, admission, queue);
  }

  /** Admission under the tenant's and the cluster's limits, for routes that carry messages or leads. */
  public MessageAdmission admission() {
    return admission;
  }

  /** Where webhook intake hands stored messages whose AI work is to start when admitted. */
  public AiWorkQueue aiWorkQueue() {
    return aiWorkQueue;
  }

  public LimitSettings settings() {
    return settings;
  }
}
