package io.flexoraa.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.flexoraa.http.notify.NotificationHub;
import io.flexoraa.http.notify.NotificationHub.Pushed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.cluster.typed.JoinSeedNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The push across nodes, on a real two-node Pekko cluster in this JVM: a notification published on node A reaches a
 * stream's subscriber on node B (serialized over Artery as CBOR, like every cluster message), and only the tenant's
 * subscribers get it. A lighter stand-in for two full engines sharing one database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NotificationHubClusterTest {
  private final List<ActorSystem<Void>> nodes = new ArrayList<>();

  @BeforeAll
  void startCluster() {
    Config config = ConfigFactory.parseMap(Map.of(
            "pekko.remote.artery.canonical.hostname", "127.0.0.1",
            "pekko.remote.artery.canonical.port", 0,
            "pekko.cluster.jmx.multi-mbeans-in-same-jvm", "on",
            "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook", "off",
            "pekko.coordinated-shutdown.phases.cluster-exiting.timeout", "2s"))
        .withFallback(ConfigFactory.load())
        .resolve();
    for (int i = 0; i < 2; i++) nodes.add(ActorSystem.create(Behaviors.empty(), "flexoraa", config));
    Address first = Cluster.get(nodes.get(0)).selfMember().address();
    Cluster.get(nodes.get(0)).manager().tell(new Join(first));
    Cluster.get(nodes.get(1)).manager().tell(new JoinSeedNodes(List.of(first)));
    TestEngine.eventually(() -> nodes.stream().allMatch(node -> {
      var members = Cluster.get(node).state().getMembers();
      int up = 0;
      for (var member : members) if (member.status() == MemberStatus.up()) up++;
      return up == 2;
    }), "two nodes up");
  }

  @AfterAll
  void stopCluster() throws Exception {
    for (int i = nodes.size() - 1; i >= 0; i--) {
      nodes.get(i).terminate();
      nodes.get(i).getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aNotificationPublishedOnOneNodeReachesASubscriberOnTheOther() throws Exception {
    NotificationHub hubA = new NotificationHub(nodes.get(0));
    NotificationHub hubB = new NotificationHub(nodes.get(1));
    TestProbe<Pushed> onB = TestProbe.create(nodes.get(1));
    TestProbe<Pushed> otherTenantOnB = TestProbe.create(nodes.get(1));
    hubB.subscribe("tenant-1", onB.getRef());
    hubB.subscribe("tenant-2", otherTenantOnB.getRef());
    // a topic with subscribers registers with the receptionist; A's learns of B's from its listing
    hubA.prepare("tenant-1");
    TestEngine.eventually(() -> topicInstances(hubA, "tenant-1") == 1, "A's topic knowing of B's subscribers");

    Pushed pushed = new Pushed("tenant-1", "user-1", 42, "lead.assigned", "{\"id\":\"42\"}");
    hubA.publish(pushed);

    assertThat(onB.receiveMessage(Duration.ofSeconds(10))).isEqualTo(pushed);
    otherTenantOnB.expectNoMessage(Duration.ofMillis(300));
  }

  private static int topicInstances(NotificationHub hub, String tenantId) {
    try {
      return hub.stats(tenantId, Duration.ofSeconds(3)).toCompletableFuture().get(5, TimeUnit.SECONDS)
          .topicInstanceCount();
    } catch (Exception e) {
      return 0;
    }
  }
}
