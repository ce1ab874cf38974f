package io.flexoraa.engine.limits;

import io.flexoraa.engine.limits.AiWorkQueue.GetBackpressure;
import io.flexoraa.engine.limits.AiWorkQueue.NodeBackpressure;
import io.flexoraa.engine.limits.Backpressure.Transition;
import io.flexoraa.engine.ops.EveryNode;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Backpressure across the cluster, for operators: asks every node's {@link AiWorkQueue} for its
 * {@link NodeBackpressure} ({@link EveryNode}: unreachable nodes included, each ask with its own timeout). A node
 * that does not answer in time is reported unavailable; it does not fail the view. The cluster's mode is the
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
    return EveryNode.<GetBackpressure, NodeBackpressure>ask(
            system, AiWorkQueue.SERVICE_KEY, localQueue, GetBackpressure::new, settings.askTimeout())
        .thenApply(answers -> view(answers.stream()
            .map(answer -> new NodeReport(
                answer.available() ? answer.answer().address() : answer.address(), answer.answer()))
            .toList()));
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
