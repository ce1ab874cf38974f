package io.flexoraa.engine.limits;

import io.flexoraa.engine.limits.AiWorkQueue.GetBackpressure;
import io.flexoraa.engine.limits.AiWorkQueue.NodeBackpressure;
import io.flexoraa.engine.limits.Backpressure.Transition;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.receptionist.Receptionist;

/**
 * Backpressure across the cluster, for operators: finds every node's {@link AiWorkQueue} through the receptionist
 * (unreachable nodes included) and asks each for its {@link NodeBackpressure}, each ask with its own timeout. This
 * node's own queue is always asked, even before the receptionist lists it (registrations spread with a delay). A
 * node that does not answer in time is reported unavailable; it does not fail the view. The cluster's mode is the
 * worst mode of the nodes that answered.
 */
public final class ClusterBackpressure {
  private final ActorSystem<?> system;
  private final ActorRef<GetBackpressure> localQueue;
  private final Backpressure.Settings settings;

  public ClusterBackpressure(ActorSystem<?> system, ActorRef<GetBackpressure> localQueue,
      Backpressure.Settings settings) {
    this.system = system;
    this.localQueue = localQueue;
    this.settings = settings;
  }

  /** One node: {@code status} is null when the node did not answer. */
  public record NodeReport(String address, NodeBackpressure status) {
    public boolean available() {
      return status != null;
    }
  }

  /** A change of mode on a node. */
  public record NodeTransition(String address, Transition transition) {}

  /**
   * @param mode the worst mode of the nodes that answered; null when none did
   * @param nodes every node found, by address
   * @param recentTransitions the latest changes of all nodes that answered, newest first
   * @param settings this node's settings (every node reports its own too)
   */
  public record View(BackpressureMode mode, List<NodeReport> nodes, List<NodeTransition> recentTransitions,
      Backpressure.Settings settings) {}

  public CompletionStage<View> query() {
    return AskPattern.<Receptionist.Command, Receptionist.Listing>ask(system.receptionist(),
            replyTo -> Receptionist.find(AiWorkQueue.SERVICE_KEY, replyTo), settings.askTimeout(), system.scheduler())
        .thenCompose(listing -> {
          Set<ActorRef<GetBackpressure>> queues = new LinkedHashSet<>();
          queues.add(localQueue);
          queues.addAll(listing.getAllServiceInstances(AiWorkQueue.SERVICE_KEY));
          List<CompletableFuture<NodeReport>> asks = queues.stream().map(this::ask).toList();
          return CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new))
              .thenApply(done -> view(asks.stream().map(CompletableFuture::join).toList()));
        });
  }

  private CompletableFuture<NodeReport> ask(ActorRef<GetBackpressure> queue) {
    return AskPattern.ask(queue, GetBackpressure::new, settings.askTimeout(), system.scheduler())
        .toCompletableFuture()
        .handle((status, failure) -> failure == null
            ? new NodeReport(status.address(), status)
            : new NodeReport(addressOf(queue), null));
  }

  private String addressOf(ActorRef<?> queue) {
    Address address = queue.path().address();
    return (address.hasGlobalScope() ? address : system.address()).toString();
  }

  private View view(List<NodeReport> reports) {
    BackpressureMode worst = reports.stream().filter(NodeReport::available).map(report -> report.status().mode())
        .reduce(BackpressureMode::worse).orElse(null);
    List<NodeTransition> recent = reports.stream().filter(NodeReport::available)
        .flatMap(report -> report.status().recentTransitions().stream()
            .map(transition -> new NodeTransition(report.address(), transition)))
        .sorted(Comparator.comparing((NodeTransition change) -> change.transition().at()).reversed())
        .limit(settings.recentTransitions())
        .toList();
    List<NodeReport> nodes = reports.stream().sorted(Comparator.comparing(NodeReport::address)).toList();
    return new View(worst, nodes, recent, settings);
  }
}
