package io.flexoraa.engine.limits;

import io.flexoraa.engine.limits.ClusterRateBudget.LeaseReply;
import io.flexoraa.engine.limits.ClusterRateBudget.Leased;
import io.flexoraa.engine.limits.ClusterRateBudget.NoLease;
import io.flexoraa.engine.limits.ClusterRateBudget.RequestLease;
import io.flexoraa.engine.limits.PermitDecision.Granted;
import io.flexoraa.engine.limits.PermitDecision.Throttled;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * This node's share of the cluster-wide limit: serves {@link Acquire}s from leases taken from the
 * {@link ClusterRateBudget}, so a message costs a round trip to the singleton only once per lease.
 *
 * <p>Flow: an acquisition is served at once from the current leases; when they cannot cover it, it waits while one
 * lease request is in flight and is served or throttled when the answer comes. A lease is asked for early, when
 * what is left drops below a quarter of a lease, so a busy node rarely waits. The size asked for follows this node's
 * demand over the last lease duration (capped at the lease size), so a quiet node does not take, and let expire,
 * permits the busy nodes could use. After a {@link NoLease}, or when the budget does not answer in time, everything
 * waiting is throttled and no lease is asked for until the advised time has passed, so a dry budget is not flooded.
 *
 * <p>A lease expires {@code validFor} after its request was sent — never later than the budget reckons — and its
 * unused permits go with it: they are never returned, so a permit is spent at most once and never after its time.
 * The state is mutable because it lives in one actor on one node and is worth less than a second.
 */
public final class GlobalPermits extends AbstractBehavior<GlobalPermits.Command> {

  public sealed interface Command {}

  /** Take {@code permits} from this node's share of the cluster budget, or be told when to try again. */
  public record Acquire(int permits, ActorRef<PermitDecision> replyTo) implements Command {}

  private record LeaseAnswered(LeaseReply reply, Instant requestedAt) implements Command {}

  private record LeaseUnanswered(Instant requestedAt) implements Command {}

  /** Permits from one lease and when they stop being valid. */
  private static final class Lease {
    int remaining;
    final Instant expiresAt;

    Lease(int remaining, Instant expiresAt) {
      this.remaining = remaining;
      this.expiresAt = expiresAt;
    }
  }

  private final ActorRef<ClusterRateBudget.Command> budget;
  private final String node;
  private final LimitSettings settings;
  private final Clock clock;
  private final ArrayDeque<Lease> leases = new ArrayDeque<>();
  private final ArrayDeque<Acquire> waiting = new ArrayDeque<>();
  private int waitingPermits;
  private boolean requesting;
  private Instant refusedUntil = Instant.MIN;
  private Instant demandPeriodStart;
  private int demandThisPeriod;
  private int demandLastPeriod;

  /** {@code node} names this node to the budget (its cluster address). */
  public static Behavior<Command> create(
      ActorRef<ClusterRateBudget.Command> budget, String node, LimitSettings settings, Clock clock) {
    return Behaviors.setup(context -> new GlobalPermits(context, budget, node, settings, clock));
  }

  private GlobalPermits(ActorContext<Command> context, ActorRef<ClusterRateBudget.Command> budget, String node,
      LimitSettings settings, Clock clock) {
    super(context);
    this.budget = budget;
    this.node = node;
    this.settings = settings;
    this.clock = clock;
    this.demandPeriodStart = clock.instant();
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Acquire.class, this::onAcquire)
        .onMessage(LeaseAnswered.class, this::onLeaseAnswered)
        .onMessage(LeaseUnanswered.class, this::onLeaseUnanswered)
        .build();
  }

  private Behavior<Command> onAcquire(Acquire acquire) {
    Instant now = clock.instant();
    if (acquire.permits() < 1) {
      acquire.replyTo().tell(new Granted(0));
      return this;
    }
    recordDemand(acquire.permits(), now);
    if (waiting.isEmpty() && spend(acquire.permits(), now)) {
      acquire.replyTo().tell(new Granted(acquire.permits()));
      prefetch(now);
      return this;
    }
    if (now.isBefore(refusedUntil)) {
      acquire.replyTo().tell(new Throttled(Duration.between(now, refusedUntil)));
      return this;
    }
    waiting.addLast(acquire);
    waitingPermits += acquire.permits();
    if (!requesting) requestLease(now);
    return this;
  }

  private Behavior<Command> onLeaseAnswered(LeaseAnswered answered) {
    requesting = false;
    Instant now = clock.instant();
    if (answered.reply() instanceof Leased leased) {
      if (leased.permits() > 0) {
        leases.addLast(new Lease(leased.permits(), answered.requestedAt().plus(leased.validFor())));
      }
      serveWaiting(now);
      if (!waiting.isEmpty()) requestLease(now);
      else prefetch(now);
    } else if (answered.reply() instanceof NoLease noLease) {
      refuse(now, noLease.retryAfter());
    }
    return this;
  }

  private Behavior<Command> onLeaseUnanswered(LeaseUnanswered unanswered) {
    requesting = false;
    // the singleton may be moving to another node; its successor grants nothing for a lease duration anyway
    refuse(clock.instant(), settings.unavailableRetryAfter());
    return this;
  }

  private void refuse(Instant now, Duration retryAfter) {
    refusedUntil = now.plus(retryAfter);
    while (!waiting.isEmpty()) waiting.pollFirst().replyTo().tell(new Throttled(retryAfter));
    waitingPermits = 0;
  }

  private void serveWaiting(Instant now) {
    while (!waiting.isEmpty() && spend(waiting.peekFirst().permits(), now)) {
      Acquire served = waiting.pollFirst();
      waitingPermits -= served.permits();
      served.replyTo().tell(new Granted(served.permits()));
    }
  }

  /** Spends {@code permits} from unexpired leases, soonest to expire first, or spends nothing. */
  private boolean spend(int permits, Instant now) {
    dropExpired(now);
    if (available() < permits) return false;
    int left = permits;
    Iterator<Lease> iterator = leases.iterator();
    while (left > 0) {
      Lease lease = iterator.next();
      int taken = Math.min(left, lease.remaining);
      lease.remaining -= taken;
      left -= taken;
      if (lease.remaining == 0) iterator.remove();
    }
    return true;
  }

  private void dropExpired(Instant now) {
    leases.removeIf(lease -> !now.isBefore(lease.expiresAt));
  }

  private int available() {
    int sum = 0;
    for (Lease lease : leases) sum += lease.remaining;
    return sum;
  }

  private void prefetch(Instant now) {
    if (requesting || now.isBefore(refusedUntil)) return;
    int wanted = leaseSizeWanted();
    // a node wanting fewer than 4 permits a lease duration is quiet: it asks when it needs, not ahead
    if (available() < wanted / 4) requestLease(now);
  }

  private void requestLease(Instant now) {
    requesting = true;
    int permits = Math.max(waitingPermits, leaseSizeWanted());
    getContext().ask(LeaseReply.class, budget, settings.leaseRequestTimeout(),
        replyTo -> new RequestLease(node, permits, replyTo),
        (reply, failure) -> reply != null ? new LeaseAnswered(reply, now) : new LeaseUnanswered(now));
  }

  /** What this node spent, or wanted to, over about the last lease duration, within 1..lease size. */
  private int leaseSizeWanted() {
    return Math.max(1, Math.min(settings.leaseSize(), Math.max(demandThisPeriod, demandLastPeriod)));
  }

  private void recordDemand(int permits, Instant now) {
    Duration sincePeriodStart = Duration.between(demandPeriodStart, now);
    if (sincePeriodStart.compareTo(settings.leaseDuration()) >= 0) {
      boolean previousPeriodWasJustNow = sincePeriodStart.compareTo(settings.leaseDuration().multipliedBy(2)) < 0;
      demandLastPeriod = previousPeriodWasJustNow ? demandThisPeriod : 0;
      demandThisPeriod = 0;
      demandPeriodStart = now;
    }
    demandThisPeriod += permits;
  }
}
