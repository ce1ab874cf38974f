package io.flexoraa.engine.limits;

import io.flexoraa.engine.CborSerializable;
import io.flexoraa.engine.limits.TokenBucket.Rate;
import java.time.Clock;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.SingletonActor;

/**
 * The cluster's message budget, one per cluster (a cluster singleton): a token bucket at the cluster rate from which
 * nodes take leases — batches of permits each node spends locally ({@link GlobalPermits}) until they run out or the
 * lease expires. Every permit spent anywhere was taken from this one bucket first, so the permits leased over any
 * interval never exceed burst + rate x interval, whatever the number of nodes.
 *
 * <p>Leases expire ({@code validFor}), and a node counts a lease's life from the moment it asked, so a lease never
 * outlives what this budget granted. That is what makes a restart safe: a budget that starts (first start, or the
 * singleton moving off a node that left or crashed) cannot know the leases its predecessor gave out, so it grants
 * nothing for one lease duration — by then every earlier lease has expired — and then fills from empty. Who gets
 * the permits when there are too few for everyone is the {@link LeaseBook}'s rule.
 */
public final class ClusterRateBudget {

  public sealed interface Command extends CborSerializable {}

  /**
   * Lease up to {@code permits} for {@code node} (its cluster address; what fairness between nodes is kept by);
   * fewer may come back when the budget is running low.
   */
  public record RequestLease(String node, int permits, ActorRef<LeaseReply> replyTo) implements Command {}

  public sealed interface LeaseReply extends CborSerializable {}

  /** {@code permits} may be spent within {@code validFor}, counted from when the request was sent. */
  public record Leased(int permits, Duration validFor) implements LeaseReply {}

  /** Nothing to lease now; enough will have flowed in after {@code retryAfter}. */
  public record NoLease(Duration retryAfter) implements LeaseReply {}

  private ClusterRateBudget() {}

  /** Starts the singleton (on the oldest node) and returns this node's proxy to it. */
  public static ActorRef<Command> init(ActorSystem<?> system, LimitSettings settings, Clock clock) {
    Behavior<Command> budget = Behaviors.supervise(create(settings.cluster(), settings.minimumLease(),
            settings.leaseDuration(), clock))
        .onFailure(SupervisorStrategy.restart());
    return ClusterSingleton.get(system).init(SingletonActor.of(budget, "ClusterRateBudget"));
  }

  public static Behavior<Command> create(Rate rate, int minimumLease, Duration leaseDuration, Clock clock) {
    return Behaviors.setup(context -> {
      LeaseBook book = new LeaseBook(rate, minimumLease, leaseDuration, clock.instant());
      return Behaviors.receive(Command.class)
          .onMessage(RequestLease.class, request -> {
            request.replyTo().tell(book.lease(request.node(), request.permits(), clock.instant()));
            return Behaviors.same();
          })
          .build();
    });
  }
}
