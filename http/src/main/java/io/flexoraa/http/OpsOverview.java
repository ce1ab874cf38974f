package io.flexoraa.http;

import io.flexoraa.engine.appointments.SdrCalendarEntity;
import io.flexoraa.engine.ai.agent.LeadAgentEntity;
import io.flexoraa.engine.channel.ChannelAccountEntity;
import io.flexoraa.engine.compliance.PortfolioTierEntity;
import io.flexoraa.engine.lead.LeadEntity;
import io.flexoraa.engine.limits.ClusterBackpressure;
import io.flexoraa.engine.limits.TenantRateLimiter;
import io.flexoraa.engine.ops.EveryNode;
import io.flexoraa.engine.ops.IngestWindow;
import io.flexoraa.engine.ops.LatencyBuckets;
import io.flexoraa.engine.ops.NodeVitals;
import io.flexoraa.engine.recovery.ColdRecoveryEntity;
import io.flexoraa.engine.routing.RoutingDeskEntity;
import io.flexoraa.engine.tenant.TenantEntity;
import io.flexoraa.persistence.directory.JdbcUnroutedStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.stream.StreamSupport;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.ClusterEvent.CurrentClusterState;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery;
import org.apache.pekko.cluster.sharding.typed.GetClusterShardingStats;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * The operator's one-look view of the cluster (GET /api/v1/ops/overview): members, shards and live entities per node
 * for every sharded entity type, ingest rate and webhook acknowledgement latency per node and in total, AI queue
 * depth and backpressure mode, and unrouted webhook content. Each part is gathered on its own with a timeout: a node
 * or a part that does not answer is marked as such and the rest is still shown (never a 500 for a slow node).
 */
final class OpsOverview {
  /** Every sharded entity type, by the name its shard region has. */
  static final List<EntityTypeKey<?>> SHARDED = List.of(LeadEntity.TYPE_KEY, TenantEntity.TYPE_KEY,
      ChannelAccountEntity.TYPE_KEY, LeadAgentEntity.TYPE_KEY, RoutingDeskEntity.TYPE_KEY, ColdRecoveryEntity.TYPE_KEY,
      SdrCalendarEntity.TYPE_KEY, PortfolioTierEntity.TYPE_KEY, TenantRateLimiter.TYPE_KEY);

  /** @param askTimeout how long each node and each part is waited for; @param newestUnrouted how many to list */
  record Settings(Duration askTimeout, int newestUnrouted) {
    static Settings fromConfig(com.typesafe.config.Config config) {
      return new Settings(config.getDuration("flexoraa.ops.ask-timeout"), config.getInt("flexoraa.ops.newest-unrouted"));
    }
  }

  private final ActorSystem<?> system;
  private final NodeVitals vitals;
  private final ClusterBackpressure backpressure;
  private final JdbcUnroutedStore unrouted;
  private final Settings settings;

  OpsOverview(ActorSystem<?> system, NodeVitals vitals, ClusterBackpressure backpressure, JdbcUnroutedStore unrouted,
      Settings settings) {
    this.system = system;
    this.vitals = vitals;
    this.backpressure = backpressure;
    this.unrouted = unrouted;
    this.settings = settings;
  }

  CompletionStage<Map<String, Object>> gather() {
    CurrentClusterState state = Cluster.get(system).state();
    CompletableFuture<List<EveryNode.Answer<NodeVitals.Vitals>>> nodeVitals = vitals.cluster().toCompletableFuture();
    CompletableFuture<List<Map<String, Object>>> shards = shards(state);
    CompletableFuture<Map<String, Object>> modes = orUnavailable(backpressure.query(), OpsOverview::backpressure);
    CompletableFuture<Map<String, Object>> unroutedView = orUnavailable(
        unrouted.count().thenCombine(unrouted.list(settings.newestUnrouted(), 0), OpsOverview::unrouted),
        Function.identity());
    return CompletableFuture.allOf(nodeVitals, shards, modes, unroutedView).thenApply(done -> {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("node", Cluster.get(system).selfMember().address().toString());
      body.put("at", Instant.now());
      body.put("cluster", cluster(state, nodeVitals.join()));
      body.put("shards", shards.join());
      body.put("ingest", ingest(nodeVitals.join()));
      body.put("backpressure", modes.join());
      body.put("unrouted", unroutedView.join());
      return body;
    });
  }

  /** A part that failed or timed out is {@code {"available": false}} rather than failing the overview. */
  private <T> CompletableFuture<Map<String, Object>> orUnavailable(CompletionStage<T> part,
      Function<T, Map<String, Object>> view) {
    return part.toCompletableFuture()
        .orTimeout(settings.askTimeout().toMillis() * 2, java.util.concurrent.TimeUnit.MILLISECONDS)
        .handle((value, failure) -> failure == null ? view.apply(value) : Map.of("available", false));
  }

  private static Map<String, Object> cluster(CurrentClusterState state,
      List<EveryNode.Answer<NodeVitals.Vitals>> vitals) {
    Map<String, Instant> upSince = new TreeMap<>();
    vitals.stream().filter(EveryNode.Answer::available)
        .forEach(answer -> upSince.put(answer.answer().address(), answer.answer().upSince()));
    TreeSet<String> unreachable = new TreeSet<>();
    state.getUnreachable().forEach(member -> unreachable.add(member.address().toString()));
    List<Map<String, Object>> members = new ArrayList<>();
    for (Member member : StreamSupport.stream(state.getMembers().spliterator(), false).toList()) {
      String address = member.address().toString();
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("address", address);
      row.put("status", member.status().toString());
      row.put("roles", new TreeSet<>(member.getRoles()));
      row.put("reachable", !unreachable.contains(address));
      row.put("upSince", upSince.get(address));
      members.add(row);
    }
    Map<String, Object> cluster = new LinkedHashMap<>();
    Address leader = state.getLeader();
    cluster.put("leader", leader == null ? null : leader.toString());
    cluster.put("members", members);
    cluster.put("unreachable", List.copyOf(unreachable));
    return cluster;
  }

  /** Per entity type: shards and live entities per node; nodes the type's stats do not list are marked. */
  private CompletableFuture<List<Map<String, Object>>> shards(CurrentClusterState state) {
    List<String> members = StreamSupport.stream(state.getMembers().spliterator(), false)
        .map(member -> member.address().toString()).sorted().toList();
    List<CompletableFuture<Map<String, Object>>> types = SHARDED.stream().map(key -> AskPattern
            .<ClusterShardingQuery, ShardRegion.ClusterShardingStats>ask(ClusterSharding.get(system).shardState(),
                replyTo -> new GetClusterShardingStats(key, settings.askTimeout(), replyTo),
                settings.askTimeout().plusSeconds(1), system.scheduler())
            .toCompletableFuture()
            .handle((stats, failure) -> shardsOf(key.name(), members, failure == null ? stats : null)))
        .toList();
    return CompletableFuture.allOf(types.toArray(CompletableFuture[]::new))
        .thenApply(done -> types.stream().map(CompletableFuture::join).toList());
  }

  private static Map<String, Object> shardsOf(String entity, List<String> members,
      ShardRegion.ClusterShardingStats stats) {
    Map<String, Object> type = new LinkedHashMap<>();
    type.put("entity", entity);
    type.put("available", stats != null);
    Map<String, ShardRegion.ShardRegionStats> regions = new TreeMap<>();
    if (stats != null) stats.getRegions().forEach((address, region) -> regions.put(address.toString(), region));
    long shardTotal = 0, entityTotal = 0;
    List<Map<String, Object>> nodes = new ArrayList<>();
    TreeSet<String> addresses = new TreeSet<>(members);
    addresses.addAll(regions.keySet());
    for (String address : addresses) {
      ShardRegion.ShardRegionStats region = regions.get(address);
      Map<String, Object> node = new LinkedHashMap<>();
      node.put("address", address);
      node.put("answered", region != null);
      if (region != null) {
        long entities = region.getStats().values().stream().mapToLong(count -> ((Number) count).longValue()).sum();
        node.put("shards", region.getStats().size());
        node.put("entities", entities);
        node.put("failedShards", region.getFailed().size());
        shardTotal += region.getStats().size();
        entityTotal += entities;
      }
      nodes.add(node);
    }
    type.put("shards", shardTotal);
    type.put("entities", entityTotal);
    type.put("nodes", nodes);
    return type;
  }

  private static Map<String, Object> ingest(List<EveryNode.Answer<NodeVitals.Vitals>> vitals) {
    IngestWindow.Snapshot total = IngestWindow.Snapshot.empty();
    List<Map<String, Object>> nodes = new ArrayList<>();
    for (EveryNode.Answer<NodeVitals.Vitals> answer : vitals) {
      Map<String, Object> node = new LinkedHashMap<>();
      node.put("address", answer.available() ? answer.answer().address() : answer.address());
      node.put("available", answer.available());
      if (answer.available()) {
        node.putAll(figures(answer.answer().ingest()));
        total = total.plus(answer.answer().ingest());
      }
      nodes.add(node);
    }
    nodes.sort(java.util.Comparator.comparing(node -> (String) node.get("address")));
    Map<String, Object> ingest = new LinkedHashMap<>();
    ingest.put("cluster", figures(total));
    ingest.put("nodes", nodes);
    return ingest;
  }

  /** Counts, rates per second over one and five minutes, and the last minute's latency percentiles (ms). */
  private static Map<String, Object> figures(IngestWindow.Snapshot snapshot) {
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("webhooks", rates(snapshot.webhooksLastMinute(), snapshot.webhooksLastFiveMinutes()));
    figures.put("leadMessages", rates(snapshot.messagesLastMinute(), snapshot.messagesLastFiveMinutes()));
    Map<String, Object> latency = new LinkedHashMap<>();
    latency.put("samples", LatencyBuckets.total(snapshot.latencyBuckets()));
    latency.put("p50", LatencyBuckets.percentileMillis(snapshot.latencyBuckets(), 50));
    latency.put("p90", LatencyBuckets.percentileMillis(snapshot.latencyBuckets(), 90));
    latency.put("p99", LatencyBuckets.percentileMillis(snapshot.latencyBuckets(), 99));
    figures.put("ackLatencyMs", latency);
    return figures;
  }

  private static Map<String, Object> rates(long lastMinute, long lastFiveMinutes) {
    Map<String, Object> rates = new LinkedHashMap<>();
    rates.put("lastMinute", lastMinute);
    rates.put("lastFiveMinutes", lastFiveMinutes);
    rates.put("perSecond1m", lastMinute / 60.0);
    rates.put("perSecond5m", lastFiveMinutes / 300.0);
    return rates;
  }

  private static Map<String, Object> backpressure(ClusterBackpressure.View view) {
    Map<String, Object> modes = new LinkedHashMap<>();
    modes.put("available", true);
    modes.put("mode", view.mode() == null ? null : view.mode().id());
    modes.put("depth", view.nodes().stream().filter(ClusterBackpressure.NodeReport::available)
        .mapToLong(report -> report.status().depth()).sum());
    modes.put("nodes", view.nodes().stream().map(report -> {
      Map<String, Object> node = new LinkedHashMap<>();
      node.put("address", report.address());
      node.put("available", report.available());
      if (report.available()) {
        node.put("mode", report.status().mode().id());
        node.put("depth", report.status().depth());
        node.put("leads", report.status().leads());
        node.put("since", report.status().since());
      }
      return node;
    }).toList());
    return modes;
  }

  private static Map<String, Object> unrouted(long count, List<JdbcUnroutedStore.UnroutedRow> newest) {
    Map<String, Object> unrouted = new LinkedHashMap<>();
    unrouted.put("available", true);
    unrouted.put("count", count);
    // the payload stays behind GET /ops/unrouted: the overview says what and when, not the content
    unrouted.put("newest", newest.stream().map(row -> {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("id", row.id());
      item.put("source", row.source());
      item.put("reason", row.reason());
      item.put("accountRef", row.accountRef());
      item.put("receivedAt", row.receivedAt());
      return item;
    }).toList());
    return unrouted;
  }
}
