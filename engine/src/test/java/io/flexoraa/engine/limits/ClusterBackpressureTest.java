package io.flexoraa.engine.limits;

import static io.flexoraa.engine.limits.BackpressureMode.NORMAL;
import static io.flexoraa.engine.limits.BackpressureMode.TEMPLATE_ONLY;
import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.flexoraa.engine.EntityTestKit;
import io.flexoraa.engine.limits.Admission.Deferred;
import io.flexoraa.engine.limits.Admission.Reason;
import io.flexoraa.engine.limits.AiWorkQueue.GetBackpressure;
import io.flexoraa.engine.limits.ClusterBackpressure.NodeReport;
import io.flexoraa.engine.limits.ClusterBackpressure.View;
import io.flexoraa.engine.ports.AiWork;
import io.flexoraa.engine.ports.EngineMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.cluster.typed.JoinSeedNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operators' view on a real two-node cluster (two actor systems in this JVM, messages serialized with the
 * production Jackson CBOR binding): node B's deep queue makes the cluster template-only while node A is normal, and a
 * registered queue that never answers is listed as unavailable instead of failing the view.
 */
class ClusterBackpressureTest {
  private static final LimitSettings LIMITS = LimitSettings.fromConfig(ConfigFactory.load());
  private static final Backpressure.Settings BACKPRESSURE = new Backpressure.Settings(
      5, 10, 20, 0.8, Duration.ofSeconds(5), Duration.ofMillis(200), 20, Duration.ofMillis(500));
  /** Never admits: whatever is offered stays queued. */
  private static final MessageAdmission CLOSED = (tenantId, permits) ->
      CompletableFuture.completedFuture(new Deferred(Duration.ofMillis(200), Reason.TENANT_LIMIT));

  private static ActorTestKit nodeA;
  private static ActorTestKit nodeB;

  @BeforeAll
  static void startCluster() {
    Config config = ConfigFactory.parseMap(Map.of(
            "pekko.actor.provider", "cluster",
            "pekko.remote.artery.canonical.hostname", "127.0.0.1",
            "pekko.remote.artery.canonical.port", 0,
            "pekko.cluster.jmx.multi-mbeans-in-same-jvm", "on",
            "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook", "off"))
        .withFallback(EntityTestKit.SERIALIZATION_BINDINGS)
        .withFallback(ConfigFactory.load())
        .resolve();
    nodeA = ActorTestKit.create("ClusterBackpressureTest", config);
    nodeB = ActorTestKit.create("ClusterBackpressureTest", config);
    Cluster first = Cluster.get(nodeA.system());
    first.manager().tell(new Join(first.selfMember().address()));
    Cluster.get(nodeB.system()).manager().tell(new JoinSeedNodes(List.of(first.selfMember().address())));
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!(up(nodeA) && up(nodeB))) {
      if (System.nanoTime() > deadline) throw new IllegalStateException("the two nodes did not form a cluster");
      Thread.onSpinWait();
    }
  }

  private static boolean up(ActorTestKit node) {
    return Cluster.get(node.system()).selfMember().status() == MemberStatus.up();
  }

  @AfterAll
  static void stopCluster() {
    nodeB.shutdownTestKit();
    nodeA.shutdownTestKit();
  }

  @Test
  void theClusterIsAsBadAsItsWorstNodeAndASilentNodeIsListedNotFatal() throws Exception {
    ActorRef<AiWorkQueue.Command> calm = nodeA.spawn(queue());
    ActorRef<AiWorkQueue.Command> busy = nodeB.spawn(queue());
    calm.tell(new AiWorkQueue.Offer(items(3)));
    busy.tell(new AiWorkQueue.Offer(items(25)));
    ActorRef<GetBackpressure> silent = nodeA.spawn(Behaviors.ignore());
    nodeA.system().receptionist().tell(Receptionist.register(AiWorkQueue.SERVICE_KEY, silent));

    ClusterBackpressure cluster = new ClusterBackpressure(nodeA.system(), calm.narrow(), BACKPRESSURE);
    String addressA = nodeA.system().address().toString();
    String addressB = nodeB.system().address().toString();
    assertThat(cluster.query().toCompletableFuture().get(10, TimeUnit.SECONDS).nodes())
        .as("this node's own queue, before the receptionist has spread any registration")
        .anySatisfy(report -> assertThat(report.address()).isEqualTo(addressA));

    View view = awaitNodes(cluster, 3);
    assertThat(view.mode()).isEqualTo(TEMPLATE_ONLY);
    assertThat(view.nodes()).filteredOn(NodeReport::available).extracting(NodeReport::address)
        .containsExactlyInAnyOrder(addressA, addressB);
    assertThat(view.nodes()).filteredOn(report -> !report.available()).extracting(NodeReport::address)
        .containsExactly(addressA);

    NodeReport reportB = view.nodes().stream().filter(report -> report.address().equals(addressB)).findFirst()
        .orElseThrow();
    assertThat(reportB.status().mode()).isEqualTo(TEMPLATE_ONLY);
    assertThat(reportB.status().depth()).isEqualTo(25);
    assertThat(reportB.status().leads()).isEqualTo(5);
    assertThat(reportB.status().settings()).isEqualTo(BACKPRESSURE);
    NodeReport reportA = view.nodes().stream().filter(NodeReport::available)
        .filter(report -> report.address().equals(addressA)).findFirst().orElseThrow();
    assertThat(reportA.status().mode()).isEqualTo(NORMAL);
    assertThat(reportA.status().depth()).isEqualTo(3);
    assertThat(view.recentTransitions()).singleElement().satisfies(change -> {
      assertThat(change.address()).isEqualTo(addressB);
      assertThat(change.transition().from()).isEqualTo(NORMAL);
      assertThat(change.transition().to()).isEqualTo(TEMPLATE_ONLY);
      assertThat(change.transition().depth()).isEqualTo(25);
    });
  }

  private static Behavior<AiWorkQueue.Command> queue() {
    return AiWorkQueue.create(CLOSED, item -> {}, LIMITS, BACKPRESSURE, new BackpressureSignal(), EngineMetrics.NONE,
        Clock.systemUTC());
  }

  /** The receptionist spreads registrations between nodes by gossip: waits until every one has arrived. */
  private static View awaitNodes(ClusterBackpressure cluster, int nodes) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      View view = cluster.query().toCompletableFuture().get(10, TimeUnit.SECONDS);
      if (view.nodes().size() >= nodes) return view;
      if (System.nanoTime() > deadline) throw new AssertionError("only " + view.nodes() + " registered");
      Thread.sleep(100);
    }
  }

  private static List<AiWork.Item> items(int count) {
    List<AiWork.Item> items = new ArrayList<>();
    for (int message = 0; message < count; message++) {
      String lead = "lead-" + message % 5;
      items.add(new AiWork.Item("tenant-a", lead, "wamid." + message, Instant.EPOCH));
    }
    return items;
  }
}
