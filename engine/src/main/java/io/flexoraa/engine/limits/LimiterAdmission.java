package io.flexoraa.engine.limits;

import io.flexoraa.engine.limits.Admission.Deferred;
import io.flexoraa.engine.limits.Admission.Reason;
import io.flexoraa.engine.limits.PermitDecision.Throttled;
import io.flexoraa.engine.ports.EngineMetrics;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * {@link MessageAdmission} over the two limiters: the tenant's (a sharded {@link TenantRateLimiter}) first, then
 * the cluster's (this node's {@link GlobalPermits}). The tenant goes first because it refuses far more often and a
 * refusal there must not spend cluster permits other tenants could use; permits the tenant granted but the cluster
 * then refused are given back to the tenant.
 */
public final class LimiterAdmission implements MessageAdmission {
  private final ClusterSharding sharding;
  private final ActorRef<GlobalPermits.Command> globalPermits;
  private final Scheduler scheduler;
  private final LimitSettings settings;
  private final EngineMetrics metrics;

  public LimiterAdmission(
      ActorSystem<?> system, ActorRef<GlobalPermits.Command> globalPermits, LimitSettings settings,
      EngineMetrics metrics) {
    this.sharding = ClusterSharding.get(system);
    this.globalPermits = globalPermits;
    this.scheduler = system.scheduler();
    this.settings = settings;
    this.metrics = metrics;
  }

  @Override
  public CompletionStage<Admission> admit(String tenantId, int permits) {
    if (permits < 0) throw new IllegalArgumentException("permits must not be negative");
    if (permits == 0) return CompletableFuture.completedFuture(Admission.ADMITTED);
    EntityRef<TenantRateLimiter.Command> tenant = sharding.entityRefFor(TenantRateLimiter.TYPE_KEY, tenantId);
    return tenant
        .<PermitDecision>ask(replyTo -> new TenantRateLimiter.TryAcquire(permits, replyTo), settings.askTimeout())
        .thenCompose(decision -> {
          if (decision instanceof Throttled throttled) {
            metrics.admission(Reason.TENANT_LIMIT.scope(), false, permits);
            return CompletableFuture.completedFuture(
                (Admission) new Deferred(throttled.retryAfter(), Reason.TENANT_LIMIT));
          }
          metrics.admission(Reason.TENANT_LIMIT.scope(), true, permits);
          boolean parked = decision instanceof PermitDecision.Granted granted && granted.intakeParked();
          return acquireGlobal(tenant, permits, parked);
        })
        .exceptionally(failure -> unavailable(permits));
  }

  private CompletionStage<Admission> acquireGlobal(
      EntityRef<TenantRateLimiter.Command> tenant, int permits, boolean intakeParked) {
    return AskPattern.<GlobalPermits.Command, PermitDecision>ask(
            globalPermits, replyTo -> new GlobalPermits.Acquire(permits, replyTo), settings.askTimeout(), scheduler)
        .thenApply(decision -> {
          if (decision instanceof Throttled throttled) {
            tenant.tell(new TenantRateLimiter.Refund(permits));
            metrics.admission(Reason.CLUSTER_LIMIT.scope(), false, permits);
            return (Admission) new Deferred(throttled.retryAfter(), Reason.CLUSTER_LIMIT);
          }
          metrics.admission(Reason.CLUSTER_LIMIT.scope(), true, permits);
          return intakeParked ? new Admission.Admitted(true) : Admission.ADMITTED;
        })
        .exceptionally(failure -> {
          tenant.tell(new TenantRateLimiter.Refund(permits));
          return unavailable(permits);
        });
  }

  private Admission unavailable(int permits) {
    metrics.admission(Reason.LIMITER_UNAVAILABLE.scope(), false, permits);
    return new Deferred(settings.unavailableRetryAfter(), Reason.LIMITER_UNAVAILABLE);
  }
}
