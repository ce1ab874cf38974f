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
 * intake. The queue's depth sets the node's backpressure mode in the {@link BackpressureSignal} it is given;
 * {@link #clusterBackpressure()} shows every node's. Call once per node, after joining the cluster.
 */
public final class RateLimits {
  private final LimitSettings settings;
  private final MessageAdmission admission;
  private final AiWorkQueue aiWorkQueue;
  private final ClusterBackpressure clusterBackpressure;

  private RateLimits(LimitSettings settings, MessageAdmission admission, AiWorkQueue aiWorkQueue,
      ClusterBackpressure clusterBackpressure) {
    this.settings = settings;
    this.admission = admission;
    this.aiWorkQueue = aiWorkQueue;
    this.clusterBackpressure = clusterBackpressure;
  }

  /** With a backpressure signal of its own, for nodes whose AI stage does not read one. */
  public static RateLimits start(
      ActorSystem<?> system, Config config, EngineMetrics metrics, AiWork aiWork, Clock clock) {
    return start(system, config, metrics, aiWork, new BackpressureSignal(), clock);
  }

  public static RateLimits start(ActorSystem<?> system, Config config, EngineMetrics metrics, AiWork aiWork,
      BackpressureSignal backpressureSignal, Clock clock) {
    LimitSettings settings = LimitSettings.fromConfig(config);
    TenantRateLimiter.init(system, settings, config.getDuration("flexoraa.abuse.tenant.restrictions-refresh"), clock);
    ActorRef<ClusterRateBudget.Command> budget = ClusterRateBudget.init(system, settings, clock);
    ActorRef<GlobalPermits.Command> globalPermits =
        system.systemActorOf(GlobalPermits.create(budget, Cluster.get(system).selfMember().address().toString(),
            settings, clock), "global-permits", Props.empty());
    MessageAdmission admission = new LimiterAdmission(system, globalPermits, settings, metrics);
    Backpressure.Settings backpressure = Backpressure.Settings.fromConfig(config);
    AiWorkQueue queue = AiWorkQueue.start(system, admission, aiWork,
        WorkParking.byTenant(system, settings.askTimeout()), settings, backpressure, backpressureSignal, metrics, clock);
    return new RateLimits(settings, admission, queue,
        new ClusterBackpressure(system, queue.ref().narrow(), backpressure));
  }

  /** Admission under the tenant's and the cluster's limits, for routes that carry messages or leads. */
  public MessageAdmission admission() {
    return admission;
  }

  /** Where webhook intake hands stored messages whose AI work is to start when admitted. */
  public AiWorkQueue aiWorkQueue() {
    return aiWorkQueue;
  }

  /** Every node's backpressure mode, for operators. */
  public ClusterBackpressure clusterBackpressure() {
    return clusterBackpressure;
  }

  public LimitSettings settings() {
    return settings;
  }
}
