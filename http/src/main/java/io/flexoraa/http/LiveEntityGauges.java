package io.flexoraa.http;

import io.flexoraa.engine.channel.ChannelAccountEntity;
import io.flexoraa.engine.lead.LeadEntity;
import io.flexoraa.engine.tenant.TenantEntity;
import java.time.Duration;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/** Samples how many entities of each type are alive on this node, every few seconds, into a Kamon gauge. */
final class LiveEntityGauges {
  private LiveEntityGauges() {}

  static void start(ActorSystem<?> system, EdgeMetrics metrics) {
    Map<String, EntityTypeKey<?>> types = Map.of(
        "lead", LeadEntity.TYPE_KEY, "tenant", TenantEntity.TYPE_KEY, "channel-account", ChannelAccountEntity.TYPE_KEY);
    system.scheduler().scheduleWithFixedDelay(Duration.ofSeconds(2), Duration.ofSeconds(5), () ->
        types.forEach((name, key) -> AskPattern.<org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery, ShardRegion.CurrentShardRegionState>ask(
                ClusterSharding.get(system).shardState(),
                replyTo -> new GetShardRegionState(key, replyTo),
                Duration.ofSeconds(3),
                system.scheduler())
            .thenAccept(state -> metrics.liveEntities(name,
                state.getShards().stream().mapToLong(shard -> shard.getEntityIds().size()).sum()))),
        system.executionContext());
  }
}
