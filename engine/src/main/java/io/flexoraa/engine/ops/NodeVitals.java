package io.flexoraa.engine.ops;

import io.flexoraa.engine.CborSerializable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * This node's ingest figures ({@link IngestWindow}) for the operator's overview, answered to any node of the cluster:
 * every node registers one with the receptionist, and {@link #cluster} asks them all. Node metrics, not read-model
 * rows: they live only in the node that measured them.
 */
public final class NodeVitals {
  /** Every node's vitals actor is registered under this key. */
  public static final ServiceKey<GetVitals> SERVICE_KEY = ServiceKey.create(GetVitals.class, "node-vitals");

  public record GetVitals(ActorRef<Vitals> replyTo) implements CborSerializable {}

  /**
   * @param address the node's cluster address
   * @param upSince when this node started
   */
  public record Vitals(String address, Instant upSince, IngestWindow.Snapshot ingest) implements CborSerializable {}

  private final ActorSystem<?> system;
  private final ActorRef<GetVitals> local;
  private final Duration askTimeout;

  private NodeVitals(ActorSystem<?> system, ActorRef<GetVitals> local, Duration askTimeout) {
    this.system = system;
    this.local = local;
    this.askTimeout = askTimeout;
  }

  /** Starts this node's vitals actor, reading {@code window}. */
  public static NodeVitals start(ActorSystem<?> system, IngestWindow window, Duration askTimeout, Clock clock) {
    Instant upSince = clock.instant();
    String address = Cluster.get(system).selfMember().address().toString();
    Behavior<GetVitals> behavior = Behaviors.setup(context -> {
      context.getSystem().receptionist().tell(Receptionist.register(SERVICE_KEY, context.getSelf()));
      return Behaviors.receiveMessage(query -> {
        query.replyTo().tell(new Vitals(address, upSince, window.snapshot(clock.instant())));
        return Behaviors.same();
      });
    });
    return new NodeVitals(system, system.systemActorOf(behavior, "node-vitals", Props.empty()), askTimeout);
  }

  /** Every node's vitals; a node that does not answer in time has none. */
  public CompletionStage<List<EveryNode.Answer<Vitals>>> cluster() {
    return EveryNode.ask(system, SERVICE_KEY, local, GetVitals::new, askTimeout);
  }
}
