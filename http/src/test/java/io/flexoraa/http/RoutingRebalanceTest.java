package io.flexoraa.http;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.flexoraa.engine.routing.RoutingDeskEntity;
import io.flexoraa.http.RoutingApiTest.Desk;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery;
import org.apache.pekko.cluster.sharding.typed.GetClusterShardingStats;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Routing deadlines survive a rebalance, on a real two-node cluster in this JVM sharing one PostgreSQL: node B joins
 * node A, several tenants' desks are allocated across both, each desk assigns a HOT lead its SDR never opens, then B
 * leaves gracefully (coordinated shutdown hands its shards off) before any deadline is due. Nothing restarts a
 * handed-off desk by itself (no remember-entities): A's keeper reads the deadline read model and wakes it, the desk
 * re-arms its timers from its events, and every tenant's unseen lead leaks into the AI's re-engagement and its SLA
 * breach is recorded, those whose desk lived on B included.
 */
class RoutingRebalanceTest {
  private static final int TENANTS = 6;
  private static final Duration DEADLINE = Duration.ofSeconds(25);

  private static Map<String, Object> settings(String graphUrl) {
    Map<String, Object> settings = RoutingRestartTest.settings(graphUrl, DEADLINE);
    // both nodes' cluster MBeans in one JVM; the projections B ran restart on A within a second of its leaving
    settings.put("pekko.cluster.jmx.multi-mbeans-in-same-jvm", "on");
    settings.put("pekko.cluster.sharded-daemon-process.keep-alive-interval", "1s");
    return settings;
  }

  @Test
  void deadlinesOfDesksHandedOffByALeavingNodeFireOnTheNodeThatStays(@TempDir Path dataDirectory) throws Exception {
    WireMockServer graph = RoutingApiTest.graph();
    try (TestEngine a = TestEngine.start(dataDirectory, settings(graph.baseUrl()))) {
      List<Desk> desks;
      Map<String, String> leads = new java.util.HashMap<>();
      Set<String> handedOff;
      TestEngine b = TestEngine.join(a, settings(graph.baseUrl()));
      boolean leftB = false;
      try {
        Address addressOfB = Cluster.get(b.server.system()).selfMember().address();
        TestEngine.eventually(() -> regionsKnownTo(a).contains(addressOfB), "A's coordinator knowing B's desks");
        desks = desks(a);
        for (Desk desk : desks) {
          String from = RoutingApiTest.say(a, desk, RoutingApiTest.newSender(), "Can we book a site visit this Saturday?");
          leads.put(desk.tenantId(), RoutingApiTest.leadOf(a, desk, from));
        }
        TestEngine.eventually(() -> desks.stream().allMatch(desk -> a.count("SELECT count(*) FROM routing_deadlines"
            + " WHERE tenant_id = ? AND lead_id = ? AND kind = 'unseen'", desk.tenantId(), leads.get(desk.tenantId()))
            == 1), "every tenant's HOT lead assigned, its unseen deadline recorded");
        handedOff = desksHostedOn(b);
        handedOff.retainAll(leads.keySet());
        assertThat(handedOff).as("some desks live on B").isNotEmpty();
        Instant firstDue = due(a, leads, true);
        b.close();
        leftB = true;
        Instant left = Instant.now();
        System.out.printf("%d of %d desks on B; B left %d ms before the first deadline%n", handedOff.size(), TENANTS,
            Duration.between(left, firstDue).toMillis());
        assertThat(left).as("B handed its desks off before any deadline was due").isBefore(firstDue);
      } finally {
        if (!leftB) b.close();
      }
      assertThat(a.count("SELECT count(*) FROM routing_leakage WHERE tenant_id IN (" + inList(leads.keySet()) + ")"))
          .as("nothing leaked before the hand-off").isZero();

      ColdRecoveryTest.sleep(Math.max(0, Duration.between(Instant.now(), due(a, leads, false)).toMillis()));
      for (Desk desk : desks) {
        String leadId = leads.get(desk.tenantId());
        String where = handedOff.contains(desk.tenantId()) ? " (desk handed off by B)" : " (desk on A)";
        TestEngine.eventually(() -> a.count("SELECT count(*) FROM routing_leakage WHERE tenant_id = ? AND lead_id = ?"
            + " AND kind = 'unseen' AND action = 're-engaged' AND user_id = ?", desk.tenantId(), leadId, desk.sdrId())
            == 1, "the unseen leak of " + desk.tenantId() + where);
        TestEngine.eventually(() -> a.count("SELECT count(*) FROM sla_records WHERE tenant_id = ? AND lead_id = ?"
            + " AND breached_at IS NOT NULL", desk.tenantId(), leadId) == 1, "the SLA breach of " + desk.tenantId() + where);
        TestEngine.eventually(() -> !graph.findAll(postRequestedFor(urlPathMatching("/v21.0/" + desk.phoneNumberId()
            + "/messages")).withRequestBody(containing("lock it in"))).isEmpty(), "the AI's re-engagement" + where);
      }
      assertThat(desksHostedOn(a)).as("A runs the handed-off desks now").containsAll(handedOff);
    } finally {
      graph.stop();
    }
  }

  /** The tenants' desks, set up at once (each a tenant, a WhatsApp number and an online senior SDR). */
  private static List<Desk> desks(TestEngine engine) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(TENANTS);
    try {
      List<Future<Desk>> pending = new ArrayList<>();
      for (int i = 0; i < TENANTS; i++) pending.add(pool.submit(() -> RoutingApiTest.desk(engine, "online")));
      List<Desk> desks = new ArrayList<>();
      for (Future<Desk> desk : pending) desks.add(desk.get(60, TimeUnit.SECONDS));
      return desks;
    } finally {
      pool.shutdownNow();
    }
  }

  /** The earliest (or latest) unseen deadline of the leads, from the read model. */
  private static Instant due(TestEngine engine, Map<String, String> leads, boolean earliest) {
    long millis = engine.count("SELECT (extract(epoch FROM " + (earliest ? "min" : "max") + "(due_at)) * 1000)::bigint"
        + " FROM routing_deadlines WHERE kind = 'unseen' AND tenant_id IN (" + inList(leads.keySet()) + ")");
    return Instant.ofEpochMilli(millis);
  }

  /** Tenant ids are generated by the engine (no quotes in them). */
  private static String inList(Set<String> tenantIds) {
    return String.join(",", tenantIds.stream().map(id -> "'" + id + "'").toList());
  }

  /** The tenants whose desk runs on this node now. */
  private static Set<String> desksHostedOn(TestEngine node) {
    ShardRegion.CurrentShardRegionState state = ask(node,
        replyTo -> new GetShardRegionState(RoutingDeskEntity.TYPE_KEY, replyTo));
    Set<String> tenants = new HashSet<>();
    for (ShardRegion.ShardState shard : state.getShards()) tenants.addAll(shard.getEntityIds());
    return tenants;
  }

  /** The nodes whose desk region the coordinator knows (a new shard goes to the one with the fewest). */
  private static Set<Address> regionsKnownTo(TestEngine node) {
    try {
      ShardRegion.ClusterShardingStats stats = ask(node,
          replyTo -> new GetClusterShardingStats(RoutingDeskEntity.TYPE_KEY, Duration.ofSeconds(2), replyTo));
      return stats.getRegions().keySet();
    } catch (RuntimeException e) {
      return Set.of();
    }
  }

  private static <T> T ask(TestEngine node,
      org.apache.pekko.japi.function.Function<org.apache.pekko.actor.typed.ActorRef<T>, ClusterShardingQuery> query) {
    ActorSystem<Void> system = node.server.system();
    try {
      return AskPattern.<ClusterShardingQuery, T>ask(ClusterSharding.get(system).shardState(), query,
          Duration.ofSeconds(5), system.scheduler()).toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("the shard query failed", e);
    }
  }
}
