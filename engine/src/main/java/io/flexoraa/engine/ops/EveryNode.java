package io.flexoraa.engine.ops;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;

/**
 * Asks one actor on every node of the cluster, found through the receptionist (unreachable nodes included), each
 * ask with its own timeout. This node's own actor is always asked, even before the receptionist lists it
 * (registrations spread with a delay). A node that does not answer in time comes back without an answer; it does
 * not fail the whole.
 */
public final class EveryNode {
  private EveryNode() {}

  /** One node's answer; {@code answer} is null when the node did not answer in time. */
  public record Answer<R>(String address, R answer) {
    public boolean available() {
      return answer != null;
    }
  }

  public static <Q, R> CompletionStage<List<Answer<R>>> ask(ActorSystem<?> system, ServiceKey<Q> key,
      ActorRef<Q> local, Function<ActorRef<R>, Q> question, Duration timeout) {
    return AskPattern.<Receptionist.Command, Receptionist.Listing>ask(system.receptionist(),
            replyTo -> Receptionist.find(key, replyTo), timeout, system.scheduler())
        .thenCompose(listing -> {
          Set<ActorRef<Q>> actors = new LinkedHashSet<>();
          actors.add(local);
          actors.addAll(listing.getAllServiceInstances(key));
          List<CompletableFuture<Answer<R>>> asks = actors.stream()
              .map(actor -> AskPattern.<Q, R>ask(actor, question::apply, timeout, system.scheduler())
                  .toCompletableFuture()
                  .handle((answer, failure) -> new Answer<>(addressOf(system, actor), failure == null ? answer : null)))
              .toList();
          return CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new))
              .thenApply(done -> asks.stream().map(CompletableFuture::join).toList());
        });
  }

  /** A local actor's path has no host: it is this node's address. */
  public static String addressOf(ActorSystem<?> system, ActorRef<?> actor) {
    Address address = actor.path().address();
    return (address.hasGlobalScope() ? address : system.address()).toString();
  }
}
