package io.flexoraa.engine.limits;

import io.flexoraa.engine.ports.AiWork;
import io.flexoraa.engine.tenant.Abuse;
import io.flexoraa.engine.tenant.TenantEntity;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * Where the work queue takes admitted work while its tenant's intake is parked (abuse protection, decision 19): the
 * tenant decides, and answers {@code true} when it kept the work (it is then durable in the tenant's journal until
 * released) or {@code false} when the work should start now.
 */
public interface WorkParking {
  CompletionStage<Boolean> park(AiWork.Item item);

  /** Nothing is ever parked (nodes and tests without tenants). */
  WorkParking NONE = item -> CompletableFuture.completedFuture(false);

  /** The sharded tenant decides. */
  static WorkParking byTenant(ActorSystem<?> system, Duration askTimeout) {
    ClusterSharding sharding = ClusterSharding.get(system);
    return item -> sharding.entityRefFor(TenantEntity.TYPE_KEY, item.tenantId())
        .ask(replyTo -> new Abuse.ParkWork(List.of(new Abuse.ParkedWork(item.leadId(), item.platformMessageId(),
            item.receivedAt(), item.opensLead())), replyTo), askTimeout);
  }
}
